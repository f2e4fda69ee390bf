// Unit tests for the exact fixed-point accumulator: exactness, order independence, carries, range checks.
#include "forgehive/kernels/graph/fixed_sum.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace forgehive::kernels::graph {
namespace {

TEST(FixedSum, SumsExactlyRepresentableValuesExactly) {
    FixedSum s;
    s.add(0.5);
    s.add(0.25);
    s.add(std::ldexp(1.0, -100));
    s.add(3.0);
    EXPECT_EQ(s.value(), 3.75 + std::ldexp(1.0, -100));
}

TEST(FixedSum, CancellationThatDoubleAdditionLoses) {
    // In doubles 1 + 2^-60 + ... rounds each tiny term away; the fixed-point sum keeps them all.
    FixedSum s;
    s.add(1.0);
    for (int i = 0; i < 1024; ++i) s.add(std::ldexp(1.0, -60));
    EXPECT_EQ(s.value(), 1.0 + std::ldexp(1.0, -50));
}

TEST(FixedSum, AnyOrderAndAnyGroupingGiveTheSameBits) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double> terms;
    for (int i = 0; i < 5000; ++i) terms.push_back(std::ldexp(unit(rng), -static_cast<int>(rng() % 80)));
    FixedSum forward;
    for (double t : terms) forward.add(t);
    std::shuffle(terms.begin(), terms.end(), rng);
    FixedSum left;
    FixedSum right;
    for (std::size_t i = 0; i < terms.size(); ++i) (i < 1234 ? left : right).add(terms[i]);
    right += left;
    EXPECT_TRUE(right == forward);
    EXPECT_EQ(right.value(), forward.value());
}

TEST(FixedSum, CarriesFromTheLowWord) {
    FixedSum s;
    const double just_below_low_word = std::ldexp(1.0, 64 - FixedSum::kFractionBits) * (1.0 - std::ldexp(1.0, -53));
    s.add(just_below_low_word);
    s.add(just_below_low_word);
    EXPECT_EQ(s.value(), 2.0 * just_below_low_word);
}

TEST(FixedSum, TermsBelowTheResolutionAreTruncated) {
    FixedSum s;
    s.add(std::numeric_limits<double>::denorm_min());
    s.add(std::ldexp(1.0, -FixedSum::kFractionBits - 1));
    EXPECT_EQ(s.value(), 0.0);
    s.add(std::ldexp(3.0, -FixedSum::kFractionBits - 1));  // 1.5 units: one unit kept
    EXPECT_EQ(s.value(), std::ldexp(1.0, -FixedSum::kFractionBits));
}

TEST(FixedSum, RejectsNegativeNonFiniteAndHugeTerms) {
    FixedSum s;
    EXPECT_THROW(s.add(-1e-300), std::out_of_range);
    EXPECT_THROW(s.add(std::numeric_limits<double>::quiet_NaN()), std::out_of_range);
    EXPECT_THROW(s.add(std::numeric_limits<double>::infinity()), std::out_of_range);
    EXPECT_THROW(s.add(FixedSum::kMaxTerm), std::out_of_range);
    EXPECT_NO_THROW(s.add(std::nextafter(FixedSum::kMaxTerm, 0.0)));
}

}  // namespace
}  // namespace forgehive::kernels::graph
