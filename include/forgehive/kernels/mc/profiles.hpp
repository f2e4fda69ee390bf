// The typed arguments of the Monte Carlo profiles (eta.v1, insurance.loss.v1, finance.option.v1), their
// validation rules, work-unit arithmetic and kernel version strings. docs/mc-models.md documents each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace forgehive::kernels::mc {

// Iterations per work unit, fixed by the contract (DESIGN.md §4): unit u covers iterations
// [u * kUnitIterations, min((u + 1) * kUnitIterations, iterations)).
inline constexpr std::uint64_t kUnitIterations = 65536;

inline constexpr std::uint64_t kMaxIterations = 10'000'000'000ULL;
inline constexpr std::size_t kMaxThresholds = 64;
// Claims per simulated year are capped here, so the work per iteration is bounded. Within the validated
// ranges the cap is reached with probability of about 1e-15 per year at worst (lambda = 1000,
// dispersion = 0.5; docs/mc-models.md).
inline constexpr std::uint64_t kMaxClaimsPerYear = 65536;

// eta = base_eta + max(0, N(traffic_mean, traffic_std))
//     + [U1 < weather_prob]  * max(0, N(weather_mean, weather_std))
//     + [U2 < incident_prob] * max(0, N(incident_mean, incident_std))
struct EtaArgs {
    std::uint64_t iterations = 0;
    double base_eta = 0, traffic_mean = 0, traffic_std = 0;
    double weather_prob = 0, weather_mean = 0, weather_std = 0;
    double incident_prob = 0, incident_mean = 0, incident_std = 0;
    std::vector<double> thresholds;  // P(eta > t) is reported for each, in this order
};

// Claims per year. negbin is the gamma-Poisson mixture with mean lambda and variance
// lambda + lambda^2 / dispersion (dispersion is ignored for poisson).
struct Frequency {
    enum class Dist { poisson, negbin };
    Dist dist = Dist::poisson;
    double lambda = 0;
    double dispersion = 1;
};

// Size of one claim. lognormal: exp(N(mu, sigma)). gamma: shape k, scale theta (mean k theta).
// pareto: the classic (type I) Pareto with minimum `scale` and tail index `shape`:
// P(X > x) = (scale / x)^shape for x >= scale.
struct Severity {
    enum class Dist { lognormal, gamma, pareto };
    Dist dist = Dist::lognormal;
    double mu = 0, sigma = 0;       // lognormal
    double shape = 1, scale = 1;    // gamma, pareto
};

// Annual loss = sum over N claims of min(max(X - deductible, 0), limit), then min(., aggregate_limit).
struct InsuranceArgs {
    std::uint64_t iterations = 0;  // simulated years
    Frequency frequency;
    Severity severity;
    double deductible = 0, limit = 0;
    std::optional<double> aggregate_limit;
};

// European option under geometric Brownian motion. With antithetic, one iteration is one pair of paths
// (Z, -Z) and its sample is the mean of the two payoffs.
struct OptionArgs {
    std::uint64_t iterations = 0;
    double spot = 0, strike = 0, rate = 0, volatility = 0, maturity = 0;
    bool call = true;
    bool antithetic = false;
};

using ProfileArgs = std::variant<EtaArgs, InsuranceArgs, OptionArgs>;

// The first rule an argument breaks: the field's path ("args.frequency.lambda") and the rule
// ("must be in [0, 1000]").
struct ArgViolation {
    std::string field;
    std::string rule;
    bool operator==(const ArgViolation&) const = default;
};

std::optional<ArgViolation> validate(const ProfileArgs& args);

std::uint64_t iterations_of(const ProfileArgs& args);
// ceil(iterations / kUnitIterations); the last unit may be partial.
std::uint64_t unit_count(const ProfileArgs& args);
// Iterations in unit u (kUnitIterations except possibly the last); 0 past the end.
std::uint64_t unit_iterations(const ProfileArgs& args, std::uint64_t unit);

// "<profile>/philox4x32-10/k<n>": n changes whenever any output bit could change for the same inputs.
std::string kernel_version(const ProfileArgs& args);

}  // namespace forgehive::kernels::mc
