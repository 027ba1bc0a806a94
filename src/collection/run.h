// The collection run: evaluate the whole portfolio for a business day and
// commit the day's actions to the outbox. Idempotent: every item has a
// deterministic key (tenant, customer, strategy, stage, currency, business
// date, action) under a unique index, so running twice adds nothing.
#pragma once

#include <optional>

#include "collection/day_plan.h"
#include "store/audit.h"

namespace cartera {

struct RunOptions {
  int64_t tenant_id = 1;
  // The business date; unset: each customer's today at `now`. The plan is
  // a function of the ledger as it stood on it and of its run time, never
  // of the hour the run starts.
  std::optional<Date> as_of;
  Timestamp now;
  bool dry_run = false;
  AuditContext audit;
  // Plan only this customer (an external id; `explain`). Dry runs only.
  std::optional<std::string> only_customer;
  // Minutes after local midnight; unset: the tenant's daily run time.
  std::optional<int32_t> run_minutes;
};

struct RunReport {
  int64_t customers = 0;
  int64_t planned = 0;
  int64_t added = 0;  // new outbox items (0 on a second run the same day)
  int64_t deferred = 0;
  int64_t blocked = 0;
  int64_t skipped = 0;
  Portfolio portfolio;  // for printing the plan
  DayPlan plan;
};

Result<RunReport> RunCollection(Database& database, const RunOptions& options);

// The tenant's daily run time ("08:00" by default; tenants.daily_run_time)
// as minutes after local midnight, and setting it (audited).
Result<int32_t> LoadDailyRunMinutes(Database& database, int64_t tenant_id);
Status SetDailyRunTime(Database& database, int64_t tenant_id, std::string_view hh_mm, const AuditContext& audit);
// "07:30" -> 450; kBadInput for anything else.
Result<int32_t> ParseRunTime(std::string_view hh_mm);

}  // namespace cartera
