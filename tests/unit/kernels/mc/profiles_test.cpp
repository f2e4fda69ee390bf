// Unit tests for argument validation (each bad field named with its rule), unit arithmetic and the
// kernel version strings.
#include "forgehive/kernels/mc/profiles.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <limits>

namespace forgehive::kernels::mc {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

EtaArgs good_eta() {
    EtaArgs a;
    a.iterations = 1000;
    a.base_eta = 20;
    a.traffic_mean = 5;
    a.traffic_std = 3;
    a.weather_prob = 0.2;
    a.weather_mean = 4;
    a.weather_std = 2;
    a.incident_prob = 0.05;
    a.incident_mean = 15;
    a.incident_std = 10;
    a.thresholds = {25, 30, 45};
    return a;
}

InsuranceArgs good_insurance() {
    InsuranceArgs a;
    a.iterations = 1000;
    a.frequency = {Frequency::Dist::negbin, 3.0, 2.0};
    a.severity = {Severity::Dist::lognormal, 8.0, 1.2, 1.0, 1.0};
    a.deductible = 1000;
    a.limit = 100000;
    a.aggregate_limit = 1e6;
    return a;
}

OptionArgs good_option() { return {1000, 100, 105, 0.03, 0.2, 1.0, true, true}; }

// Applies `mutate` to a valid args value and expects exactly this violation.
template <typename Args>
void expect_violation(Args args, const std::function<void(Args&)>& mutate, const std::string& field,
                      const std::string& rule) {
    mutate(args);
    auto violation = validate(ProfileArgs{args});
    ASSERT_TRUE(violation.has_value()) << field;
    EXPECT_EQ(violation->field, field);
    EXPECT_EQ(violation->rule, rule);
}

TEST(Validate, AcceptsSensibleArgs) {
    EXPECT_FALSE(validate(good_eta()));
    EXPECT_FALSE(validate(good_insurance()));
    EXPECT_FALSE(validate(good_option()));
    InsuranceArgs poisson = good_insurance();
    poisson.frequency = {Frequency::Dist::poisson, 0.0, -5.0};  // dispersion ignored for poisson
    poisson.aggregate_limit.reset();
    EXPECT_FALSE(validate(poisson));
}

TEST(Validate, NamesEachBadEtaField) {
    using A = EtaArgs;
    expect_violation<A>(good_eta(), [](A& a) { a.iterations = 0; }, "args.iterations", "must be an integer in [1, 1e10]");
    expect_violation<A>(good_eta(), [](A& a) { a.iterations = kMaxIterations + 1; }, "args.iterations",
                        "must be an integer in [1, 1e10]");
    expect_violation<A>(good_eta(), [](A& a) { a.base_eta = -1; }, "args.base_eta", "must be in [0, 1e7]");
    expect_violation<A>(good_eta(), [](A& a) { a.base_eta = kNan; }, "args.base_eta", "must be a finite number");
    expect_violation<A>(good_eta(), [](A& a) { a.traffic_mean = 2e7; }, "args.traffic_mean", "must be in [-1e7, 1e7]");
    expect_violation<A>(good_eta(), [](A& a) { a.traffic_std = -0.1; }, "args.traffic_std", "must be in [0, 1e7]");
    expect_violation<A>(good_eta(), [](A& a) { a.weather_prob = 1.01; }, "args.weather_prob", "must be in [0, 1]");
    expect_violation<A>(good_eta(), [](A& a) { a.weather_mean = -kInf; }, "args.weather_mean", "must be a finite number");
    expect_violation<A>(good_eta(), [](A& a) { a.weather_std = -1; }, "args.weather_std", "must be in [0, 1e7]");
    expect_violation<A>(good_eta(), [](A& a) { a.incident_prob = -0.5; }, "args.incident_prob", "must be in [0, 1]");
    expect_violation<A>(good_eta(), [](A& a) { a.incident_mean = kInf; }, "args.incident_mean", "must be a finite number");
    expect_violation<A>(good_eta(), [](A& a) { a.incident_std = 1e8; }, "args.incident_std", "must be in [0, 1e7]");
    expect_violation<A>(good_eta(), [](A& a) { a.thresholds.assign(65, 1.0); }, "args.thresholds",
                        "must have at most 64 entries");
    expect_violation<A>(good_eta(), [](A& a) { a.thresholds[2] = kNan; }, "args.thresholds[2]", "must be a finite number");
    expect_violation<A>(good_eta(), [](A& a) { a.thresholds[1] = 1e16; }, "args.thresholds[1]", "must be in [-1e15, 1e15]");
}

TEST(Validate, NamesEachBadInsuranceField) {
    using A = InsuranceArgs;
    auto lognormal = good_insurance();
    expect_violation<A>(lognormal, [](A& a) { a.iterations = 0; }, "args.iterations", "must be an integer in [1, 1e10]");
    expect_violation<A>(lognormal, [](A& a) { a.frequency.lambda = 1000.5; }, "args.frequency.lambda", "must be in [0, 1000]");
    expect_violation<A>(lognormal, [](A& a) { a.frequency.lambda = kNan; }, "args.frequency.lambda", "must be a finite number");
    expect_violation<A>(lognormal, [](A& a) { a.frequency.dispersion = 0.4; }, "args.frequency.dispersion",
                        "must be in [0.5, 1e6]");
    expect_violation<A>(lognormal, [](A& a) { a.severity.mu = 51; }, "args.severity.mu", "must be in [-50, 50]");
    expect_violation<A>(lognormal, [](A& a) { a.severity.sigma = -1; }, "args.severity.sigma", "must be in [0, 10]");
    auto gamma = good_insurance();
    gamma.severity = {Severity::Dist::gamma, 0, 0, 2.0, 500.0};
    EXPECT_FALSE(validate(gamma));
    expect_violation<A>(gamma, [](A& a) { a.severity.shape = 0.001; }, "args.severity.shape", "must be in [0.01, 1e6]");
    expect_violation<A>(gamma, [](A& a) { a.severity.scale = 0; }, "args.severity.scale", "must be in (0, 1e12]");
    auto pareto = good_insurance();
    pareto.severity = {Severity::Dist::pareto, 0, 0, 2.5, 1000.0};
    EXPECT_FALSE(validate(pareto));
    expect_violation<A>(pareto, [](A& a) { a.severity.shape = 0.05; }, "args.severity.shape", "must be in [0.1, 1000]");
    expect_violation<A>(pareto, [](A& a) { a.severity.scale = 2e12; }, "args.severity.scale", "must be in (0, 1e12]");
    expect_violation<A>(lognormal, [](A& a) { a.deductible = -1; }, "args.deductible", "must be in [0, 1e15]");
    expect_violation<A>(lognormal, [](A& a) { a.limit = 0; }, "args.limit", "must be in (0, 1e15]");
    expect_violation<A>(lognormal, [](A& a) { a.limit = kInf; }, "args.limit", "must be a finite number");
    expect_violation<A>(lognormal, [](A& a) { a.aggregate_limit = 0.0; }, "args.aggregate_limit", "must be in (0, 1e18]");
}

TEST(Validate, NamesEachBadOptionField) {
    using A = OptionArgs;
    expect_violation<A>(good_option(), [](A& a) { a.iterations = 0; }, "args.iterations", "must be an integer in [1, 1e10]");
    expect_violation<A>(good_option(), [](A& a) { a.spot = 0; }, "args.spot", "must be in (0, 1e9]");
    expect_violation<A>(good_option(), [](A& a) { a.strike = -3; }, "args.strike", "must be in (0, 1e9]");
    expect_violation<A>(good_option(), [](A& a) { a.rate = 1.5; }, "args.rate", "must be in [-0.5, 1]");
    expect_violation<A>(good_option(), [](A& a) { a.volatility = 2.5; }, "args.volatility", "must be in [0, 2]");
    expect_violation<A>(good_option(), [](A& a) { a.maturity = 0; }, "args.maturity", "must be in (0, 50]");
    expect_violation<A>(good_option(), [](A& a) { a.maturity = kNan; }, "args.maturity", "must be a finite number");
}

TEST(Validate, ReportsTheFirstViolationInFieldOrder) {
    EtaArgs a = good_eta();
    a.traffic_std = -1;
    a.incident_prob = 2;
    EXPECT_EQ(validate(a)->field, "args.traffic_std");
}

TEST(Units, CountsFullAndPartialUnits) {
    OptionArgs a = good_option();
    a.iterations = 1;
    EXPECT_EQ(unit_count(a), 1U);
    a.iterations = kUnitIterations;
    EXPECT_EQ(unit_count(a), 1U);
    a.iterations = kUnitIterations + 1;
    EXPECT_EQ(unit_count(a), 2U);
    EXPECT_EQ(unit_iterations(a, 0), kUnitIterations);
    EXPECT_EQ(unit_iterations(a, 1), 1U);
    EXPECT_EQ(unit_iterations(a, 2), 0U);
    a.iterations = kMaxIterations;
    EXPECT_EQ(unit_count(a), 152588U);  // ceil(1e10 / 65536)
    EXPECT_EQ(iterations_of(a), kMaxIterations);
}

TEST(KernelVersion, NamesProfileGeneratorAndRevision) {
    EXPECT_EQ(kernel_version(good_eta()), "eta.v1/philox4x32-10/k3");
    EXPECT_EQ(kernel_version(good_insurance()), "insurance.loss.v1/philox4x32-10/k1");
    EXPECT_EQ(kernel_version(good_option()), "finance.option.v1/philox4x32-10/k1");
}

}  // namespace
}  // namespace forgehive::kernels::mc
