// LogSketch: log-linear bucket mapping, dense trimmed window, exact merge, and the rank queries behind
// quantiles (VaR) and tail means (TVaR).
#include "forgehive/kernels/mc/sketch.hpp"

#include "block_kernels.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace forgehive::kernels::mc {

// The vectorised block kernels compute buckets with their own copy of these constants.
static_assert(LogSketch::kBucketShift == blocks::kSketchBucketShift);
static_assert(LogSketch::kMinIndexable == blocks::kSketchMinIndexable);

// Same operation as tally_entry() in block_kernels.inc.
std::int32_t LogSketch::bucket_of(double x) {
    if (!(x >= kMinIndexable)) return kZeroBucket;
    return static_cast<std::int32_t>(std::bit_cast<std::uint64_t>(x) >> kBucketShift);
}

// With lo = (64 + j) 2^e / 64 and hi = (65 + j) 2^e / 64: 2 lo hi / (lo + hi) = lo * 2 (65 + j) / (129 + 2 j).
double LogSketch::bucket_value(std::int32_t bucket) {
    if (bucket == kZeroBucket) return 0.0;
    double lo = std::bit_cast<double>(static_cast<std::uint64_t>(bucket) << kBucketShift);
    double j = static_cast<double>(bucket & ((1 << kSubBucketBits) - 1));
    return lo * ((2.0 * (65.0 + j)) / (129.0 + 2.0 * j));  // the ratio first: no overflow near the top
}

void LogSketch::ensure_window(std::int32_t low, std::int32_t high) {
    if (bins.empty()) {
        offset = low;
        bins.assign(static_cast<std::size_t>(high - low) + 1, 0);
        return;
    }
    std::int32_t current_high = offset + static_cast<std::int32_t>(bins.size()) - 1;
    if (low < offset) {
        bins.insert(bins.begin(), static_cast<std::size_t>(offset - low), 0);
        offset = low;
    }
    if (high > current_high) bins.resize(bins.size() + static_cast<std::size_t>(high - current_high), 0);
}

void LogSketch::trim() {
    auto first = std::find_if(bins.begin(), bins.end(), [](std::uint64_t c) { return c != 0; });
    if (first == bins.end()) {
        bins.clear();
        offset = 0;
        return;
    }
    auto last = std::find_if(bins.rbegin(), bins.rend(), [](std::uint64_t c) { return c != 0; }).base();
    offset += static_cast<std::int32_t>(first - bins.begin());
    bins.erase(last, bins.end());
    bins.erase(bins.begin(), first);
}

void LogSketch::add(double x) {
    std::int32_t bucket = bucket_of(x);
    add_buckets(&bucket, 1);
}

// The window grows at most once per run; then plain increments.
void LogSketch::add_buckets(const std::int32_t* buckets, std::size_t n) {
    std::int32_t low = std::numeric_limits<std::int32_t>::max();
    std::int32_t high = kZeroBucket;
    std::uint64_t zeros = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::int32_t b = buckets[i];
        bool zero = b == kZeroBucket;
        zeros += zero ? 1U : 0U;
        low = std::min(low, zero ? std::numeric_limits<std::int32_t>::max() : b);
        high = std::max(high, b);  // kZeroBucket is the smallest int32: never the maximum of a bucket
    }
    zero_count += zeros;
    if (zeros == n) return;
    if (bins.empty() || low < offset || high >= offset + static_cast<std::int32_t>(bins.size())) ensure_window(low, high);
    for (std::size_t i = 0; i < n; ++i) {
        std::int32_t b = buckets[i];
        if (b != kZeroBucket) ++bins[static_cast<std::size_t>(b - offset)];
    }
}

void LogSketch::add_counts(std::int32_t low, const std::uint32_t* counts, std::size_t span, std::uint64_t zeros) {
    zero_count += zeros;
    if (span == 0) return;
    auto high = static_cast<std::int32_t>(low + static_cast<std::int64_t>(span) - 1);
    if (bins.empty() || low < offset || high >= offset + static_cast<std::int32_t>(bins.size())) ensure_window(low, high);
    std::uint64_t* window = bins.data() + (low - offset);
    for (std::size_t k = 0; k < span; ++k) window[k] += counts[k];
}

void LogSketch::merge(const LogSketch& other) {
    zero_count += other.zero_count;
    if (other.bins.empty()) return;
    ensure_window(other.offset, other.offset + static_cast<std::int32_t>(other.bins.size()) - 1);
    std::size_t shift = static_cast<std::size_t>(other.offset - offset);
    for (std::size_t i = 0; i < other.bins.size(); ++i) bins[shift + i] += other.bins[i];
    trim();
}

std::uint64_t LogSketch::count() const {
    std::uint64_t total = zero_count;
    for (std::uint64_t c : bins) total += c;
    return total;
}

double LogSketch::value_at_rank(std::uint64_t rank, double lo, double hi) const {
    std::uint64_t seen = zero_count;
    if (rank < seen) return std::clamp(0.0, lo, hi);
    for (std::size_t i = 0; i < bins.size(); ++i) {
        seen += bins[i];
        if (rank < seen) return std::clamp(bucket_value(offset + static_cast<std::int32_t>(i)), lo, hi);
    }
    throw std::invalid_argument("LogSketch::value_at_rank: rank beyond count");
}

double LogSketch::mean_from_rank(std::uint64_t rank, double lo, double hi) const {
    std::uint64_t total = count();
    if (rank >= total) throw std::invalid_argument("LogSketch::mean_from_rank: rank beyond count");
    std::uint64_t wanted = total - rank;
    std::uint64_t remaining = wanted;
    double sum = 0.0;
    for (std::size_t i = bins.size(); i-- > 0 && remaining > 0;) {
        std::uint64_t take = std::min(bins[i], remaining);
        sum += static_cast<double>(take) * std::clamp(bucket_value(offset + static_cast<std::int32_t>(i)), lo, hi);
        remaining -= take;
    }
    // Whatever is left comes from the zero bucket, represented by 0 (clamped into [lo, hi]).
    sum += static_cast<double>(remaining) * std::clamp(0.0, lo, hi);
    return sum / static_cast<double>(wanted);
}

}  // namespace forgehive::kernels::mc
