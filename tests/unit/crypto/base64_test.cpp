// base64 against the RFC 4648 §10 test vectors, and the inputs the strict decoder must refuse.
#include <gtest/gtest.h>

#include "forgehive/crypto/base64.hpp"

namespace forgehive::crypto {
namespace {

TEST(Base64, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},     {"fo", "Zm8="},
                                                            {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                            {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(to_base64(plain), encoded);
        EXPECT_EQ(from_base64(encoded), std::string(plain));
    }
}

TEST(Base64, BinaryRoundTrip) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    EXPECT_EQ(from_base64(to_base64(bytes)), bytes);
}

TEST(Base64, RefusesMalformedText) {
    EXPECT_FALSE(from_base64("Zg"));         // padding missing
    EXPECT_FALSE(from_base64("Zm9v YmFy"));  // whitespace
    EXPECT_FALSE(from_base64("Zm9v*mFy"));   // outside the alphabet
    EXPECT_FALSE(from_base64("Zm9vYmFy=")); // stray padding
}

}  // namespace
}  // namespace forgehive::crypto
