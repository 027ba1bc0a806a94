// The server's delivery worker: a pass over every tenant every few seconds
// (delivery/delivery_service.h AllTenantsDelivery), on its own connection
// and thread. Stop() lets the sends in flight finish, so a stopped server
// leaves no item `sending`.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "server/metrics.h"

namespace cartera::server {

class DeliveryLoop {
 public:
  DeliveryLoop(std::string database_url, const Clock& clock, Metrics& metrics, std::chrono::seconds interval);
  ~DeliveryLoop();
  // False (and logged) when delivery cannot run: no secret key to open the
  // channels' passwords with.
  bool Start();
  void Stop();

 private:
  void Loop();

  std::string database_url_;
  const Clock& clock_;
  Metrics& metrics_;
  std::chrono::seconds interval_;
  std::atomic<bool> stop_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace cartera::server
