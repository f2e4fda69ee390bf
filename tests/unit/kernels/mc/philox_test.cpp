// Unit tests for Philox4x32-10: Random123 known-answer vectors, the counter layout and the root key.
#include "forgehive/kernels/mc/philox.hpp"

#include <gtest/gtest.h>

namespace forgehive::kernels::mc {
namespace {

// Known-answer vectors from Random123's kat_vectors (philox4x32 with 10 rounds).
TEST(Philox, MatchesRandom123KnownAnswers) {
    EXPECT_EQ(philox4x32({0, 0, 0, 0}, {0, 0}), (PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
    EXPECT_EQ(philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
              (PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
    EXPECT_EQ(philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
              (PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Philox, IsUsableAtCompileTime) {
    static_assert(philox4x32({0, 0, 0, 0}, {0, 0})[0] == 0x6627e8d5);
    SUCCEED();
}

TEST(Philox, StreamCounterPutsIterationStreamAndDrawInTheirWords) {
    EXPECT_EQ(stream_counter(0x0123456789abcdefULL, 7, 3), (PhiloxCounter{0x89abcdef, 0x01234567, 7, 3}));
    // Neighbouring iterations, streams and draws give unrelated outputs.
    PhiloxKey key{1, 2};
    EXPECT_NE(philox4x32(stream_counter(5, 0, 0), key), philox4x32(stream_counter(6, 0, 0), key));
    EXPECT_NE(philox4x32(stream_counter(5, 0, 0), key), philox4x32(stream_counter(5, 1, 0), key));
    EXPECT_NE(philox4x32(stream_counter(5, 0, 0), key), philox4x32(stream_counter(5, 0, 1), key));
}

TEST(Philox, RootKeyIsTheFirstEightDigestBytesLittleEndian) {
    std::array<std::uint8_t, 32> digest{};
    for (std::size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<std::uint8_t>(0x10 + i);
    RootKey key = root_key_from_digest(digest);
    EXPECT_EQ(key.key[0], 0x13121110U);
    EXPECT_EQ(key.key[1], 0x17161514U);
}

}  // namespace
}  // namespace forgehive::kernels::mc
