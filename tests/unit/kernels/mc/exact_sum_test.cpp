// Unit tests for ExactSum: exactness (cancellation, subnormals, huge values), correct rounding (ties to
// even, sticky bits), order independence of the canonical limbs, and merging.
#include "forgehive/kernels/mc/exact_sum.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace forgehive::kernels::mc {
namespace {

double exact_sum(const std::vector<double>& values) {
    ExactSum sum;
    for (double v : values) sum.add(v);
    return sum.to_double();
}

constexpr double kMax = std::numeric_limits<double>::max();
constexpr double kTiny = std::numeric_limits<double>::denorm_min();

TEST(ExactSum, CancellationLeavesTheSmallTerm) {
    EXPECT_EQ(exact_sum({1e300, 1.0, -1e300}), 1.0);
    EXPECT_EQ(exact_sum({-1e300, -1.0, 1e300}), -1.0);
    EXPECT_EQ(exact_sum({1e308, 1e-308, -1e308}), 1e-308);
    EXPECT_EQ(exact_sum({kMax, kTiny, -kMax}), kTiny);
    EXPECT_EQ(exact_sum({0.1, 0.2, -0.3}), 0x1p-55);  // naive double arithmetic gives 2^-54
}

TEST(ExactSum, EmptyAndZeroSumsAreZero) {
    EXPECT_EQ(exact_sum({}), 0.0);
    EXPECT_EQ(exact_sum({0.0, -0.0}), 0.0);
    EXPECT_EQ(exact_sum({3.5, -3.5}), 0.0);
    ExactSum sum;
    sum.add(2.0);
    sum.add(-2.0);
    EXPECT_TRUE(sum.is_zero());
    EXPECT_EQ(sum, ExactSum{});
}

TEST(ExactSum, SubnormalsAddExactly) {
    EXPECT_EQ(exact_sum({kTiny, kTiny}), 2 * kTiny);
    EXPECT_EQ(exact_sum({std::numeric_limits<double>::min(), -kTiny}), std::numeric_limits<double>::min() - kTiny);
    std::vector<double> many(1000, kTiny);
    EXPECT_EQ(exact_sum(many), 1000 * kTiny);
}

TEST(ExactSum, RoundsToNearestTiesToEven) {
    const double two53 = 9007199254740992.0;
    EXPECT_EQ(exact_sum({two53, 1.0}), two53);                       // tie -> even (down)
    EXPECT_EQ(exact_sum({two53, 3.0}), two53 + 4.0);                 // tie -> even (up)
    EXPECT_EQ(exact_sum({two53, 1.0, 0x1p-60}), two53 + 2.0);        // sticky bit breaks the tie
    EXPECT_EQ(exact_sum({two53, 1.0, -0x1p-60}), two53);             // just below the tie
    EXPECT_EQ(exact_sum({1.0, 0x1p-53}), 1.0);                       // tie -> even
    EXPECT_EQ(exact_sum({1.0, 0x1p-53, 0x1p-1074}), 1.0 + 0x1p-52);  // sticky from the lowest limb
}

TEST(ExactSum, OverflowOnlyWhenTheExactSumIsBeyondTheRange) {
    EXPECT_EQ(exact_sum({kMax, kMax}), std::numeric_limits<double>::infinity());
    EXPECT_EQ(exact_sum({kMax, kMax, -kMax}), kMax);
    EXPECT_EQ(exact_sum({-kMax, -kMax}), -std::numeric_limits<double>::infinity());
}

TEST(ExactSum, IntegersSumExactly) {
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<std::int64_t> dist(-(std::int64_t{1} << 52), std::int64_t{1} << 52);
    std::vector<double> values;
    std::int64_t want = 0;
    for (int i = 0; i < 2000; ++i) {
        std::int64_t v = dist(rng);
        want += v;
        values.push_back(static_cast<double>(v));
    }
    EXPECT_EQ(exact_sum(values), static_cast<double>(want));  // int64 -> double rounds correctly
}

TEST(ExactSum, MatchesLongDoubleWhereThatIsExact) {
    // Ten copies of 0.1 need 57 bits, within long double's 64: its sum is exact, rounded once.
    std::vector<double> tenths(10, 0.1);
    long double want = 0;
    for (double v : tenths) want += v;
    EXPECT_EQ(exact_sum(tenths), static_cast<double>(want));
    EXPECT_NE(exact_sum(tenths), 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1);
}

TEST(ExactSum, LimbsAreTheSameForAnyOrderAndGrouping) {
    std::mt19937_64 rng(6);
    std::vector<double> values;
    for (int i = 0; i < 3000; ++i) {
        double magnitude = std::ldexp(std::uniform_real_distribution<double>(1.0, 2.0)(rng),
                                      std::uniform_int_distribution<int>(-1070, 1000)(rng));
        values.push_back(i % 3 == 0 ? -magnitude : magnitude);
    }
    ExactSum forward;
    for (double v : values) forward.add(v);
    std::shuffle(values.begin(), values.end(), rng);
    ExactSum left;
    ExactSum right;
    for (std::size_t i = 0; i < values.size(); ++i) (i % 2 == 0 ? left : right).add(values[i]);
    ExactSum merged = right;
    merged.add(left);
    EXPECT_EQ(merged, forward);
    left.add(right);
    EXPECT_EQ(left, forward);
    for (std::size_t i = 0; i + 1 < ExactSum::kLimbs; ++i) {
        EXPECT_GE(forward.limbs[i], 0);
        EXPECT_LT(forward.limbs[i], std::int64_t{1} << 32);
    }
}

TEST(ExactSum, NonFiniteValuesAreRejected) {
    ExactSum sum;
    EXPECT_THROW(sum.add(std::numeric_limits<double>::infinity()), std::domain_error);
    EXPECT_THROW(sum.add(std::numeric_limits<double>::quiet_NaN()), std::domain_error);
    EXPECT_TRUE(sum.is_zero());
}

}  // namespace
}  // namespace forgehive::kernels::mc
