// Unit tests for gate 1: where the signature comes from, canonical form, tampering, freshness.
#include "forgehive/hive/signature_gate.hpp"

#include <gtest/gtest.h>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/jcs.hpp"

namespace forgehive::hive {
namespace {

const auto kKey = crypto::generate_keypair();
const auto kNow = TimePoint(std::chrono::seconds(1795514400));  // 2026-11-24T10:00:00Z

std::string hex(const auto& bytes) { return crypto::to_hex(bytes.data(), bytes.size()); }

nlohmann::json unsigned_request() {
    return {{"requester_pk", hex(kKey.public_key)}, {"h3_cell", "871e8052affffff"},
            {"steps", {{{"id", "s"}, {"type", "sensor_fusion"}}}}, {"budget_gns", 0.01}};
}

std::string sign(const nlohmann::json& body) { return hex(crypto::sign(crypto::canonicalize(body), kKey)); }

std::pair<std::string, int> failure(std::string_view body, std::string_view header, SignatureOptions options = {}) {
    try {
        check_signature(body, header, options, kNow);
    } catch (const core::ApiError& e) {
        return {e.code() + ": " + e.message(), e.http_status()};
    }
    return {"accepted", 200};
}

TEST(SignatureGate, AcceptsHeaderOrBodySignatureRegardlessOfLayout) {
    auto body = unsigned_request();
    auto signature = sign(body);
    auto verified = check_signature(body.dump(2), signature, {}, kNow);
    EXPECT_EQ(verified.signature, signature);
    EXPECT_EQ(verified.signed_bytes, crypto::canonicalize(body));
    // Same members in another order, other whitespace, signature in the body: still valid.
    std::string reordered = R"({ "budget_gns" : 0.01, "steps":[{"type":"sensor_fusion","id":"s"}],)"
                            R"( "h3_cell":"871e8052affffff", "requester_pk":")" + hex(kKey.public_key) +
                            R"(", "signature":")" + signature + "\"}";
    EXPECT_EQ(check_signature(reordered, "", {}, kNow).requester_pk, hex(kKey.public_key));
}

TEST(SignatureGate, MissingSignatureUsesTheSeedsExactText) {
    auto [error, status] = failure(unsigned_request().dump(), "");
    EXPECT_EQ(status, 401);
    EXPECT_EQ(error, "signature_required: X-GNS-Signature header is required");
}

TEST(SignatureGate, TamperedOrForeignSignaturesAreInvalid) {
    auto body = unsigned_request();
    auto signature = sign(body);
    auto tampered = body;
    tampered["budget_gns"] = 0.02;
    EXPECT_EQ(failure(tampered.dump(), signature).second, 401);
    EXPECT_NE(failure(tampered.dump(), signature).first.find("signature_invalid: signature does not verify"), std::string::npos);
    auto other = crypto::generate_keypair();
    auto foreign = hex(crypto::sign(crypto::canonicalize(body), other));
    EXPECT_NE(failure(body.dump(), foreign).first.find("signature_invalid"), std::string::npos);
    EXPECT_NE(failure(body.dump(), "zz" + signature.substr(2)).first.find("X-GNS-Signature must be 128 hex digits"), std::string::npos);
    auto both = body;
    both["signature"] = foreign;
    EXPECT_NE(failure(both.dump(), signature).first.find("differ"), std::string::npos);
    auto no_key = body;
    no_key.erase("requester_pk");
    EXPECT_NE(failure(no_key.dump(), signature).first.find("'requester_pk' is required"), std::string::npos);
}

TEST(SignatureGate, JsonThatJcsCannotRepresentIs400) {
    for (const char* bad : {R"({"a":1,"a":2})", R"({"a":"\ud800"})", R"({"a":1e400})", "[1]", "{"}) {
        auto [error, status] = failure(bad, std::string(128, 'a'));
        EXPECT_EQ(status, 400) << bad << " -> " << error;
    }
}

TEST(SignatureGate, FreshnessMembersAreSignedAndChecked) {
    auto body = unsigned_request();
    body["issued_at"] = "2026-11-24T10:03:00Z";
    body["nonce"] = "n-0001-abcd";
    EXPECT_EQ(failure(body.dump(), sign(body)).first, "accepted");
    body["issued_at"] = "2026-11-24T10:06:00Z";  // 360 s ahead, skew 300
    auto [error, status] = failure(body.dump(), sign(body));
    EXPECT_NE(error.find("360 s from the server's clock"), std::string::npos) << error;
    body["issued_at"] = "yesterday";
    EXPECT_NE(failure(body.dump(), sign(body)).first.find("RFC 3339"), std::string::npos);
    SignatureOptions strict;
    strict.require_freshness = true;
    auto plain = unsigned_request();
    EXPECT_NE(failure(plain.dump(), sign(plain), strict).first.find("'issued_at' and 'nonce' are required"), std::string::npos);
}

}  // namespace
}  // namespace forgehive::hive
