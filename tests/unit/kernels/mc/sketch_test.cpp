// Unit tests for LogSketch: bucket mapping accuracy, zero handling, exact and canonical merging, and
// rank queries (quantiles, tail means) against an exact sort within the documented 1/129 accuracy.
#include "forgehive/kernels/mc/sketch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace forgehive::kernels::mc {
namespace {

// The guarantee with a margin for the rounding of the bucket boundaries and representative values.
constexpr double kAccuracy = LogSketch::kRelativeAccuracy * (1.0 + 1e-9);

double relative_error(double got, double want) { return want == 0.0 ? std::fabs(got) : std::fabs(got - want) / want; }

TEST(LogSketch, BucketsSplitEachOctaveIntoSixtyFourEqualParts) {
    std::int32_t one = LogSketch::bucket_of(1.0);
    EXPECT_EQ(LogSketch::bucket_of(std::nextafter(1.0 + 1.0 / 64, 0.0)), one);
    EXPECT_EQ(LogSketch::bucket_of(1.0 + 1.0 / 64), one + 1);
    EXPECT_EQ(LogSketch::bucket_of(2.0), one + 64);
    EXPECT_EQ(LogSketch::bucket_of(0.5), one - 64);
    // The widest relative bucket, [1, 65/64), has its representative exactly at the accuracy bound.
    EXPECT_NEAR(LogSketch::bucket_value(one), 130.0 / 129.0, 1e-15);
}

TEST(LogSketch, EveryValueIsWithinTheAccuracyOfItsBucketValue) {
    std::mt19937_64 rng(7);
    double worst = 0.0;
    for (int i = 0; i < 200000; ++i) {
        double x = std::ldexp(std::uniform_real_distribution<double>(1.0, 2.0)(rng),
                              std::uniform_int_distribution<int>(-1022, 1022)(rng));
        worst = std::max(worst, relative_error(LogSketch::bucket_value(LogSketch::bucket_of(x)), x));
    }
    EXPECT_LE(worst, kAccuracy);
    EXPECT_GT(worst, 0.99 * LogSketch::kRelativeAccuracy);  // the bound is tight
}

TEST(LogSketch, BucketsAreMonotone) {
    std::mt19937_64 rng(8);
    std::vector<double> xs(50000);
    for (double& x : xs) x = std::exp(std::uniform_real_distribution<double>(-30.0, 30.0)(rng));
    std::sort(xs.begin(), xs.end());
    for (std::size_t i = 1; i < xs.size(); ++i) ASSERT_LE(LogSketch::bucket_of(xs[i - 1]), LogSketch::bucket_of(xs[i]));
}

TEST(LogSketch, ZerosAndSubnormalsGoToTheZeroBucket) {
    LogSketch sketch;
    sketch.add(0.0);
    sketch.add(std::numeric_limits<double>::denorm_min());
    sketch.add(5.0);
    EXPECT_EQ(sketch.zero_count, 2U);
    EXPECT_EQ(sketch.count(), 3U);
    EXPECT_EQ(sketch.value_at_rank(0, 0.0, 5.0), 0.0);
    EXPECT_EQ(sketch.value_at_rank(2, 0.0, 5.0), 5.0);  // clamped to the exact max
    EXPECT_EQ(LogSketch::bucket_value(LogSketch::kZeroBucket), 0.0);
}

TEST(LogSketch, MergeIsExactOrderIndependentAndCanonical) {
    std::mt19937_64 rng(9);
    std::lognormal_distribution<double> dist(0.0, 3.0);
    std::vector<double> values(20000);
    for (double& v : values) v = dist(rng);
    values[17] = 0.0;
    LogSketch all;
    for (double v : values) all.add(v);
    LogSketch a, b, c;
    for (std::size_t i = 0; i < values.size(); ++i) (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(values[i]);
    LogSketch abc = a;
    abc.merge(b);
    abc.merge(c);
    LogSketch cba = c;
    cba.merge(b);
    cba.merge(a);
    EXPECT_EQ(abc, all);
    EXPECT_EQ(cba, all);
    EXPECT_NE(all.bins.front(), 0U);
    EXPECT_NE(all.bins.back(), 0U);
    LogSketch with_empty = all;
    with_empty.merge(LogSketch{});
    EXPECT_EQ(with_empty, all);
}

TEST(LogSketch, BatchedBucketsCountLikeSingleAdds) {
    // Batches with narrow (counted in local tables) and wide bucket ranges, zeros, runs of one bucket,
    // lengths that are and are not multiples of four.
    std::mt19937_64 rng(11);
    for (double sigma : {0.01, 0.3, 5.0}) {
        std::lognormal_distribution<double> dist(3.0, sigma);
        LogSketch one_by_one;
        LogSketch batched;
        for (std::size_t n : {1027U, 1024U, 3U, 0U, 256U}) {
            std::vector<std::int32_t> buckets(n);
            for (std::size_t i = 0; i < n; ++i) {
                double v = i % 97 == 0 ? 0.0 : i % 5 == 0 ? 20.0 : dist(rng);
                buckets[i] = LogSketch::bucket_of(v);
                one_by_one.add(v);
            }
            batched.add_buckets(buckets.data(), n);
            EXPECT_EQ(batched, one_by_one) << sigma << " " << n;
        }
    }
}

TEST(LogSketch, QuantilesAndTailMeansAreWithinOnePercentOfAnExactSort) {
    std::mt19937_64 rng(10);
    std::lognormal_distribution<double> dist(2.0, 1.5);
    std::vector<double> values(100001);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = i % 10 == 0 ? 0.0 : dist(rng);
    LogSketch sketch;
    for (double v : values) sketch.add(v);
    std::sort(values.begin(), values.end());
    double lo = values.front();
    double hi = values.back();
    for (std::uint64_t rank : {0ULL, 5000ULL, 10000ULL, 10001ULL, 50000ULL, 90000ULL, 99000ULL, 99999ULL, 100000ULL}) {
        EXPECT_LE(relative_error(sketch.value_at_rank(rank, lo, hi), values[rank]), kAccuracy) << rank;
        double tail = std::accumulate(values.begin() + static_cast<std::ptrdiff_t>(rank), values.end(), 0.0L) /
                      static_cast<double>(values.size() - rank);
        EXPECT_LE(relative_error(sketch.mean_from_rank(rank, lo, hi), tail), kAccuracy) << rank;
    }
    EXPECT_THROW(sketch.value_at_rank(values.size(), lo, hi), std::invalid_argument);
}

}  // namespace
}  // namespace forgehive::kernels::mc
