// Token issuing and bearer authentication.
#include "forgehive/gateway/tokens.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <strings.h>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/secrets.hpp"

namespace forgehive::gateway {
namespace {

constexpr std::string_view kScheme = "Bearer ";
constexpr std::string_view kTokenTag = "fpak_";
constexpr std::size_t kPrefixHex = 12;
constexpr std::size_t kSecretHex = 36;

core::ApiError unauthorized(std::string message) { return {"unauthorized", 401, std::move(message)}; }

bool is_lower_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

void validate_project_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 64 && name[0] != '-' && name[0] != '_' &&
              std::all_of(name.begin(), name.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
              });
    if (!ok)
        throw core::ApiError("invalid_request", 400,
                             fmt::format("project name '{}' must be 1-64 characters of [a-z0-9_-] starting with a "
                                         "letter or digit",
                                         name));
}

IssuedToken issue_token(store::Store& store, const std::string& project_name, std::int64_t grant_credits) {
    if (grant_credits < 0) throw core::ApiError("invalid_request", 400, "credits must be >= 0");
    auto project = store.find_project(project_name);
    if (!project)
        throw store::StoreError(store::StoreError::Kind::not_found, fmt::format("no project named '{}'", project_name));
    std::string token = std::string(kTokenTag) + crypto::random_hex((kPrefixHex + kSecretHex) / 2);
    store::NewToken row{project->id, token.substr(kTokenTag.size(), kPrefixHex), crypto::sha256_hex(token),
                        grant_credits};
    return IssuedToken{token, store.insert_token(row)};
}

Caller authenticate(store::Store& store, std::string_view authorization) {
    if (authorization.empty()) throw unauthorized("missing Authorization header (expected 'Bearer fpak_...')");
    // RFC 9110 §11.1: the scheme name is case-insensitive.
    if (authorization.size() < kScheme.size() ||
        ::strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0)
        throw unauthorized("Authorization header must use the Bearer scheme");
    auto token = authorization.substr(kScheme.size());
    if (token.size() != kTokenTag.size() + kPrefixHex + kSecretHex || token.substr(0, kTokenTag.size()) != kTokenTag ||
        !is_lower_hex(token.substr(kTokenTag.size())))
        throw unauthorized("malformed bearer token (expected fpak_ followed by 48 lower-case hex digits)");
    auto record = store.find_token_by_prefix(std::string(token.substr(kTokenTag.size(), kPrefixHex)));
    if (!record || !crypto::constant_time_equal(crypto::sha256_hex(token), record->hash_hex))
        throw unauthorized("unknown bearer token");
    if (record->revoked_at) throw unauthorized("bearer token has been revoked");
    return Caller{record->project_id, record->project_name, record->id, record->prefix};
}

}  // namespace forgehive::gateway
