#include "credit/credit_hold.h"

#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "core/currency.h"
#include "credit/credit_policy.h"
#include "report/customer_credit.h"
#include "report/list_page.h"
#include "report/output.h"
#include "store/sql_dialect.h"
#include "webhooks/webhook_events.h"

namespace cartera::credit {
namespace {

using Values = std::vector<std::optional<std::string_view>>;
using CurrencyKey = std::pair<int64_t, std::string>;  // (customer id, currency)

struct StoredHold {
  std::string reasons;
  std::string since;
};

// The customers on hold now, by id (the partial index: a short read).
Result<std::unordered_map<int64_t, StoredHold>> ReadHolds(Database& database, int64_t tenant_id) {
  std::unordered_map<int64_t, StoredHold> holds;
  auto query = database.Prepare(
      "SELECT customer_id, hold_reasons, COALESCE(hold_since, '') FROM customer_credit WHERE tenant_id = ? AND "
      "on_hold = 1");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return holds;
    holds[(*query)->GetInt64(0)] = {std::string((*query)->GetText(1)), std::string((*query)->GetText(2))};
  }
}

// Sums (customer, currency) -> minor units from a query of those three columns.
Status ReadSums(Database& database, std::string_view sql, const std::vector<int64_t>& parameters,
                std::map<CurrencyKey, int64_t>& sums) {
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  for (size_t i = 0; i < parameters.size(); ++i) (*query)->BindInt64(static_cast<int>(i + 1), parameters[i]);
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return {};
    auto& sum = sums[{(*query)->GetInt64(0), std::string((*query)->GetText(1))}];
    auto added = CheckedAdd(sum, (*query)->GetInt64(2));
    if (!added) return Fail(added.error());
    sum = *added;
  }
}

struct Change {
  int64_t customer_id = 0;
  std::string external_id, name;
  bool on_hold = false;
  std::string reasons, before_reasons, since;
  int64_t exposure_minor = 0;
  std::optional<int64_t> limit_minor;
  std::optional<std::string> currency;
};

nlohmann::json MoneyOrNull(std::optional<int64_t> minor, const std::optional<std::string>& currency) {
  return minor && currency ? MoneyJson(*minor, *currency) : nlohmann::json(nullptr);
}

nlohmann::json ReasonsJson(std::string_view joined) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const std::string& reason : SplitReasons(joined)) reasons.push_back(reason);
  return reasons;
}

// One customer's figures as the stream gathers them.
struct Gathered {
  int64_t id = 0;
  std::string external_id, name, segment;
  std::optional<int64_t> limit_minor;
  std::optional<std::string> currency;
  int64_t open_in_currency = 0;
  std::optional<Date> oldest_due;
};

