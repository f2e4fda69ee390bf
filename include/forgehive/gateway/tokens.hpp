// Project API tokens: issuing (shown once) and bearer authentication. A token is
// "fpak_" + 12 hex (public prefix, the lookup key) + 36 hex (secret): 192 random bits in all.
// Only SHA-256 of the whole token is stored; it is compared in constant time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "forgehive/store/store.hpp"

namespace forgehive::gateway {

struct IssuedToken {
    std::string token;  // the only time the plaintext exists outside the caller's hands
    store::ApiToken record;
};

// The authenticated caller of a Forge request.
struct Caller {
    std::int64_t project_id = 0;
    std::string project_name;
    std::int64_t token_id = 0;
    std::string token_prefix;
};

// Throws store::StoreError(not_found) for an unknown project; credits must be >= 0.
IssuedToken issue_token(store::Store& store, const std::string& project_name, std::int64_t grant_credits);

// `authorization` is the raw Authorization header value. Missing, malformed, unknown or revoked
// tokens throw core::ApiError("unauthorized", 401) with a message saying which.
Caller authenticate(store::Store& store, std::string_view authorization);

// Project names: 1..64 of [a-z0-9_-], starting with a letter or digit. Throws ApiError(invalid_request).
void validate_project_name(const std::string& name);

}  // namespace forgehive::gateway
