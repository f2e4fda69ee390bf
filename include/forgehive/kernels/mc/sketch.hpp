// LogSketch: a DDSketch-style relative-error histogram (Masson, Rim and Lee, "DDSketch: a fast and fully-
// mergeable quantile sketch with relative-error guarantees", VLDB 2019) with 0.78% relative accuracy.
// Bucket counts are integers, so merging is exact, associative and commutative.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace forgehive::kernels::mc {

// Buckets are log-linear, from the double's own bits (the "fast log" mapping DDSketch discusses, and
// HdrHistogram's layout): bucket k = bits(x) >> 46, i.e. the exponent and the top 6 mantissa bits, so
// each octave [2^e, 2^(e+1)) splits into 64 equal-width buckets [lo, hi) with hi / lo <= 65/64. The
// representative value 2 lo hi / (lo + hi) is within relative error (hi - lo) / (hi + lo) <= 1/129 of
// every value in the bucket. Computing a bucket is one shift, in scalar and vector code alike.
// Values below the smallest normal double (zeros, and the subnormals) are counted in zero_count and
// represented by 0. The sketch takes values >= 0 only (every profile's quantiled output is >= 0).
// The dense bucket window is kept trimmed (first and last bin non-zero), so the state is canonical and
// its size is bounded by the double range (131 008 buckets), never by the number of values.
struct LogSketch {
    static constexpr int kSubBucketBits = 6;
    static constexpr int kBucketShift = 52 - kSubBucketBits;
    static constexpr double kRelativeAccuracy = 1.0 / 129.0;
    static constexpr double kMinIndexable = 0x1p-1022;             // smallest normal double
    static constexpr std::int32_t kZeroBucket = std::numeric_limits<std::int32_t>::min();

    std::int32_t offset = 0;             // bucket index of bins[0]
    std::vector<std::uint64_t> bins;     // counts of buckets offset, offset + 1, ...
    std::uint64_t zero_count = 0;

    // The bucket of x >= 0: bits(x) >> kBucketShift, or kZeroBucket below kMinIndexable.
    static std::int32_t bucket_of(double x);
    // The representative value 2 lo hi / (lo + hi) of bucket k = [lo, hi) (0 for kZeroBucket).
    static double bucket_value(std::int32_t bucket);

    void add(double x);
    // Counts a run of precomputed buckets.
    void add_buckets(const std::int32_t* buckets, std::size_t n);
    // Adds counts[k] to bucket low + k for k < span, and zeros to zero_count (counts tallied elsewhere: the
    // eta block kernels' per-unit window).
    void add_counts(std::int32_t low, const std::uint32_t* counts, std::size_t span, std::uint64_t zeros);
    void merge(const LogSketch& other);
    std::uint64_t count() const;

    // The value of 0-based rank r (r < count()) in sorted order, within relative error kRelativeAccuracy,
    // clamped to [lo, hi] (the exact min and max, which only brings it closer).
    double value_at_rank(std::uint64_t rank, double lo, double hi) const;
    // The mean of the values of ranks >= rank (the top count() - rank values), each approximated by its
    // clamped bucket value, hence within relative error kRelativeAccuracy.
    double mean_from_rank(std::uint64_t rank, double lo, double hi) const;

    bool operator==(const LogSketch&) const = default;

private:
    void ensure_window(std::int32_t low, std::int32_t high);
    void trim();
};

}  // namespace forgehive::kernels::mc
