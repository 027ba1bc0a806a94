#include "report/summary_cache.h"

#include <string_view>

#include "core/time_zone.h"
#include "report/list_page.h"
#include "report/portfolio_summary.h"

namespace cartera {
namespace {

struct Marks {
  int64_t audit = 0;
  int64_t outbox = 0;
};

// Both are one index probe: the largest id of the tenant.
Result<Marks> CurrentMarks(Database& database, int64_t tenant_id) {
  Marks marks;
  auto audit = database.Prepare("SELECT MAX(id) FROM audit_log WHERE tenant_id = ?");
  if (!audit) return Fail(audit.error());
  (*audit)->BindInt64(1, tenant_id);
  auto row = (*audit)->Step();
  if (!row) return Fail(row.error());
  if (*row && !(*audit)->IsNull(0)) marks.audit = (*audit)->GetInt64(0);
  audit->reset();
  auto outbox = database.Prepare("SELECT MAX(id) FROM outbox WHERE tenant_id = ?");
  if (!outbox) return Fail(outbox.error());
  (*outbox)->BindInt64(1, tenant_id);
  row = (*outbox)->Step();
  if (!row) return Fail(row.error());
  if (*row && !(*outbox)->IsNull(0)) marks.outbox = (*outbox)->GetInt64(0);
  return marks;
}

// A row kept by an older build lacks the fields added since (the
// dashboard reads plan.deferred and delivery): it is built again, never
// served. A key followed by ':' cannot occur inside a JSON string, where
// its quotes are escaped.
bool HasCurrentShape(std::string_view json) { return json.find("\"paused_channels\":") != std::string_view::npos; }

struct Kept {
  Date business_date;
  Marks marks;
  std::string computed_at;
  std::string json;
};

Result<std::optional<Kept>> ReadKept(Database& database, int64_t tenant_id) {
  auto select = database.Prepare(
      "SELECT business_date, audit_mark, outbox_mark, computed_at, summary_json FROM summary_cache WHERE tenant_id = ?");
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Kept>();
  auto date = Date::ParseIso((*select)->GetText(0));
  if (!date) return std::optional<Kept>();
  return std::optional<Kept>(Kept{*date, {(*select)->GetInt64(1), (*select)->GetInt64(2)},
                                  std::string((*select)->GetText(3)), std::string((*select)->GetText(4))});
}

// Marks are read before the summary is built: a change made meanwhile
// leaves the row behind its marks, so the next refresh builds it again.
Result<nlohmann::json> Rebuild(Database& database, int64_t tenant_id, const Clock& clock) {
  auto marks = CurrentMarks(database, tenant_id);
  if (!marks) return Fail(marks.error());
  auto summary = BuildPortfolioSummary(database, tenant_id, clock);
  if (!summary) return Fail(summary.error());
  nlohmann::json json = PortfolioSummaryJson(*summary);
  const std::string computed_at = FormatUtc(clock.Now());
  json["computed_at"] = computed_at;
  auto upsert = database.Prepare(
      "INSERT INTO summary_cache (tenant_id, business_date, audit_mark, outbox_mark, computed_at, summary_json) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET business_date = excluded.business_date, "
      "audit_mark = excluded.audit_mark, outbox_mark = excluded.outbox_mark, computed_at = excluded.computed_at, "
      "summary_json = excluded.summary_json");
  if (!upsert) return Fail(upsert.error());
  (*upsert)->BindInt64(1, tenant_id);
  (*upsert)->BindText(2, summary->business_date.ToIso());
  (*upsert)->BindInt64(3, marks->audit);
  (*upsert)->BindInt64(4, marks->outbox);
  (*upsert)->BindText(5, computed_at);
  (*upsert)->BindText(6, json.dump());
  if (auto ok = (*upsert)->Run(); !ok) return Fail(ok.error());
  return json;
}

}  // namespace

Result<nlohmann::json> LoadPortfolioSummary(Database& database, int64_t tenant_id, const Clock& clock) {
  auto kept = ReadKept(database, tenant_id);
  if (!kept) return Fail(kept.error());
  auto today = TenantToday(database, tenant_id, clock.Now());
  if (!today) return Fail(today.error());
  if (*kept && (*kept)->business_date == *today && HasCurrentShape((*kept)->json)) {
    nlohmann::json json = nlohmann::json::parse((*kept)->json, nullptr, false);
    if (!json.is_discarded()) return json;
  }
  return Rebuild(database, tenant_id, clock);
}

Result<bool> RefreshPortfolioSummary(Database& database, int64_t tenant_id, const Clock& clock) {
  auto kept = ReadKept(database, tenant_id);
  if (!kept) return Fail(kept.error());
  if (*kept) {
    auto marks = CurrentMarks(database, tenant_id);
    if (!marks) return Fail(marks.error());
    auto today = TenantToday(database, tenant_id, clock.Now());
    if (!today) return Fail(today.error());
    auto computed = ParseUtc((*kept)->computed_at);
    const bool fresh = (*kept)->business_date == *today && HasCurrentShape((*kept)->json) &&
                       (*kept)->marks.audit == marks->audit &&
                       (*kept)->marks.outbox == marks->outbox && computed && clock.Now() - *computed < kSummaryMaxAge;
    if (fresh) return false;
  }
  auto rebuilt = Rebuild(database, tenant_id, clock);
  if (!rebuilt) return Fail(rebuilt.error());
  return true;
}

}  // namespace cartera
