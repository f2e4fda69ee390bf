// H3 cell index text form, validation and hierarchy (https://h3geo.org/docs/library/index/cell).
#include "forgehive/geo/h3.hpp"

#include "h3_bits.hpp"
#include "h3_tables.hpp"

#include <fmt/format.h>

namespace forgehive::geo {
namespace {

constexpr std::size_t kCellHexDigits = 15;
// H3 direction digit 1: the K axis, the direction a pentagon lacks.
constexpr int kKAxisDigit = 1;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

[[noreturn]] void fail(const std::string& rule) { throw H3Error(fmt::format("h3_cell: {}", rule)); }

void validate_digits(std::uint64_t cell, int res) {
    for (int r = 1; r <= kH3MaxResolution; ++r) {
        const int d = h3_bits::digit(cell, r);
        if (r <= res && d == h3_bits::kUnusedDigit) fail(fmt::format("digit 7 at resolution {} (used digits are 0..6)", r));
        if (r > res && d != h3_bits::kUnusedDigit) {
            fail(fmt::format("digit {} at resolution {} beyond the cell's resolution {} (must be 7)", d, r, res));
        }
    }
}

// A pentagon has five children directions: indexes whose first non-zero digit is the K axis
// would name cells that do not exist.
void validate_pentagon(std::uint64_t cell) {
    if (!h3_tables::kBaseCells[static_cast<std::size_t>(h3_bits::base_cell(cell))].pentagon) return;
    if (h3_bits::leading_non_zero_digit(cell) == kKAxisDigit) {
        fail(fmt::format("index in the deleted subsequence of a pentagon (base cell {}: first non-zero digit 1)",
                         h3_bits::base_cell(cell)));
    }
}

}  // namespace

void validate_h3_cell(std::uint64_t cell) {
    if ((cell >> 63) != 0) fail("reserved high bit must be 0");
    if (h3_bits::mode(cell) != h3_bits::kCellMode) fail(fmt::format("mode must be 1 (cell), got {}", h3_bits::mode(cell)));
    if (h3_bits::reserved_bits(cell) != 0) fail("reserved mode bits must be 0 for a cell");
    const int base_cell = h3_bits::base_cell(cell);
    if (base_cell >= h3_bits::kBaseCellCount) fail(fmt::format("base cell {} out of range 0..121", base_cell));
    validate_digits(cell, h3_bits::resolution(cell));
    validate_pentagon(cell);
}

std::uint64_t parse_h3_cell(std::string_view text) {
    if (text.size() != kCellHexDigits) fail("must be 15 lower-case hex digits");
    std::uint64_t cell = 0;
    for (const char c : text) {
        const int v = hex_value(c);
        if (v < 0) fail("must be 15 lower-case hex digits");
        cell = (cell << 4) | static_cast<std::uint64_t>(v);
    }
    validate_h3_cell(cell);
    return cell;
}

std::string format_h3_cell(std::uint64_t cell) { return fmt::format("{:015x}", cell); }

int h3_resolution(std::uint64_t cell) { return h3_bits::resolution(cell); }

std::uint64_t cell_to_parent(std::uint64_t cell, int parent_res) {
    validate_h3_cell(cell);
    const int res = h3_bits::resolution(cell);
    if (parent_res < 0 || parent_res > res) {
        throw H3Error(fmt::format("h3 parent resolution {} outside 0..{}", parent_res, res));
    }
    std::uint64_t parent = h3_bits::with_resolution(cell, parent_res);
    for (int r = parent_res + 1; r <= res; ++r) parent = h3_bits::with_digit(parent, r, h3_bits::kUnusedDigit);
    return parent;
}

bool cell_contains(std::uint64_t ancestor, std::uint64_t cell) {
    validate_h3_cell(ancestor);
    const int res = h3_bits::resolution(ancestor);
    return res <= h3_bits::resolution(cell) && cell_to_parent(cell, res) == ancestor;
}

}  // namespace forgehive::geo
