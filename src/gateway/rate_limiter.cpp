// Token bucket refill: tokens += elapsed * rate, capped at burst.
#include "forgehive/gateway/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace forgehive::gateway {

RateLimiter::RateLimiter(double rate_per_second, double burst) : rate_(rate_per_second), burst_(std::max(1.0, burst)) {}

bool RateLimiter::try_acquire(std::int64_t project, Clock::time_point now) {
    if (rate_ <= 0) return true;
    std::lock_guard lock(mutex_);
    auto [it, inserted] = buckets_.try_emplace(project, Bucket{burst_, now});
    auto& bucket = it->second;
    if (now > bucket.updated) {
        double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
        bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
        bucket.updated = now;
    }
    if (bucket.tokens < 1.0) return false;
    bucket.tokens -= 1.0;
    return true;
}

int RateLimiter::retry_after_s() const { return std::max(1, static_cast<int>(std::ceil(1.0 / rate_))); }

}  // namespace forgehive::gateway
