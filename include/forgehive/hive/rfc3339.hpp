// RFC 3339 timestamps in UTC ("2025-06-01T12:00:00Z", optional fraction up to nanoseconds), as used
// by delegation certificates and signed request times.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace forgehive::hive {

using TimePoint = std::chrono::system_clock::time_point;

// Accepts only "YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z" (upper-case T and Z, no offsets, no leap second), a
// real calendar date with a year from 1970 to 2261 (the nanosecond clock ends in 2262). Anything
// else gives nullopt.
std::optional<TimePoint> parse_rfc3339_utc(std::string_view text);
// The inverse: seconds always, a fraction only when non-zero (trailing zeros dropped).
std::string format_rfc3339_utc(TimePoint time);

}  // namespace forgehive::hive
