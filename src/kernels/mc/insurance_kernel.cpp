// insurance.loss.v1: annual losses from a claim count and per-claim severities on per-iteration streams
// (scalar: rejection samplers consume a variable number of randoms), and the risk measures.
#include "drivers.hpp"

#include "forgehive/kernels/mc/samplers.hpp"

#include <algorithm>

namespace forgehive::kernels::mc::detail {
namespace {

constexpr std::uint32_t kStreamFrequency = 0;
constexpr std::uint32_t kStreamSeverity = 1;

// One simulated year: claims are paid in draw order, each min(max(X - deductible, 0), limit).
double annual_loss(const InsuranceArgs& a, const PoissonSampler& poisson, const RootKey& key, std::uint64_t iteration) {
    IterationRng frequency(key, iteration, kStreamFrequency);
    IterationRng severity(key, iteration, kStreamSeverity);
    std::uint64_t claims = sample_claim_count(frequency, a.frequency, poisson);
    double loss = 0.0;
    for (std::uint64_t c = 0; c < claims; ++c) {
        double x = sample_severity(severity, a.severity);
        double payout = x - a.deductible;
        payout = payout > 0.0 ? payout : 0.0;
        loss += payout < a.limit ? payout : a.limit;
    }
    if (a.aggregate_limit && loss > *a.aggregate_limit) loss = *a.aggregate_limit;
    return loss;
}

}  // namespace

Partial run_insurance(const InsuranceArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count) {
    Partial out;
    PoissonSampler poisson(args.frequency.lambda);
    for (std::uint64_t unit = first_unit; unit < first_unit + count; ++unit) {
        std::uint64_t samples = unit_iterations(args, unit);
        std::uint64_t first_iteration = unit * kUnitIterations;
        blocks::LaneAcc lanes = fresh_lanes();
        for (std::uint64_t i = 0; i < samples; ++i) {
            double loss = annual_loss(args, poisson, key, first_iteration + i);
            add_to_lane(lanes, static_cast<std::size_t>(i % blocks::kLanes), loss, 0.0);
            out.sketch.add(loss);
            out.positive += loss > 0.0 ? 1 : 0;
        }
        fold_lanes(lanes, samples, out);
    }
    return out;
}

std::vector<double> insurance_samples(const InsuranceArgs& args, const RootKey& key, std::uint64_t first,
                                      std::uint64_t count) {
    PoissonSampler poisson(args.frequency.lambda);
    std::vector<double> values;
    values.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) values.push_back(annual_loss(args, poisson, key, first + i));
    return values;
}

InsuranceOutput finalize_insurance(const InsuranceArgs&, const Partial& p) {
    Moments m = moments(p, 0.0);
    auto var = [&](std::uint64_t permille) {
        return p.sketch.value_at_rank(quantile_rank(p.count, permille), p.min, p.max);
    };
    auto tvar = [&](std::uint64_t permille) {
        return p.sketch.mean_from_rank(quantile_rank(p.count, permille), p.min, p.max);
    };
    double n = static_cast<double>(p.count);
    return {std::clamp(m.mean, p.min, p.max), m.std, m.stderr_, var(950), var(990), var(995), tvar(950),
            tvar(990), tvar(995), static_cast<double>(p.positive) / n, p.max};
}

}  // namespace forgehive::kernels::mc::detail
