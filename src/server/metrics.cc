#include "server/metrics.h"

#include <fmt/format.h>

namespace cartera::server {
namespace {

// Label values are escaped as the exposition format asks.
std::string Label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++counts[i];
  }
  ++count;
  sum += seconds;
}

void Metrics::RecordRequest(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  latency_[route].Observe(seconds);
}

void Metrics::RecordRun(bool ok, double seconds) {
  std::lock_guard lock(mutex_);
  runs_.Observe(seconds);
  ++run_results_[ok];
}

void Metrics::RecordDelivery(std::string_view result, int64_t count) {
  if (count <= 0) return;
  std::lock_guard lock(mutex_);
  deliveries_[std::string(result)] += static_cast<uint64_t>(count);
}

std::string Metrics::Text(Database* database) {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP cartera_http_requests_total HTTP requests by route and status.\n";
    out += "# TYPE cartera_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      const auto& [method, route, status] = key;
      out += fmt::format("cartera_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", Label(method),
                         Label(route), status, count);
    }
    out += "# HELP cartera_http_request_duration_seconds Time to answer, by route.\n";
    out += "# TYPE cartera_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        out += fmt::format("cartera_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", Label(route),
                           kBuckets[i], histogram.counts[i]);
      }
      out += fmt::format("cartera_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", Label(route),
                         histogram.count);
      out += fmt::format("cartera_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", Label(route), histogram.sum);
      out += fmt::format("cartera_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", Label(route),
                         histogram.count);
    }
    out += "# HELP cartera_run_duration_seconds Collection runs this process made.\n";
    out += "# TYPE cartera_run_duration_seconds histogram\n";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("cartera_run_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], runs_.counts[i]);
    }
    out += fmt::format("cartera_run_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", runs_.count);
    out += fmt::format("cartera_run_duration_seconds_sum {}\ncartera_run_duration_seconds_count {}\n", runs_.sum,
                       runs_.count);
    out += "# HELP cartera_runs_total Collection runs by result.\n# TYPE cartera_runs_total counter\n";
    out += fmt::format("cartera_runs_total{{result=\"ok\"}} {}\ncartera_runs_total{{result=\"error\"}} {}\n",
                       run_results_[true], run_results_[false]);
    out += "# HELP cartera_deliveries_total Delivery results of this process.\n";
    out += "# TYPE cartera_deliveries_total counter\n";
    for (const auto& [result, count] : deliveries_) {
      out += fmt::format("cartera_deliveries_total{{result=\"{}\"}} {}\n", Label(result), count);
    }
  }
  if (database != nullptr) {
    auto select = database->Prepare("SELECT status, channel, COUNT(*) FROM outbox GROUP BY status, channel");
    if (select) {
      out += "# HELP cartera_outbox_items Outbox items by status and channel (all tenants).\n";
      out += "# TYPE cartera_outbox_items gauge\n";
      while (true) {
        auto row = (*select)->Step();
        if (!row || !*row) break;
        out += fmt::format("cartera_outbox_items{{status=\"{}\",channel=\"{}\"}} {}\n", Label((*select)->GetText(0)),
                           Label((*select)->GetText(1)), (*select)->GetInt64(2));
      }
    }
  }
  return out;
}

}  // namespace cartera::server
