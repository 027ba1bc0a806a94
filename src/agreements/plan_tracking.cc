#include "agreements/plan_tracking.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"
#include "webhooks/webhook_events.h"

namespace cartera {
namespace {

int64_t ToInt64(const std::optional<std::string_view>& text) {
  if (!text) return 0;
  int64_t value = 0;
  std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

struct TrackedPlan {
  int64_t id = 0;
  std::string customer_external_id;
  std::string time_zone;
  std::string accepted_on;   // ISO date
  std::string missed_before;  // ISO date: a due date before this is past its grace
  std::string today;          // ISO date
  int64_t down_payment = 0;
  int32_t missed_to_break = 0;
  int32_t missed_count = 0;   // stored
  int64_t paid_stored = 0;
  int64_t paid = 0;           // applied to the plan (from allocations)
  int64_t open = 0;           // still owed on the covered invoices
  // While streaming its installments:
  int64_t remaining = 0;
  int32_t missed = 0;
};

struct InstallmentChange {
  int64_t plan_id = 0;
  int64_t number = 0;
  int64_t paid = 0;
  std::string status;
};

}  // namespace

Result<PlanTrackingReport> TrackPaymentPlans(Database& database, int64_t tenant_id, std::optional<Date> as_of,
                                             Timestamp now, int32_t grace_days, const AuditContext& audit) {
  PlanTrackingReport report;
  const std::string active_where = fmt::format("p.tenant_id = {} AND p.status = 'active'", tenant_id);
  std::vector<TrackedPlan> plans;
  std::unordered_map<std::string, Date> today_by_zone;
  auto business_date = [&](const std::string& zone) {
    if (as_of) return *as_of;
    auto found = today_by_zone.find(zone);
    if (found == today_by_zone.end()) {
      found = today_by_zone.emplace(zone, DateIn(IsKnownTimeZone(zone) ? std::string_view(zone) : "UTC", now)).first;
    }
    return found->second;
  };
  if (auto ok = database.ReadAll(
          fmt::format("SELECT p.id, c.external_id, c.time_zone, p.accepted_on, p.down_payment_minor, "
                      "p.missed_to_break, p.missed_count, p.paid_minor FROM payment_plans p JOIN customers c ON "
                      "c.tenant_id = p.tenant_id AND c.id = p.customer_id WHERE p.tenant_id = {} AND "
                      "p.status = 'active' ORDER BY p.id",
                      tenant_id),
          [&](const Database::RowValues& row) -> Status {
            TrackedPlan plan;
            plan.id = ToInt64(row[0]);
            plan.customer_external_id = row[1].value_or("");
            plan.time_zone = row[2] ? std::string(*row[2]) : "UTC";
            plan.accepted_on = row[3].value_or("");
            plan.down_payment = ToInt64(row[4]);
            plan.missed_to_break = static_cast<int32_t>(ToInt64(row[5]));
            plan.missed_count = static_cast<int32_t>(ToInt64(row[6]));
            plan.paid_stored = ToInt64(row[7]);
            const Date today = business_date(plan.time_zone);
            plan.today = today.ToIso();
            plan.missed_before = today.PlusDays(-grace_days).ToIso();
            plans.push_back(std::move(plan));
            return {};
          });
      !ok) {
    return Fail(ok.error());
  }
  report.active = static_cast<int64_t>(plans.size());
  if (plans.empty()) return report;
  auto find = [&](int64_t id) -> TrackedPlan* {
    auto it = std::lower_bound(plans.begin(), plans.end(), id,
                               [](const TrackedPlan& plan, int64_t key) { return plan.id < key; });
    return it != plans.end() && it->id == id ? &*it : nullptr;
  };
  // Payments allocated to the covered invoices from the acceptance date on
  // (up to the business date when one is given).
  const std::string until = as_of ? fmt::format(" AND a.date <= '{}'", as_of->ToIso()) : std::string();
  if (auto ok = database.ReadAll(
          fmt::format("SELECT pi.plan_id, SUM(a.amount_minor) FROM {0} JOIN plan_invoices pi ON pi.tenant_id = "
                      "p.tenant_id AND pi.plan_id = p.id JOIN allocations a ON a.tenant_id = pi.tenant_id AND "
                      "a.invoice_id = pi.invoice_id AND a.payment_id IS NOT NULL AND a.date >= p.accepted_on{1} "
                      "WHERE {2} GROUP BY pi.plan_id",
                      "payment_plans p", until, active_where),
          [&](const Database::RowValues& row) -> Status {
            if (TrackedPlan* plan = find(ToInt64(row[0]))) plan->paid = ToInt64(row[1]);
            return {};
          });
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = database.ReadAll(
          fmt::format("SELECT pi.plan_id, SUM(i.open_minor) FROM payment_plans p JOIN plan_invoices pi ON "
                      "pi.tenant_id = p.tenant_id AND pi.plan_id = p.id JOIN invoices i ON i.tenant_id = pi.tenant_id "
                      "AND i.id = pi.invoice_id WHERE {} GROUP BY pi.plan_id",
                      active_where),
          [&](const Database::RowValues& row) -> Status {
            if (TrackedPlan* plan = find(ToInt64(row[0]))) plan->open = ToInt64(row[1]);
            return {};
          });
      !ok) {
    return Fail(ok.error());
  }
  // The down payment first: unpaid past its grace it counts as one missed.
  for (TrackedPlan& plan : plans) {
    const int64_t to_down = std::min(plan.paid, plan.down_payment);
    plan.remaining = plan.paid - to_down;
    if (to_down < plan.down_payment && plan.accepted_on < plan.missed_before) ++plan.missed;
  }
  // Then the installments in order, streamed (installments are tracked
  // against their principal: interest is stated in the terms and collected
  // as a charge, not allocated to the invoices).
  std::vector<InstallmentChange> changes;
  if (auto ok = database.ReadAll(
          fmt::format("SELECT pl.plan_id, pl.number, pl.due_date, pl.amount_minor, pl.interest_minor, pl.paid_minor, "
                      "pl.status FROM payment_plans p JOIN plan_installments pl ON pl.tenant_id = p.tenant_id AND "
                      "pl.plan_id = p.id WHERE p.tenant_id = {} AND p.status = 'active' ORDER BY pl.plan_id, "
                      "pl.number",
                      tenant_id),
          [&](const Database::RowValues& row) -> Status {
            TrackedPlan* plan = find(ToInt64(row[0]));
            if (plan == nullptr) return {};
            const std::string_view due = row[2].value_or("");
            const int64_t target = ToInt64(row[3]) - ToInt64(row[4]);
            const int64_t applied = std::min(plan->remaining, target);
            plan->remaining -= applied;
            std::string status;
            if (applied >= target) {
              status = "paid";
            } else if (due < std::string_view(plan->missed_before)) {
              status = "missed";
              ++plan->missed;
            } else {
              status = applied > 0 ? "partially_paid" : "pending";
            }
            if (applied != ToInt64(row[5]) || status != row[6].value_or("")) {
              changes.push_back({plan->id, ToInt64(row[1]), applied, std::move(status)});
            }
            return {};
          });
      !ok) {
    return Fail(ok.error());
  }
  // Writes, now that every read is done.
  auto installment = database.Prepare(
      "UPDATE plan_installments SET paid_minor = ?, status = ? WHERE tenant_id = ? AND plan_id = ? AND number = ?");
  if (!installment) return Fail(installment.error());
  for (const InstallmentChange& change : changes) {
    (*installment)->Reset();
    (*installment)->BindInt64(1, change.paid);
    (*installment)->BindText(2, change.status);
    (*installment)->BindInt64(3, tenant_id);
    (*installment)->BindInt64(4, change.plan_id);
    (*installment)->BindInt64(5, change.number);
    if (auto ok = (*installment)->Run(); !ok) return Fail(ok.error());
  }
  report.installments_changed = static_cast<int64_t>(changes.size());
  installment->reset();
  auto figures = database.Prepare(
      "UPDATE payment_plans SET paid_minor = ?, missed_count = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
  if (!figures) return Fail(figures.error());
  auto ending = database.Prepare(
      "UPDATE payment_plans SET status = ?, paid_minor = ?, missed_count = ?, ended_on = ?, updated_at = ? "
      "WHERE tenant_id = ? AND id = ? AND status = 'active'");
  if (!ending) return Fail(ending.error());
  auto release = database.Prepare("UPDATE plan_invoices SET active = 0 WHERE tenant_id = ? AND plan_id = ?");
  if (!release) return Fail(release.error());
  for (const TrackedPlan& plan : plans) {
    std::string_view end;
    if (plan.open == 0) {
      end = "completed";
    } else if (plan.missed >= plan.missed_to_break) {
      end = "broken";
    }
    if (end.empty()) {
      if (plan.paid == plan.paid_stored && plan.missed == plan.missed_count) continue;
      (*figures)->Reset();
      (*figures)->BindInt64(1, plan.paid);
      (*figures)->BindInt64(2, plan.missed);
      (*figures)->BindText(3, audit.at);
      (*figures)->BindInt64(4, tenant_id);
      (*figures)->BindInt64(5, plan.id);
      if (auto ok = (*figures)->Run(); !ok) return Fail(ok.error());
      if (plan.missed != plan.missed_count) {
        const nlohmann::json before = {{"missed_count", plan.missed_count}, {"paid_minor", plan.paid_stored}};
        const nlohmann::json after = {{"missed_count", plan.missed}, {"paid_minor", plan.paid}, {"as_of", plan.today}};
        if (auto ok = WriteAudit(database, tenant_id, audit, "payment_plan", plan.id, "update", before.dump(),
                                 after.dump());
            !ok) {
          return Fail(ok.error());
        }
      }
      continue;
    }
    (*ending)->Reset();
    (*ending)->BindText(1, end);
    (*ending)->BindInt64(2, plan.paid);
    (*ending)->BindInt64(3, plan.missed);
    (*ending)->BindText(4, plan.today);
    (*ending)->BindText(5, audit.at);
    (*ending)->BindInt64(6, tenant_id);
    (*ending)->BindInt64(7, plan.id);
    if (auto ok = (*ending)->Run(); !ok) return Fail(ok.error());
    (*release)->Reset();
    (*release)->BindInt64(1, tenant_id);
    (*release)->BindInt64(2, plan.id);
    if (auto ok = (*release)->Run(); !ok) return Fail(ok.error());
    const nlohmann::json before = {{"status", "active"}, {"missed_count", plan.missed_count}};
    const nlohmann::json after = {
        {"status", end}, {"missed_count", plan.missed}, {"paid_minor", plan.paid}, {"as_of", plan.today}};
    if (auto ok = WriteAudit(database, tenant_id, audit, "payment_plan", plan.id, "update",
                             before.dump(), after.dump());
        !ok) {
      return Fail(ok.error());
    }
    auto emitted = webhooks::EmitEvent(
        database, tenant_id, end == "broken" ? "plan.broken" : "plan.completed",
        {{"payment_plan",
          {{"id", plan.id}, {"customer_external_id", plan.customer_external_id}, {"status", end}}}},
        now);
    if (!emitted) return Fail(emitted.error());
    (end == "broken" ? report.broken : report.completed) += 1;
  }
  return report;
}

}  // namespace cartera
