// RFC 8785 JSON Canonicalization Scheme (JCS): the canonical bytes that are hashed and signed, and a
// strict parser that refuses input whose canonical form would not faithfully represent it.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace forgehive::crypto {

// Containers nested deeper than this are refused by parse_strict and canonicalize, which bounds the
// recursion of canonicalize (DESIGN.md §5: every depth from a request is bounded).
inline constexpr int kJcsMaxDepth = 64;

// Raised for anything JCS cannot represent. pointer() is the RFC 6901 JSON Pointer of the offending
// value ("" for the whole document); the message names the problem and repeats the pointer.
class JcsError : public std::runtime_error {
public:
    JcsError(const std::string& message, const std::string& pointer);
    const std::string& pointer() const noexcept { return pointer_; }

private:
    std::string pointer_;
};

// The RFC 8785 canonical form: members sorted by the UTF-16 code units of their names, no whitespace,
// ECMAScript string escaping and number formatting. Integers are converted to IEEE-754 double first
// (I-JSON), so integers beyond 2^53 lose precision exactly as they would in JavaScript.
// Throws JcsError for NaN/Infinity, invalid UTF-8, binary values or nesting deeper than kJcsMaxDepth.
std::string canonicalize(const nlohmann::json& value);

// Parses JSON meant for canonicalization, rejecting what JCS cannot represent: duplicate member names,
// lone surrogates in \u escapes, invalid UTF-8, numbers that overflow to infinity, a leading byte
// order mark, and nesting deeper than kJcsMaxDepth. Throws JcsError naming the problem and location.
nlohmann::json parse_strict(std::string_view text);

// ECMAScript Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3): shortest round-trip
// digits, exponent form below 1e-6 and from 1e21, "-0" written "0". Throws JcsError for NaN/Infinity.
std::string format_number(double value);

}  // namespace forgehive::crypto
