// Scalar samplers on per-iteration Philox streams (insurance.loss.v1 and tests). All arithmetic is IEEE
// basic operations, sqrt and the deterministic det_log/det_exp, so results are the same on every host.
#include "forgehive/kernels/mc/samplers.hpp"

#include "forgehive/kernels/mc/det_math.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace forgehive::kernels::mc {
namespace {

// floor(x) as an integer for |x| < 2^62 by truncation (exact; no libm).
std::int64_t floor_to_int(double x) {
    auto t = static_cast<std::int64_t>(x);
    return static_cast<double>(t) > x ? t - 1 : t;
}

constexpr std::array<double, 23> kFactorials = [] {
    std::array<double, 23> f{};
    f[0] = 1.0;
    for (std::size_t k = 1; k < f.size(); ++k) f[k] = f[k - 1] * static_cast<double>(k);  // exact to 22!
    return f;
}();

constexpr double kHalfLogTwoPi = 0.9189385332046728;  // ln(2 pi) / 2
constexpr double kPoissonInversionLimit = 10.0;
constexpr int kMaxRejections = 1000;  // never reached in practice (acceptance rates exceed 0.5)

}  // namespace

IterationRng::IterationRng(const RootKey& key, std::uint64_t iteration, std::uint32_t stream)
    : key_(key.key), iteration_(iteration), stream_(stream) {}

std::uint32_t IterationRng::next_u32() {
    if (used_ == 4) {
        words_ = philox4x32(stream_counter(iteration_, stream_, draw_++), key_);
        used_ = 0;
    }
    return words_[used_++];
}

double IterationRng::next_u53() {
    std::uint32_t w0 = next_u32();
    std::uint32_t w1 = next_u32();
    return det_u53(w0, w1);
}

double IterationRng::next_normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double radius = std::sqrt(-2.0 * det_log(next_u53()));
    SinCos angle = det_sincos_turn(next_u32());
    spare_ = radius * angle.sin;
    has_spare_ = true;
    return radius * angle.cos;
}

double log_factorial(std::uint64_t k) {
    if (k < kFactorials.size()) return det_log(kFactorials[k]);
    double x = static_cast<double>(k);
    double inv = 1.0 / x;
    double inv_sq = inv * inv;
    double series = inv * (1.0 / 12.0 - inv_sq * (1.0 / 360.0 - inv_sq * (1.0 / 1260.0)));
    return (x + 0.5) * det_log(x) - x + kHalfLogTwoPi + series;
}

PoissonSampler::PoissonSampler(double lambda) : lambda_(lambda) {
    if (lambda_ < kPoissonInversionLimit) {
        exp_minus_lambda_ = det_exp(-lambda_);
        return;
    }
    // Constants of algorithm PTRS (Hörmann 1993, table 1).
    double sqrt_lambda = std::sqrt(lambda_);
    log_lambda_ = det_log(lambda_);
    b_ = 0.931 + 2.53 * sqrt_lambda;
    a_ = -0.059 + 0.02483 * b_;
    inv_alpha_ = 1.1239 + 1.1328 / (b_ - 3.4);
    v_r_ = 0.9277 - 3.6224 / (b_ - 2.0);
}

std::uint64_t PoissonSampler::operator()(IterationRng& rng) const {
    if (lambda_ <= 0.0) return 0;
    std::uint64_t k = lambda_ < kPoissonInversionLimit ? inversion(rng) : ptrs(rng);
    return std::min(k, kMaxClaimsPerYear);
}

// Sequential search of the CDF; stops when the remaining terms no longer change the sum, so u
// rounding-close to 1 cannot loop for long.
std::uint64_t PoissonSampler::inversion(IterationRng& rng) const {
    double u = rng.next_u53();
    std::uint64_t k = 0;
    double p = exp_minus_lambda_;
    double cdf = p;
    while (u > cdf) {
        ++k;
        p = p * lambda_ / static_cast<double>(k);
        double next = cdf + p;
        if (next == cdf) break;
        cdf = next;
    }
    return k;
}

std::uint64_t PoissonSampler::ptrs(IterationRng& rng) const {
    for (int attempt = 0; attempt < kMaxRejections; ++attempt) {
        double u = rng.next_u53() - 0.5;
        double v = rng.next_u53();
        double us = 0.5 - std::fabs(u);
        // Step 3's squeeze rejection first: it is disjoint from step 2's acceptance (us >= 0.07), and
        // it leaves us > 0 for the division below.
        if (us < 0.013 && v > us) continue;
        double kd = (2.0 * a_ / us + b_) * u + lambda_ + 0.43;
        if (kd < 0.0) continue;
        auto k = floor_to_int(std::min(kd, 4.0e18));
        if (us >= 0.07 && v <= v_r_) return static_cast<std::uint64_t>(k);
        double log_accept = -lambda_ + static_cast<double>(k) * log_lambda_ - log_factorial(static_cast<std::uint64_t>(k));
        if (det_log(v * inv_alpha_ / (a_ / (us * us) + b_)) <= log_accept) return static_cast<std::uint64_t>(k);
    }
    return static_cast<std::uint64_t>(floor_to_int(lambda_));
}

namespace {

// Marsaglia–Tsang for shape >= 1.
double gamma_at_least_one(IterationRng& rng, double shape) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / std::sqrt(9.0 * d);
    for (int attempt = 0; attempt < kMaxRejections; ++attempt) {
        double x = 0.0;
        double v = 0.0;
        do {
            x = rng.next_normal();
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = rng.next_u53();
        double x_sq = x * x;
        if (u < 1.0 - 0.0331 * (x_sq * x_sq)) return d * v;
        if (det_log(u) < 0.5 * x_sq + d * (1.0 - v + det_log(v))) return d * v;
    }
    return d;
}

}  // namespace

double sample_gamma(IterationRng& rng, double shape, double scale) {
    if (shape >= 1.0) return scale * gamma_at_least_one(rng, shape);
    double g = gamma_at_least_one(rng, shape + 1.0);
    double u = rng.next_u53();
    return scale * (g * det_exp(det_log(u) / shape));
}

std::uint64_t sample_negbin(IterationRng& rng, double mean, double dispersion) {
    if (mean <= 0.0) return 0;
    double rate = sample_gamma(rng, dispersion, mean / dispersion);
    return PoissonSampler(rate)(rng);
}

std::uint64_t sample_claim_count(IterationRng& rng, const Frequency& frequency, const PoissonSampler& poisson) {
    if (frequency.dist == Frequency::Dist::poisson) return poisson(rng);
    return sample_negbin(rng, frequency.lambda, frequency.dispersion);
}

double sample_severity(IterationRng& rng, const Severity& severity) {
    switch (severity.dist) {
    case Severity::Dist::lognormal:
        return det_exp(severity.mu + severity.sigma * rng.next_normal());
    case Severity::Dist::gamma:
        return sample_gamma(rng, severity.shape, severity.scale);
    case Severity::Dist::pareto:
        return severity.scale * det_exp(-det_log(rng.next_u53()) / severity.shape);
    }
    return 0.0;
}

}  // namespace forgehive::kernels::mc
