// Token-bucket rate limiting with an injected clock.
#include <gtest/gtest.h>

#include "forgehive/gateway/rate_limiter.hpp"

namespace forgehive::gateway {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsABurstThenRefillsAtTheRate) {
    RateLimiter limiter(2.0, 3.0);
    auto t0 = RateLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.try_acquire(1, t0));
    EXPECT_FALSE(limiter.try_acquire(1, t0));
    EXPECT_FALSE(limiter.try_acquire(1, t0 + 400ms));  // 0.8 of a token
    EXPECT_TRUE(limiter.try_acquire(1, t0 + 500ms));   // one token after 1/rate seconds
    EXPECT_TRUE(limiter.try_acquire(1, t0 + 10s));
    EXPECT_EQ(limiter.retry_after_s(), 1);
}

TEST(RateLimiter, BucketsArePerProject) {
    RateLimiter limiter(1.0, 1.0);
    auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(limiter.try_acquire(1, t0));
    EXPECT_FALSE(limiter.try_acquire(1, t0));
    EXPECT_TRUE(limiter.try_acquire(2, t0));
}

TEST(RateLimiter, ZeroRateDisablesTheLimit) {
    RateLimiter limiter(0.0, 1.0);
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.try_acquire(1));
}

}  // namespace
}  // namespace forgehive::gateway
