// eta.v1: the driver over work units (block kernels do the sampling), the sample replay for tests, and
// the output (moments, sketch quantiles, histogram, exact exceedance probabilities).
#include "drivers.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <numeric>

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

namespace {

// The tally window: 16 octaves centred on the pivot's bucket (the pivot is near the mean), so a unit's
// samples normally all land inside it.
std::unique_ptr<blocks::EtaTally> make_tally(double pivot) {
    auto tally = std::make_unique<blocks::EtaTally>();  // value-initialised: the table starts at zero
    std::int32_t centre = LogSketch::bucket_of(pivot);
    tally->window_low = centre == LogSketch::kZeroBucket ? 0 : centre - static_cast<std::int32_t>(blocks::kTallyWindow / 2);
    return tally;
}

// Adds a finished unit's tally (every sample but the outside ones) to the sketch and clears it.
void flush_tally(blocks::EtaTally& tally, LogSketch& sketch) {
    auto count_of = [&](std::size_t entry) {
        const std::uint32_t* t = tally.table + blocks::kTallies * entry;
        return std::accumulate(t, t + blocks::kTallies, 0U);
    };
    std::uint32_t counts[blocks::kTallyWindow];
    std::size_t low = blocks::kTallyWindow;
    std::size_t high = 0;
    for (std::size_t k = 0; k < blocks::kTallyWindow; ++k) {
        counts[k] = count_of(k);
        if (counts[k] != 0) {
            low = std::min(low, k);
            high = k;
        }
    }
    std::size_t span = low <= high ? high - low + 1 : 0;
    std::size_t first = span == 0 ? 0 : low;
    sketch.add_counts(tally.window_low + static_cast<std::int32_t>(first), counts + first, span, count_of(blocks::kTallyZero));
    std::fill(std::begin(tally.table), std::end(tally.table), 0U);
}

// Adds the block's samples that fell outside the tally window (block.outside of them) to the sketch.
void add_outside(const blocks::BlockOut& block, std::size_t valid, std::int32_t window_low, LogSketch& sketch) {
    for (std::size_t j = 0; j < valid; ++j) {
        std::int32_t bucket = LogSketch::bucket_of(block.values[j]);
        std::int64_t index = static_cast<std::int64_t>(bucket) - window_low;
        bool outside = index < 0 || index >= static_cast<std::int64_t>(blocks::kTallyWindow);
        if (bucket != LogSketch::kZeroBucket && outside) sketch.add(block.values[j]);
    }
}

}  // namespace

Partial run_eta(const EtaArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count,
                const blocks::Variant& variant) {
    Partial out;
    out.exceed.assign(args.thresholds.size(), 0);
    blocks::EtaParams params = make_params(args, key);
    auto block = std::make_unique<blocks::BlockOut>();
    auto tally = make_tally(params.pivot);
    auto run_block = [&](std::uint64_t first, std::size_t valid, blocks::LaneAcc& lanes) {
        variant.eta_block(params, first, valid, *block, lanes, out.exceed.data(), *tally);
        if (block->outside != 0) add_outside(*block, valid, tally->window_low, out.sketch);
    };
    for_each_block(args, first_unit, count, out, run_block, [&] { flush_tally(*tally, out.sketch); });
    return out;
}

std::vector<double> eta_samples(const EtaArgs& args, const RootKey& key, std::uint64_t first, std::uint64_t count) {
    blocks::EtaParams params = make_params(args, key);
    params.threshold_count = 0;
    blocks::Variant variant = variant_for(default_isa());
    auto block = std::make_unique<blocks::BlockOut>();
    auto tally = make_tally(params.pivot);  // counts not used
    blocks::LaneAcc lanes = fresh_lanes();
    std::vector<double> values;
    values.reserve(count);
    // Blocks start at multiples of kBlock, as in run_eta (stream 0 and 1 serve two iterations a draw).
    std::uint64_t start = first - first % blocks::kBlock;
    std::uint64_t end = first + count;
    for (std::uint64_t at = start; at < end; at += blocks::kBlock) {
        std::size_t valid = static_cast<std::size_t>(std::min<std::uint64_t>(blocks::kBlock, end - at));
        variant.eta_block(params, at, valid, *block, lanes, nullptr, *tally);
        std::size_t skip = at < first ? static_cast<std::size_t>(first - at) : 0;
        values.insert(values.end(), block->values + skip, block->values + valid);
        std::fill(std::begin(tally->table), std::end(tally->table), 0U);  // so the counts cannot overflow
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
