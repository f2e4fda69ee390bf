// Unit tests for Gate 3: strict certificate parsing and every delegation rule, each with its reason.
// Certificates are signed here with fresh libsodium keys; the clock is a fixed instant.
#include "forgehive/hive/delegation.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/hive/gns.hpp"

namespace forgehive::hive {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Two resolution-7 cells inside one resolution-6 cell, and one elsewhere (containment is faked below;
// the gate only asks the caller's CellWithin).
const std::string kParentCell = "861e8052fffffff";
const std::string kChildCell = "871e8052affffff";
const std::string kSiblingCell = "871e80528ffffff";
const std::string kFarCell = "871e9a0ecffffff";

std::string pk_hex(const crypto::KeyPair& key) { return crypto::to_hex(key.public_key.data(), key.public_key.size()); }

TimePoint at(const char* text) { return *parse_rfc3339_utc(text); }

// Signs `cert` (any JSON object; a "signature" member is replaced) as `key`, the way the spec says.
json sign_json(json cert, const crypto::KeyPair& key) {
    cert.erase("signature");
    const auto signature = crypto::sign(crypto::canonicalize(cert), key);
    cert["signature"] = crypto::to_hex(signature.data(), signature.size());
    return cert;
}

class DelegationTest : public ::testing::Test {
protected:
    DelegationTest() {
        principals_.insert(pk_hex(principal_));
        // Cells contain themselves; the two children lie in the parent.
        within_ = {{kParentCell, kChildCell}, {kParentCell, kSiblingCell}};
    }

    DelegationScope scope(std::vector<std::string> steps, const char* budget,
                          std::optional<std::vector<std::string>> cells = std::nullopt) {
        return DelegationScope{std::move(steps), gns_from_text(budget, "budget"), std::move(cells)};
    }

    json cert(const crypto::KeyPair& issuer, const crypto::KeyPair& subject, const DelegationScope& s,
              const char* not_before = "2025-06-01T00:00:00Z", const char* expires = "2025-07-01T00:00:00Z") {
        return make_delegation_cert(issuer, pk_hex(subject), s, at(not_before), at(expires));
    }

    json wide_cert(const crypto::KeyPair& issuer, const crypto::KeyPair& subject) {
        return cert(issuer, subject, scope({"inference", "tile_render", "sensor_fusion"}, "0.05"));
    }

    DelegationRequest request_by(const crypto::KeyPair& requester) {
        return DelegationRequest{
            pk_hex(requester), {"inference"}, gns_from_text("0.01", "b"), kChildCell, at("2025-06-15T12:00:00Z")};
    }

    DelegationOutcome check(const std::optional<json>& chain, const DelegationRequest& request) {
        return check_delegation(
            chain, request, policy_, [this](const std::string& pk) { return principals_.count(pk) > 0; },
            [this](const std::string& scope_cell, const std::string& cell) {
                return scope_cell == cell || within_.count({scope_cell, cell}) > 0;
            });
    }

    // The 403 reason for `chain` and `request`, or "" when the gate passes.
    std::string reason(const std::optional<json>& chain, const DelegationRequest& request) {
        try {
            check(chain, request);
        } catch (const core::ApiError& e) {
            EXPECT_EQ(e.code(), "delegation_invalid");
            EXPECT_EQ(e.http_status(), 403);
            return e.message();
        }
        return "";
    }

    crypto::KeyPair principal_ = crypto::generate_keypair();
    crypto::KeyPair agent_ = crypto::generate_keypair();
    crypto::KeyPair sub_agent_ = crypto::generate_keypair();
    crypto::KeyPair stranger_ = crypto::generate_keypair();
    std::set<std::string> principals_;
    std::set<std::pair<std::string, std::string>> within_;
    DelegationPolicy policy_;
};

// --- chains that pass ---

TEST_F(DelegationTest, PrincipalNeedsNoChain) {
    const auto outcome = check(std::nullopt, request_by(principal_));
    EXPECT_EQ(outcome.principal_pk, pk_hex(principal_));
    EXPECT_FALSE(outcome.scope);
    EXPECT_EQ(outcome.chain_length, 0u);
}

TEST_F(DelegationTest, PrincipalsChainIsIgnored) {
    EXPECT_EQ(reason(json::array({json("not a cert")}), request_by(principal_)), "");
}

TEST_F(DelegationTest, OneCertFromAPrincipal) {
    const auto outcome = check(json::array({wide_cert(principal_, agent_)}), request_by(agent_));
    EXPECT_EQ(outcome.principal_pk, pk_hex(principal_));
    EXPECT_EQ(outcome.chain_length, 1u);
    ASSERT_TRUE(outcome.scope);
    EXPECT_EQ(outcome.scope->steps, (std::vector<std::string>{"inference", "tile_render", "sensor_fusion"}));
    EXPECT_EQ(outcome.scope->max_budget_nano, 50'000'000);
    EXPECT_FALSE(outcome.scope->h3_cells);
}

TEST_F(DelegationTest, NarrowingChainOfTwo) {
    const json chain = json::array(
        {cert(principal_, agent_, scope({"inference", "tile_render"}, "0.05", std::vector<std::string>{kParentCell})),
         cert(agent_, sub_agent_, scope({"inference"}, "0.02", std::vector<std::string>{kChildCell, kSiblingCell}))});
    const auto outcome = check(chain, request_by(sub_agent_));
    EXPECT_EQ(outcome.principal_pk, pk_hex(principal_));
    EXPECT_EQ(outcome.chain_length, 2u);
    ASSERT_TRUE(outcome.scope);
    EXPECT_EQ(outcome.scope->max_budget_nano, 20'000'000);
    EXPECT_EQ(outcome.scope->h3_cells, (std::vector<std::string>{kChildCell, kSiblingCell}));
}

TEST_F(DelegationTest, EqualScopeIsNotWidening) {
    const json chain = json::array({wide_cert(principal_, agent_), wide_cert(agent_, sub_agent_)});
    EXPECT_EQ(reason(chain, request_by(sub_agent_)), "");
}

TEST_F(DelegationTest, RequesterKeyIsComparedInLowerCase) {
    auto request = request_by(agent_);
    for (auto& c : request.requester_pk) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(reason(json::array({wide_cert(principal_, agent_)}), request), "");
}

// Whitespace and member order of the transmitted cert do not matter: the signature covers JCS bytes.
TEST_F(DelegationTest, MemberOrderAndWhitespaceDoNotMatter) {
    const json signed_cert = wide_cert(principal_, agent_);
    std::string reordered = "{ \"signature\" : " + signed_cert["signature"].dump() + ",\n";
    for (const char* key : {"expires", "not_before", "scope", "subject", "issuer"})
        reordered += "  \"" + std::string(key) + "\": " + signed_cert[key].dump(2) + ",\n";
    reordered += "  \"version\": 1.0 }";
    EXPECT_EQ(reason(json::array({crypto::parse_strict(reordered)}), request_by(agent_)), "");
}

// --- every rule, with its reason ---

TEST_F(DelegationTest, MissingChainForANonPrincipal) {
    const std::string expected = "delegation: is required: requester_pk is not a registered principal";
    EXPECT_EQ(reason(std::nullopt, request_by(agent_)), expected);
    EXPECT_EQ(reason(json(nullptr), request_by(agent_)), expected);
}

TEST_F(DelegationTest, EmptyChain) {
    EXPECT_EQ(reason(json::array(), request_by(agent_)), "delegation: must hold at least one certificate");
}

TEST_F(DelegationTest, ChainTooLong) {
    policy_.max_chain_length = 2;
    const json chain =
        json::array({wide_cert(principal_, agent_), wide_cert(agent_, sub_agent_), wide_cert(sub_agent_, stranger_)});
    EXPECT_EQ(reason(chain, request_by(stranger_)), "delegation: holds 3 certificates; at most 2 are allowed");
    policy_.max_chain_length = 3;
    EXPECT_EQ(reason(chain, request_by(stranger_)), "");
}

TEST_F(DelegationTest, TamperedScopeBreaksTheSignature) {
    json c = cert(principal_, agent_, scope({"inference"}, "0.01"));
    c["scope"]["max_budget_gns"] = 1000;
    EXPECT_EQ(reason(json::array({c}), request_by(agent_)),
              "delegation[0].signature: does not verify under delegation[0].issuer over the JCS form of the cert");
}

TEST_F(DelegationTest, SignatureByAnotherKey) {
    json c = sign_json(wide_cert(principal_, agent_), stranger_);  // issuer still names the principal
    EXPECT_EQ(reason(json::array({c}), request_by(agent_)),
              "delegation[0].signature: does not verify under delegation[0].issuer over the JCS form of the cert");
}

TEST_F(DelegationTest, BadSignatureInALaterCert) {
    json second = wide_cert(agent_, sub_agent_);
    second["subject"] = pk_hex(stranger_);
    EXPECT_EQ(reason(json::array({wide_cert(principal_, agent_), second}), request_by(stranger_)),
              "delegation[1].signature: does not verify under delegation[1].issuer over the JCS form of the cert");
}

TEST_F(DelegationTest, FirstIssuerNotAPrincipal) {
    EXPECT_EQ(reason(json::array({wide_cert(stranger_, agent_)}), request_by(agent_)),
              "delegation[0].issuer: is not a registered principal (or has been revoked)");
}

TEST_F(DelegationTest, RevokedPrincipal) {
    const json chain = json::array({wide_cert(principal_, agent_)});
    ASSERT_EQ(reason(chain, request_by(agent_)), "");
    principals_.erase(pk_hex(principal_));  // what a revocation does to IsPrincipal
    EXPECT_EQ(reason(chain, request_by(agent_)),
              "delegation[0].issuer: is not a registered principal (or has been revoked)");
}

TEST_F(DelegationTest, BrokenLink) {
    const json chain = json::array({wide_cert(principal_, agent_), wide_cert(stranger_, sub_agent_)});
    EXPECT_EQ(reason(chain, request_by(sub_agent_)),
              "delegation[1].issuer: must equal delegation[0].subject (broken link)");
}

TEST_F(DelegationTest, LastSubjectIsNotTheRequester) {
    EXPECT_EQ(reason(json::array({wide_cert(principal_, agent_)}), request_by(stranger_)),
              "delegation[0].subject: must equal requester_pk");
}

TEST_F(DelegationTest, NotYetValidBeyondTheSkew) {
    auto request = request_by(agent_);
    const json chain = json::array({cert(principal_, agent_, scope({"inference"}, "0.05"), "2025-06-15T12:01:01Z")});
    EXPECT_EQ(reason(chain, request), "delegation[0].not_before: not yet valid (valid from 2025-06-15T12:01:01Z)");
    request.now = at("2025-06-15T12:00:01Z");  // exactly the 60 s skew before not_before
    EXPECT_EQ(reason(chain, request), "");
}

TEST_F(DelegationTest, ExpiredBeyondTheSkew) {
    auto request = request_by(agent_);
    const json chain = json::array(
        {cert(principal_, agent_, scope({"inference"}, "0.05"), "2025-06-01T00:00:00Z", "2025-06-15T11:59:00Z")});
    EXPECT_EQ(reason(chain, request), "delegation[0].expires: expired at 2025-06-15T11:59:00Z");
    request.now = at("2025-06-15T11:59:59Z");
    EXPECT_EQ(reason(chain, request), "");
    policy_.clock_skew = 0s;
    EXPECT_EQ(reason(chain, request), "delegation[0].expires: expired at 2025-06-15T11:59:00Z");
}

TEST_F(DelegationTest, ExpiredIntermediateCert) {
    const json chain =
        json::array({wide_cert(principal_, agent_), cert(agent_, sub_agent_, scope({"inference"}, "0.01"),
                                                         "2025-06-01T00:00:00Z", "2025-06-02T00:00:00Z")});
    EXPECT_EQ(reason(chain, request_by(sub_agent_)), "delegation[1].expires: expired at 2025-06-02T00:00:00Z");
}

TEST_F(DelegationTest, NotBeforeMustPrecedeExpires) {
    json c = wide_cert(principal_, agent_);
    c["not_before"] = c["expires"];
    EXPECT_EQ(reason(json::array({sign_json(c, principal_)}), request_by(agent_)),
              "delegation[0].not_before: must be before expires");
    EXPECT_THROW(cert(principal_, agent_, scope({"inference"}, "0.01"), "2025-07-01T00:00:00Z", "2025-06-01T00:00:00Z"),
                 std::invalid_argument);
}

TEST_F(DelegationTest, WideningStepTypes) {
    const json chain = json::array({cert(principal_, agent_, scope({"inference"}, "0.05")),
                                    cert(agent_, sub_agent_, scope({"inference", "tile_render"}, "0.05"))});
    EXPECT_EQ(
        reason(chain, request_by(sub_agent_)),
        "delegation[1].scope.steps: step type 'tile_render' is not in delegation[0].scope.steps (scope widening)");
}

TEST_F(DelegationTest, WideningBudget) {
    const json chain = json::array({cert(principal_, agent_, scope({"inference"}, "0.05")),
                                    cert(agent_, sub_agent_, scope({"inference"}, "0.050000001"))});
    EXPECT_EQ(reason(chain, request_by(sub_agent_)),
              "delegation[1].scope.max_budget_gns: 0.050000001 exceeds delegation[0].scope.max_budget_gns 0.05 "
              "(scope widening)");
}

TEST_F(DelegationTest, WideningCellsOutsideTheParent) {
    const json chain = json::array(
        {cert(principal_, agent_, scope({"inference"}, "0.05", std::vector<std::string>{kParentCell})),
         cert(agent_, sub_agent_, scope({"inference"}, "0.05", std::vector<std::string>{kChildCell, kFarCell}))});
    EXPECT_EQ(reason(chain, request_by(sub_agent_)),
              "delegation[1].scope.h3_cells: cell 871e9a0ecffffff is not within delegation[0].scope.h3_cells (scope "
              "widening)");
}

TEST_F(DelegationTest, WideningByDroppingTheCells) {
    const json chain =
        json::array({cert(principal_, agent_, scope({"inference"}, "0.05", std::vector<std::string>{kParentCell})),
                     cert(agent_, sub_agent_, scope({"inference"}, "0.05"))});
    EXPECT_EQ(reason(chain, request_by(sub_agent_)),
              "delegation[1].scope.h3_cells: is required because delegation[0].scope.h3_cells limits the area (scope "
              "widening)");
}

TEST_F(DelegationTest, RequestStepOutsideTheScope) {
    auto request = request_by(agent_);
    request.step_types = {"inference", "image_process"};
    EXPECT_EQ(reason(json::array({wide_cert(principal_, agent_)}), request),
              "steps[1].type: 'image_process' is not allowed by delegation[0].scope.steps");
}

TEST_F(DelegationTest, RequestBudgetAboveTheScope) {
    auto request = request_by(agent_);
    request.budget_nano = gns_from_text("0.1", "b");
    EXPECT_EQ(reason(json::array({wide_cert(principal_, agent_)}), request),
              "budget_gns: 0.1 exceeds delegation[0].scope.max_budget_gns 0.05");
    request.budget_nano = gns_from_text("0.05", "b");
    EXPECT_EQ(reason(json::array({wide_cert(principal_, agent_)}), request), "");
}

TEST_F(DelegationTest, RequestCellOutsideTheScope) {
    auto request = request_by(agent_);
    const json chain =
        json::array({cert(principal_, agent_, scope({"inference"}, "0.05", std::vector<std::string>{kParentCell}))});
    EXPECT_EQ(reason(chain, request), "");  // the request's cell lies inside the scope's cell
    request.h3_cell = kFarCell;
    EXPECT_EQ(reason(chain, request), "h3_cell: 871e9a0ecffffff is not within delegation[0].scope.h3_cells");
}

// --- strict parsing ---

class ParseChainTest : public DelegationTest {
protected:
    // The reason parse_delegation_chain gives for a one-cert chain after `edit`, or "".
    template <class Edit>
    std::string parse_reason(Edit edit) {
        json c = wide_cert(principal_, agent_);
        edit(c);
        try {
            parse_delegation_chain(json::array({c}), 8);
        } catch (const core::ApiError& e) {
            EXPECT_EQ(e.code(), "delegation_invalid");
            return e.message();
        }
        return "";
    }
};

TEST_F(ParseChainTest, ReadsEveryField) {
    const json c = cert(principal_, agent_, scope({"inference"}, "0.0043", std::vector<std::string>{kChildCell}),
                        "2025-06-01T00:00:00.5Z");
    const auto certs = parse_delegation_chain(json::array({c}), 8);
    ASSERT_EQ(certs.size(), 1u);
    EXPECT_EQ(certs[0].version, 1);
    EXPECT_EQ(certs[0].issuer, pk_hex(principal_));
    EXPECT_EQ(certs[0].subject, pk_hex(agent_));
    EXPECT_EQ(certs[0].scope.steps, std::vector<std::string>{"inference"});
    EXPECT_EQ(certs[0].scope.max_budget_nano, 4'300'000);
    EXPECT_EQ(certs[0].scope.h3_cells, std::vector<std::string>{kChildCell});
    EXPECT_EQ(format_rfc3339_utc(certs[0].not_before), "2025-06-01T00:00:00.5Z");
    EXPECT_EQ(format_rfc3339_utc(certs[0].expires), "2025-07-01T00:00:00Z");
    EXPECT_EQ(certs[0].signature, c["signature"].get<std::string>());
    json unsigned_cert = c;
    unsigned_cert.erase("signature");
    EXPECT_EQ(certs[0].signed_bytes, crypto::canonicalize(unsigned_cert));
}

TEST_F(ParseChainTest, ChainMustBeAnArrayOfObjects) {
    EXPECT_THROW(parse_delegation_chain(json::object(), 8), core::ApiError);
    try {
        parse_delegation_chain(json::array({wide_cert(principal_, agent_), 7}), 8);
        FAIL();
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.message(), "delegation[1]: must be an object");
    }
}

TEST_F(ParseChainTest, RejectsUnknownAndMissingMembers) {
    EXPECT_EQ(parse_reason([](json& c) { c["comment"] = "hi"; }), "delegation[0].comment: unknown member");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"]["regions"] = json::array(); }),
              "delegation[0].scope.regions: unknown member");
    EXPECT_EQ(parse_reason([](json& c) { c.erase("expires"); }), "delegation[0].expires: is required");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"].erase("max_budget_gns"); }),
              "delegation[0].scope.max_budget_gns: is required");
    EXPECT_EQ(parse_reason([](json& c) { c.erase("signature"); }), "delegation[0].signature: is required");
}

