// Exact, order-independent sum of non-negative doubles in 128-bit fixed point, for PageRank's global
// reductions (dangling mass, L1 change): any split of the terms into partial sums gives the same bits.
#pragma once

#include <cstdint>

namespace forgehive::kernels::graph {

// Each term is truncated to a multiple of 2^-kFractionBits (an absolute error below 1e-33, far under
// double precision for terms near 1), then summed exactly in integers, so addition is associative.
// The 18 integer bits bound the total: PageRank's sums stay near 1 (a probability vector's mass, or an
// L1 distance between two of them, at most 2).
class FixedSum {
public:
    static constexpr int kFractionBits = 110;
    static constexpr double kMaxTerm = 65536.0;  // 2^16: single terms stay well under the 2^18 total

    // Throws std::out_of_range for a term that is negative, not finite or at least kMaxTerm.
    void add(double term);
    FixedSum& operator+=(const FixedSum& other);
    // The sum rounded to double.
    double value() const;

    bool operator==(const FixedSum&) const = default;

private:
    std::uint64_t high_ = 0;  // units of 2^(64 - kFractionBits)
    std::uint64_t low_ = 0;   // units of 2^-kFractionBits
};

}  // namespace forgehive::kernels::graph
