// Philox4x32-10, the counter-based random number generator of Salmon, Moraes, Dror and Shaw, "Parallel
// random numbers: as easy as 1, 2, 3" (SC'11), and the counter layout every Monte Carlo profile uses.
#pragma once

#include <array>
#include <cstdint>

namespace forgehive::kernels::mc {

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

inline constexpr std::uint32_t kPhiloxM0 = 0xD2511F53U;  // round multipliers
inline constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57U;
inline constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9U;  // key schedule (Weyl) increments
inline constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85U;
inline constexpr int kPhiloxRounds = 10;

// One application of the bijection: ten rounds of two 32x32 -> 64 bit multiplies, with the key bumped
// by the Weyl increments between rounds.
constexpr PhiloxCounter philox4x32(PhiloxCounter ctr, PhiloxKey key) {
    for (int round = 0; round < kPhiloxRounds; ++round) {
        std::uint64_t p0 = std::uint64_t{kPhiloxM0} * ctr[0];
        std::uint64_t p1 = std::uint64_t{kPhiloxM1} * ctr[2];
        ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
               static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<std::uint32_t>(p0)};
        key = {key[0] + kPhiloxW0, key[1] + kPhiloxW1};
    }
    return ctr;
}

// The Philox key of a job: the first 8 bytes of SHA-256(root seed), little endian (key[0] = bytes 0..3).
struct RootKey {
    PhiloxKey key{};
    bool operator==(const RootKey&) const = default;
};

RootKey root_key_from_digest(const std::array<std::uint8_t, 32>& sha256_of_root_seed);

// Counter layout (docs/mc-models.md "Random streams"): word 0 and 1 the iteration index (low, high),
// word 2 the stream number, word 3 the draw number within that iteration and stream. So the randoms of
// iteration i never depend on any other iteration, however the work is split.
constexpr PhiloxCounter stream_counter(std::uint64_t iteration, std::uint32_t stream, std::uint32_t draw) {
    return {static_cast<std::uint32_t>(iteration), static_cast<std::uint32_t>(iteration >> 32), stream, draw};
}

}  // namespace forgehive::kernels::mc
