// When each tenant's day runs by itself: at its daily run time, in its time
// zone, once. The daily_runs row (tenant, local date) is the run lock on
// both databases: the node whose INSERT lands runs the day; a second node's
// INSERT fails on the primary key and it moves on. A node that dies mid-run
// leaves the row unfinished; the run is idempotent, so a person (or
// `cartera run`) finishes the day and nothing is queued twice.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "store/database.h"

namespace cartera {

struct TenantSchedule {
  int64_t tenant_id = 0;
  std::string time_zone;
  int32_t run_minutes = 8 * 60;
};

Result<std::vector<TenantSchedule>> LoadTenantSchedules(Database& database);

// The local date whose run is due at `now`, or nullopt when the tenant's
// run time has not come yet today.
std::optional<Date> DueRunDate(const TenantSchedule& schedule, Timestamp now);

// True when this node took the day (and must run it); false when another
// node has, or had, it.
Result<bool> ClaimDailyRun(Database& database, int64_t tenant_id, Date date, const std::string& node, Timestamp now);
Status FinishDailyRun(Database& database, int64_t tenant_id, Date date, std::string_view outcome, Timestamp now);

}  // namespace cartera
