// Unit tests for the scalar samplers: the draw order on a per-iteration stream, and moments of the
// normal, Poisson (both algorithms), gamma, negative binomial and severity samplers within 4 standard
// errors at fixed seeds.
#include "forgehive/kernels/mc/samplers.hpp"

#include "forgehive/kernels/mc/det_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace forgehive::kernels::mc {
namespace {

constexpr RootKey kKey{{0x12345678, 0x9abcdef0}};

struct Moments {
    double mean = 0, variance = 0, fourth_central = 0;
};

// Mean, variance and fourth central moment of n draws, draw i made on iteration i's stream.
Moments moments_of(int n, const std::function<double(IterationRng&)>& draw) {
    std::vector<double> xs(static_cast<std::size_t>(n));
    long double sum = 0;
    for (int i = 0; i < n; ++i) {
        IterationRng rng(kKey, static_cast<std::uint64_t>(i), 3);
        xs[static_cast<std::size_t>(i)] = draw(rng);
        sum += xs[static_cast<std::size_t>(i)];
    }
    Moments m;
    m.mean = static_cast<double>(sum / n);
    long double m2 = 0, m4 = 0;
    for (double x : xs) {
        long double d = x - m.mean;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    m.variance = static_cast<double>(m2 / (n - 1));
    m.fourth_central = static_cast<double>(m4 / n);
    return m;
}

// Sample mean and variance against the true ones, each within 4 standard errors.
void expect_moments(const Moments& m, int n, double mean, double variance) {
    double se_mean = std::sqrt(variance / n);
    double se_variance = std::sqrt((m.fourth_central - m.variance * m.variance) / n);
    EXPECT_NEAR(m.mean, mean, 4 * se_mean);
    EXPECT_NEAR(m.variance, variance, 4 * se_variance);
}

TEST(IterationRng, ConsumesPhiloxWordsInOrderAcrossBlocks) {
    IterationRng rng(kKey, 42, 5);
    PhiloxCounter first = philox4x32(stream_counter(42, 5, 0), kKey.key);
    PhiloxCounter second = philox4x32(stream_counter(42, 5, 1), kKey.key);
    for (std::uint32_t w : first) EXPECT_EQ(rng.next_u32(), w);
    EXPECT_EQ(rng.next_u53(), det_u53(second[0], second[1]));
    EXPECT_EQ(rng.next_u32(), second[2]);
}

TEST(IterationRng, NormalsAreBoxMullerPairs) {
    IterationRng rng(kKey, 7, 1);
    PhiloxCounter w = philox4x32(stream_counter(7, 1, 0), kKey.key);
    double radius = std::sqrt(-2.0 * det_log(det_u53(w[0], w[1])));
    SinCos angle = det_sincos_turn(w[2]);
    EXPECT_EQ(rng.next_normal(), radius * angle.cos);
    EXPECT_EQ(rng.next_normal(), radius * angle.sin);
    EXPECT_EQ(rng.next_u32(), w[3]);
}

TEST(Samplers, NormalHasMeanZeroVarianceOne) {
    constexpr int kN = 200000;
    expect_moments(moments_of(kN, [](IterationRng& r) { return r.next_normal(); }), kN, 0.0, 1.0);
    expect_moments(moments_of(kN, [](IterationRng& r) { r.next_normal(); return r.next_normal(); }), kN, 0.0, 1.0);
}

TEST(Samplers, PoissonMomentsForInversionAndPtrs) {
    constexpr int kN = 200000;
    for (double lambda : {0.3, 3.0, 9.9, 10.0, 50.0, 700.0}) {
        PoissonSampler poisson(lambda);
        Moments m = moments_of(kN, [&](IterationRng& r) { return static_cast<double>(poisson(r)); });
        SCOPED_TRACE(lambda);
        expect_moments(m, kN, lambda, lambda);
    }
    IterationRng rng(kKey, 0, 0);
    EXPECT_EQ(PoissonSampler(0.0)(rng), 0U);
}

TEST(Samplers, GammaMomentsAcrossShapes) {
    constexpr int kN = 200000;
    for (double shape : {0.05, 0.5, 1.0, 2.5, 40.0}) {
        Moments m = moments_of(kN, [&](IterationRng& r) { return sample_gamma(r, shape, 3.0); });
        SCOPED_TRACE(shape);
        expect_moments(m, kN, shape * 3.0, shape * 9.0);
    }
}

TEST(Samplers, NegativeBinomialHasGammaPoissonMoments) {
    constexpr int kN = 200000;
    for (auto [mean, dispersion] : {std::pair{4.0, 0.5}, std::pair{200.0, 3.0}}) {
        Moments m = moments_of(kN, [&](IterationRng& r) { return static_cast<double>(sample_negbin(r, mean, dispersion)); });
        SCOPED_TRACE(mean);
        expect_moments(m, kN, mean, mean + mean * mean / dispersion);
    }
}

TEST(Samplers, SeveritiesFollowTheirDistributions) {
    constexpr int kN = 200000;
    Severity lognormal{Severity::Dist::lognormal, 1.5, 0.8, 0, 0};
    expect_moments(moments_of(kN, [&](IterationRng& r) { return std::log(sample_severity(r, lognormal)); }), kN, 1.5, 0.64);
    Severity gamma{Severity::Dist::gamma, 0, 0, 2.0, 50.0};
    expect_moments(moments_of(kN, [&](IterationRng& r) { return sample_severity(r, gamma); }), kN, 100.0, 5000.0);
    // Classic Pareto: ln(X / scale) is exponential with rate `shape`.
    Severity pareto{Severity::Dist::pareto, 0, 0, 2.5, 1000.0};
    Moments m = moments_of(kN, [&](IterationRng& r) { return std::log(sample_severity(r, pareto) / 1000.0); });
    expect_moments(m, kN, 1 / 2.5, 1 / (2.5 * 2.5));
    for (int i = 0; i < 1000; ++i) {
        IterationRng r(kKey, static_cast<std::uint64_t>(i), 0);
        ASSERT_GE(sample_severity(r, pareto), 1000.0);
    }
}

TEST(Samplers, LogFactorialMatchesLgamma) {
    for (std::uint64_t k : {0ULL, 1ULL, 2ULL, 10ULL, 22ULL, 23ULL, 24ULL, 100ULL, 1000ULL, 65536ULL}) {
        double want = std::lgamma(static_cast<double>(k) + 1.0);
        EXPECT_NEAR(log_factorial(k), want, 1e-13 * std::max(1.0, want)) << k;
    }
}

}  // namespace
}  // namespace forgehive::kernels::mc
