// Unit tests for core ids: ULID encoding (spec vectors, Crockford base32), UUIDv4 bits and the X-Request-Id acceptance rule.
#include "forgehive/core/ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

namespace forgehive::core {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::chrono::system_clock::time_point at_ms(std::int64_t ms) {
    return std::chrono::system_clock::time_point{std::chrono::milliseconds{ms}};
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Decodes the 10-character timestamp part of a ULID.
std::int64_t decode_time(const std::string& ulid) {
    std::int64_t ms = 0;
    for (std::size_t i = 0; i < 10; ++i) ms = ms * 32 + static_cast<std::int64_t>(kCrockford.find(ulid[i]));
    return ms;
}

constexpr unsigned char kZeros[10] = {};
constexpr unsigned char kOnes[10] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

TEST(Ulid, SpecTimestampVector) {
    // https://github.com/ulid/spec: 01ARYZ6S41TSV4RRFFQ69G5FAV has timestamp 1469918176385.
    auto ulid = ulid_at(at_ms(1469918176385), kZeros);
    ASSERT_EQ(ulid.size(), 26u);
    EXPECT_EQ(ulid.substr(0, 10), "01ARYZ6S41");
}

TEST(Ulid, TimestampExtremes) {
    EXPECT_EQ(ulid_at(at_ms(0), kZeros), std::string(26, '0'));
    EXPECT_EQ(ulid_at(at_ms(1), kZeros).substr(0, 10), "0000000001");
    EXPECT_EQ(ulid_at(at_ms(32), kZeros).substr(0, 10), "0000000010");
    // Year 2255, near the end of what system_clock's nanosecond time_point can hold (the 48-bit ULID
    // maximum, "7ZZZZZZZZZ" in year 10889, is beyond it).
    EXPECT_EQ(ulid_at(at_ms(9'000'000'000'000), kZeros).substr(0, 10), "085XWWV400");
}

TEST(Ulid, RandomPartAllZeroAndAllOnes) {
    auto zeros = ulid_at(at_ms(1469918176385), kZeros);
    EXPECT_EQ(zeros.substr(10), std::string(16, '0'));
    auto ones = ulid_at(at_ms(1469918176385), kOnes);
    EXPECT_EQ(ones.substr(10), "ZZZZZZZZZZZZZZZZ");
    EXPECT_EQ(ones.substr(0, 10), "01ARYZ6S41");
}

TEST(Ulid, RandomPartIsBigEndianBase32) {
    // Expected values computed independently as the 80-bit big-endian integer in Crockford base32.
    const unsigned char top_bit[10] = {0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(ulid_at(at_ms(0), top_bit).substr(10), "G000000000000000");
    const unsigned char counting[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    EXPECT_EQ(ulid_at(at_ms(0), counting).substr(10), "000G40R40M30E209");
    const unsigned char mixed[10] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23};
    EXPECT_EQ(ulid_at(at_ms(0), mixed).substr(10), "04HMASW9NF6YY093");
}

TEST(Ulid, SortsByTime) {
    EXPECT_LT(ulid_at(at_ms(1000), kOnes), ulid_at(at_ms(1001), kZeros));
}

TEST(Ulid, NewUlidIsCrockfordBase32WithCurrentTime) {
    auto before = now_ms();
    auto a = new_ulid();
    auto b = new_ulid();
    auto after = now_ms();
    for (const auto& ulid : {a, b}) {
        ASSERT_EQ(ulid.size(), 26u);
        for (char c : ulid) EXPECT_NE(kCrockford.find(c), std::string_view::npos) << ulid;
        EXPECT_LE(ulid[0], '7') << "timestamp exceeds 48 bits: " << ulid;
        auto t = decode_time(ulid);
        EXPECT_GE(t, before);
        EXPECT_LE(t, after);
    }
    EXPECT_NE(a, b);
    // 80 random bits: the random parts differ as well, not just the time.
    EXPECT_NE(a.substr(10), b.substr(10));
}

TEST(RequestId, EmptyAndTooLongAreRejected) {
    EXPECT_FALSE(is_acceptable_request_id(""));
    EXPECT_TRUE(is_acceptable_request_id("a"));
    EXPECT_TRUE(is_acceptable_request_id(std::string(128, 'a')));
    EXPECT_FALSE(is_acceptable_request_id(std::string(129, 'a')));
}

TEST(RequestId, AcceptsTheSafeCharacterSet) {
    EXPECT_TRUE(is_acceptable_request_id("Abc-09._:xyz"));
    EXPECT_TRUE(is_acceptable_request_id("01ARYZ6S41TSV4RRFFQ69G5FAV"));
    EXPECT_TRUE(is_acceptable_request_id("req:2024-01-01.trace_id-7"));
}

TEST(RequestId, RejectsUnsafeCharacters) {
    for (const char* id : {"a b", "a\nb", "a\rb", "a\"b", "a'b", "a/b", "a\\b", "a%20", "a{b}", "a\tb", "caf\xc3\xa9"})
        EXPECT_FALSE(is_acceptable_request_id(id)) << id;
    EXPECT_FALSE(is_acceptable_request_id(std::string_view("a\0b", 3)));
}

TEST(RequestId, EverySingleByteFollowsTheRule) {
    for (int byte = 0; byte < 256; ++byte) {
        char c = static_cast<char>(byte);
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '_' || c == ':' || c == '-';
        EXPECT_EQ(is_acceptable_request_id(std::string_view(&c, 1)), allowed) << "byte " << byte;
    }
}

}  // namespace
}  // namespace forgehive::core

namespace forgehive::core {
namespace {

TEST(Uuid, SetsVersionAndVariantBits) {
    unsigned char zeros[16] = {};
    EXPECT_EQ(uuid_v4_from(zeros), "00000000-0000-4000-8000-000000000000");
    unsigned char ones[16];
    std::fill(std::begin(ones), std::end(ones), 0xff);
    EXPECT_EQ(uuid_v4_from(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

TEST(Uuid, FreshIdsDiffer) {
    auto a = new_uuid_v4();
    EXPECT_EQ(a.size(), 36u);
    EXPECT_EQ(a[14], '4');
    EXPECT_NE(a, new_uuid_v4());
}

}  // namespace
}  // namespace forgehive::core
