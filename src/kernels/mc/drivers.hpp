// Private glue between the public kernel API (kernels.cpp) and the per-profile drivers: ISA variant
// lookup, per-unit lane accumulators, and each profile's run / samples / finalize.
#pragma once

#include "block_kernels.hpp"
#include "forgehive/kernels/mc/kernels.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace forgehive::kernels::mc::detail {

blocks::Variant variant_for(Isa isa);

// Lanes of a fresh unit: zero sums, min +inf, max -inf.
blocks::LaneAcc fresh_lanes();
// The scalar twin of accumulate() in block_kernels.inc, for one sample in lane `lane`.
void add_to_lane(blocks::LaneAcc& acc, std::size_t lane, double x, double pivot);
// Folds one finished unit of `samples` samples into the partial (exact sums, min, max, counts).
void fold_lanes(const blocks::LaneAcc& acc, std::uint64_t samples, Partial& into);

// Runs units [first_unit, first_unit + count) block by block: run_block(first_iteration, valid, lanes)
// for each block of at most blocks::kBlock iterations, with lanes fresh for every unit and folded into
// `into` at its end (unit-local lanes keep the sums independent of how units are grouped), after
// end_unit().
template <class Args, class RunBlock, class EndUnit>
void for_each_block(const Args& args, std::uint64_t first_unit, std::uint64_t count, Partial& into,
                    RunBlock&& run_block, EndUnit&& end_unit) {
    for (std::uint64_t unit = first_unit; unit < first_unit + count; ++unit) {
        std::uint64_t samples = unit_iterations(args, unit);
        std::uint64_t first_iteration = unit * kUnitIterations;
        blocks::LaneAcc lanes = fresh_lanes();
        for (std::uint64_t done = 0; done < samples; done += blocks::kBlock) {
            auto valid = static_cast<std::size_t>(std::min<std::uint64_t>(blocks::kBlock, samples - done));
            run_block(first_iteration + done, valid, lanes);
        }
        end_unit();
        fold_lanes(lanes, samples, into);
    }
}

template <class Args, class RunBlock>
void for_each_block(const Args& args, std::uint64_t first_unit, std::uint64_t count, Partial& into,
                    RunBlock&& run_block) {
    for_each_block(args, first_unit, count, into, run_block, [] {});
}

struct Moments {
    double mean, std, stderr_;
};
// Mean, sample standard deviation (n - 1) and standard error from the exact sums of x - pivot.
Moments moments(const Partial& partial, double pivot);
// The 0-based rank floor(q (n - 1)) of quantile q = permille / 1000, in exact integer arithmetic.
std::uint64_t quantile_rank(std::uint64_t n, std::uint64_t permille);

double eta_pivot(const EtaArgs& args);
Partial run_eta(const EtaArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count,
                const blocks::Variant& variant);
std::vector<double> eta_samples(const EtaArgs& args, const RootKey& key, std::uint64_t first, std::uint64_t count);
EtaOutput finalize_eta(const EtaArgs& args, const Partial& partial);

Partial run_option(const OptionArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count,
                   const blocks::Variant& variant);
std::vector<double> option_samples(const OptionArgs& args, const RootKey& key, std::uint64_t first,
                                   std::uint64_t count);
OptionOutput finalize_option(const OptionArgs& args, const Partial& partial);

Partial run_insurance(const InsuranceArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count);
std::vector<double> insurance_samples(const InsuranceArgs& args, const RootKey& key, std::uint64_t first,
                                      std::uint64_t count);
InsuranceOutput finalize_insurance(const InsuranceArgs& args, const Partial& partial);

}  // namespace forgehive::kernels::mc::detail
