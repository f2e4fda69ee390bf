// Validation rules, unit arithmetic and version strings of the Monte Carlo profiles. The ranges keep
// every intermediate value finite (docs/mc-models.md "Arguments") and the work per iteration bounded.
#include "forgehive/kernels/mc/profiles.hpp"

#include <cmath>
#include <string_view>

namespace forgehive::kernels::mc {
namespace {

using Result = std::optional<ArgViolation>;

// A closed or half-open range check with the rule text the caller sees.
struct Range {
    double low;
    double high;
    bool low_open;
    std::string_view rule;
};

constexpr Range kProbability{0.0, 1.0, false, "must be in [0, 1]"};

Result check(std::string_view field, double value, const Range& range) {
    if (!std::isfinite(value)) return ArgViolation{std::string(field), "must be a finite number"};
    bool below = range.low_open ? !(value > range.low) : !(value >= range.low);
    if (below || value > range.high) return ArgViolation{std::string(field), std::string(range.rule)};
    return std::nullopt;
}

Result check_iterations(std::uint64_t iterations) {
    if (iterations < 1 || iterations > kMaxIterations)
        return ArgViolation{"args.iterations", "must be an integer in [1, 1e10]"};
    return std::nullopt;
}

// Checks in order; the first violation wins.
template <typename... Checks>
Result first_of(Checks&&... checks) {
    Result result;
    ((result = result ? result : checks()), ...);
    return result;
}

Result validate_eta(const EtaArgs& a) {
    constexpr Range kBase{0.0, 1e7, false, "must be in [0, 1e7]"};
    constexpr Range kMean{-1e7, 1e7, false, "must be in [-1e7, 1e7]"};
    constexpr Range kStd{0.0, 1e7, false, "must be in [0, 1e7]"};
    constexpr Range kThreshold{-1e15, 1e15, false, "must be in [-1e15, 1e15]"};
    Result result = first_of([&] { return check_iterations(a.iterations); },
                             [&] { return check("args.base_eta", a.base_eta, kBase); },
                             [&] { return check("args.traffic_mean", a.traffic_mean, kMean); },
                             [&] { return check("args.traffic_std", a.traffic_std, kStd); },
                             [&] { return check("args.weather_prob", a.weather_prob, kProbability); },
                             [&] { return check("args.weather_mean", a.weather_mean, kMean); },
                             [&] { return check("args.weather_std", a.weather_std, kStd); },
                             [&] { return check("args.incident_prob", a.incident_prob, kProbability); },
                             [&] { return check("args.incident_mean", a.incident_mean, kMean); },
                             [&] { return check("args.incident_std", a.incident_std, kStd); });
    if (result) return result;
    if (a.thresholds.size() > kMaxThresholds) return ArgViolation{"args.thresholds", "must have at most 64 entries"};
    for (std::size_t i = 0; i < a.thresholds.size(); ++i) {
        if (auto v = check("args.thresholds[" + std::to_string(i) + "]", a.thresholds[i], kThreshold)) return v;
    }
    return std::nullopt;
}

Result validate_frequency(const Frequency& f) {
    if (auto v = check("args.frequency.lambda", f.lambda, {0.0, 1000.0, false, "must be in [0, 1000]"})) return v;
    if (f.dist == Frequency::Dist::negbin)
        return check("args.frequency.dispersion", f.dispersion, {0.5, 1e6, false, "must be in [0.5, 1e6]"});
    return std::nullopt;
}

Result validate_severity(const Severity& s) {
    constexpr Range kScale{0.0, 1e12, true, "must be in (0, 1e12]"};
    switch (s.dist) {
    case Severity::Dist::lognormal:
        return first_of([&] { return check("args.severity.mu", s.mu, {-50.0, 50.0, false, "must be in [-50, 50]"}); },
                        [&] { return check("args.severity.sigma", s.sigma, {0.0, 10.0, false, "must be in [0, 10]"}); });
    case Severity::Dist::gamma:
        return first_of(
            [&] { return check("args.severity.shape", s.shape, {0.01, 1e6, false, "must be in [0.01, 1e6]"}); },
            [&] { return check("args.severity.scale", s.scale, kScale); });
    case Severity::Dist::pareto:
        return first_of(
            [&] { return check("args.severity.shape", s.shape, {0.1, 1000.0, false, "must be in [0.1, 1000]"}); },
            [&] { return check("args.severity.scale", s.scale, kScale); });
    }
    return std::nullopt;
}

Result validate_insurance(const InsuranceArgs& a) {
    return first_of(
        [&] { return check_iterations(a.iterations); }, [&] { return validate_frequency(a.frequency); },
        [&] { return validate_severity(a.severity); },
        [&] { return check("args.deductible", a.deductible, {0.0, 1e15, false, "must be in [0, 1e15]"}); },
        [&] { return check("args.limit", a.limit, {0.0, 1e15, true, "must be in (0, 1e15]"}); },
        [&]() -> Result {
            if (!a.aggregate_limit) return std::nullopt;
            return check("args.aggregate_limit", *a.aggregate_limit, {0.0, 1e18, true, "must be in (0, 1e18]"});
        });
}

Result validate_option(const OptionArgs& a) {
    constexpr Range kPrice{0.0, 1e9, true, "must be in (0, 1e9]"};
    return first_of([&] { return check_iterations(a.iterations); },
                    [&] { return check("args.spot", a.spot, kPrice); },
                    [&] { return check("args.strike", a.strike, kPrice); },
                    [&] { return check("args.rate", a.rate, {-0.5, 1.0, false, "must be in [-0.5, 1]"}); },
                    [&] { return check("args.volatility", a.volatility, {0.0, 2.0, false, "must be in [0, 2]"}); },
                    [&] { return check("args.maturity", a.maturity, {0.0, 50.0, true, "must be in (0, 50]"}); });
}

}  // namespace

std::optional<ArgViolation> validate(const ProfileArgs& args) {
    return std::visit(
        [](const auto& a) -> Result {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, EtaArgs>) return validate_eta(a);
            else if constexpr (std::is_same_v<T, InsuranceArgs>) return validate_insurance(a);
            else return validate_option(a);
        },
        args);
}

std::uint64_t iterations_of(const ProfileArgs& args) {
    return std::visit([](const auto& a) { return a.iterations; }, args);
}

std::uint64_t unit_count(const ProfileArgs& args) {
    std::uint64_t n = iterations_of(args);
    return n / kUnitIterations + (n % kUnitIterations != 0 ? 1 : 0);
}

std::uint64_t unit_iterations(const ProfileArgs& args, std::uint64_t unit) {
    std::uint64_t n = iterations_of(args);
    if (unit >= unit_count(args)) return 0;
    std::uint64_t start = unit * kUnitIterations;
    return n - start < kUnitIterations ? n - start : kUnitIterations;
}

std::string kernel_version(const ProfileArgs& args) {
    // The k number of each profile changes whenever any of its output bits could change (docs/mc-models.md).
    return std::visit(
        [](const auto& a) -> std::string {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, EtaArgs>) return "eta.v1/philox4x32-10/k3";
            else if constexpr (std::is_same_v<T, InsuranceArgs>) return "insurance.loss.v1/philox4x32-10/k1";
            else return "finance.option.v1/philox4x32-10/k1";
        },
        args);
}

}  // namespace forgehive::kernels::mc
