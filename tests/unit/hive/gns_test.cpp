// Unit tests for exact nano-GNS amounts: JSON and text parsing, every rejection rule, and output whose
// JCS form is the exact decimal.
#include "forgehive/hive/gns.hpp"

#include <gtest/gtest.h>

#include <string>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/jcs.hpp"

namespace forgehive::hive {
namespace {

using nlohmann::json;

// The ApiError message for `value`, or "" when it is accepted.
std::string json_error(const json& value) {
    try {
        gns_from_json(value, "budget_gns");
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.code(), "invalid_request");
        EXPECT_EQ(e.http_status(), 400);
        return e.message();
    }
    return "";
}

std::string text_error(const std::string& text) {
    try {
        gns_from_text(text, "--max-budget");
    } catch (const core::ApiError& e) {
        return e.message();
    }
    return "";
}

TEST(GnsFromJson, DecimalsAreExact) {
    // 0.0043 is not representable in binary; the shortest form makes it exact.
    EXPECT_EQ(gns_from_json(json::parse("0.0043"), "f"), 4'300'000);
    EXPECT_EQ(gns_from_json(json::parse("0.1"), "f"), 100'000'000);
    EXPECT_EQ(gns_from_json(json::parse("0.3"), "f"), 300'000'000);
    EXPECT_EQ(gns_from_json(json::parse("0.000000001"), "f"), 1);
    EXPECT_EQ(gns_from_json(json::parse("1e-9"), "f"), 1);
    EXPECT_EQ(gns_from_json(json::parse("123456.789012345"), "f"), 123'456'789'012'345);
    EXPECT_EQ(gns_from_json(json::parse("2.50"), "f"), 2'500'000'000);
}

TEST(GnsFromJson, IntegersAndZero) {
    EXPECT_EQ(gns_from_json(json(0), "f"), 0);
    EXPECT_EQ(gns_from_json(json(3), "f"), 3 * kNanoPerGns);
    EXPECT_EQ(gns_from_json(json(3u), "f"), 3 * kNanoPerGns);
    EXPECT_EQ(gns_from_json(json(1'000'000), "f"), kMaxGnsNano);
    EXPECT_EQ(gns_from_json(json::parse("0.0"), "f"), 0);
    EXPECT_EQ(gns_from_json(json::parse("-0.0"), "f"), 0);
    EXPECT_EQ(gns_from_json(json::parse("1e6"), "f"), kMaxGnsNano);
}

TEST(GnsFromJson, RejectsNonNumbers) {
    EXPECT_EQ(json_error(json("0.1")), "budget_gns must be a number of GNS");
    EXPECT_EQ(json_error(json(true)), "budget_gns must be a number of GNS");
    EXPECT_EQ(json_error(json(nullptr)), "budget_gns must be a number of GNS");
    EXPECT_EQ(json_error(json::array({1})), "budget_gns must be a number of GNS");
}

TEST(GnsFromJson, RejectsNegative) {
    EXPECT_EQ(json_error(json(-1)), "budget_gns must be >= 0");
    EXPECT_EQ(json_error(json(-0.5)), "budget_gns must be >= 0");
}

TEST(GnsFromJson, RejectsMoreThanNineDecimals) {
    EXPECT_EQ(json_error(json::parse("0.0000000001")),
              "budget_gns must be a multiple of 1e-9 GNS (at most 9 decimal places)");
    EXPECT_EQ(json_error(json::parse("1.0000000005")),
              "budget_gns must be a multiple of 1e-9 GNS (at most 9 decimal places)");
    EXPECT_EQ(json_error(json::parse("5e-324")),
              "budget_gns must be a multiple of 1e-9 GNS (at most 9 decimal places)");
}

TEST(GnsFromJson, RejectsAboveMaximum) {
    EXPECT_EQ(json_error(json(1'000'001)), "budget_gns must be at most 1000000 GNS");
    EXPECT_EQ(json_error(json::parse("1000000.000000001")), "budget_gns must be at most 1000000 GNS");
    EXPECT_EQ(json_error(json::parse("1e300")), "budget_gns must be at most 1000000 GNS");
    EXPECT_EQ(json_error(json(std::uint64_t{18'446'744'073'709'551'615u})), "budget_gns must be at most 1000000 GNS");
}

TEST(GnsFromText, SameRulesAsJson) {
    EXPECT_EQ(gns_from_text("0.05", "f"), 50'000'000);
    EXPECT_EQ(gns_from_text("0.0043", "f"), 4'300'000);
    EXPECT_EQ(gns_from_text("12", "f"), 12 * kNanoPerGns);
    EXPECT_EQ(gns_from_text("5e-3", "f"), 5'000'000);
    EXPECT_EQ(gns_from_text("000.500", "f"), 500'000'000);
    EXPECT_EQ(text_error("-0.05"), "--max-budget must be >= 0");
    EXPECT_EQ(text_error("0.0000000001"), "--max-budget must be a multiple of 1e-9 GNS (at most 9 decimal places)");
    EXPECT_EQ(text_error("2000000"), "--max-budget must be at most 1000000 GNS");
}

TEST(GnsFromText, RejectsMalformedText) {
    for (const char* bad :
         {"", ".5", "5.", "+1", "0x10", "1,5", " 1", "1 ", "1e", "1e+", "1e1000", "nan", "inf", "1.2.3"})
        EXPECT_EQ(text_error(bad), "--max-budget must be a plain decimal number of GNS such as 0.05") << bad;
}

TEST(GnsToText, ExactDecimalWithoutTrailingZeros) {
    EXPECT_EQ(gns_to_text(0), "0");
    EXPECT_EQ(gns_to_text(4'300'000), "0.0043");
    EXPECT_EQ(gns_to_text(1), "0.000000001");
    EXPECT_EQ(gns_to_text(2 * kNanoPerGns), "2");
    EXPECT_EQ(gns_to_text(123'456'789'012'345), "123456.789012345");
    EXPECT_EQ(gns_to_text(-1'500'000'000), "-1.5");
    EXPECT_EQ(gns_to_text(INT64_MIN), "-9223372036.854775808");
}

TEST(GnsToJson, CanonicalFormIsTheExactDecimal) {
    EXPECT_EQ(crypto::canonicalize(gns_to_json(4'300'000)), "0.0043");
    EXPECT_EQ(crypto::canonicalize(gns_to_json(1)), "1e-9");
    EXPECT_EQ(gns_to_json(2 * kNanoPerGns).dump(), "2");
    EXPECT_EQ(gns_to_json(0).dump(), "0");
}

// The round trip that settlement relies on, over amounts with every count of significant digits, up
// to the maximum: nano -> JSON -> JCS text -> nano is the identity and the text is gns_to_text's.
TEST(GnsToJson, RoundTripsThroughJcs) {
    std::int64_t nano = 1;
    for (int digits = 1; digits <= 15; ++digits) {
        for (std::int64_t value : {nano, nano * 7 + 3, kMaxGnsNano - nano, kMaxGnsNano / 3 + nano}) {
            const auto value_json = gns_to_json(value);
            const auto text = crypto::canonicalize(value_json);
            EXPECT_EQ(gns_from_json(json::parse(text), "f"), value) << text;
            if (text.find('e') == std::string::npos) {
                EXPECT_EQ(text, gns_to_text(value));
            }
        }
        nano = nano * 10 + digits % 10;
    }
    EXPECT_EQ(crypto::canonicalize(gns_to_json(kMaxGnsNano)), "1000000");
}

}  // namespace
}  // namespace forgehive::hive