TEST_F(ParseChainTest, RejectsWrongTypesAndValues) {
    EXPECT_EQ(parse_reason([](json& c) { c["version"] = 2; }), "delegation[0].version: must be 1");
    EXPECT_EQ(parse_reason([](json& c) { c["version"] = "1"; }), "delegation[0].version: must be 1");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"] = "all"; }), "delegation[0].scope: must be an object");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"]["steps"] = json::array(); }),
              "delegation[0].scope.steps: must be an array of 1 to 32 step types");
    EXPECT_EQ(parse_reason([](json& c) {
                  c["scope"]["steps"] = {"inference", "Inference"};
              }),
              "delegation[0].scope.steps[1]: must be a step type ([a-z0-9_], 1 to 64 characters)");
    EXPECT_EQ(parse_reason([](json& c) {
                  c["scope"]["steps"] = {"inference", "inference"};
              }),
              "delegation[0].scope.steps[1]: is a duplicate");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"]["max_budget_gns"] = 0.0000000001; }),
              "delegation[0].scope.max_budget_gns: must be a multiple of 1e-9 GNS (at most 9 decimal places)");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"]["max_budget_gns"] = "0.05"; }),
              "delegation[0].scope.max_budget_gns: must be a number of GNS");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"]["h3_cells"] = json::array(); }),
              "delegation[0].scope.h3_cells: must be an array of 1 to 64 H3 cells");
    EXPECT_EQ(parse_reason([](json& c) { c["scope"]["h3_cells"] = {"871E8052AFFFFFF"}; }),
              "delegation[0].scope.h3_cells[0]: must be an H3 cell (15 lower-case hex digits)");
}

