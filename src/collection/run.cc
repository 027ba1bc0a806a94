#include "collection/run.h"

#include "store/audit.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "agreements/plan_tracking.h"
#include "collection/promise_settlement.h"
#include "core/time_zone.h"
#include "credit/credit_hold.h"
#include "offers/offer_run.h"
#include "store/sql_dialect.h"
#include "webhooks/webhook_events.h"

namespace cartera {
namespace {

using Values = std::vector<std::optional<std::string_view>>;

// Contacts wait in "queued" for the delivery worker; call tasks in "open"
// for a collector; the other actions are recorded as "pending".
std::string_view InitialStatus(const PlannedItem& item) {
  if (!item.merged_into.empty()) return "merged";  // said by another book's message
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

// The log keeps every reason a day's runs gave: a second run the same day
// adds what is new and never wipes why an action was deferred or blocked
// earlier (a sentence and a row already there are not written again).
Status WriteLog(Database& database, const Portfolio& portfolio, const DayPlan& plan, const RunOptions& options) {
  const std::string tenant = std::to_string(options.tenant_id);
  // Each distinct sentence once per business day; rows name it by number.
  std::map<Date, std::unordered_map<std::string, int64_t>> numbers;
  std::map<Date, int64_t> next_number;
  bool day_has_log = false;
  for (const LogItem& item : plan.log) {
    if (next_number.count(item.business_date)) continue;
    next_number[item.business_date] = 1;
    auto texts = database.Prepare("SELECT id, text FROM engine_log_texts WHERE tenant_id = ? AND business_date = ?");
    if (!texts) return Fail(texts.error());
    (*texts)->BindInt64(1, options.tenant_id);
    (*texts)->BindText(2, item.business_date.ToIso());
    while (true) {
      auto row = (*texts)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      const int64_t id = (*texts)->GetInt64(0);
      numbers[item.business_date].emplace(std::string((*texts)->GetText(1)), id);
      next_number[item.business_date] = std::max(next_number[item.business_date], id + 1);
      day_has_log = true;
    }
  }
  struct NewText {
    Date date;
    int64_t number;
    std::string_view text, text_es;
  };
  std::vector<NewText> new_texts;
  std::vector<int64_t> number_of(plan.log.size());
  for (size_t i = 0; i < plan.log.size(); ++i) {
    const LogItem& item = plan.log[i];
    auto& known = numbers[item.business_date];
    auto found = known.find(item.detail);
    if (found == known.end()) {
      const int64_t number = next_number[item.business_date]++;
      found = known.emplace(item.detail, number).first;
      new_texts.push_back({item.business_date, number, item.detail, item.detail_es});
    }
    number_of[i] = found->second;
  }
  {
    auto writer = database.BulkInsert("engine_log_texts", {"tenant_id", "business_date", "id", "text", "text_es"});
    if (!writer) return Fail(writer.error());
    for (const NewText& text : new_texts) {
      const std::string day = text.date.ToIso(), id = std::to_string(text.number);
      if (auto ok = (*writer)->Add(Values{tenant, day, id, text.text, text.text_es}); !ok) return ok;
    }
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  const std::vector<std::string> columns{"tenant_id", "customer_id", "business_date", "stage", "action", "kind",
                                         "code", "detail_id", "created_at"};
  // A day's first run writes straight into the log; a later one through a
  // work table, adding only the rows not already there.
  if (day_has_log) {
    if (auto ok = PrepareWorkTable(database, "run_log",
                                   "tenant_id BIGINT, customer_id BIGINT, business_date DATE, stage TEXT, action TEXT, "
                                   "kind TEXT, code TEXT, detail_id INTEGER, created_at TEXT");
        !ok) {
      return ok;
    }
  }
  auto writer = database.BulkInsert(day_has_log ? "run_log" : "engine_log", columns);
  if (!writer) return Fail(writer.error());
  for (size_t i = 0; i < plan.log.size(); ++i) {
    const LogItem& item = plan.log[i];
    const std::string customer = std::to_string(portfolio.customers[item.customer].id), date = item.business_date.ToIso(),
                      detail = std::to_string(number_of[i]);
    Values values{tenant, customer, date, item.stage, item.action, LogKindName(item.kind), item.code, detail,
                  options.audit.at};
    if (auto ok = (*writer)->Add(values); !ok) return ok;
  }
  if (auto ok = (*writer)->Finish(); !ok) return ok;
  if (!day_has_log) return {};
  return database.Execute(
      "INSERT INTO engine_log (tenant_id, customer_id, business_date, stage, action, kind, code, detail_id, "
      "created_at) SELECT r.tenant_id, r.customer_id, r.business_date, r.stage, r.action, r.kind, r.code, "
      "r.detail_id, r.created_at FROM run_log r WHERE NOT EXISTS (SELECT 1 FROM engine_log e WHERE e.tenant_id = "
      "r.tenant_id AND e.customer_id = r.customer_id AND e.business_date = r.business_date AND e.stage IS NOT "
      "DISTINCT FROM r.stage AND e.action IS NOT DISTINCT FROM r.action AND e.kind = r.kind AND e.code = r.code AND "
      "e.detail_id = r.detail_id)");
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
    if ((*broken)->ChangedRows() == 1) {
      auto emitted = webhooks::EmitEvent(
          database, options.tenant_id, "promise.broken",
          {{"promise", {{"id", customer.promise_id}, {"customer_external_id", customer.external_id}, {"status", "broken"}}}},
          options.now);
      if (!emitted) return Fail(emitted.error());
    }
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
  int32_t run_minutes = kDefaultRunMinutes;
  if (options.run_minutes) {
    run_minutes = *options.run_minutes;
  } else {
    auto stored = LoadDailyRunMinutes(database, options.tenant_id);
    if (!stored) return Fail(stored.error());
    run_minutes = *stored;
  }
  if (auto ok = SettlePromisesForRun(database, options); !ok) return Fail(ok.error());  // docs/promises.md
  // With a business date, everything is read as of that day's run time: the
  // real clock plays no part.
  // Offers paid are fulfilled (credit notes of their kind), unpaid past expiry expired, before the plan reads the
  // balances: offers/offer_run.h, docs/offers.md.
  if (!options.dry_run) {
    if (auto settled = offers::SettleOffers(database, options.tenant_id, options.as_of, options.now, options.audit);
        !settled) {
      return Fail(settled.error());
    }
  }
  const Timestamp plan_now = options.as_of ? EndOfBusinessDate(*options.as_of) : options.now;
  auto portfolio = LoadPortfolio(database, options.tenant_id,
                                 PortfolioOptions{plan_now, options.as_of, !options.dry_run, options.only_customer});
  if (!portfolio) return Fail(portfolio.error());
  report.portfolio = std::move(*portfolio);
  timer.Done("load");
  PlanOptions plan_options;
  plan_options.as_of = options.as_of;
  plan_options.now = plan_now;
  plan_options.run_minutes = run_minutes;
  report.plan = PlanDay(report.portfolio, plan_options);
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
  // Payment plans: payments to installments, missed, broken, completed (agreements/plan_tracking.h).
  if (auto tracked = TrackPaymentPlans(database, options.tenant_id, options.as_of, options.now,
                                       report.portfolio.strategy.promise_grace_days, options.audit);
      !tracked) {
    return Fail(tracked.error());
  }
  // Credit hold and due credit reviews (credit/credit_hold.h), after the segments they go by.
  if (auto held = credit::ApplyCreditPolicy(database, options.tenant_id, options.as_of, options.now, options.audit);
      !held) {
    return Fail(held.error());
  }
  auto emitted = webhooks::EmitEvent(database, options.tenant_id, "run.completed",
                                     {{"run",
                                       {{"business_date", options.as_of ? nlohmann::json(options.as_of->ToIso())
                                                                        : nlohmann::json(nullptr)},
                                        {"customers", report.customers},
                                        {"planned", report.planned},
                                        {"added", report.added},
                                        {"deferred", report.deferred},
                                        {"blocked", report.blocked},
                                        {"skipped", report.skipped}}}},
                                     options.now);
  if (!emitted) return Fail(emitted.error());
  // Who ran the day and what it added: a person, a key or the scheduler.
  if (report.added > 0) {
    const nlohmann::json after = {
        {"business_date", options.as_of ? nlohmann::json(options.as_of->ToIso()) : nlohmann::json(nullptr)},
        {"added", report.added}, {"planned", report.planned}, {"customers", report.customers}};
    if (auto ok = WriteAudit(database, options.tenant_id, options.audit, "run", report.added, "create", "", after.dump());
        !ok) {
      return Fail(ok.error());
    }
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  timer.Done("commit");
  return report;
}

}  // namespace cartera

namespace cartera {

Result<int32_t> ParseRunTime(std::string_view hh_mm) {
  auto digit = [&](size_t at) { return hh_mm[at] >= '0' && hh_mm[at] <= '9' ? hh_mm[at] - '0' : -100; };
  if (hh_mm.size() != 5 || hh_mm[2] != ':') {
    return Fail(Error::BadInput(fmt::format("'{}' is not a time of day (HH:MM, 00:00-23:59)", hh_mm)));
  }
  const int hours = digit(0) * 10 + digit(1), minutes = digit(3) * 10 + digit(4);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return Fail(Error::BadInput(fmt::format("'{}' is not a time of day (HH:MM, 00:00-23:59)", hh_mm)));
  }
  return hours * 60 + minutes;
}

Result<int32_t> LoadDailyRunMinutes(Database& database, int64_t tenant_id) {
  auto query = database.Prepare("SELECT daily_run_time FROM tenants WHERE id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return kDefaultRunMinutes;
  auto minutes = ParseRunTime((*query)->GetText(0));
  return minutes ? *minutes : kDefaultRunMinutes;
}

Status SetDailyRunTime(Database& database, int64_t tenant_id, std::string_view hh_mm, const AuditContext& audit) {
  auto minutes = ParseRunTime(hh_mm);
  if (!minutes) return Fail(minutes.error());
  auto before = LoadDailyRunMinutes(database, tenant_id);
  if (!before) return Fail(before.error());
  if (*before == *minutes) return {};
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto update = database.Prepare("UPDATE tenants SET daily_run_time = ? WHERE id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, hh_mm);
  (*update)->BindInt64(2, tenant_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  const std::string was = fmt::format("{:02}:{:02}", *before / 60, *before % 60);
  if (auto ok = WriteAudit(database, tenant_id, audit, "tenant", tenant_id, "update",
                           fmt::format(R"({{"daily_run_time":"{}"}})", was),
                           fmt::format(R"({{"daily_run_time":"{}"}})", hh_mm));
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

}  // namespace cartera
