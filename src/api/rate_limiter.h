// Token buckets in memory, one per caller: an API key or user, and a login
// by e-mail and by address. Per process: with N nodes a caller gets N times
// the rate at most, which is what a limit against mistakes and abuse needs
// (docs/api.md says so).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cartera::api {

class RateLimiter {
 public:
  // `per_second` tokens a second up to `burst`; per_second 0 turns it off.
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}
  // 0 when the call may go; else the seconds until it may (Retry-After).
  int Take(const std::string& caller, std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  double per_second_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace cartera::api
