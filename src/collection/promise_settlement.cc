#include "collection/promise_settlement.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "collection/portfolio.h"
#include "core/time_zone.h"
#include "engine/promise_outcome.h"
#include "report/output.h"
#include "store/sql_dialect.h"
#include "webhooks/webhook_events.h"

namespace cartera {
namespace {

using Values = std::vector<std::optional<std::string_view>>;

struct OpenPromise {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string customer_external_id;
  std::string time_zone;
  PromiseTerms terms;
};

struct Settled {
  const OpenPromise* promise = nullptr;
  PromiseOutcome outcome = PromiseOutcome::kOpen;
  int64_t covered_minor = 0;
};

struct Use {
  int64_t promise_id = 0;
  int64_t payment_id = 0;
  int64_t amount_minor = 0;
};

std::string_view ValidZone(std::string_view zone) { return IsKnownTimeZone(zone) ? zone : std::string_view("UTC"); }

Status ReadOpenPromises(Database& database, int64_t tenant_id, int32_t grace_days, std::vector<OpenPromise>& promises) {
  auto query = database.Prepare(
      "SELECT p.id, p.customer_id, c.external_id, COALESCE(c.time_zone, 'UTC'), p.promised_date, p.currency, "
      "p.amount_minor, p.created_at FROM promises p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = "
      "p.customer_id WHERE p.tenant_id = ? AND p.status = 'open' ORDER BY p.customer_id, p.promised_date, p.id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    OpenPromise promise;
    promise.id = r.GetInt64(0);
    promise.customer_id = r.GetInt64(1);
    promise.customer_external_id = std::string(r.GetText(2));
    promise.time_zone = std::string(ValidZone(r.GetText(3)));
    auto promised = Date::ParseIso(r.GetText(4).substr(0, 10));
    if (!promised) return Fail(Error::Internal(fmt::format("promise {}: stored date '{}'", promise.id, r.GetText(4))));
    auto created = ParseUtc(r.GetText(7));
    if (!created) return Fail(Error::Internal(fmt::format("promise {}: stored created_at '{}'", promise.id, r.GetText(7))));
    // The day the promise was made, in the customer's calendar.
    promise.terms = PromiseTerms{r.GetInt64(6), std::string(r.GetText(5)), DateIn(promise.time_zone, *created), *promised,
                                 grace_days};
    promises.push_back(std::move(promise));
  }
  return {};
}

struct PaymentRow {
  int64_t customer_id = 0;
  PaymentOffer offer;
};

// The payments of customers with an open promise, dated from `from` through
// `through`, each with what earlier settled promises have not taken.
Status ReadPayments(Database& database, int64_t tenant_id, Date from, Date through, std::vector<PaymentRow>& payments) {
  auto query = database.Prepare(
      "SELECT pay.customer_id, pay.id, pay.date, pay.currency, CAST(pay.amount_minor - COALESCE((SELECT "
      "SUM(pp.amount_minor) FROM promise_payments pp WHERE pp.tenant_id = pay.tenant_id AND pp.payment_id = pay.id), 0) "
      "AS BIGINT) FROM payments pay "
      "WHERE pay.tenant_id = ? AND pay.customer_id IN (SELECT p.customer_id FROM promises p WHERE p.tenant_id = ? AND "
      "p.status = 'open') AND pay.date >= ? AND pay.date <= ? ORDER BY pay.customer_id, pay.date, pay.id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, tenant_id);
  (*query)->BindText(3, from.ToIso());
  (*query)->BindText(4, through.ToIso());
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    auto date = Date::ParseIso(r.GetText(2).substr(0, 10));
    if (!date) return Fail(Error::Internal(fmt::format("payment {}: stored date '{}'", r.GetInt64(1), r.GetText(2))));
    payments.push_back({r.GetInt64(0), PaymentOffer{r.GetInt64(1), *date, std::string(r.GetText(3)), r.GetInt64(4)}});
  }
  return {};
}

Status WriteSettlements(Database& database, int64_t tenant_id, const std::vector<Settled>& settled,
                        const std::vector<Use>& uses, const AuditContext& audit) {
  const std::string tenant = std::to_string(tenant_id);
  if (auto ok = PrepareWorkTable(database, "run_promise_outcomes",
                                 "promise_id BIGINT, status TEXT, outcome TEXT, covered_minor BIGINT");
      !ok) {
    return ok;
  }
  {
    auto writer = database.BulkInsert("run_promise_outcomes", {"promise_id", "status", "outcome", "covered_minor"});
    if (!writer) return Fail(writer.error());
    for (const Settled& one : settled) {
      const std::string id = std::to_string(one.promise->id), covered = std::to_string(one.covered_minor);
      const std::string_view status = one.outcome == PromiseOutcome::kKept ? "kept" : "broken";
      if (auto ok = (*writer)->Add(Values{id, status, PromiseOutcomeName(one.outcome), covered}); !ok) return ok;
    }
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  {
    auto writer = database.BulkInsert("promise_payments", {"tenant_id", "promise_id", "payment_id", "amount_minor"});
    if (!writer) return Fail(writer.error());
    for (const Use& use : uses) {
      const std::string promise = std::to_string(use.promise_id), payment = std::to_string(use.payment_id),
                        amount = std::to_string(use.amount_minor);
      if (auto ok = (*writer)->Add(Values{tenant, promise, payment, amount}); !ok) return ok;
    }
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  // One audit row per settled promise, written by the database from the
  // work table (before: open; after: status, outcome, covered).
  const std::string after = SqlJsonObject(database.dialect(), {{"status", "r.status"},
                                                                {"outcome", "r.outcome"},
                                                                {"covered_minor", "r.covered_minor"}});
  auto audited = database.Prepare(fmt::format(
      "INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, action, before_json, after_json, source) "
      "SELECT ?, ?, ?, 'promise', r.promise_id, 'update', '{{\"status\":\"open\"}}', {}, ? FROM "
      "run_promise_outcomes r",
      after));
  if (!audited) return Fail(audited.error());
  (*audited)->BindInt64(1, tenant_id);
  (*audited)->BindText(2, audit.at);
  (*audited)->BindText(3, audit.actor);
  (*audited)->BindText(4, audit.source);
  if (auto ok = (*audited)->Run(); !ok) return ok;
  auto update = database.Prepare(
      "UPDATE promises SET status = r.status, outcome = r.outcome, covered_minor = r.covered_minor, resolved_at = ? "
      "FROM run_promise_outcomes r WHERE promises.id = r.promise_id AND promises.status = 'open' AND "
      "promises.tenant_id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, audit.at);
  (*update)->BindInt64(2, tenant_id);
  return (*update)->Run();
}

Status EmitEvents(Database& database, int64_t tenant_id, const std::vector<Settled>& settled, Timestamp at) {
  for (const bool kept : {true, false}) {
    auto batch = webhooks::EventBatch::Begin(database, tenant_id, kept ? "promise.kept" : "promise.broken", at);
    if (!batch) return Fail(batch.error());
    if (!batch->wanted()) continue;
    for (const Settled& one : settled) {
      if ((one.outcome == PromiseOutcome::kKept) != kept) continue;
      const OpenPromise& promise = *one.promise;
      const nlohmann::json data = {
          {"promise",
           {{"id", promise.id},
            {"customer_external_id", promise.customer_external_id},
            {"status", kept ? "kept" : "broken"},
            {"outcome", PromiseOutcomeName(one.outcome)},
            {"promised_date", promise.terms.promised.ToIso()},
            {"amount", MoneyJson(promise.terms.amount_minor, promise.terms.currency)},
            {"covered", MoneyJson(one.covered_minor, promise.terms.currency)}}}};
      if (auto ok = batch->Add(data); !ok) return ok;
    }
    if (auto ok = batch->Finish(); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<PromiseSettlement> SettlePromises(Database& database, int64_t tenant_id, std::optional<Date> as_of,
                                         Timestamp now, const AuditContext& audit) {
  PromiseSettlement report;
  auto strategy = LoadActiveStrategy(database, tenant_id);
  if (!strategy) return Fail(strategy.error());
  const int32_t grace_days = strategy->second.promise_grace_days;
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
  std::vector<OpenPromise> promises;
  if (auto ok = ReadOpenPromises(database, tenant_id, grace_days, promises); !ok) return Fail(ok.error());
  if (promises.empty()) return report;
  // The business date of each zone: the run's date, else the zone's today.
  std::unordered_map<std::string, Date> today_by_zone;
  auto business_date = [&](const std::string& zone) {
    if (as_of) return *as_of;
    auto found = today_by_zone.find(zone);
    if (found == today_by_zone.end()) found = today_by_zone.emplace(zone, DateIn(zone, now)).first;
    return found->second;
  };
  // Payments read once for all: from the earliest day any open promise was
  // made to the latest business date any customer has.
  Date from = promises.front().terms.created, through = as_of ? *as_of : DateIn("Pacific/Kiritimati", now);
  for (const OpenPromise& promise : promises) from = std::min(from, promise.terms.created);
  std::vector<PaymentRow> payments;
  if (from <= through) {
    if (auto ok = ReadPayments(database, tenant_id, from, through, payments); !ok) return Fail(ok.error());
  }
  std::vector<Settled> settled;
  std::vector<Use> uses;
  size_t next_payment = 0;
  for (size_t begin = 0; begin < promises.size();) {
    const int64_t customer_id = promises[begin].customer_id;
    size_t end = begin;
    std::vector<PromiseTerms> terms;
    while (end < promises.size() && promises[end].customer_id == customer_id) terms.push_back(promises[end++].terms);
    // Both lists are in customer order: the customer's payments follow.
    while (next_payment < payments.size() && payments[next_payment].customer_id < customer_id) ++next_payment;
    std::vector<PaymentOffer> offers;
    while (next_payment < payments.size() && payments[next_payment].customer_id == customer_id) {
      offers.push_back(payments[next_payment++].offer);
    }
    auto judged = JudgePromises(terms, offers, business_date(promises[begin].time_zone));
    if (!judged) return Fail(judged.error());
    for (size_t i = 0; i < judged->size(); ++i) {
      const PromiseJudgement& judgement = (*judged)[i];
      if (judgement.outcome == PromiseOutcome::kOpen) continue;
      const OpenPromise& promise = promises[begin + i];
      settled.push_back({&promise, judgement.outcome, judgement.covered_minor});
      for (const PromiseUse& use : judgement.uses) uses.push_back({promise.id, offers[use.offer].payment_id, use.amount_minor});
      report.kept += judgement.outcome == PromiseOutcome::kKept;
      report.partially_kept += judgement.outcome == PromiseOutcome::kPartiallyKept;
      report.broken += judgement.outcome == PromiseOutcome::kBroken;
    }
    begin = end;
  }
  if (settled.empty()) return report;
  if (auto ok = WriteSettlements(database, tenant_id, settled, uses, audit); !ok) return Fail(ok.error());
  if (auto ok = EmitEvents(database, tenant_id, settled, now); !ok) return Fail(ok.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return report;
}

Status SettlePromisesForRun(Database& database, const RunOptions& options) {
  if (options.dry_run) return {};
  const auto start = std::chrono::steady_clock::now();
  auto settled = SettlePromises(database, options.tenant_id, options.as_of, options.now, options.audit);
  if (!settled) return Fail(settled.error());
  // CARTERA_RUN_PHASES=1: what settling took, beside the run's own phases
  // (it is part of their "load").
  if (std::getenv("CARTERA_RUN_PHASES") != nullptr) {
    std::fprintf(stderr, "[run] promises  %6.2f s (%lld kept, %lld partially kept, %lld broken)\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                 static_cast<long long>(settled->kept), static_cast<long long>(settled->partially_kept),
                 static_cast<long long>(settled->broken));
  }
  return {};
}

}  // namespace cartera
