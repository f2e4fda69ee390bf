// LogSketch: a DDSketch-style log-bucket histogram (Masson, Rim and Lee, "DDSketch: a fast and fully-
// mergeable quantile sketch with relative-error guarantees", VLDB 2019) with 1% relative accuracy.
// Bucket counts are integers, so merging is exact, associative and commutative.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace forgehive::kernels::mc {

// Bucket k holds the values x with gamma^(k-1) < x <= gamma^k, gamma = (1 + a) / (1 - a), a = 0.01;
// its representative value 2 gamma^k / (1 + gamma) is within relative error a of every value in it.
// Values below the smallest normal double (zeros, and the subnormals) are counted in zero_count and
// represented by 0. The sketch takes values >= 0 only (every profile's quantiled output is >= 0).
// The dense bucket window is kept trimmed (first and last bin non-zero), so the state is canonical and
// its size is bounded by the double range (about 71 000 buckets), never by the number of values.
struct LogSketch {
    static constexpr double kRelativeAccuracy = 0.01;
    static constexpr double kGamma = 0x1.052bf5a814afdp+0;         // 1.01 / 0.99
    static constexpr double kLogGamma = 0x1.47b0e059d057dp-6;      // ln(kGamma)
    static constexpr double kInvLogGamma = 0x1.8ffc9629d2370p+5;   // 1 / ln(kGamma)
    static constexpr double kMinIndexable = 0x1p-1022;             // smallest normal double
    static constexpr std::int32_t kZeroBucket = std::numeric_limits<std::int32_t>::min();

    std::int32_t offset = 0;             // bucket index of bins[0]
    std::vector<std::uint64_t> bins;     // counts of buckets offset, offset + 1, ...
    std::uint64_t zero_count = 0;

    // The bucket of x >= 0: ceil(ln(x) / ln(gamma)) with the deterministic log, or kZeroBucket.
    static std::int32_t bucket_of(double x);
    // The representative value 2 gamma^k / (1 + gamma) of bucket k (0 for kZeroBucket).
    static double bucket_value(std::int32_t bucket);

    void add(double x);
    // Counts a run of precomputed buckets (the hot loops compute them vectorised).
    void add_buckets(const std::int32_t* buckets, std::size_t n);
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
