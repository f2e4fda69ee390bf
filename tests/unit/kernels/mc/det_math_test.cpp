// Unit tests for the deterministic elementary functions: error in ulps against long double references
// over wide ranges (the bounds documented in docs/mc-models.md), special values and exactness.
#include "forgehive/kernels/mc/det_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

namespace forgehive::kernels::mc {
namespace {

// |got - want| in units of the last place of want rounded to double.
double ulp_error(double got, long double want) {
    double rounded = static_cast<double>(want);
    int exponent = 0;
    std::frexp(rounded, &exponent);
    double ulp = std::ldexp(1.0, std::max(exponent - 53, -1074));
    return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / ulp);
}

// A double with a uniformly random exponent in [low, high] and random mantissa.
double random_double(std::mt19937_64& rng, int low, int high) {
    std::uniform_int_distribution<int> exponent(low, high);
    std::uniform_real_distribution<double> mantissa(1.0, 2.0);
    return std::ldexp(mantissa(rng), exponent(rng));
}

TEST(DetMath, LogIsWithinOneUlpAcrossTheDoubleRange) {
    std::mt19937_64 rng(1);
    double worst = 0.0;
    for (int i = 0; i < 400000; ++i) {
        double x = random_double(rng, -1074, 1023);
        if (x == 0.0 || !std::isfinite(x)) continue;
        worst = std::max(worst, ulp_error(det_log(x), std::log(static_cast<long double>(x))));
    }
    for (int i = 0; i < 200000; ++i) {  // near 1, where log(x) is small and relative error is hardest
        double x = 1.0 + std::ldexp(std::uniform_real_distribution<double>(-1.0, 1.0)(rng), -(i % 50));
        if (x == 1.0) continue;
        worst = std::max(worst, ulp_error(det_log(x), std::log(static_cast<long double>(x))));
    }
    RecordProperty("max_ulp", std::to_string(worst));
    EXPECT_LT(worst, 1.0);
}

TEST(DetMath, LogSpecialValues) {
    EXPECT_EQ(det_log(1.0), 0.0);
    EXPECT_EQ(det_log(0.0), -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(det_log(-1.0)));
    EXPECT_TRUE(std::isnan(det_log(std::numeric_limits<double>::quiet_NaN())));
    EXPECT_EQ(det_log(std::numeric_limits<double>::infinity()), std::numeric_limits<double>::infinity());
    EXPECT_NEAR(det_log(std::numeric_limits<double>::denorm_min()), -744.4400719213812, 1e-12);
}

TEST(DetMath, ExpIsWithinOneUlpOnItsNormalRange) {
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<double> wide(-708.39, 709.78);
    std::uniform_real_distribution<double> narrow(-1.0, 1.0);
    double worst = 0.0;
    for (int i = 0; i < 400000; ++i) {
        double x = i % 2 == 0 ? wide(rng) : narrow(rng) * std::ldexp(1.0, -(i % 40));
        long double want = std::exp(static_cast<long double>(x));
        if (want < 0x1p-1022L) continue;  // flushed to 0 by design
        worst = std::max(worst, ulp_error(det_exp(x), want));
    }
    RecordProperty("max_ulp", std::to_string(worst));
    EXPECT_LT(worst, 1.0);
}

TEST(DetMath, ExpSpecialValues) {
    EXPECT_EQ(det_exp(0.0), 1.0);
    EXPECT_EQ(det_exp(710.0), std::numeric_limits<double>::infinity());
    EXPECT_EQ(det_exp(-709.0), 0.0);
    EXPECT_TRUE(std::isfinite(det_exp(709.78)));
    EXPECT_TRUE(std::isnan(det_exp(std::numeric_limits<double>::quiet_NaN())));
    EXPECT_DOUBLE_EQ(det_exp(std::log(2.0) * 10), 1024.0);
}

TEST(DetMath, SinCosSmallAreWithinOneUlp) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> angle(-std::numbers::pi / 4, std::numbers::pi / 4);
    double worst = 0.0;
    for (int i = 0; i < 400000; ++i) {
        double x = i % 2 == 0 ? angle(rng) : angle(rng) * std::ldexp(1.0, -(i % 30));
        worst = std::max(worst, ulp_error(det_sin_small(x), std::sin(static_cast<long double>(x))));
        worst = std::max(worst, ulp_error(det_cos_small(x), std::cos(static_cast<long double>(x))));
    }
    RecordProperty("max_ulp", std::to_string(worst));
    EXPECT_LT(worst, 1.0);
}

// The turn-based functions over the whole circle: the reference reduces the angle the same exact way
// (nearest quarter turn), then evaluates sinl/cosl of the remainder, so it is accurate near the axes.
TEST(DetMath, SinCosTurnAreWithinOneUlpOverTheWholeCircle) {
    std::mt19937_64 rng(4);
    const long double radian_per_turn = 2.0L * std::numbers::pi_v<long double> / 4294967296.0L;
    double worst = 0.0;
    auto check = [&](std::uint32_t turn) {
        std::uint32_t quadrant = ((turn + (1U << 29)) >> 30) & 3U;
        auto remainder = static_cast<std::int32_t>(turn - (quadrant << 30));
        long double x = static_cast<long double>(remainder) * radian_per_turn;
        long double s = std::sin(x);
        long double c = std::cos(x);
        long double want_sin[4] = {s, c, -s, -c};
        long double want_cos[4] = {c, -s, -c, s};
        SinCos got = det_sincos_turn(turn);
        worst = std::max(worst, ulp_error(got.sin, want_sin[quadrant]));
        worst = std::max(worst, ulp_error(got.cos, want_cos[quadrant]));
    };
    for (int i = 0; i < 400000; ++i) check(static_cast<std::uint32_t>(rng()));
    for (std::uint32_t axis : {0U, 1U << 29, 1U << 30, 3U << 29, 1U << 31, 5U << 29, 3U << 30, 7U << 29}) {
        for (std::uint32_t d = 0; d < 3; ++d) {
            check(axis + d);
            check(axis - d);
        }
    }
    RecordProperty("max_ulp", std::to_string(worst));
    EXPECT_LT(worst, 1.0);
    EXPECT_EQ(det_sincos_turn(0).sin, 0.0);
    EXPECT_EQ(det_sincos_turn(0).cos, 1.0);
    EXPECT_EQ(det_sincos_turn(1U << 30).sin, 1.0);
    EXPECT_EQ(det_sincos_turn(1U << 31).cos, -1.0);
}

TEST(DetMath, U53CoversZeroExclusiveToOneInclusiveExactly) {
    EXPECT_EQ(det_u53(0, 0), 0x1p-53);
    EXPECT_EQ(det_u53(0xffffffff, 0xffffffff), 1.0);
    // m = (w1 >> 6) * 2^27 + (w0 >> 5): one step of w0's 27 bits is one step of 2^-53.
    EXPECT_EQ(det_u53(1U << 5, 0), 2 * 0x1p-53);
    EXPECT_EQ(det_u53(0, 1U << 6), (134217728.0 + 1.0) * 0x1p-53);
    EXPECT_EQ(det_u53(0x1f, 0x3f), 0x1p-53);  // the dropped low bits do not matter
}

}  // namespace
}  // namespace forgehive::kernels::mc
