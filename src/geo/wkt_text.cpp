// Recognising WKT text (OGC 06-103r4 §7, Simple Features WKT) and checking its outline before GEOS.
#include "wkt_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "forgehive/geo/geometry_validator.hpp"

namespace forgehive::geo {
namespace {

constexpr std::array<std::string_view, 8> kKeywords = {
    "POINT", "LINESTRING", "LINEARRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
    "GEOMETRYCOLLECTION"};
constexpr std::array<std::string_view, 3> kDimensionTags = {"Z", "M", "ZM"};
constexpr std::string_view kSridPrefix = "SRID=";
constexpr std::string_view kWgs84Srid = "4326";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::size_t skip_spaces(std::string_view text, std::size_t i) {
    while (i < text.size() && is_space(text[i])) ++i;
    return i;
}

// The run of letters at i, upper-cased; i moves past it.
std::string read_word(std::string_view text, std::size_t& i) {
    std::string word;
    while (i < text.size() && is_letter(text[i])) word += upper(text[i++]);
    return word;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) { return upper(a) == upper(b); });
}

bool is_one_of(std::string_view word, auto const& words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

// `i` if the text there is "(" or the word EMPTY.
std::optional<std::size_t> open_or_empty(std::string_view text, std::size_t i) {
    if (i < text.size() && text[i] == '(') return i;
    std::size_t end = i;
    if (read_word(text, end) == "EMPTY") return i;
    return std::nullopt;
}

// Offset of the "(" or the word EMPTY that follows "KEYWORD [Z|M|ZM]" at `from`, if the text has
// that shape.
std::optional<std::size_t> geometry_text_start(std::string_view text, std::size_t from) {
    std::size_t i = skip_spaces(text, from);
    if (!is_one_of(read_word(text, i), kKeywords)) return std::nullopt;
    i = skip_spaces(text, i);
    if (const auto start = open_or_empty(text, i)) return start;
    if (!is_one_of(read_word(text, i), kDimensionTags)) return std::nullopt;
    return open_or_empty(text, skip_spaces(text, i));
}

// Where the geometry text starting at `start` ends: after EMPTY, or after the ")" closing the first
// "(" (the text's end when they never close: GEOS reports that itself); or a problem on deep nesting.
std::variant<std::size_t, std::string> geometry_text_end(std::string_view text, std::size_t start,
                                                         std::int64_t max_parentheses) {
    if (text[start] != '(') return start + std::string_view("EMPTY").size();
    std::int64_t depth = 0;
    for (std::size_t i = start; i < text.size(); ++i) {
        if (text[i] == '(' && ++depth > max_parentheses)
            return fmt::format("WKT nests parentheses deeper than {} levels", max_parentheses);
        if (text[i] == ')' && --depth == 0) return i + 1;
    }
    return text.size();
}

}  // namespace

bool is_wkt_text(std::string_view text) {
    const std::size_t i = skip_spaces(text, 0);
    return starts_with_nocase(text.substr(i), kSridPrefix) || geometry_text_start(text, i).has_value();
}

std::variant<std::size_t, std::string> wkt_body_offset(std::string_view text) {
    const std::size_t i = skip_spaces(text, 0);
    if (!starts_with_nocase(text.substr(i), kSridPrefix)) return std::size_t{0};
    const std::size_t digits = i + kSridPrefix.size();
    const std::size_t semicolon = text.find(';', digits);
    if (semicolon == std::string_view::npos)
        return std::string("Invalid EWKT: expected \"SRID=4326;\" before the geometry");
    const std::string_view srid = text.substr(digits, semicolon - digits);
    if (srid != kWgs84Srid)
        return fmt::format("Unsupported SRID '{}': coordinates must be WGS 84 longitude/latitude (SRID=4326)",
                           srid.substr(0, 16));
    return semicolon + 1;
}

std::optional<std::string> wkt_text_problem(std::string_view text, std::size_t body, std::int64_t max_parentheses) {
    if (text.find('\0') != std::string_view::npos) return std::string("Invalid WKT: the text contains a NUL character");
    const auto start = geometry_text_start(text, body);
    if (!start) return std::nullopt;
    const auto end = geometry_text_end(text, *start, max_parentheses);
    if (const auto* problem = std::get_if<std::string>(&end)) return *problem;
    const std::size_t rest = skip_spaces(text, std::get<std::size_t>(end));
    if (rest < text.size()) return fmt::format("Invalid WKT: unexpected text after the geometry at offset {}", rest);
    return std::nullopt;
}

}  // namespace forgehive::geo
