// Unit tests for RFC 3339 UTC timestamps: accepted spellings, rejected ones, and formatting.
#include "forgehive/hive/rfc3339.hpp"

#include <gtest/gtest.h>

namespace forgehive::hive {
namespace {

using namespace std::chrono;

TEST(Rfc3339, ParsesSecondsAndFractions) {
    const auto t = parse_rfc3339_utc("2025-06-01T12:34:56Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(duration_cast<seconds>(t->time_since_epoch()).count(), 1'748'781'296);
    const auto f = parse_rfc3339_utc("2025-06-01T12:34:56.25Z");
    ASSERT_TRUE(f);
    EXPECT_EQ(*f - *t, milliseconds{250});
    const auto n = parse_rfc3339_utc("1970-01-01T00:00:00.000000001Z");
    ASSERT_TRUE(n);
    EXPECT_EQ(duration_cast<nanoseconds>(n->time_since_epoch()).count(), 1);
}

TEST(Rfc3339, LeapDay) {
    EXPECT_TRUE(parse_rfc3339_utc("2024-02-29T00:00:00Z"));
    EXPECT_FALSE(parse_rfc3339_utc("2025-02-29T00:00:00Z"));
    EXPECT_FALSE(parse_rfc3339_utc("2100-02-29T00:00:00Z"));
}

TEST(Rfc3339, RejectsOtherSpellings) {
    for (const char* bad :
         {"", "2025-06-01", "2025-06-01T12:34:56", "2025-06-01T12:34:56+00:00", "2025-06-01t12:34:56z",
          "2025-06-01 12:34:56Z", "2025-13-01T00:00:00Z", "2025-06-31T00:00:00Z", "2025-06-01T24:00:00Z",
          "2025-06-01T12:60:00Z", "2016-12-31T23:59:60Z", "2025-06-01T12:34:56.Z", "2025-06-01T12:34:56.1234567890Z",
          "1969-12-31T23:59:59Z", "2262-06-01T00:00:00Z", "+2025-06-01T12:34:56Z", "2025-6-01T12:34:56Z",
          "2025-06-01T12:34:56ZZ", "2025-06-01T12:34:5xZ"})
        EXPECT_FALSE(parse_rfc3339_utc(bad)) << bad;
}

TEST(Rfc3339, FormatsAndRoundTrips) {
    for (const char* text : {"2025-06-01T12:34:56Z", "2025-06-01T12:34:56.25Z", "1970-01-01T00:00:00.000000001Z",
                             "2261-12-31T23:59:59.999999999Z"}) {
        const auto t = parse_rfc3339_utc(text);
        ASSERT_TRUE(t) << text;
        EXPECT_EQ(format_rfc3339_utc(*t), text);
    }
    EXPECT_EQ(format_rfc3339_utc(*parse_rfc3339_utc("2025-06-01T12:34:56.500Z")), "2025-06-01T12:34:56.5Z");
}

}  // namespace
}  // namespace forgehive::hive
