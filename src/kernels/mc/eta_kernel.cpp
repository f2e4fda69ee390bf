// eta.v1: the driver over work units (block kernels do the sampling), the sample replay for tests, and
// the output (moments, sketch quantiles, histogram, exact exceedance probabilities).
#include "drivers.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace forgehive::kernels::mc::detail {
namespace {

// P(indicator) = ceil(p 2^32) / 2^32: the indicator fires when a uniform 32-bit word is below the cut.
std::uint64_t indicator_cut(double probability) {
    return static_cast<std::uint64_t>(std::ceil(probability * 4294967296.0));
}

blocks::EtaParams make_params(const EtaArgs& a, const RootKey& key) {
    return {{key.key[0], key.key[1]}, a.base_eta, a.traffic_mean, a.traffic_std, a.weather_mean, a.weather_std,
            a.incident_mean, a.incident_std, indicator_cut(a.weather_prob), indicator_cut(a.incident_prob),
            eta_pivot(a), a.thresholds.data(), a.thresholds.size()};
}

}  // namespace

// A cheap guess of the mean from the arguments (plain arithmetic, so deterministic): the sums are of
// eta - pivot, which keeps sum of squares minus square of sums free of cancellation when std << mean.
double eta_pivot(const EtaArgs& a) {
    auto positive = [](double x) { return x > 0.0 ? x : 0.0; };
    return ((a.base_eta + positive(a.traffic_mean)) + a.weather_prob * positive(a.weather_mean)) +
           a.incident_prob * positive(a.incident_mean);
}

Partial run_eta(const EtaArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count,
                const blocks::Variant& variant) {
    Partial out;
    out.exceed.assign(args.thresholds.size(), 0);
    blocks::EtaParams params = make_params(args, key);
    auto block = std::make_unique<blocks::BlockOut>();
    for_each_block(args, first_unit, count, out, [&](std::uint64_t first, std::size_t valid, blocks::LaneAcc& lanes) {
        variant.eta_block(params, first, valid, *block, lanes, out.exceed.data());
        if (block->counted) {
            out.sketch.add_counts(block->bucket_low, block->counts,
                                  static_cast<std::size_t>(block->bucket_high - block->bucket_low) + 1, block->zero_count);
        } else {
            out.sketch.add_buckets(block->buckets, valid, block->bucket_low, block->bucket_high, block->zero_count);
        }
    });
    return out;
}

std::vector<double> eta_samples(const EtaArgs& args, const RootKey& key, std::uint64_t first, std::uint64_t count) {
    blocks::EtaParams params = make_params(args, key);
    params.threshold_count = 0;
    blocks::Variant variant = variant_for(default_isa());
    auto block = std::make_unique<blocks::BlockOut>();
    blocks::LaneAcc lanes = fresh_lanes();
    std::vector<double> values;
    values.reserve(count);
    // Blocks start at multiples of kBlock, as in run_eta (stream 0 and 1 serve two iterations a draw).
    std::uint64_t start = first - first % blocks::kBlock;
    std::uint64_t end = first + count;
    for (std::uint64_t at = start; at < end; at += blocks::kBlock) {
        std::size_t valid = static_cast<std::size_t>(std::min<std::uint64_t>(blocks::kBlock, end - at));
        variant.eta_block(params, at, valid, *block, lanes, nullptr);
        std::size_t skip = at < first ? static_cast<std::size_t>(first - at) : 0;
        values.insert(values.end(), block->values + skip, block->values + valid);
    }
    return values;
}

namespace {

// kEtaHistogramBins equal-width bins on [min, max]; each sketch bucket's count goes to the bin holding
// its representative value (clamped to [min, max]), so a bin edge is exact to the sketch's 1%.
std::vector<HistogramBin> histogram(const Partial& p) {
    double width = (p.max - p.min) / static_cast<double>(kEtaHistogramBins);
    if (!(width > 0.0)) return {{p.min, p.max, p.count}};
    std::vector<HistogramBin> bins(kEtaHistogramBins);
    for (std::size_t j = 0; j < kEtaHistogramBins; ++j) {
        bins[j] = {p.min + static_cast<double>(j) * width, p.min + static_cast<double>(j + 1) * width, 0};
    }
    bins.back().upper = p.max;
    auto bin_of = [&](double value) {
        double clamped = std::clamp(value, p.min, p.max);
        auto j = static_cast<std::size_t>((clamped - p.min) / width);
        return std::min(j, kEtaHistogramBins - 1);
    };
    bins[bin_of(0.0)].count += p.sketch.zero_count;
    for (std::size_t i = 0; i < p.sketch.bins.size(); ++i) {
        bins[bin_of(LogSketch::bucket_value(p.sketch.offset + static_cast<std::int32_t>(i)))].count += p.sketch.bins[i];
    }
    return bins;
}

}  // namespace

EtaOutput finalize_eta(const EtaArgs& args, const Partial& p) {
    Moments m = moments(p, eta_pivot(args));
    auto quantile = [&](std::uint64_t permille) {
        return p.sketch.value_at_rank(quantile_rank(p.count, permille), p.min, p.max);
    };
    double mean = std::clamp(m.mean, p.min, p.max);  // removes a possible last-ulp step outside the data
    EtaOutput out{mean, m.std, m.stderr_, p.min, p.max, quantile(500), quantile(900), quantile(950), quantile(990),
                  histogram(p), {}};
    for (std::size_t k = 0; k < args.thresholds.size(); ++k) {
        out.exceedance.emplace_back(args.thresholds[k], static_cast<double>(p.exceed[k]) / static_cast<double>(p.count));
    }
    return out;
}

}  // namespace forgehive::kernels::mc::detail
