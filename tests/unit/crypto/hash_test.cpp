// Unit tests for crypto SHA-256 (FIPS 180-2 vectors) and lower-case hex encoding.
#include "forgehive/crypto/hash.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace forgehive::crypto {
namespace {

TEST(Sha256, EmptyString) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Fips180OneBlock) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, Fips180TwoBlocks) {
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Fips180OneMillionA) {
    EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, EmbeddedNulIsHashed) {
    // The whole view is hashed, not a C string: SHA-256 of the single byte 0x00.
    EXPECT_EQ(sha256_hex(std::string_view("\0", 1)),
              "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(Sha256, RawDigestMatchesHex) {
    auto digest = sha256("abc");
    EXPECT_EQ(digest[0], 0xba);
    EXPECT_EQ(digest[1], 0x78);
    EXPECT_EQ(digest[31], 0xad);
    EXPECT_EQ(to_hex(digest.data(), digest.size()), sha256_hex("abc"));
}

TEST(ToHex, EncodesLowerCaseTwoDigitsPerByte) {
    const std::vector<std::uint8_t> bytes = {0x00, 0x01, 0x0f, 0x10, 0x7f, 0x80, 0xab, 0xff};
    EXPECT_EQ(to_hex(bytes.data(), bytes.size()), "00010f107f80abff");
    EXPECT_EQ(to_hex(bytes.data(), 0), "");
    EXPECT_EQ(to_hex(bytes.data() + 6, 1), "ab");
}

TEST(ToHex, EveryByteValue) {
    std::vector<std::uint8_t> bytes(256);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
    auto hex = to_hex(bytes.data(), bytes.size());
    ASSERT_EQ(hex.size(), 512u);
    static constexpr char kDigits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        EXPECT_EQ(hex[2 * i], kDigits[i / 16]) << i;
        EXPECT_EQ(hex[2 * i + 1], kDigits[i % 16]) << i;
    }
}

}  // namespace
}  // namespace forgehive::crypto
