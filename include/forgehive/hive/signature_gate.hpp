// Gate 1 of /v1/compute: the Ed25519 signature over the RFC 8785 (JCS) canonical request without its
// `signature` member, and the optional signed freshness members `issued_at` and `nonce`.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "forgehive/hive/rfc3339.hpp"

namespace forgehive::hive {

struct SignatureOptions {
    bool require_freshness = false;       // config hive.require_issued_at: issued_at and nonce mandatory
    std::chrono::seconds clock_skew{300};  // config hive.clock_skew_s: |now - issued_at| allowed
};

struct SignedRequest {
    nlohmann::json body;       // strictly parsed (parse_strict): no duplicate keys, lone surrogates, ...
    std::string signature;     // 128 lower-case hex digits
    std::string requester_pk;  // 64 lower-case hex digits
    std::string signed_bytes;  // the JCS canonical request without `signature`
};

// `header_signature` is the X-GNS-Signature header ("" when absent); the body's `signature` member is
// the alternative. Throws core::ApiError: 400 invalid_request for a body that is not a JSON object JCS
// can represent; 401 signature_required when neither carries a signature; 401 signature_invalid for a
// malformed or disagreeing signature, a missing or malformed requester_pk, a signature that does not
// verify, or issued_at/nonce outside the rules.
SignedRequest check_signature(std::string_view body_text, std::string_view header_signature,
                              const SignatureOptions& options, TimePoint now);

}  // namespace forgehive::hive
