// LogSketch: bucket mapping with the deterministic log, dense trimmed window, exact merge, and the rank
// queries behind quantiles (VaR) and tail means (TVaR).
#include "forgehive/kernels/mc/sketch.hpp"

#include "block_kernels.hpp"

#include <algorithm>
#include <stdexcept>

namespace forgehive::kernels::mc {
namespace {
#include "det_math_impl.inc"
}  // namespace

// The vectorised block kernels compute buckets with their own copy of these constants.
static_assert(LogSketch::kInvLogGamma == blocks::kSketchInvLogGamma);
static_assert(LogSketch::kMinIndexable == blocks::kSketchMinIndexable);
static_assert(LogSketch::kZeroBucket == blocks::kSketchZeroBucket);

// Same operations as sketch_buckets() in block_kernels.inc, so scalar and vector paths agree bitwise.
std::int32_t LogSketch::bucket_of(double x) {
    if (!(x >= kMinIndexable)) return kZeroBucket;
    double y = log_core(x) * kInvLogGamma;
    auto truncated = static_cast<std::int32_t>(y);
    return static_cast<double>(truncated) < y ? truncated + 1 : truncated;
}

double LogSketch::bucket_value(std::int32_t bucket) {
    if (bucket == kZeroBucket) return 0.0;
    double upper = exp_core(static_cast<double>(bucket) * kLogGamma);  // gamma^k; |k ln gamma| < 709
    return upper * (2.0 / (1.0 + kGamma));
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

void LogSketch::add_buckets(const std::int32_t* buckets, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        std::int32_t b = buckets[i];
        if (b == kZeroBucket) {
            ++zero_count;
            continue;
        }
        if (bins.empty() || b < offset || b >= offset + static_cast<std::int32_t>(bins.size())) ensure_window(b, b);
        ++bins[static_cast<std::size_t>(b - offset)];
    }
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
