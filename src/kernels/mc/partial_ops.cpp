// Per-unit lane accumulators folded into exact sums, and the statistics every profile derives from a
// merged Partial (moments, quantile ranks).
#include "drivers.hpp"

#include <cmath>
#include <limits>

namespace forgehive::kernels::mc::detail {

blocks::LaneAcc fresh_lanes() {
    blocks::LaneAcc acc{};
    for (std::size_t l = 0; l < blocks::kLanes; ++l) {
        acc.min[l] = std::numeric_limits<double>::infinity();
        acc.max[l] = -std::numeric_limits<double>::infinity();
    }
    return acc;
}

void add_to_lane(blocks::LaneAcc& acc, std::size_t lane, double x, double pivot) {
    auto two_sum_into = [](double& sum, double& comp, double v) {
        double s = sum + v;
        double b = s - sum;
        double err = (sum - (s - b)) + (v - b);
        sum = s;
        comp += err;
    };
    double d = x - pivot;
    two_sum_into(acc.sum[lane], acc.sum_comp[lane], d);
    two_sum_into(acc.sq[lane], acc.sq_comp[lane], d * d);
    acc.min[lane] = x < acc.min[lane] ? x : acc.min[lane];
    acc.max[lane] = x > acc.max[lane] ? x : acc.max[lane];
}

void fold_lanes(const blocks::LaneAcc& acc, std::uint64_t samples, Partial& into) {
    if (samples == 0) return;
    std::size_t lanes_used = samples < blocks::kLanes ? static_cast<std::size_t>(samples) : blocks::kLanes;
    double lo = acc.min[0];
    double hi = acc.max[0];
    for (std::size_t l = 0; l < blocks::kLanes; ++l) {
        into.sum.add(acc.sum[l]);
        into.sum.add(acc.sum_comp[l]);
        into.sum_sq.add(acc.sq[l]);
        into.sum_sq.add(acc.sq_comp[l]);
        if (l < lanes_used) {
            lo = acc.min[l] < lo ? acc.min[l] : lo;
            hi = acc.max[l] > hi ? acc.max[l] : hi;
        }
    }
    into.min = into.count == 0 || lo < into.min ? lo : into.min;
    into.max = into.count == 0 || hi > into.max ? hi : into.max;
    into.count += samples;
    into.units += 1;
}

Moments moments(const Partial& partial, double pivot) {
    auto n = static_cast<double>(partial.count);
    double sum = partial.sum.to_double();
    double sum_sq = partial.sum_sq.to_double();
    double mean_offset = sum / n;
    double variance = partial.count > 1 ? (sum_sq - sum * mean_offset) / (n - 1.0) : 0.0;
    variance = variance > 0.0 ? variance : 0.0;
    double std_dev = std::sqrt(variance);  // IEEE sqrt: correctly rounded everywhere
    return {pivot + mean_offset, std_dev, std_dev / std::sqrt(n)};
}

std::uint64_t quantile_rank(std::uint64_t n, std::uint64_t permille) { return (n - 1) * permille / 1000; }

}  // namespace forgehive::kernels::mc::detail
