// Delegation chains (Gate 3): strict parsing of the certificates, then the checks in the order a
// reader would verify them by hand: each cert's signature, its issuer's authority (a principal for
// the first, the previous subject after that), its validity window, its scope against its parent's;
// then the chain's end against the requester and the request against the final scope.
#include "forgehive/hive/delegation.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <set>
#include <sodium.h>
#include <stdexcept>
#include <string_view>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/hex.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/crypto/secrets.hpp"
#include "forgehive/hive/gns.hpp"

namespace forgehive::hive {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kKeyHexLength = 64;
constexpr std::size_t kSignatureHexLength = 128;
constexpr std::size_t kH3CellHexLength = 15;
constexpr std::array<std::string_view, 7> kCertMembers = {"version",    "issuer",  "subject",  "scope",
                                                          "not_before", "expires", "signature"};
constexpr std::array<std::string_view, 3> kScopeMembers = {"steps", "max_budget_gns", "h3_cells"};

[[noreturn]] void reject(std::string_view where, std::string_view rule) {
    throw core::ApiError("delegation_invalid", 403, fmt::format("{}: {}", where, rule));
}

std::string cert_at(std::size_t index) { return fmt::format("delegation[{}]", index); }

bool is_lower_hex(std::string_view text, std::size_t length) {
    return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool is_step_type(std::string_view text) {
    return !text.empty() && text.size() <= kMaxStepTypeLength && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

template <std::size_t N>
void reject_unknown_members(const Json& object, const std::array<std::string_view, N>& known, const std::string& at) {
    for (const auto& [key, value] : object.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            reject(fmt::format("{}.{}", at, key), "unknown member");
}

const Json& required(const Json& object, std::string_view key, const std::string& at) {
    auto it = object.find(key);
    if (it == object.end()) reject(fmt::format("{}.{}", at, key), "is required");
    return *it;
}

std::string hex_member(const Json& object, std::string_view key, std::size_t length, const std::string& at) {
    const auto& value = required(object, key, at);
    if (!value.is_string() || !is_lower_hex(value.get_ref<const std::string&>(), length))
        reject(fmt::format("{}.{}", at, key), fmt::format("must be {} lower-case hex digits", length));
    return value.get<std::string>();
}

TimePoint time_member(const Json& object, std::string_view key, const std::string& at) {
    const auto& value = required(object, key, at);
    std::optional<TimePoint> time;
    if (value.is_string()) time = parse_rfc3339_utc(value.get_ref<const std::string&>());
    if (!time) reject(fmt::format("{}.{}", at, key), "must be an RFC 3339 UTC time such as 2025-06-01T12:00:00Z");
    return *time;
}

// A non-empty array of at most `max_items` unique strings, each accepted by `valid`. `items` names
// them in the plural, `item_rule` one of them: "step types", "a step type ([a-z0-9_], ...)".
template <class Valid>
std::vector<std::string> string_set(const Json& value, std::size_t max_items, std::string_view items,
                                    std::string_view item_rule, const std::string& where, Valid valid) {
    if (!value.is_array() || value.empty() || value.size() > max_items)
        reject(where, fmt::format("must be an array of 1 to {} {}", max_items, items));
    std::vector<std::string> out;
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& item = value[i];
        if (!item.is_string() || !valid(item.get_ref<const std::string&>()))
            reject(fmt::format("{}[{}]", where, i), fmt::format("must be {}", item_rule));
        if (!seen.insert(item.get<std::string>()).second) reject(fmt::format("{}[{}]", where, i), "is a duplicate");
        out.push_back(item.get<std::string>());
    }
    return out;
}

DelegationScope parse_scope(const Json& cert, const std::string& at) {
    const std::string scope_at = fmt::format("{}.scope", at);
    const auto& value = required(cert, "scope", at);
    if (!value.is_object()) reject(scope_at, "must be an object");
    reject_unknown_members(value, kScopeMembers, scope_at);
    DelegationScope scope;
    scope.steps = string_set(required(value, "steps", scope_at), kMaxScopeSteps, "step types",
                             "a step type ([a-z0-9_], 1 to 64 characters)", scope_at + ".steps", is_step_type);
    try {
        // The field name carries the colon so the message reads like every other reason here.
        scope.max_budget_nano =
            gns_from_json(required(value, "max_budget_gns", scope_at), fmt::format("{}.max_budget_gns:", scope_at));
    } catch (const core::ApiError& e) {
        throw core::ApiError("delegation_invalid", 403, e.message());
    }
    if (auto cells = value.find("h3_cells"); cells != value.end())
        scope.h3_cells =
            string_set(*cells, kMaxScopeCells, "H3 cells", "an H3 cell (15 lower-case hex digits)",
                       scope_at + ".h3_cells", [](std::string_view c) { return is_lower_hex(c, kH3CellHexLength); });
    return scope;
}

DelegationCert parse_cert(const Json& value, const std::string& at) {
    if (!value.is_object()) reject(at, "must be an object");
    reject_unknown_members(value, kCertMembers, at);
    DelegationCert cert;
    const auto& version = required(value, "version", at);
    if (!version.is_number() || version.get<double>() != kDelegationVersion) reject(at + ".version", "must be 1");
    cert.issuer = hex_member(value, "issuer", kKeyHexLength, at);
    cert.subject = hex_member(value, "subject", kKeyHexLength, at);
    cert.scope = parse_scope(value, at);
    cert.not_before = time_member(value, "not_before", at);
    cert.expires = time_member(value, "expires", at);
    cert.signature = hex_member(value, "signature", kSignatureHexLength, at);
    Json unsigned_cert = value;
    unsigned_cert.erase("signature");
    try {
        cert.signed_bytes = crypto::canonicalize(unsigned_cert);
    } catch (const crypto::JcsError& e) {
        reject(at, e.what());
    }
    return cert;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool within_any(const std::vector<std::string>& scope_cells, const std::string& cell, const CellWithin& cell_within) {
    return std::any_of(scope_cells.begin(), scope_cells.end(),
                       [&](const std::string& scope_cell) { return cell_within(scope_cell, cell); });
}

void check_signature(const DelegationCert& cert, const std::string& at) {
    const auto signature = crypto::from_hex(cert.signature);
    const auto issuer = crypto::from_hex(cert.issuer);
    if (!crypto::verify(cert.signed_bytes, *signature, *issuer))
        reject(at + ".signature", fmt::format("does not verify under {}.issuer over the JCS form of the cert", at));
}

void check_times(const DelegationCert& cert, const std::string& at, TimePoint now, std::chrono::seconds skew) {
    if (cert.not_before >= cert.expires) reject(at + ".not_before", "must be before expires");
    if (now + skew < cert.not_before)
        reject(at + ".not_before", fmt::format("not yet valid (valid from {})", format_rfc3339_utc(cert.not_before)));
    if (now - skew >= cert.expires)
        reject(at + ".expires", fmt::format("expired at {}", format_rfc3339_utc(cert.expires)));
}

// A child may keep or drop what its parent allows, never add to it.
void check_narrows(const DelegationScope& child, const DelegationScope& parent, const std::string& at,
                   const std::string& parent_at, const CellWithin& cell_within) {
    for (const auto& step : child.steps)
        if (!contains(parent.steps, step))
            reject(at + ".scope.steps",
                   fmt::format("step type '{}' is not in {}.scope.steps (scope widening)", step, parent_at));
    if (child.max_budget_nano > parent.max_budget_nano)
        reject(at + ".scope.max_budget_gns",
               fmt::format("{} exceeds {}.scope.max_budget_gns {} (scope widening)", gns_to_text(child.max_budget_nano),
                           parent_at, gns_to_text(parent.max_budget_nano)));
    if (!parent.h3_cells) return;
    if (!child.h3_cells)
        reject(at + ".scope.h3_cells",
               fmt::format("is required because {}.scope.h3_cells limits the area (scope widening)", parent_at));
    for (const auto& cell : *child.h3_cells)
        if (!within_any(*parent.h3_cells, cell, cell_within))
            reject(at + ".scope.h3_cells",
                   fmt::format("cell {} is not within {}.scope.h3_cells (scope widening)", cell, parent_at));
}

void check_request_in_scope(const DelegationRequest& request, const DelegationScope& scope, const std::string& last_at,
                            const CellWithin& cell_within) {
    for (std::size_t i = 0; i < request.step_types.size(); ++i)
        if (!contains(scope.steps, request.step_types[i]))
            reject(fmt::format("steps[{}].type", i),
                   fmt::format("'{}' is not allowed by {}.scope.steps", request.step_types[i], last_at));
    if (request.budget_nano > scope.max_budget_nano)
        reject("budget_gns", fmt::format("{} exceeds {}.scope.max_budget_gns {}", gns_to_text(request.budget_nano),
                                         last_at, gns_to_text(scope.max_budget_nano)));
    if (scope.h3_cells && !within_any(*scope.h3_cells, request.h3_cell, cell_within))
        reject("h3_cell", fmt::format("{} is not within {}.scope.h3_cells", request.h3_cell, last_at));
}

std::string to_lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
    return text;
}

}  // namespace

std::vector<DelegationCert> parse_delegation_chain(const nlohmann::json& chain, std::size_t max_length) {
    if (!chain.is_array()) reject("delegation", "must be an array of certificates");
    if (chain.empty()) reject("delegation", "must hold at least one certificate");
    if (chain.size() > max_length)
        reject("delegation", fmt::format("holds {} certificates; at most {} are allowed", chain.size(), max_length));
    std::vector<DelegationCert> certs;
    certs.reserve(chain.size());
    for (std::size_t i = 0; i < chain.size(); ++i) certs.push_back(parse_cert(chain[i], cert_at(i)));
    return certs;
}

DelegationOutcome check_delegation(const std::optional<nlohmann::json>& chain, const DelegationRequest& request,
                                   const DelegationPolicy& policy, const IsPrincipal& is_principal,
                                   const CellWithin& cell_within) {
    const std::string requester = to_lower(request.requester_pk);
    if (is_principal(requester)) return DelegationOutcome{requester, std::nullopt, 0};
    if (!chain || chain->is_null()) reject("delegation", "is required: requester_pk is not a registered principal");
    const auto certs = parse_delegation_chain(*chain, policy.max_chain_length);
    for (std::size_t i = 0; i < certs.size(); ++i) {
        const std::string at = cert_at(i);
        check_signature(certs[i], at);
        if (i == 0 && !is_principal(certs[0].issuer))
            reject(at + ".issuer", "is not a registered principal (or has been revoked)");
        if (i > 0 && certs[i].issuer != certs[i - 1].subject)
            reject(at + ".issuer", fmt::format("must equal {}.subject (broken link)", cert_at(i - 1)));
        check_times(certs[i], at, request.now, policy.clock_skew);
        if (i > 0) check_narrows(certs[i].scope, certs[i - 1].scope, at, cert_at(i - 1), cell_within);
    }
    const std::string last_at = cert_at(certs.size() - 1);
    if (certs.back().subject != requester) reject(last_at + ".subject", "must equal requester_pk");
    check_request_in_scope(request, certs.back().scope, last_at, cell_within);
    return DelegationOutcome{certs.front().issuer, certs.back().scope, certs.size()};
}

bool is_ed25519_public_key_hex(std::string_view hex) {
    const auto bytes = crypto::from_hex(hex);
    if (!bytes || bytes->size() != crypto_core_ed25519_BYTES) return false;
    crypto::init_sodium();
    return crypto_core_ed25519_is_valid_point(bytes->data()) == 1;
}

nlohmann::json make_delegation_cert(const crypto::KeyPair& issuer, const std::string& subject_hex,
                                    const DelegationScope& scope, TimePoint not_before, TimePoint expires) {
    if (not_before >= expires) throw std::invalid_argument("not_before must be before expires");
    Json scope_json = {{"steps", scope.steps}, {"max_budget_gns", gns_to_json(scope.max_budget_nano)}};
    if (scope.h3_cells) scope_json["h3_cells"] = *scope.h3_cells;
    Json cert = {{"version", kDelegationVersion},
                 {"issuer", crypto::to_hex(issuer.public_key.data(), issuer.public_key.size())},
                 {"subject", to_lower(subject_hex)},
                 {"scope", std::move(scope_json)},
                 {"not_before", format_rfc3339_utc(not_before)},
                 {"expires", format_rfc3339_utc(expires)}};
    const auto signature = crypto::sign(crypto::canonicalize(cert), issuer);
    cert["signature"] = crypto::to_hex(signature.data(), signature.size());
    try {
        parse_delegation_chain(Json::array({cert}), 1);
    } catch (const core::ApiError& e) {
        throw std::invalid_argument(e.message());
    }
    return cert;
}

}  // namespace forgehive::hive
