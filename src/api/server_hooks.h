// What only the serving process can do, for the routes that need it
// (metrics, readiness, asking the scheduler for a run). Routes run without
// hooks in tests that call the service directly.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace cartera::api {

class ServerHooks {
 public:
  virtual ~ServerHooks() = default;
  // Prometheus text exposition of the process's counters.
  virtual std::string MetricsText() = 0;
  // The scheduler runs the tenant's collection soon (after an import, on request).
  virtual void RequestRun(int64_t tenant_id) = 0;
};

}  // namespace cartera::api
