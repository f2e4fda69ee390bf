// 128-bit fixed-point accumulation of non-negative doubles (exact, hence order-independent).
#include "forgehive/kernels/graph/fixed_sum.hpp"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <stdexcept>

namespace forgehive::kernels::graph {
namespace {

constexpr int kMantissaBits = 52;
constexpr std::uint64_t kMantissaMask = (std::uint64_t{1} << kMantissaBits) - 1;

}  // namespace

void FixedSum::add(double term) {
    if (!(term >= 0.0 && term < kMaxTerm))
        throw std::out_of_range(fmt::format("FixedSum: term {} is outside [0, {})", term, kMaxTerm));
    // term = mantissa * 2^exponent exactly (IEEE 754 binary64; subnormals have biased exponent 0).
    const auto bits = std::bit_cast<std::uint64_t>(term);
    const auto biased = static_cast<int>(bits >> kMantissaBits);
    std::uint64_t mantissa = bits & kMantissaMask;
    int exponent = -1074;
    if (biased != 0) {
        mantissa |= kMantissaMask + 1;
        exponent = biased - 1075;
    }
    // term * 2^kFractionBits = mantissa * 2^shift; shift <= 74 below kMaxTerm.
    const int shift = exponent + kFractionBits;
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    if (shift <= -64) return;  // below the resolution: truncated to 0
    if (shift < 0) {
        low = mantissa >> -shift;
    } else if (shift == 0) {
        low = mantissa;
    } else if (shift < 64) {
        low = mantissa << shift;
        high = mantissa >> (64 - shift);
    } else {
        high = mantissa << (shift - 64);
    }
    low_ += low;
    high_ += high + (low_ < low ? 1 : 0);
}

FixedSum& FixedSum::operator+=(const FixedSum& other) {
    low_ += other.low_;
    high_ += other.high_ + (low_ < other.low_ ? 1 : 0);
    return *this;
}

double FixedSum::value() const {
    return std::ldexp(static_cast<double>(high_), 64 - kFractionBits) +
           std::ldexp(static_cast<double>(low_), -kFractionBits);
}

}  // namespace forgehive::kernels::graph
