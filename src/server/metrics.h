// The process's counters in Prometheus' text format: requests by route and
// status, latency histograms by route, run durations and results, delivery
// results; outbox items by status and channel are read from the database
// at scrape time (one GROUP BY, so a scrape shows what every node did).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "store/database.h"

namespace cartera::server {

class Metrics {
 public:
  void RecordRequest(const std::string& method, const std::string& route, int status, double seconds);
  void RecordRun(bool ok, double seconds);
  void RecordDelivery(std::string_view result, int64_t count);
  // Everything, with the outbox gauge from `database` (skipped if null).
  std::string Text(Database* database);

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds);
  };
  std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  Histogram runs_;
  std::map<bool, uint64_t> run_results_;
  std::map<std::string, uint64_t> deliveries_;
};

}  // namespace cartera::server
