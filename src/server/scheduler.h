// Runs each tenant's collection day by itself: every `poll` it looks at
// every tenant, and runs the day whose run time has come and that no node
// has claimed (collection/daily_run.h). A run asked for (after an import,
// or POST /api/v1/runs) goes at the next poll.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/date.h"
#include "store/database.h"
#include "server/metrics.h"

namespace cartera::server {

class Scheduler {
 public:
  Scheduler(std::string database_url, const Clock& clock, Metrics& metrics, std::string node,
            std::chrono::seconds poll);
  ~Scheduler();
  void Start();
  // Finishes the run in progress, then returns.
  void Stop();
  void RequestRun(int64_t tenant_id);

 private:
  void Loop();
  void RunTenant(Database& database, int64_t tenant_id, std::optional<Date> claimed_day);

  std::string database_url_;
  const Clock& clock_;
  Metrics& metrics_;
  std::string node_;
  std::chrono::seconds poll_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<int64_t> requested_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cartera::server