TEST_F(ParseChainTest, RejectsBadHex) {
    const std::string rule = ": must be 64 lower-case hex digits";
    EXPECT_EQ(parse_reason([](json& c) { c["issuer"] = c["issuer"].get<std::string>().substr(2); }),
              "delegation[0].issuer" + rule);
    EXPECT_EQ(parse_reason([](json& c) {
                  auto s = c["subject"].get<std::string>();
                  s[0] = 'g';
                  c["subject"] = s;
              }),
              "delegation[0].subject" + rule);
    EXPECT_EQ(parse_reason([](json& c) { c["issuer"] = std::string(64, 'A'); }), "delegation[0].issuer" + rule);
    EXPECT_EQ(parse_reason([](json& c) { c["signature"] = std::string(127, 'a'); }),
              "delegation[0].signature: must be 128 lower-case hex digits");
}

TEST_F(ParseChainTest, RejectsBadTimes) {
    const std::string rule = ": must be an RFC 3339 UTC time such as 2025-06-01T12:00:00Z";
    EXPECT_EQ(parse_reason([](json& c) { c["expires"] = "2025-07-01T00:00:00+02:00"; }),
              "delegation[0].expires" + rule);
    EXPECT_EQ(parse_reason([](json& c) { c["not_before"] = 1748736000; }), "delegation[0].not_before" + rule);
    EXPECT_EQ(parse_reason([](json& c) { c["expires"] = "2025-02-30T00:00:00Z"; }), "delegation[0].expires" + rule);
}

