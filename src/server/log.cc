#include "server/log.h"

#include <chrono>
#include <iostream>
#include <mutex>

#include <fmt/format.h>

namespace cartera::server {

void LogLine(nlohmann::json fields) {
  static std::mutex mutex;
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const auto millis = now.time_since_epoch().count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  fields["ts"] = fmt::format("{}.{:03}Z", stamp, millis);
  const std::string line = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mutex);
  std::cerr << line << '\n';
}

}  // namespace cartera::server
