// GNS amounts as exact integers of nano-GNS (1 GNS = 1e9 nGNS), so that budgets, prices and
// settlements add up exactly; conversion to and from JSON numbers and decimal text.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace forgehive::hive {

inline constexpr std::int64_t kNanoPerGns = 1'000'000'000;
// The largest amount accepted from a request or the command line: 1e6 GNS.
inline constexpr std::int64_t kMaxGnsNano = 1'000'000 * kNanoPerGns;

// A JSON number >= 0 with at most 9 decimal places and at most 1e6 GNS, read through its JCS
// (shortest round-trip) form so that 0.0043 gives exactly 4300000. Throws
// core::ApiError("invalid_request", 400, "<field> must be ...") naming the field and the rule.
std::int64_t gns_from_json(const nlohmann::json& value, const std::string& field);
// The same rules for decimal text such as "0.05" or "1e-3" (command line, config).
std::int64_t gns_from_text(std::string_view decimal, const std::string& field);

// The double nano/1e9, whose JCS form is the exact decimal (4300000 -> 0.0043); whole amounts come
// back as JSON integers (2000000000 -> 2) so that a plain dump prints "2", not "2.0".
nlohmann::json gns_to_json(std::int64_t nano);
// Plain decimal text without trailing zeros: 4300000 -> "0.0043", 2000000000 -> "2".
std::string gns_to_text(std::int64_t nano);

}  // namespace forgehive::hive