TEST_F(ParseChainTest, BoundsAreCheckedBeforeParsingCerts) {
    json chain = json::array();
    for (int i = 0; i < 9; ++i) chain.push_back(i);
    try {
        parse_delegation_chain(chain, 8);
        FAIL();
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.message(), "delegation: holds 9 certificates; at most 8 are allowed");
    }
}

// --- make_delegation_cert ---

TEST_F(DelegationTest, MadeCertsAreCanonicalAndRejectBadInput) {
    const json c = cert(principal_, agent_, scope({"inference"}, "0.0043"));
    EXPECT_EQ(crypto::canonicalize(c["scope"]), R"({"max_budget_gns":0.0043,"steps":["inference"]})");
    EXPECT_EQ(c["issuer"], pk_hex(principal_));
    EXPECT_THROW(make_delegation_cert(principal_, "xyz", scope({"inference"}, "0.01"), at("2025-06-01T00:00:00Z"),
                                      at("2025-07-01T00:00:00Z")),
                 std::invalid_argument);
    EXPECT_THROW(cert(principal_, agent_, scope({"Bad Step"}, "0.01")), std::invalid_argument);
    EXPECT_THROW(cert(principal_, agent_, DelegationScope{{"inference"}, -1, std::nullopt}), std::invalid_argument);
}

TEST(PublicKeyHex, AcceptsRealKeysInEitherCase) {
    const auto key = crypto::generate_keypair();
    std::string hex = pk_hex(key);
    EXPECT_TRUE(is_ed25519_public_key_hex(hex));
    for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(is_ed25519_public_key_hex(hex));
}

TEST(PublicKeyHex, RejectsWrongLengthNonHexAndBadPoints) {
    EXPECT_FALSE(is_ed25519_public_key_hex(""));
    EXPECT_FALSE(is_ed25519_public_key_hex(std::string(62, 'a')));
    EXPECT_FALSE(is_ed25519_public_key_hex(std::string(64, 'g')));
    // The identity (small order), and y = 2^255 - 1 (not canonical: y >= p).
    EXPECT_FALSE(is_ed25519_public_key_hex("0100000000000000000000000000000000000000000000000000000000000000"));
    EXPECT_FALSE(is_ed25519_public_key_hex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
    // y = 2 is not on the curve (no x with x^2 = (y^2 - 1) / (d y^2 + 1)).
    EXPECT_FALSE(is_ed25519_public_key_hex("0200000000000000000000000000000000000000000000000000000000000000"));
}

}  // namespace
}  // namespace forgehive::hive
