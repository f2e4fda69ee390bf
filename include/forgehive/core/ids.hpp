// Identifiers: ULIDs for jobs and requests (https://github.com/ulid/spec), and the rule for
// accepting a caller's X-Request-Id.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace forgehive::core {

// 26-character Crockford base32 ULID: 48-bit Unix milliseconds, then 80 random bits (libsodium).
std::string new_ulid();
std::string ulid_at(std::chrono::system_clock::time_point time, const unsigned char (&random)[10]);

// RFC 9562 version 4 UUID in its 36-character lower-case form (Hive job ids, as in the seed).
std::string new_uuid_v4();
std::string uuid_v4_from(const unsigned char (&random)[16]);

// A caller's request id is echoed only when it is 1..128 characters of [A-Za-z0-9._:-];
// anything else is replaced by a generated id, so it is always safe to log.
bool is_acceptable_request_id(std::string_view id);

}  // namespace forgehive::core
