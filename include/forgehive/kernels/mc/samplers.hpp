// Scalar samplers with per-iteration random streams: uniforms, normals, Poisson (inversion / PTRS),
// gamma (Marsaglia–Tsang), negative binomial (gamma–Poisson) and the insurance severities. Each draw
// comes from the Philox counter (iteration, stream, draw), so a rejection loop that consumes a variable
// number of randoms never shifts the randoms of any other iteration.
#pragma once

#include "forgehive/kernels/mc/philox.hpp"
#include "forgehive/kernels/mc/profiles.hpp"

#include <cstdint>

namespace forgehive::kernels::mc {

// The draws of one (iteration, stream): Philox blocks with draw counter 0, 1, 2, ..., consumed as
// 32-bit words in order (w0..w3 of block 0, then block 1, ...).
class IterationRng {
public:
    IterationRng(const RootKey& key, std::uint64_t iteration, std::uint32_t stream);

    std::uint32_t next_u32();
    // (0, 1] from the next two words (det_u53).
    double next_u53();
    // Box–Muller: radius from next_u53, angle from the next word as a fraction of a turn; returns
    // r cos(theta) and keeps r sin(theta) for the following call.
    double next_normal();

private:
    PhiloxKey key_;
    std::uint64_t iteration_;
    std::uint32_t stream_;
    std::uint32_t draw_ = 0;
    PhiloxCounter words_{};
    unsigned used_ = 4;
    bool has_spare_ = false;
    double spare_ = 0.0;
};

// ln(k!): exact factorials through log for k <= 22, Stirling's series beyond (error below 1e-13).
double log_factorial(std::uint64_t k);

// Poisson(lambda) for finite lambda >= 0 (the negbin mixture can exceed the validated 1000). Inversion by
// sequential search for lambda < 10 (one uniform); Hörmann's PTRS transformed rejection ("The
// transformed rejection method for generating Poisson random variables", 1993) for lambda >= 10 (two
// uniforms per attempt). The result is capped at kMaxClaimsPerYear.
class PoissonSampler {
public:
    explicit PoissonSampler(double lambda);
    std::uint64_t operator()(IterationRng& rng) const;

private:
    std::uint64_t inversion(IterationRng& rng) const;
    std::uint64_t ptrs(IterationRng& rng) const;

    double lambda_;
    double exp_minus_lambda_ = 0, log_lambda_ = 0, a_ = 0, b_ = 0, inv_alpha_ = 0, v_r_ = 0;
};

// Gamma(shape, scale) by Marsaglia and Tsang, "A simple method for generating gamma variables" (ACM
// TOMS 2000); shape < 1 via Gamma(shape + 1) * U^(1/shape) (the uniform drawn after the gamma).
double sample_gamma(IterationRng& rng, double shape, double scale);

// Negative binomial with mean `mean` and variance mean + mean^2 / dispersion: Poisson(Gamma(dispersion,
// mean / dispersion)), both from rng in that order. Capped at kMaxClaimsPerYear.
std::uint64_t sample_negbin(IterationRng& rng, double mean, double dispersion);

std::uint64_t sample_claim_count(IterationRng& rng, const Frequency& frequency, const PoissonSampler& poisson);

// One claim size: lognormal exp(mu + sigma Z); gamma; classic Pareto scale * U^(-1/shape).
double sample_severity(IterationRng& rng, const Severity& severity);

}  // namespace forgehive::kernels::mc
