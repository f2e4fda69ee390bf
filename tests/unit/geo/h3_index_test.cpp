// Unit tests for H3 index parsing, validation (each rule) and the parent hierarchy.
#include "forgehive/geo/h3.hpp"

#include <gtest/gtest.h>

#include <string>

namespace forgehive::geo {
namespace {

constexpr std::uint64_t kRome = 0x871e8052affffffULL;
constexpr std::uint64_t kPalermo = 0x871e9a0ecffffffULL;

std::string rule_of(std::string_view text) {
    try {
        parse_h3_cell(text);
    } catch (const H3Error& e) {
        return e.what();
    }
    return "";
}

TEST(H3Index, ParsesAndFormatsRomeAndPalermo) {
    EXPECT_EQ(parse_h3_cell("871e8052affffff"), kRome);
    EXPECT_EQ(parse_h3_cell("871e9a0ecffffff"), kPalermo);
    EXPECT_EQ(format_h3_cell(kRome), "871e8052affffff");
    EXPECT_EQ(h3_resolution(kRome), 7);
}

TEST(H3Index, ParsesEveryBaseCellAndTheFinestResolution) {
    for (std::uint64_t bc = 0; bc < 122; ++bc) {
        const std::uint64_t cell = 0x8001fffffffffffULL | (bc << 45);
        EXPECT_EQ(parse_h3_cell(format_h3_cell(cell)), cell);
        EXPECT_EQ(h3_resolution(cell), 0);
    }
    EXPECT_EQ(h3_resolution(parse_h3_cell("8f1e8052a000000")), 15);
}

TEST(H3Index, RejectsTextThatIsNotFifteenLowerCaseHexDigits) {
    for (const char* text : {"", "871e8052afffff", "871e8052affffff0", "871E8052AFFFFFF", "871e8052afffffg",
                             " 871e8052affffff", "0x71e8052afffff"}) {
        EXPECT_NE(rule_of(text).find("must be 15 lower-case hex digits"), std::string::npos) << text;
    }
}

TEST(H3Index, NamesTheRuleBroken) {
    // Mode 2 (directed edge) with otherwise valid fields.
    EXPECT_NE(rule_of("1171e8052affffff").find("must be 15"), std::string::npos);
    EXPECT_NE(rule_of("971e8052affffff").find("reserved mode bits"), std::string::npos);
    EXPECT_NE(rule_of("071e8052affffff").find("mode must be 1 (cell), got 0"), std::string::npos);
    EXPECT_NE(rule_of("80f5fffffffffff").find("base cell 122 out of range 0..121"), std::string::npos);
    EXPECT_NE(rule_of("831e38fffffffff").find("digit 7 at resolution 2"), std::string::npos);
    EXPECT_EQ(rule_of("871e8052afffff0"), "h3_cell: digit 6 at resolution 14 beyond the cell's resolution 7 (must be 7)");
    // Base cell 4 is a pentagon: a first non-zero digit of 1 is its deleted subsequence.
    EXPECT_NE(rule_of("81087ffffffffff").find("deleted subsequence of a pentagon"), std::string::npos);
    EXPECT_EQ(rule_of("8108fffffffffff"), "");
    EXPECT_NE(rule_of("830808fffffffff").find("deleted subsequence"), std::string::npos);
    EXPECT_EQ(rule_of("830800fffffffff"), "");
}

TEST(H3Index, ValidatesRawIndexesToo) {
    EXPECT_NO_THROW(validate_h3_cell(kRome));
    EXPECT_THROW(validate_h3_cell(kRome | (1ULL << 63)), H3Error);
    EXPECT_THROW(validate_h3_cell(0), H3Error);
}

TEST(H3Index, ParentsAndContainment) {
    EXPECT_EQ(cell_to_parent(kRome, 7), kRome);
    EXPECT_EQ(format_h3_cell(cell_to_parent(kRome, 0)), "801ffffffffffff");
    EXPECT_EQ(format_h3_cell(cell_to_parent(kRome, 5)), "851e8053fffffff");
    EXPECT_THROW(cell_to_parent(kRome, 8), H3Error);
    EXPECT_THROW(cell_to_parent(kRome, -1), H3Error);
    EXPECT_TRUE(cell_contains(kRome, kRome));
    EXPECT_TRUE(cell_contains(cell_to_parent(kRome, 3), kRome));
    EXPECT_FALSE(cell_contains(kRome, cell_to_parent(kRome, 3)));
    EXPECT_FALSE(cell_contains(cell_to_parent(kPalermo, 5), kRome));
    EXPECT_TRUE(cell_contains(cell_to_parent(kPalermo, 1), kRome));
}

}  // namespace
}  // namespace forgehive::geo
