// Unit tests for what the profiles compute: means against closed forms within 4 standard errors at a
// fixed seed (eta: truncated-normal means; insurance: lognormal and Pareto limited expected values;
// options: Black–Scholes), quantiles and tail means against an exact sort of the same samples within
// the sketch's 1%, and the exact fields (min, max, exceedance, p_loss) exactly.
#include "forgehive/kernels/mc/kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <tuple>
#include <vector>

namespace forgehive::kernels::mc {
namespace {

constexpr RootKey kKey{{0x0badf00d, 0x5eed5eed}};
constexpr double kAccuracy = LogSketch::kRelativeAccuracy * (1.0 + 1e-9);

double phi(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }
double cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// E[max(0, N(m, s))] and E[max(0, N(m, s))^2].
double positive_mean(double m, double s) { return s > 0 ? m * cdf(m / s) + s * phi(m / s) : std::max(m, 0.0); }
double positive_second(double m, double s) {
    return s > 0 ? (m * m + s * s) * cdf(m / s) + m * s * phi(m / s) : std::pow(std::max(m, 0.0), 2);
}
// The indicator probability the kernel realises: ceil(p 2^32) / 2^32.
double realised(double p) { return std::ceil(p * 4294967296.0) / 4294967296.0; }

template <typename Out>
Out run_all(const ProfileArgs& args) {
    return std::get<Out>(finalize(args, run_units(args, kKey, 0, unit_count(args))));
}

double relative_error(double got, double want) { return want == 0.0 ? std::fabs(got) : std::fabs(got - want) / want; }

std::uint64_t rank_of(std::size_t n, std::uint64_t permille) { return (n - 1) * permille / 1000; }

EtaArgs eta_args() {
    EtaArgs a;
    a.iterations = 16 * kUnitIterations + 321;
    a.base_eta = 20;
    a.traffic_mean = 2;
    a.traffic_std = 4;
    a.weather_prob = 0.3;
    a.weather_mean = 5;
    a.weather_std = 3;
    a.incident_prob = 0.07;
    a.incident_mean = 12;
    a.incident_std = 9;
    a.thresholds = {20.0, 25.0, 30.0, 40.0, 60.0};
    return a;
}

TEST(EtaStatistics, MeanAndStdMatchTheModel) {
    EtaArgs a = eta_args();
    EtaOutput out = run_all<EtaOutput>(a);
    double pw = realised(a.weather_prob);
    double pi = realised(a.incident_prob);
    double mean = a.base_eta + positive_mean(a.traffic_mean, a.traffic_std) +
                  pw * positive_mean(a.weather_mean, a.weather_std) + pi * positive_mean(a.incident_mean, a.incident_std);
    auto mixture_variance = [](double p, double m, double s) {
        return p * positive_second(m, s) - std::pow(p * positive_mean(m, s), 2);
    };
    double variance = mixture_variance(1.0, a.traffic_mean, a.traffic_std) +
                      mixture_variance(pw, a.weather_mean, a.weather_std) +
                      mixture_variance(pi, a.incident_mean, a.incident_std);
    auto n = static_cast<double>(a.iterations);
    EXPECT_NEAR(out.mean, mean, 4 * std::sqrt(variance / n));
    // The standard error of a standard deviation needs the fourth moment: taken from the samples.
    std::vector<double> xs = samples(a, kKey, 0, a.iterations);
    long double m4 = 0;
    for (double x : xs) m4 += std::pow(static_cast<long double>(x) - out.mean, 4);
    double se_variance = std::sqrt((static_cast<double>(m4 / n) - variance * variance) / n);
    EXPECT_NEAR(out.std * out.std, variance, 4 * se_variance);
    EXPECT_DOUBLE_EQ(out.stderr_, out.std / std::sqrt(n));
}

TEST(EtaStatistics, ExactFieldsAndQuantilesAgreeWithTheSortedSamples) {
    EtaArgs a = eta_args();
    EtaOutput out = run_all<EtaOutput>(a);
    std::vector<double> xs = samples(a, kKey, 0, a.iterations);
    long double sum = std::accumulate(xs.begin(), xs.end(), 0.0L);
    EXPECT_LE(relative_error(out.mean, static_cast<double>(sum / xs.size())), 1e-14);
    for (std::size_t k = 0; k < a.thresholds.size(); ++k) {
        auto above = std::count_if(xs.begin(), xs.end(), [&](double x) { return x > a.thresholds[k]; });
        EXPECT_EQ(out.exceedance[k].first, a.thresholds[k]);
        EXPECT_EQ(out.exceedance[k].second, static_cast<double>(above) / static_cast<double>(xs.size()));
    }
    std::sort(xs.begin(), xs.end());
    EXPECT_EQ(out.min, xs.front());
    EXPECT_EQ(out.max, xs.back());
    EXPECT_EQ(out.min, a.base_eta);  // traffic is cut at 0 often enough
    std::vector<std::pair<double, std::uint64_t>> quantiles = {{out.p50, 500}, {out.p90, 900}, {out.p95, 950}, {out.p99, 990}};
    for (auto [got, permille] : quantiles) {
        EXPECT_LE(relative_error(got, xs[rank_of(xs.size(), permille)]), kAccuracy) << permille;
    }
}

TEST(EtaStatistics, HistogramCoversMinToMaxAndMatchesAnExactOneUpToSketchAccuracy) {
    EtaArgs a = eta_args();
    EtaOutput out = run_all<EtaOutput>(a);
    ASSERT_EQ(out.histogram.size(), kEtaHistogramBins);
    EXPECT_EQ(out.histogram.front().lower, out.min);
    EXPECT_EQ(out.histogram.back().upper, out.max);
    std::uint64_t total = 0;
    for (const auto& bin : out.histogram) total += bin.count;
    EXPECT_EQ(total, a.iterations);
    std::vector<double> xs = samples(a, kKey, 0, a.iterations);
    for (std::size_t j = 0; j < out.histogram.size(); ++j) {
        const HistogramBin& bin = out.histogram[j];
        bool last = j + 1 == out.histogram.size();
        auto inside = std::count_if(xs.begin(), xs.end(), [&](double x) { return x >= bin.lower && (x < bin.upper || last); });
        // Values within the sketch accuracy of an edge may be counted in the neighbouring bin.
        auto near_edge = std::count_if(xs.begin(), xs.end(), [&](double x) {
            return std::fabs(x - bin.lower) <= kAccuracy * x || std::fabs(x - bin.upper) <= kAccuracy * x;
        });
        EXPECT_LE(std::llabs(static_cast<long long>(bin.count) - inside), near_edge) << j;
    }
}

TEST(EtaStatistics, DeterministicModelGivesExactValues) {
    EtaArgs a;
    a.iterations = 1000;
    a.base_eta = 12.5;
    a.traffic_mean = 3;
    a.thresholds = {15.4, 15.5, 15.6};
    EtaOutput out = run_all<EtaOutput>(a);
    EXPECT_EQ(out.mean, 15.5);
    EXPECT_EQ(out.std, 0.0);
    EXPECT_EQ(out.min, 15.5);
    EXPECT_EQ(out.p50, 15.5);
    EXPECT_EQ(out.p99, 15.5);
    ASSERT_EQ(out.histogram.size(), 1U);
    EXPECT_EQ(out.histogram[0].count, 1000U);
    EXPECT_EQ(out.exceedance[0].second, 1.0);
    EXPECT_EQ(out.exceedance[1].second, 0.0);
}

// E[min(X, u)] for lognormal X (Klugman, Panjer, Willmot: limited expected value).
double lognormal_lev(double mu, double sigma, double u) {
    if (u <= 0) return 0.0;
    double z = (std::log(u) - mu) / sigma;
    return std::exp(mu + 0.5 * sigma * sigma) * cdf(z - sigma) + u * (1 - cdf(z));
}

// E[min(X, u)] for the classic Pareto with minimum s and tail index alpha != 1.
double pareto_lev(double alpha, double s, double u) {
    if (u <= s) return u;
    return s * alpha / (alpha - 1) - std::pow(s, alpha) * std::pow(u, 1 - alpha) / (alpha - 1);
}

InsuranceArgs insurance_args() {
    InsuranceArgs a;
    a.iterations = 3 * kUnitIterations + 17;
    a.frequency = {Frequency::Dist::poisson, 4.0, 1.0};
    a.severity = {Severity::Dist::lognormal, 7.0, 1.3, 0, 0};
    a.deductible = 500;
    a.limit = 20000;
    return a;
}

// The traffic normals, recovered exactly enough from samples with no clipping and no other delay
// (eta = 100 + Z, rounded to 1.5e-14). Iterations 2g and 2g + 1 take r cos and r sin of one Box–Muller
// pair: each half must be standard normal (moments, Kolmogorov–Smirnov, chi-square on 40 equiprobable
// bins, tail masses) and the two halves of a pair independent (their product and the product of their
// centred squares average to 0). Fixed seed; bounds are 4 standard errors or the 0.1% critical values.
TEST(EtaStatistics, TrafficNormalsAreStandardNormalAndIndependentWithinAPair) {
    EtaArgs a;
    a.iterations = 1 << 20;
    a.base_eta = 0;
    a.traffic_mean = 100;
    a.traffic_std = 1;
    a.weather_prob = 0;
    a.incident_prob = 0;
    std::vector<double> x = samples(a, kKey, 0, a.iterations);
    std::size_t m = x.size() / 2;
    std::vector<double> half[2] = {std::vector<double>(m), std::vector<double>(m)};
    for (std::size_t g = 0; g < m; ++g) {
        half[0][g] = x[2 * g] - 100.0;
        half[1][g] = x[2 * g + 1] - 100.0;
    }
    auto n = static_cast<double>(m);
    for (std::vector<double>& z : half) {
        double mean = std::accumulate(z.begin(), z.end(), 0.0) / n;
        double second = 0, fourth = 0;
        std::size_t beyond3 = 0, beyond4 = 0;
        for (double v : z) {
            second += v * v;
            fourth += v * v * v * v;
            beyond3 += std::fabs(v) > 3.0 ? 1 : 0;
            beyond4 += std::fabs(v) > 4.0 ? 1 : 0;
        }
        EXPECT_NEAR(mean, 0.0, 4.0 / std::sqrt(n));
        EXPECT_NEAR(second / n, 1.0, 4.0 * std::sqrt(2.0 / n));   // Var(Z^2) = 2
        EXPECT_NEAR(fourth / n, 3.0, 4.0 * std::sqrt(96.0 / n));  // Var(Z^4) = 105 - 9
        for (auto [level, count] : {std::pair{3.0, beyond3}, std::pair{4.0, beyond4}}) {
            double p = 2.0 * cdf(-level);
            EXPECT_NEAR(static_cast<double>(count), n * p, 4.0 * std::sqrt(n * p * (1 - p))) << level;
        }
        std::sort(z.begin(), z.end());
        double ks = 0;
        std::vector<double> bins(40, 0.0);
        for (std::size_t k = 0; k < m; ++k) {
            double f = cdf(z[k]);
            ks = std::max({ks, std::fabs(f - static_cast<double>(k) / n), std::fabs(f - static_cast<double>(k + 1) / n)});
            bins[std::min<std::size_t>(39, static_cast<std::size_t>(f * 40.0))] += 1;
        }
        EXPECT_LT(ks, 1.95 / std::sqrt(n));  // Kolmogorov distribution, P(D > 1.95 / sqrt(n)) ~ 0.1%
        double chi2 = 0;
        for (double c : bins) chi2 += (c - n / 40.0) * (c - n / 40.0) / (n / 40.0);
        EXPECT_LT(chi2, 72.05);  // chi-square, 39 degrees of freedom, 0.1%
    }
    double product = 0, square_product = 0;
    for (std::size_t g = 0; g < m; ++g) {
        double c = x[2 * g] - 100.0;
        double s = x[2 * g + 1] - 100.0;
        product += c * s;
        square_product += (c * c - 1.0) * (s * s - 1.0);
    }
    EXPECT_NEAR(product / n, 0.0, 4.0 / std::sqrt(n));
    EXPECT_NEAR(square_product / n, 0.0, 4.0 * 2.0 / std::sqrt(n));
}

TEST(InsuranceStatistics, MeanIsLambdaTimesTheExpectedPayout) {
    InsuranceArgs a = insurance_args();
    double payout = lognormal_lev(7.0, 1.3, a.deductible + a.limit) - lognormal_lev(7.0, 1.3, a.deductible);
    InsuranceOutput poisson = run_all<InsuranceOutput>(a);
    EXPECT_NEAR(poisson.mean, a.frequency.lambda * payout, 4 * poisson.stderr_);
    a.frequency = {Frequency::Dist::negbin, 4.0, 1.5};
    InsuranceOutput negbin = run_all<InsuranceOutput>(a);
    EXPECT_NEAR(negbin.mean, a.frequency.lambda * payout, 4 * negbin.stderr_);
    EXPECT_GT(negbin.std, poisson.std);  // over-dispersed counts
}

TEST(InsuranceStatistics, ParetoMeanMatchesItsLimitedExpectedValue) {
    InsuranceArgs a = insurance_args();
    a.frequency.lambda = 2.0;
    a.severity = {Severity::Dist::pareto, 0, 0, 2.5, 1000.0};
    a.deductible = 500;
    a.limit = 5000;
    double payout = pareto_lev(2.5, 1000.0, a.deductible + a.limit) - pareto_lev(2.5, 1000.0, a.deductible);
    InsuranceOutput out = run_all<InsuranceOutput>(a);
    EXPECT_NEAR(out.mean, a.frequency.lambda * payout, 4 * out.stderr_);
}

TEST(InsuranceStatistics, RiskMeasuresAgreeWithTheSortedSamples) {
    InsuranceArgs a = insurance_args();
    a.frequency.lambda = 1.5;  // many loss-free years: P(loss = 0) is large
    InsuranceOutput out = run_all<InsuranceOutput>(a);
    std::vector<double> xs = samples(a, kKey, 0, a.iterations);
    auto positive = std::count_if(xs.begin(), xs.end(), [](double x) { return x > 0; });
    EXPECT_EQ(out.p_loss, static_cast<double>(positive) / static_cast<double>(xs.size()));
    std::sort(xs.begin(), xs.end());
    EXPECT_EQ(out.max, xs.back());
    std::vector<std::tuple<double, double, std::uint64_t>> measures = {
        {out.var_95, out.tvar_95, 950}, {out.var_99, out.tvar_99, 990}, {out.var_995, out.tvar_995, 995}};
    for (auto [var, tvar, permille] : measures) {
        std::uint64_t rank = rank_of(xs.size(), permille);
        long double tail = std::accumulate(xs.begin() + static_cast<std::ptrdiff_t>(rank), xs.end(), 0.0L);
        EXPECT_LE(relative_error(var, xs[rank]), kAccuracy) << permille;
        EXPECT_LE(relative_error(tvar, static_cast<double>(tail / (xs.size() - rank))), kAccuracy) << permille;
        EXPECT_GE(tvar, var);
    }
}

TEST(InsuranceStatistics, AggregateLimitCapsEveryYear) {
    InsuranceArgs a = insurance_args();
    a.iterations = 20000;
    a.aggregate_limit = 30000;
    InsuranceOutput out = run_all<InsuranceOutput>(a);
    EXPECT_EQ(out.max, 30000.0);
    EXPECT_LE(out.var_995, 30000.0);
    EXPECT_LE(out.tvar_995, 30000.0);
}

OptionArgs option_args(bool call, bool antithetic) { return {(1U << 20) + 5, 100, 105, 0.03, 0.25, 1.5, call, antithetic}; }

TEST(OptionStatistics, PriceMatchesBlackScholes) {
    for (bool call : {true, false}) {
        for (bool antithetic : {true, false}) {
            OptionArgs a = option_args(call, antithetic);
            OptionOutput out = run_all<OptionOutput>(a);
            SCOPED_TRACE(std::string(call ? "call" : "put") + (antithetic ? " antithetic" : ""));
            EXPECT_NEAR(out.price, black_scholes(a), 4 * out.stderr_);
            EXPECT_EQ(out.ci95_low, out.price - 1.96 * out.stderr_);
            EXPECT_EQ(out.ci95_high, out.price + 1.96 * out.stderr_);
        }
    }
}

TEST(OptionStatistics, AntitheticPairsReduceTheStandardError) {
    OptionOutput plain = run_all<OptionOutput>(option_args(true, false));
    OptionOutput paired = run_all<OptionOutput>(option_args(true, true));
    EXPECT_LT(paired.stderr_, plain.stderr_);
}

TEST(OptionStatistics, ZeroVolatilityIsTheDiscountedForwardPayoff) {
    OptionArgs a{1000, 100, 90, 0.05, 0.0, 2.0, true, false};
    OptionOutput out = run_all<OptionOutput>(a);
    EXPECT_NEAR(out.price, black_scholes(a), 1e-12 * black_scholes(a));
    EXPECT_EQ(out.stderr_, 0.0);
}

TEST(OptionStatistics, BlackScholesReferenceValues) {
    // Hull, "Options, Futures and Other Derivatives", example 15.6: S=42, K=40, r=10%, sigma=20%, T=0.5.
    EXPECT_NEAR(black_scholes({1, 42, 40, 0.1, 0.2, 0.5, true, false}), 4.76, 0.005);
    EXPECT_NEAR(black_scholes({1, 42, 40, 0.1, 0.2, 0.5, false, false}), 0.81, 0.005);
}

}  // namespace
}  // namespace forgehive::kernels::mc
