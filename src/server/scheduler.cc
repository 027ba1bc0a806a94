#include "server/scheduler.h"

#include "collection/daily_run.h"
#include "collection/run.h"
#include "core/time_zone.h"
#include "report/summary_cache.h"
#include "server/log.h"
#include "store/database.h"

namespace cartera::server {

Scheduler::Scheduler(std::string database_url, const Clock& clock, Metrics& metrics, std::string node,
                     std::chrono::seconds poll)
    : database_url_(std::move(database_url)), clock_(clock), metrics_(metrics), node_(std::move(node)), poll_(poll) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() { thread_ = std::thread([this] { Loop(); }); }

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::RequestRun(int64_t tenant_id) {
  {
    std::lock_guard lock(mutex_);
    requested_.insert(tenant_id);
  }
  wake_.notify_all();
}

void Scheduler::RunTenant(Database& database, int64_t tenant_id, std::optional<Date> claimed_day) {
  const auto started = std::chrono::steady_clock::now();
  RunOptions options;
  options.tenant_id = tenant_id;
  options.as_of = claimed_day;
  options.now = clock_.Now();
  options.audit = AuditContext{"system:scheduler", FormatUtc(options.now), "cartera serve", Language::kEnglish};
  auto report = RunCollection(database, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.RecordRun(report.has_value(), seconds);
  nlohmann::json line = {{"level", report ? "info" : "error"}, {"msg", "collection run"}, {"tenant", tenant_id},
                         {"seconds", seconds}, {"node", node_}};
  if (claimed_day) line["run_date"] = claimed_day->ToIso();
  if (report) {
    line["customers"] = report->customers;
    line["added"] = report->added;
  } else {
    line["error"] = report.error().message;
  }
  LogLine(std::move(line));
  if (claimed_day) {
    if (auto ok = FinishDailyRun(database, tenant_id, *claimed_day, report ? "ok" : "error", clock_.Now()); !ok) {
      LogLine({{"level", "error"}, {"msg", "daily run not marked finished"}, {"tenant", tenant_id},
               {"error", ok.error().message}});
    }
  }
}

void Scheduler::Loop() {
  std::unique_ptr<Database> database;
  while (true) {
    std::set<int64_t> requested;
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      requested.swap(requested_);
    }
    if (!database) {
      auto opened = Database::Open(database_url_);
      if (!opened) {
        LogLine({{"level", "error"}, {"msg", "scheduler cannot open the database"}, {"error", opened.error().message}});
      } else {
        database = std::move(*opened);
      }
    }
    if (database) {
      auto schedules = LoadTenantSchedules(*database);
      if (!schedules) {
        LogLine({{"level", "error"}, {"msg", "scheduler cannot read tenants"}, {"error", schedules.error().message}});
        database.reset();  // a fresh connection next time
      } else {
        for (const TenantSchedule& schedule : *schedules) {
          {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
          }
          if (auto due = DueRunDate(schedule, clock_.Now())) {
            auto claimed = ClaimDailyRun(*database, schedule.tenant_id, *due, node_, clock_.Now());
            if (!claimed) {
              LogLine({{"level", "error"}, {"msg", "daily run claim failed"}, {"tenant", schedule.tenant_id},
                       {"error", claimed.error().message}});
            } else if (*claimed) {
              RunTenant(*database, schedule.tenant_id, *due);
              requested.erase(schedule.tenant_id);
            }
          }
          if (requested.erase(schedule.tenant_id) > 0) RunTenant(*database, schedule.tenant_id, std::nullopt);
          // The dashboard's summary follows the ledger and the outbox here,
          // off the request path.
          if (auto refreshed = RefreshPortfolioSummary(*database, schedule.tenant_id, clock_); !refreshed) {
            LogLine({{"level", "error"}, {"msg", "summary refresh failed"}, {"tenant", schedule.tenant_id},
                     {"error", refreshed.error().message}});
          }
        }
      }
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, poll_, [this] { return stopping_ || !requested_.empty(); });
  }
}

}  // namespace cartera::server
