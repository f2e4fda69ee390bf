// ExactSum: an exact, order-independent sum of doubles — a fixed-size superaccumulator of 32-bit limbs
// covering the whole double range (Kulisch's long accumulator; the "small superaccumulator" of Neal,
// "Fast exact summation using small and large superaccumulators", arXiv:1505.05571, 2015).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace forgehive::kernels::mc {

// The represented value is sum(limbs[i] * 2^(32*i - 1074)). Every finite double is an integer multiple
// of 2^-1074 below 2^1024, so any sum of up to 2^64 doubles fits in 68 limbs. The state is kept in one
// canonical form — limbs[0 .. kLimbs-2] in [0, 2^32), the top limb signed — so equal sums have equal
// limbs whatever the order of additions, and partial results can be compared and hashed bytewise.
struct ExactSum {
    static constexpr int kLimbBits = 32;
    static constexpr std::size_t kLimbs = 68;
    static constexpr int kLowestExponent = -1074;  // weight of bit 0 of limbs[0]

    std::array<std::int64_t, kLimbs> limbs{};

    // Adds a finite double exactly. A non-finite argument is a caller bug: throws std::domain_error.
    void add(double x);
    // Adds another exact sum exactly.
    void add(const ExactSum& other);
    // The sum rounded once to the nearest double, ties to even (+-inf if beyond the double range).
    double to_double() const;
    bool is_zero() const;

    bool operator==(const ExactSum&) const = default;
};

}  // namespace forgehive::kernels::mc