Status WriteChanges(Database& database, int64_t tenant_id, const std::vector<Change>& changes, Timestamp now,
                    const AuditContext& audit) {
  if (changes.empty()) return {};
  const std::vector<std::string> columns = {"customer_id", "on_hold", "hold_reasons", "hold_since", "exposure_minor",
                                            "limit_minor", "currency", "before_json", "after_json"};
  if (auto ok = PrepareWorkTable(database, "run_credit_holds",
                                 "customer_id BIGINT, on_hold INTEGER, hold_reasons TEXT, hold_since TEXT, "
                                 "exposure_minor BIGINT, limit_minor BIGINT, currency TEXT, before_json TEXT, "
                                 "after_json TEXT");
      !ok) {
    return ok;
  }
  auto batch = webhooks::EventBatch::Begin(database, tenant_id, "customer.credit_hold_changed", now);
  if (!batch) return Fail(batch.error());
  std::vector<nlohmann::json> events;
  {
    auto writer = database.BulkInsert("run_credit_holds", columns);
    if (!writer) return Fail(writer.error());
    for (const Change& change : changes) {
      const std::string id = std::to_string(change.customer_id), on_hold = change.on_hold ? "1" : "0",
                        exposure = std::to_string(change.exposure_minor),
                        limit = change.limit_minor ? std::to_string(*change.limit_minor) : "";
      const nlohmann::json before = {{"on_hold", !change.before_reasons.empty()},
                                     {"reasons", ReasonsJson(change.before_reasons)}};
      const nlohmann::json after = {{"on_hold", change.on_hold},
                                    {"reasons", ReasonsJson(change.reasons)},
                                    {"since", change.since},
                                    {"exposure", MoneyOrNull(change.exposure_minor, change.currency)},
                                    {"limit", MoneyOrNull(change.limit_minor, change.currency)}};
      const std::string before_text = before.dump(), after_text = after.dump();
      Values values{id,
                    on_hold,
                    change.reasons,
                    change.since,
                    exposure,
                    change.limit_minor ? std::optional<std::string_view>(limit) : std::nullopt,
                    change.currency ? std::optional<std::string_view>(*change.currency) : std::nullopt,
                    before_text,
                    after_text};
      if (auto ok = (*writer)->Add(values); !ok) return ok;
      if (batch->wanted()) {
        events.push_back({{"customer", {{"external_id", change.external_id}, {"name", change.name}}},
                          {"on_hold", change.on_hold},
                          {"reasons", ReasonsJson(change.reasons)},
                          {"since", change.since},
                          {"exposure", MoneyOrNull(change.exposure_minor, change.currency)},
                          {"limit", MoneyOrNull(change.limit_minor, change.currency)}});
      }
    }
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  auto upsert = database.Prepare(
      "INSERT INTO customer_credit (tenant_id, customer_id, on_hold, hold_reasons, hold_since, exposure_minor, "
      "limit_minor, currency, updated_at) SELECT ?, customer_id, on_hold, hold_reasons, hold_since, exposure_minor, "
      "limit_minor, currency, ? FROM run_credit_holds WHERE true ON CONFLICT (tenant_id, customer_id) DO UPDATE SET "
      "on_hold = excluded.on_hold, hold_reasons = excluded.hold_reasons, hold_since = excluded.hold_since, "
      "exposure_minor = excluded.exposure_minor, limit_minor = excluded.limit_minor, currency = excluded.currency, "
      "updated_at = excluded.updated_at");
  if (!upsert) return Fail(upsert.error());
  (*upsert)->BindInt64(1, tenant_id);
  (*upsert)->BindText(2, audit.at);
  if (auto ok = (*upsert)->Run(); !ok) return ok;
  upsert->reset();
  auto audited = database.Prepare(
      "INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, action, before_json, after_json, source) "
      "SELECT ?, ?, ?, 'customer_credit_hold', customer_id, 'update', before_json, after_json, ? FROM "
      "run_credit_holds");
  if (!audited) return Fail(audited.error());
  (*audited)->BindInt64(1, tenant_id);
  (*audited)->BindText(2, audit.at);
  (*audited)->BindText(3, audit.actor);
  (*audited)->BindText(4, audit.source);
  if (auto ok = (*audited)->Run(); !ok) return ok;
  audited->reset();
  for (const nlohmann::json& event : events) {
    if (auto ok = batch->Add(event); !ok) return ok;
  }
  return batch->Finish();
}

// Flags the customers whose review is due on `day` and clears the flag of
// those no longer due (a policy made longer): two statements over the
// tenant's customers, the months per segment turned into cutoff dates.
Result<int64_t> FlagDueReviews(Database& database, int64_t tenant_id, const CreditPolicy& policy, Date day,
                               const AuditContext& audit) {
  if (auto ok = PrepareWorkTable(database, "run_credit_reviews", "customer_id BIGINT, reason TEXT, since TEXT");
      !ok) {
    return Fail(ok.error());
  }
  // Customers with credit: a limit, or open debt (a segment from the run).
  auto due = database.Prepare(
      "INSERT INTO run_credit_reviews (customer_id, reason, since) SELECT id, CASE WHEN promise_broken IS NOT NULL "
      "THEN 'broken_promise' WHEN plan_broken IS NOT NULL THEN 'broken_plan' ELSE 'periodic' END, "
      "COALESCE(promise_broken, plan_broken, base) FROM (SELECT c.id AS id, "
      "(SELECT MIN(SUBSTR(p.resolved_at, 1, 10)) FROM promises p WHERE p.tenant_id = c.tenant_id AND p.customer_id = "
      "c.id AND p.status = 'broken' AND p.resolved_at > COALESCE(cc.last_reviewed_at, '')) AS promise_broken, "
      "(SELECT MIN(SUBSTR(pp.updated_at, 1, 10)) FROM payment_plans pp WHERE pp.tenant_id = c.tenant_id AND "
      "pp.customer_id = c.id AND pp.status = 'broken' AND pp.updated_at > COALESCE(cc.last_reviewed_at, '')) AS "
      "plan_broken, COALESCE(cc.last_reviewed_on, SUBSTR(c.created_at, 1, 10)) AS base, CASE COALESCE("
      "s.behaviour_segment, c.segment) WHEN 'habitual' THEN ? WHEN 'occasional' THEN ? WHEN 'high_risk' THEN ? ELSE ? "
      "END AS cutoff FROM customers c LEFT JOIN customer_segments s ON s.tenant_id = c.tenant_id AND s.customer_id = "
      "c.id LEFT JOIN customer_credit cc ON cc.tenant_id = c.tenant_id AND cc.customer_id = c.id WHERE c.tenant_id = ? "
      "AND (c.credit_limit_minor IS NOT NULL OR s.customer_id IS NOT NULL)) x WHERE promise_broken IS NOT NULL OR "
      "plan_broken IS NOT NULL OR base <= cutoff");
  if (!due) return Fail(due.error());
  int parameter = 1;
  for (std::string_view segment : {"habitual", "occasional", "high_risk", "new"}) {
    (*due)->BindText(parameter++, ReviewCutoff(day, policy.For(segment).review_months).ToIso());
  }
  (*due)->BindInt64(parameter++, tenant_id);
  if (auto ok = (*due)->Run(); !ok) return Fail(ok.error());
  const int64_t flagged = (*due)->ChangedRows();
  due->reset();
  auto clear = database.Prepare(
      "UPDATE customer_credit SET review_due = 0, review_reason = NULL, review_since = NULL, updated_at = ? WHERE "
      "tenant_id = ? AND review_due = 1 AND customer_id NOT IN (SELECT customer_id FROM run_credit_reviews)");
  if (!clear) return Fail(clear.error());
  (*clear)->BindText(1, audit.at);
  (*clear)->BindInt64(2, tenant_id);
  if (auto ok = (*clear)->Run(); !ok) return Fail(ok.error());
  clear->reset();
  auto flag = database.Prepare(
      "INSERT INTO customer_credit (tenant_id, customer_id, review_due, review_reason, review_since, updated_at) "
      "SELECT ?, customer_id, 1, reason, since, ? FROM run_credit_reviews WHERE true ON CONFLICT (tenant_id, "
      "customer_id) DO UPDATE SET review_due = 1, review_reason = excluded.review_reason, review_since = "
      "excluded.review_since, updated_at = excluded.updated_at");
  if (!flag) return Fail(flag.error());
  (*flag)->BindInt64(1, tenant_id);
  (*flag)->BindText(2, audit.at);
  if (auto ok = (*flag)->Run(); !ok) return Fail(ok.error());
  return flagged;
}

}  // namespace

