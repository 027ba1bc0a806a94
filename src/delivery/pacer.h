// Per-tenant rate limits: at most N sends per channel in any 60 seconds, so
// one tenant's burst cannot trip a provider's limits (or a mail server's
// spam heuristics) for everyone. Time and sleeping are injected so the
// limit is tested without waiting.
#pragma once

#include <chrono>
#include <deque>
#include <functional>

namespace cartera::delivery {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;
  using NowFunction = std::function<Clock::time_point()>;
  using SleepFunction = std::function<void(Clock::duration)>;

  // per_minute <= 0: no limit.
  explicit Pacer(int per_minute, NowFunction now = Clock::now, SleepFunction sleep = DefaultSleep);

  // Waits until one more send keeps the window within the limit, and counts it.
  void Wait();

 private:
  static void DefaultSleep(Clock::duration duration);

  int per_minute_;
  NowFunction now_;
  SleepFunction sleep_;
  std::deque<Clock::time_point> sent_;  // within the last minute
};

}  // namespace cartera::delivery
