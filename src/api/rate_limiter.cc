#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace cartera::api {

int RateLimiter::Take(const std::string& caller, std::chrono::steady_clock::time_point now) {
  if (per_second_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  // Forget idle callers now and then, so the map stays the size of the active ones.
  if (buckets_.size() > 100000) {
    std::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.at > std::chrono::minutes(10); });
  }
  auto [it, added] = buckets_.try_emplace(caller, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!added) {
    const double elapsed = std::chrono::duration<double>(now - bucket.at).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
    bucket.at = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_second_)));
}

}  // namespace cartera::api
