// Gate 1: signature verification (seed: "Signature verification — Ed25519 signature over canonical
// request JSON"; DESIGN.md §5: libsodium's strict verification, JCS per RFC 8785).
#include "forgehive/hive/signature_gate.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/crypto/hex.hpp"
#include "forgehive/crypto/jcs.hpp"

namespace forgehive::hive {
namespace {

using core::ApiError;

[[noreturn]] void invalid_signature(std::string detail) { throw ApiError("signature_invalid", 401, std::move(detail)); }

nlohmann::json parse_body(std::string_view text) {
    nlohmann::json body;
    try {
        body = crypto::parse_strict(text);
    } catch (const crypto::JcsError& e) {
        throw ApiError("invalid_request", 400, fmt::format("request body is not JSON that RFC 8785 can canonicalize: {}", e.what()));
    }
    if (!body.is_object()) throw ApiError("invalid_request", 400, "request body must be a JSON object");
    return body;
}

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The signature from the header or the body; both present must agree.
std::string signature_of(const nlohmann::json& body, std::string_view header) {
    std::string from_body;
    if (body.contains("signature")) {
        if (!body["signature"].is_string()) invalid_signature("field 'signature' must be a string of 128 hex digits");
        from_body = body["signature"].get<std::string>();
    }
    if (header.empty() && from_body.empty())
        throw ApiError("signature_required", 401, "X-GNS-Signature header is required");
    auto chosen = header.empty() ? std::string_view(from_body) : header;
    if (chosen.size() != 128 || !is_hex(chosen))
        invalid_signature(fmt::format("{} must be 128 hex digits (an Ed25519 signature)",
                                      header.empty() ? "field 'signature'" : "X-GNS-Signature"));
    if (!header.empty() && !from_body.empty() && lower(header) != lower(from_body))
        invalid_signature("X-GNS-Signature and the body's 'signature' differ");
    return lower(chosen);
}

std::string requester_of(const nlohmann::json& body) {
    if (!body.contains("requester_pk")) invalid_signature("field 'requester_pk' is required to verify the signature");
    const auto& pk = body["requester_pk"];
    if (!pk.is_string() || pk.get<std::string>().size() != 64 || !is_hex(pk.get<std::string>()))
        invalid_signature("field 'requester_pk' must be 64 hex digits (an Ed25519 public key)");
    return pk.get<std::string>();
}

void check_freshness(const nlohmann::json& body, const SignatureOptions& options, TimePoint now) {
    bool has_time = body.contains("issued_at");
    bool has_nonce = body.contains("nonce");
    if (options.require_freshness && (!has_time || !has_nonce))
        invalid_signature("fields 'issued_at' and 'nonce' are required by this server (hive.require_issued_at)");
    if (!has_time) return;
    const auto& value = body["issued_at"];
    auto issued = value.is_string() ? parse_rfc3339_utc(value.get<std::string>()) : std::nullopt;
    if (!issued) invalid_signature("field 'issued_at' must be an RFC 3339 UTC time such as 2026-11-24T10:00:00Z");
    auto skew = std::chrono::abs(std::chrono::duration_cast<std::chrono::seconds>(now - *issued));
    if (skew > options.clock_skew)
        invalid_signature(fmt::format("field 'issued_at' is {} s from the server's clock; at most {} s is allowed",
                                      skew.count(), options.clock_skew.count()));
}

}  // namespace

SignedRequest check_signature(std::string_view body_text, std::string_view header_signature,
                              const SignatureOptions& options, TimePoint now) {
    SignedRequest out;
    out.body = parse_body(body_text);
    out.signature = signature_of(out.body, header_signature);
    out.requester_pk = requester_of(out.body);
    auto unsigned_body = out.body;
    unsigned_body.erase("signature");
    out.signed_bytes = crypto::canonicalize(unsigned_body);
    auto signature = crypto::from_hex(out.signature);
    auto key = crypto::from_hex(out.requester_pk);
    if (!crypto::verify(out.signed_bytes, *signature, *key))
        invalid_signature("signature does not verify: Ed25519 by requester_pk over the RFC 8785 canonical request "
                          "without 'signature' (wrong key, or the request was changed after signing)");
    out.requester_pk = lower(out.requester_pk);
    check_freshness(out.body, options, now);
    return out;
}

}  // namespace forgehive::hive
