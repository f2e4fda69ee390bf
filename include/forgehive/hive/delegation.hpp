// Gate 3 of /v1/compute: delegation certificates that link a registered human principal to the
// requesting key through an ordered chain, each scope narrowing its parent's (docs/hive-delegation.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/hive/rfc3339.hpp"

namespace forgehive::hive {

inline constexpr int kDelegationVersion = 1;
// Bounds on one certificate's scope, checked before anything is copied out of the request.
inline constexpr std::size_t kMaxScopeSteps = 32;
inline constexpr std::size_t kMaxStepTypeLength = 64;
inline constexpr std::size_t kMaxScopeCells = 64;  // a child is checked against each parent cell: 64x64 per link

struct DelegationScope {
    std::vector<std::string> steps;                     // allowed step types, unique
    std::int64_t max_budget_nano = 0;                   // the request's budget_gns may not exceed it
    std::optional<std::vector<std::string>> h3_cells;   // absent: anywhere
};

struct DelegationCert {
    int version = kDelegationVersion;
    std::string issuer;      // 64 lower-case hex: Ed25519 public key that signed this cert
    std::string subject;     // 64 lower-case hex: the key receiving the authority
    DelegationScope scope;
    TimePoint not_before;
    TimePoint expires;
    std::string signature;   // 128 lower-case hex
    std::string signed_bytes;  // RFC 8785 JCS of the cert object without "signature": what was signed
};

// Strict parse of a request's `delegation` member: an array of 1..max_length cert objects with exactly
// the documented members and types. Signatures, links and times are not checked here. Throws
// core::ApiError("delegation_invalid", 403, "delegation[1].expires: ...") naming the cert and rule.
std::vector<DelegationCert> parse_delegation_chain(const nlohmann::json& chain, std::size_t max_length);

struct DelegationRequest {
    std::string requester_pk;             // hex (either case); compared in lower case
    std::vector<std::string> step_types;  // the type of every step in the request
    std::int64_t budget_nano = 0;         // the request's budget_gns, explicit or default
    std::string h3_cell;                  // the request's h3_cell, explicit or default
    TimePoint now;
};

struct DelegationPolicy {
    std::size_t max_chain_length = 8;      // config hive.delegation_max_chain
    std::chrono::seconds clock_skew{60};   // config hive.clock_skew_s (shared with Gate 1)
};

// True when the lower-case hex key is a registered principal that is not revoked.
using IsPrincipal = std::function<bool(const std::string& pk_hex)>;
// True when `cell` is `scope_cell` or lies inside it (H3 containment, wired by the caller).
using CellWithin = std::function<bool(const std::string& scope_cell, const std::string& cell)>;

struct DelegationOutcome {
    std::string principal_pk;               // the principal the requester's authority comes from
    std::optional<DelegationScope> scope;   // the last cert's scope; nullopt: requester is a principal
    std::size_t chain_length = 0;           // 0 when the requester is a principal
};

// A requester that is a principal passes without a chain, and a chain it sends is ignored (its
// authority does not come from one). Anyone else needs a chain: every signature valid, cert 0 issued
// by a principal, each issuer the previous subject, the last subject the requester, every cert valid
// at `now` within the clock skew, each scope within its parent's, and the request within the last
// scope. Throws core::ApiError("delegation_invalid", 403, reason) naming the cert index and the rule.
DelegationOutcome check_delegation(const std::optional<nlohmann::json>& chain, const DelegationRequest& request,
                                   const DelegationPolicy& policy, const IsPrincipal& is_principal,
                                   const CellWithin& cell_within);

// True for 64 hex digits (either case) that decode to a canonical Ed25519 point of the main subgroup
// that is not of small order (libsodium crypto_core_ed25519_is_valid_point): a key worth registering.
bool is_ed25519_public_key_hex(std::string_view hex);

// A signed certificate as JSON (the wire form), for `forgehive delegate` and tests. Throws
// std::invalid_argument when the subject is not 64 hex digits or the scope breaks the bounds above.
nlohmann::json make_delegation_cert(const crypto::KeyPair& issuer, const std::string& subject_hex,
                                    const DelegationScope& scope, TimePoint not_before, TimePoint expires);

}  // namespace forgehive::hive
