#include "collection/daily_run.h"

#include <chrono>

#include "collection/run.h"
#include "core/time_zone.h"
#include "store/tenants.h"

namespace cartera {

Result<std::vector<TenantSchedule>> LoadTenantSchedules(Database& database) {
  auto tenants = ListTenants(database);
  if (!tenants) return Fail(tenants.error());
  std::vector<TenantSchedule> schedules;
  for (const Tenant& tenant : *tenants) {
    schedules.push_back({tenant.id, tenant.time_zone, ParseRunTime(tenant.daily_run_time).value_or(8 * 60)});
  }
  return schedules;
}

std::optional<Date> DueRunDate(const TenantSchedule& schedule, Timestamp now) {
  const Date today = DateIn(schedule.time_zone, now);
  if (now < LocalTimeToUtc(schedule.time_zone, today, schedule.run_minutes)) return std::nullopt;
  return today;
}

Result<bool> ClaimDailyRun(Database& database, int64_t tenant_id, Date date, const std::string& node, Timestamp now) {
  // ON CONFLICT DO NOTHING is the same words on SQLite and PostgreSQL.
  auto insert = database.Prepare(
      "INSERT INTO daily_runs (tenant_id, run_date, started_at, node) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (tenant_id, run_date) DO NOTHING");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, date.ToIso());
  (*insert)->BindText(3, FormatUtc(now));
  (*insert)->BindText(4, node);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  return (*insert)->ChangedRows() == 1;
}

Status FinishDailyRun(Database& database, int64_t tenant_id, Date date, std::string_view outcome, Timestamp now) {
  auto update = database.Prepare(
      "UPDATE daily_runs SET finished_at = ?, outcome = ? WHERE tenant_id = ? AND run_date = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, FormatUtc(now));
  (*update)->BindText(2, outcome);
  (*update)->BindInt64(3, tenant_id);
  (*update)->BindText(4, date.ToIso());
  return (*update)->Run();
}

}  // namespace cartera
