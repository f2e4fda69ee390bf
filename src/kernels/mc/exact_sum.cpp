// ExactSum: exact superaccumulator addition, canonical carry propagation and correctly rounded
// conversion back to double (Neal 2015, "small superaccumulator" with 32-bit chunks in 64-bit limbs).
#include "forgehive/kernels/mc/exact_sum.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace forgehive::kernels::mc {
namespace {

constexpr std::int64_t kLimbMask = 0xffffffff;

// Restores the canonical form from limb `from` upwards: each limb in [0, 2^32), carries (of either
// sign) moved up, the top limb keeping the sign. Limbs below `from` must already be canonical.
void propagate(std::array<std::int64_t, ExactSum::kLimbs>& limbs, std::size_t from) {
    for (std::size_t i = from; i + 1 < ExactSum::kLimbs; ++i) {
        std::int64_t carry = limbs[i] >> ExactSum::kLimbBits;  // arithmetic shift: floor division
        limbs[i] &= kLimbMask;
        limbs[i + 1] += carry;
    }
}

// Bit `pos` of a non-negative canonical magnitude (the top limb may hold more than 32 bits).
bool bit_at(const std::array<std::int64_t, ExactSum::kLimbs>& limbs, std::size_t pos) {
    std::size_t limb = std::min(pos / ExactSum::kLimbBits, ExactSum::kLimbs - 1);
    std::size_t shift = pos - limb * ExactSum::kLimbBits;
    return shift < 63 && ((limbs[limb] >> shift) & 1) != 0;
}

// Whether any bit below `pos` is set.
bool any_below(const std::array<std::int64_t, ExactSum::kLimbs>& limbs, std::size_t pos) {
    std::size_t limb = pos / ExactSum::kLimbBits;
    for (std::size_t i = 0; i < limb && i < ExactSum::kLimbs; ++i) {
        if (limbs[i] != 0) return true;
    }
    std::size_t shift = pos - limb * ExactSum::kLimbBits;
    return limb < ExactSum::kLimbs && shift > 0 && (limbs[limb] & ((std::int64_t{1} << shift) - 1)) != 0;
}

// Position of the highest set bit of a non-zero non-negative canonical magnitude.
std::size_t top_bit(const std::array<std::int64_t, ExactSum::kLimbs>& limbs) {
    std::size_t i = ExactSum::kLimbs - 1;
    while (limbs[i] == 0) --i;
    auto limb = static_cast<std::uint64_t>(limbs[i]);
    return i * ExactSum::kLimbBits + static_cast<std::size_t>(63 - std::countl_zero(limb));
}

}  // namespace

void ExactSum::add(double x) {
    if (!std::isfinite(x)) throw std::domain_error("ExactSum::add: value is not finite");
    auto bits = std::bit_cast<std::uint64_t>(x);
    auto biased = static_cast<std::size_t>((bits >> 52) & 0x7ff);
    std::uint64_t mantissa = bits & 0x000fffffffffffffULL;
    if (mantissa == 0 && biased == 0) return;  // +-0
    // x = +-mantissa * 2^(position - 1074): subnormals have position 0, normals the implicit bit.
    std::size_t position = biased == 0 ? 0 : biased - 1;
    if (biased != 0) mantissa |= 0x0010000000000000ULL;
    std::size_t limb = position / kLimbBits;
    unsigned shift = static_cast<unsigned>(position % kLimbBits);
    std::uint64_t low = (mantissa & 0xffffffffULL) << shift;   // < 2^63
    std::uint64_t high = (mantissa >> 32) << shift;            // < 2^52
    auto part0 = static_cast<std::int64_t>(low & 0xffffffffULL);
    auto part1 = static_cast<std::int64_t>((low >> 32) + (high & 0xffffffffULL));
    auto part2 = static_cast<std::int64_t>(high >> 32);
    bool negative = (bits >> 63) != 0;
    limbs[limb] += negative ? -part0 : part0;
    limbs[limb + 1] += negative ? -part1 : part1;
    limbs[limb + 2] += negative ? -part2 : part2;
    propagate(limbs, limb);
}

void ExactSum::add(const ExactSum& other) {
    for (std::size_t i = 0; i < kLimbs; ++i) limbs[i] += other.limbs[i];
    propagate(limbs, 0);
}

bool ExactSum::is_zero() const {
    for (std::int64_t limb : limbs) {
        if (limb != 0) return false;
    }
    return true;
}

double ExactSum::to_double() const {
    if (is_zero()) return 0.0;
    bool negative = limbs[kLimbs - 1] < 0;
    std::array<std::int64_t, kLimbs> magnitude = limbs;
    if (negative) {
        for (std::int64_t& limb : magnitude) limb = -limb;
        propagate(magnitude, 0);
    }
    std::size_t top = top_bit(magnitude);
    double result = 0.0;
    if (top < 53) {
        // Below 2^53 units of 2^-1074 every value is a double: exact.
        auto value = static_cast<std::uint64_t>(magnitude[0]) | (static_cast<std::uint64_t>(magnitude[1]) << 32);
        result = std::ldexp(static_cast<double>(value), kLowestExponent);
    } else {
        // 53 significant bits, then round to nearest, ties to even, on the next bit and the sticky rest.
        std::uint64_t significand = 0;
        for (std::size_t pos = top + 1; pos-- > top - 52;) significand = (significand << 1) | (bit_at(magnitude, pos) ? 1U : 0U);
        bool round_bit = bit_at(magnitude, top - 53);
        bool sticky = any_below(magnitude, top - 53);
        if (round_bit && (sticky || (significand & 1U) != 0)) ++significand;  // may reach 2^53: still exact
        result = std::ldexp(static_cast<double>(significand), static_cast<int>(top) - 52 + kLowestExponent);
    }
    return negative ? -result : result;
}

}  // namespace forgehive::kernels::mc