Result<CreditRunReport> ApplyCreditPolicy(Database& database, int64_t tenant_id, std::optional<Date> as_of,
                                          Timestamp now, const AuditContext& audit) {
  CreditRunReport report;
  if (as_of) {
    report.business_date = *as_of;
  } else {
    auto today = TenantToday(database, tenant_id, now);
    if (!today) return Fail(today.error());
    report.business_date = *today;
  }
  const Date day = report.business_date;
  const std::string day_text = day.ToIso();
  auto policy = LoadCreditPolicy(database, tenant_id);
  if (!policy) return Fail(policy.error());
  auto holds = ReadHolds(database, tenant_id);
  if (!holds) return Fail(holds.error());
  std::map<CurrencyKey, int64_t> credit, unbilled;
  if (auto ok = ReadUnappliedCredits(database, tenant_id, std::nullopt, std::nullopt,
                                     [&](const UnappliedCredit& found) -> Status {
                                       auto& sum = credit[{found.customer_id, found.currency}];
                                       auto added = CheckedAdd(sum, found.unapplied_minor);
                                       if (!added) return Fail(added.error());
                                       sum = *added;
                                       return {};
                                     });
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ReadSums(database, PlanUnbilledSql(false), {tenant_id}, unbilled);
      !ok) {
    return Fail(ok.error());
  }
  // Every customer with open debt issued by the business date, or on hold:
  // one row per currency of debt (or one without), in customer order.
  auto stream = database.Prepare(
      "WITH o AS (SELECT customer_id, currency, CAST(SUM(open_minor) AS BIGINT) AS open_sum, MIN(due_date) AS "
      "oldest_due FROM invoices WHERE tenant_id = ? AND open_minor <> 0 AND issue_date <= ? GROUP BY customer_id, "
      "currency), ids AS (SELECT customer_id FROM o UNION SELECT customer_id FROM customer_credit WHERE tenant_id = ? "
      "AND on_hold = 1) SELECT c.id, c.external_id, c.name, c.credit_limit_minor, c.currency, COALESCE("
      "s.behaviour_segment, c.segment, 'new'), o.currency, o.open_sum, o.oldest_due FROM ids JOIN customers c ON "
      "c.tenant_id = ? AND c.id = ids.customer_id LEFT JOIN customer_segments s ON s.tenant_id = c.tenant_id AND "
      "s.customer_id = c.id LEFT JOIN o ON o.customer_id = c.id ORDER BY c.id, o.currency");
  if (!stream) return Fail(stream.error());
  (*stream)->BindInt64(1, tenant_id);
  (*stream)->BindText(2, day_text);
  (*stream)->BindInt64(3, tenant_id);
  (*stream)->BindInt64(4, tenant_id);
  std::vector<Change> changes;
  Gathered current;
  auto decide = [&]() -> Status {
    if (current.id == 0) return {};
    ++report.customers;
    int64_t unapplied = 0, plan = 0;
    if (current.currency) {
      if (auto found = credit.find({current.id, *current.currency}); found != credit.end()) unapplied = found->second;
      if (auto found = unbilled.find({current.id, *current.currency}); found != unbilled.end()) plan = found->second;
    }
    auto exposure = ComputeExposure(current.open_in_currency, unapplied, plan);
    if (!exposure) return Fail(exposure.error());
    CreditFigures figures;
    // A limit without a currency cannot be compared with any debt.
    figures.limit_minor = current.currency ? current.limit_minor : std::nullopt;
    figures.exposure_minor = *exposure;
    figures.oldest_open_due = current.oldest_due;
    const HoldDecision decision = DecideCreditHold(policy->For(current.segment), figures, day);
    const auto stored = holds->find(current.id);
    const std::string reasons = JoinReasons(decision.reasons);
    const std::string before = stored == holds->end() ? "" : stored->second.reasons;
    if (reasons != before) {
      Change change;
      change.customer_id = current.id;
      change.external_id = current.external_id;
      change.name = current.name;
      change.on_hold = decision.on_hold;
      change.reasons = reasons;
      change.before_reasons = before;
      // Still on hold for other reasons: the hold began when it began.
      change.since = decision.on_hold && stored != holds->end() ? stored->second.since : day_text;
      change.exposure_minor = *exposure;
      change.limit_minor = figures.limit_minor;
      change.currency = current.currency;
      if (decision.on_hold && stored == holds->end()) {
        ++report.put_on_hold;
      } else if (!decision.on_hold) {
        ++report.released;
      } else {
        ++report.reasons_changed;
      }
      changes.push_back(std::move(change));
    }
    return {};
  };
  while (true) {
    auto has_row = (*stream)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const Statement& row = **stream;
    const int64_t id = row.GetInt64(0);
    if (id != current.id) {
      if (auto ok = decide(); !ok) return Fail(ok.error());
      current = Gathered{};
      current.id = id;
      current.external_id = row.GetText(1);
      current.name = row.GetText(2);
      if (!row.IsNull(3)) current.limit_minor = row.GetInt64(3);
      current.currency = row.GetOptionalText(4);
      current.segment = row.GetText(5);
    }
    if (row.IsNull(6)) continue;  // on hold, owes nothing now
    const int64_t open = row.GetInt64(7);
    if (current.currency && row.GetText(6) == *current.currency) current.open_in_currency = open;
    if (open > 0) {
      auto due = Date::ParseIso(row.GetText(8).substr(0, 10));
      if (due && (!current.oldest_due || *due < *current.oldest_due)) current.oldest_due = *due;
    }
  }
  if (auto ok = decide(); !ok) return Fail(ok.error());
  stream->reset();
  if (auto ok = WriteChanges(database, tenant_id, changes, now, audit); !ok) return Fail(ok.error());
  auto reviews = FlagDueReviews(database, tenant_id, *policy, day, audit);
  if (!reviews) return Fail(reviews.error());
  report.reviews_due = *reviews;
  return report;
}

}  // namespace cartera::credit
