#include "delivery/pacer.h"

#include <thread>

namespace cartera::delivery {

Pacer::Pacer(int per_minute, NowFunction now, SleepFunction sleep)
    : per_minute_(per_minute), now_(std::move(now)), sleep_(std::move(sleep)) {}

void Pacer::DefaultSleep(Clock::duration duration) { std::this_thread::sleep_for(duration); }

void Pacer::Wait() {
  if (per_minute_ <= 0) return;
  constexpr auto kWindow = std::chrono::minutes(1);
  Clock::time_point now = now_();
  while (!sent_.empty() && now - sent_.front() >= kWindow) sent_.pop_front();
  if (static_cast<int>(sent_.size()) >= per_minute_) {
    sleep_(sent_.front() + kWindow - now);
    now = now_();
    while (!sent_.empty() && now - sent_.front() >= kWindow) sent_.pop_front();
  }
  sent_.push_back(now);
}

}  // namespace cartera::delivery
