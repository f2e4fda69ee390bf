// Unit tests for crypto secrets: random_hex (length, alphabet, uniqueness) and constant_time_equal.
#include "forgehive/crypto/secrets.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace forgehive::crypto {
namespace {

bool is_lower_hex(const std::string& text) {
    return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(RandomHex, LengthIsTwiceTheByteCount) {
    EXPECT_EQ(random_hex(0), "");
    EXPECT_EQ(random_hex(1).size(), 2u);
    EXPECT_EQ(random_hex(24).size(), 48u);
    EXPECT_EQ(random_hex(1000).size(), 2000u);
}

TEST(RandomHex, IsLowerCaseHexUsingEveryDigit) {
    auto text = random_hex(4096);
    EXPECT_TRUE(is_lower_hex(text));
    // 8192 random digits miss one of the sixteen with probability ~16 * (15/16)^8192, i.e. never.
    for (char digit : std::string("0123456789abcdef"))
        EXPECT_NE(text.find(digit), std::string::npos) << "digit " << digit << " never appears";
}

TEST(RandomHex, CallsDiffer) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(random_hex(16)).second);
}

TEST(InitSodium, IsIdempotent) {
    EXPECT_NO_THROW(init_sodium());
    EXPECT_NO_THROW(init_sodium());
}

TEST(ConstantTimeEqual, EqualStrings) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    std::string a(64, 'x');
    std::string b(64, 'x');
    EXPECT_TRUE(constant_time_equal(a, b));
}

TEST(ConstantTimeEqual, UnequalStrings) {
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "xbc"));
    EXPECT_FALSE(constant_time_equal("abc", "ABC"));
    // Bytes after an embedded NUL are compared too.
    EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
    EXPECT_TRUE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
}

TEST(ConstantTimeEqual, DifferentLengthsAreUnequal) {
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(constant_time_equal("abcd", "abc"));
    EXPECT_FALSE(constant_time_equal("", "a"));
}

TEST(ConstantTimeEqual, EmptyStringsAreEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal(std::string_view(), std::string_view()));
}

}  // namespace
}  // namespace forgehive::crypto
