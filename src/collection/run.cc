#include "collection/run.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/time_zone.h"
#include "store/sql_dialect.h"

namespace cartera {
namespace {

using Values = std::vector<std::optional<std::string_view>>;

// Contacts wait in "queued" for the delivery worker; call tasks in "open"
// for a collector; the other actions are recorded as "pending".
std::string_view InitialStatus(const PlannedItem& item) {
  if (item.action == ActionType::kCallTask) return "open";
  return item.channel ? "queued" : "pending";
}

const std::vector<std::string> kOutboxColumns = {"idempotency_key", "customer_id", "strategy", "stage", "action",
                                                 "channel", "template", "tone", "business_date", "scheduled_at",
                                                 "status", "payload"};

Status WriteOutbox(Database& database, const Portfolio& portfolio, const DayPlan& plan, const RunOptions& options,
                   int64_t& added) {
  // Hands each item's column values (kOutboxColumns' order) to `take`.
  auto for_each_item = [&](auto take) -> Status {
    for (const PlannedItem& item : plan.items) {
      const CustomerState& state = portfolio.customers[item.customer];
      const std::string customer = std::to_string(state.id);
      const std::string date = item.business_date.ToIso(), at = FormatUtc(item.scheduled_at),
                        payload = PayloadJson(item, state);
      Values values{item.idempotency_key, customer, portfolio.strategy_name, item.stage, ActionTypeName(item.action),
                    item.channel ? std::optional<std::string_view>(ChannelName(*item.channel)) : std::nullopt,
                    item.template_name, item.tone, date, at, InitialStatus(item), payload};
      if (auto ok = take(values); !ok) return ok;
    }
    return {};
  };
  std::string columns;
  for (const std::string& column : kOutboxColumns) columns += column + ", ";
  // Into a work table, then one INSERT ... SELECT: on SQLite too, where a
  // prepared INSERT ... ON CONFLICT per row took 1.5 s more for 521,000
  // items than the set-based insert.
  std::string typed;
  for (const std::string& column : kOutboxColumns) {
    typed += fmt::format("{}{} {}", typed.empty() ? "" : ", ", column,
                         column == "customer_id" ? "BIGINT" : column == "business_date" ? "DATE" : "TEXT");
  }
  if (auto ok = PrepareWorkTable(database, "run_outbox", typed); !ok) return ok;
  {
    auto writer = database.BulkInsert("run_outbox", kOutboxColumns);
    if (!writer) return Fail(writer.error());
    if (auto ok = for_each_item([&](const Values& values) { return (*writer)->Add(values); }); !ok) return ok;
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  auto insert = database.Prepare(fmt::format("INSERT INTO outbox ({0}tenant_id, created_at) SELECT {0}?, ? FROM run_outbox "
                                             "WHERE true ON CONFLICT (tenant_id, idempotency_key) DO NOTHING",
                                             columns));
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, options.tenant_id);
  (*insert)->BindText(2, options.audit.at);
  if (auto ok = (*insert)->Run(); !ok) return ok;
  added = (*insert)->ChangedRows();
  return {};
}

Status WriteLog(Database& database, const Portfolio& portfolio, const DayPlan& plan, const RunOptions& options) {
  // The log holds the latest evaluation of a day: a re-run replaces it.
  std::set<std::string> dates;
  for (const LogItem& item : plan.log) dates.insert(item.business_date.ToIso());
  for (const std::string& date : dates) {
    for (const char* table : {"engine_log", "engine_log_texts"}) {
      auto erase = database.Prepare(fmt::format("DELETE FROM {} WHERE tenant_id = ? AND business_date = ?", table));
      if (!erase) return Fail(erase.error());
      (*erase)->BindInt64(1, options.tenant_id);
      (*erase)->BindText(2, date);
      if (auto ok = (*erase)->Run(); !ok) return ok;
    }
  }
  // Each distinct sentence once per business day; rows name it by number.
  std::map<Date, std::unordered_map<std::string_view, int64_t>> numbers;
  std::vector<std::pair<Date, std::string_view>> texts;  // by number - 1
  std::vector<int64_t> number_of(plan.log.size());
  for (size_t i = 0; i < plan.log.size(); ++i) {
    const LogItem& item = plan.log[i];
    auto [entry, added] = numbers[item.business_date].try_emplace(item.detail, static_cast<int64_t>(texts.size()) + 1);
    if (added) texts.emplace_back(item.business_date, item.detail);
    number_of[i] = entry->second;
  }
  const std::string tenant = std::to_string(options.tenant_id);
  {
    auto writer = database.BulkInsert("engine_log_texts", {"tenant_id", "business_date", "id", "text"});
    if (!writer) return Fail(writer.error());
    for (size_t i = 0; i < texts.size(); ++i) {
      const std::string date = texts[i].first.ToIso(), id = std::to_string(i + 1);
      if (auto ok = (*writer)->Add(Values{tenant, date, id, texts[i].second}); !ok) return ok;
    }
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  auto writer = database.BulkInsert("engine_log", {"tenant_id", "customer_id", "business_date", "stage", "action", "kind",
                                                   "code", "detail_id", "created_at"});
  if (!writer) return Fail(writer.error());
  for (size_t i = 0; i < plan.log.size(); ++i) {
    const LogItem& item = plan.log[i];
    const std::string customer = std::to_string(portfolio.customers[item.customer].id), date = item.business_date.ToIso(),
                      detail = std::to_string(number_of[i]);
    Values values{tenant, customer, date, item.stage, item.action, LogKindName(item.kind), item.code, detail,
                  options.audit.at};
    if (auto ok = (*writer)->Add(values); !ok) return ok;
  }
  return (*writer)->Finish();
}

Status WriteSegmentsAndPromises(Database& database, const Portfolio& portfolio, const RunOptions& options) {
  // The segments of this run replace the last run's.
  auto erase = database.Prepare("DELETE FROM customer_segments WHERE tenant_id = ?");
  if (!erase) return Fail(erase.error());
  (*erase)->BindInt64(1, options.tenant_id);
  if (auto ok = (*erase)->Run(); !ok) return ok;
  erase->reset();
  {
    auto writer = database.BulkInsert(
        "customer_segments", {"tenant_id", "customer_id", "behaviour_segment", "size_segment", "segment_reason"});
    if (!writer) return Fail(writer.error());
    const std::string tenant = std::to_string(options.tenant_id);
    for (const CustomerState& customer : portfolio.customers) {
      const std::string id = std::to_string(customer.id);
      if (auto ok = (*writer)->Add(
              Values{tenant, id, customer.segment.segment, customer.size_segment, customer.segment.reason});
          !ok) {
        return ok;
      }
    }
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  // Promises whose date plus grace passed with debt still overdue are broken.
  for (const CustomerState& customer : portfolio.customers) {
    if (!customer.promise || !customer.promise->broken) continue;
    auto broken = database.Prepare(
        "UPDATE promises SET status = 'broken', resolved_at = ? WHERE tenant_id = ? AND id = ? AND status = 'open'");
    if (!broken) return Fail(broken.error());
    (*broken)->BindText(1, options.audit.at);
    (*broken)->BindInt64(2, options.tenant_id);
    (*broken)->BindInt64(3, customer.promise_id);
    if (auto ok = (*broken)->Run(); !ok) return ok;
  }
  return {};
}

}  // namespace

namespace {

// CARTERA_RUN_PHASES=1 prints each phase's wall time to stderr: where a
// run's time goes (bench/README.md).
class PhaseTimer {
 public:
  PhaseTimer() : enabled_(std::getenv("CARTERA_RUN_PHASES") != nullptr), start_(std::chrono::steady_clock::now()) {}
  void Done(std::string_view phase) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "[run] %-9.*s %6.2f s\n", static_cast<int>(phase.size()), phase.data(),
                 std::chrono::duration<double>(now - start_).count());
    start_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

Result<RunReport> RunCollection(Database& database, const RunOptions& options) {
  RunReport report;
  PhaseTimer timer;
  if (options.only_customer && !options.dry_run) {
    return Fail(Error::BadInput("a run for one customer can only be a dry run"));
  }
  auto portfolio = LoadPortfolio(database, options.tenant_id, options.now, !options.dry_run, options.only_customer);
  if (!portfolio) return Fail(portfolio.error());
  report.portfolio = std::move(*portfolio);
  timer.Done("load");
  report.plan = PlanDay(report.portfolio, PlanOptions{options.as_of, options.now, false});
  timer.Done("plan");
  report.customers = static_cast<int64_t>(report.portfolio.customers.size());
  report.planned = static_cast<int64_t>(report.plan.items.size());
  for (const LogItem& item : report.plan.log) {
    report.deferred += item.kind == LogKind::kDeferred;
    report.blocked += item.kind == LogKind::kBlocked;
    report.skipped += item.kind == LogKind::kSkipped;
  }
  if (options.dry_run) return report;
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = LockTenantLedger(database, options.tenant_id); !ok) return Fail(ok.error());
  if (auto ok = WriteOutbox(database, report.portfolio, report.plan, options, report.added); !ok) return Fail(ok.error());
  timer.Done("outbox");
  if (auto ok = WriteLog(database, report.portfolio, report.plan, options); !ok) return Fail(ok.error());
  timer.Done("log");
  if (auto ok = WriteSegmentsAndPromises(database, report.portfolio, options); !ok) return Fail(ok.error());
  timer.Done("segments");
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  timer.Done("commit");
  return report;
}

}  // namespace cartera
