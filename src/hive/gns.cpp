// Exact nano-GNS amounts. A JSON number is read through its JCS text (crypto::format_number), which is
// the shortest decimal that round-trips to the same double, so 0.0043 is read as the decimal 0.0043
// and never as the binary fraction the double actually holds.
#include "forgehive/hive/gns.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/jcs.hpp"

namespace forgehive::hive {
namespace {

constexpr int kNanoDigits = 9;
// kMaxGnsNano has 16 digits; a longer digit string (leading zeros stripped) is certainly too large.
constexpr std::size_t kMaxNanoDigits = 16;
// Exponents beyond this are either zero-ish or far above the maximum; bounding them bounds the
// zero-padding below.
constexpr int kMaxExponent = 400;

[[noreturn]] void fail(const std::string& field, std::string_view rule) {
    throw core::ApiError("invalid_request", 400, fmt::format("{} must be {}", field, rule));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::size_t count_digits(std::string_view s, std::size_t from) {
    std::size_t end = from;
    while (end < s.size() && is_digit(s[end])) ++end;
    return end - from;
}

struct Decimal {
    std::string digits;  // integer and fraction digits together
    int scale = 0;       // value = digits * 10^scale
};

// "12.5e-3" -> {"125", -4}. Only unsigned plain or exponent notation; nullopt for anything else.
std::optional<Decimal> split_decimal(std::string_view text) {
    Decimal out;
    std::size_t i = 0;
    const std::size_t int_digits = count_digits(text, i);
    if (int_digits == 0) return std::nullopt;
    out.digits.append(text.substr(i, int_digits));
    i += int_digits;
    if (i < text.size() && text[i] == '.') {
        const std::size_t frac_digits = count_digits(text, ++i);
        if (frac_digits == 0) return std::nullopt;
        out.digits.append(text.substr(i, frac_digits));
        out.scale -= static_cast<int>(frac_digits);
        i += frac_digits;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        int sign = 1;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) sign = text[i++] == '-' ? -1 : 1;
        const std::size_t exp_digits = count_digits(text, i);
        if (exp_digits == 0 || exp_digits > 3) return std::nullopt;
        int exponent = 0;
        std::from_chars(text.data() + i, text.data() + i + exp_digits, exponent);
        out.scale += sign * exponent;
        i += exp_digits;
    }
    if (i != text.size() || out.scale < -kMaxExponent || out.scale > kMaxExponent) return std::nullopt;
    return out;
}

std::int64_t nano_from_decimal(std::string_view text, const std::string& field) {
    auto decimal = split_decimal(text);
    if (!decimal) fail(field, "a plain decimal number of GNS such as 0.05");
    std::string digits = decimal->digits;
    int shift = decimal->scale + kNanoDigits;  // nano = digits * 10^shift
    while (shift < 0 && !digits.empty() && digits.back() == '0') {
        digits.pop_back();
        ++shift;
    }
    digits.erase(0, digits.find_first_not_of('0'));
    if (digits.empty()) return 0;
    if (shift < 0) fail(field, "a multiple of 1e-9 GNS (at most 9 decimal places)");
    if (digits.size() + static_cast<std::size_t>(shift) > kMaxNanoDigits) fail(field, "at most 1000000 GNS");
    digits.append(static_cast<std::size_t>(shift), '0');
    std::int64_t nano = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), nano);
    if (nano > kMaxGnsNano) fail(field, "at most 1000000 GNS");
    return nano;
}

}  // namespace

std::int64_t gns_from_json(const nlohmann::json& value, const std::string& field) {
    if (!value.is_number()) fail(field, "a number of GNS");
    if (value.is_number_unsigned()) return nano_from_decimal(std::to_string(value.get<std::uint64_t>()), field);
    if (value.is_number_integer()) {
        if (value.get<std::int64_t>() < 0) fail(field, ">= 0");
        return nano_from_decimal(std::to_string(value.get<std::int64_t>()), field);
    }
    const double d = value.get<double>();
    if (!std::isfinite(d)) fail(field, "a finite number of GNS");
    if (d < 0) fail(field, ">= 0");
    return nano_from_decimal(crypto::format_number(d), field);
}

std::int64_t gns_from_text(std::string_view decimal, const std::string& field) {
    if (!decimal.empty() && decimal.front() == '-') fail(field, ">= 0");
    return nano_from_decimal(decimal, field);
}

// |nano| <= 2^53 is exact as a double and the division is correctly rounded, so the result is the
// double nearest the decimal nano/1e9. That decimal has at most 15 significant digits when
// |nano| < 1e15 (and 1e15 itself is 1000000), and every decimal of up to 15 significant digits
// survives a round trip through double (DBL_DIG), so the shortest form printed by JCS is that decimal.
nlohmann::json gns_to_json(std::int64_t nano) {
    if (nano % kNanoPerGns == 0) return nano / kNanoPerGns;
    return static_cast<double>(nano) / static_cast<double>(kNanoPerGns);
}

std::string gns_to_text(std::int64_t nano) {
    const bool negative = nano < 0;
    // Magnitudes via unsigned arithmetic, so INT64_MIN does not overflow.
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(nano) : static_cast<std::uint64_t>(nano);
    const std::uint64_t whole = magnitude / kNanoPerGns;
    const std::uint64_t fraction = magnitude % kNanoPerGns;
    std::string text = fmt::format("{}{}", negative ? "-" : "", whole);
    if (fraction == 0) return text;
    std::string frac = fmt::format("{:09}", fraction);
    frac.erase(frac.find_last_not_of('0') + 1);
    return fmt::format("{}.{}", text, frac);
}

}  // namespace forgehive::hive
