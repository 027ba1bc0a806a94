#include "store/retry.h"

#include <algorithm>
#include <thread>

namespace cartera {

SleepFunction RealSleep() {
  return [](std::chrono::milliseconds wait) { std::this_thread::sleep_for(wait); };
}

std::chrono::milliseconds RetryWait(const RetryPolicy& policy, int32_t failed_tries) {
  std::chrono::milliseconds wait = policy.first_wait;
  for (int32_t i = 1; i < failed_tries && wait < policy.wait_max; ++i) wait *= 2;
  return std::min(wait, policy.wait_max);
}

}  // namespace cartera
