// Per-project request-rate limit: a token bucket (rate tokens per second, up to burst), refilled
// lazily on each request. The clock is passed in so tests need no sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>

namespace forgehive::gateway {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    // rate_per_second 0 disables the limit.
    RateLimiter(double rate_per_second, double burst);

    // Takes one token for `project`; false when the bucket is empty.
    bool try_acquire(std::int64_t project, Clock::time_point now = Clock::now());
    // Seconds until the next token (for Retry-After), at least 1.
    int retry_after_s() const;

private:
    struct Bucket {
        double tokens;
        Clock::time_point updated;
    };

    double rate_;
    double burst_;
    std::mutex mutex_;
    std::map<std::int64_t, Bucket> buckets_;
};

}  // namespace forgehive::gateway
