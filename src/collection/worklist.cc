#include "collection/worklist.h"

#include <algorithm>

#include <fmt/format.h>

#include "collection/disputes.h"
#include "credit/credit_reviews.h"
#include "engine/segments.h"
#include "report/output.h"

namespace cartera {
namespace {
__extension__ typedef __int128 WideImpact;  // an amount times a percentage, exactly
}  // namespace

int64_t LatePaymentPercent(std::string_view segment) {
  if (segment == "high_risk") return 70;
  if (segment == "occasional") return 35;
  if (segment == "new") return 30;
  return 10;  // habitual
}

Result<std::vector<WorklistTask>> LoadWorklist(Database& database, int64_t tenant_id,
                                               const std::optional<std::string>& collector, int64_t limit,
                                               const std::optional<std::string>& free_for,
                                               std::optional<Date> overdue_disputes_on) {
  auto query = database.Prepare(fmt::format(
      "SELECT o.id, c.external_id, c.name, COALESCE(s.behaviour_segment, 'new'), o.stage, o.payload, "
      "(SELECT p.value FROM contact_points p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id AND "
      "p.channel = 'phone' AND p.is_primary = 1 LIMIT 1), COALESCE(s.segment_reason, ''), COALESCE(o.assignee, '') "
      "FROM outbox o JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id LEFT JOIN "
      "customer_segments s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id WHERE o.tenant_id = ? AND "
      "o.action = 'call_task' AND o.status = 'open'{}{}",
      collector ? " AND o.assignee = ?" : "",
      free_for ? " AND (c.collector IS NULL OR c.collector = ?) AND (o.assignee IS NULL OR LOWER(o.assignee) = ? OR "
                 "NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = o.tenant_id AND u.email = LOWER(o.assignee)))"
               : ""));
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (collector) (*query)->BindText(parameter++, *collector);
  if (free_for) {
    (*query)->BindText(parameter++, *free_for);
    (*query)->BindText(parameter++, *free_for);
  }
  std::vector<std::pair<WorklistTask, WideImpact>> tasks;
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const Statement& row = **query;
    const nlohmann::json payload = nlohmann::json::parse(row.GetText(5), nullptr, false);
    WorklistTask task;
    task.task_id = row.GetInt64(0);
    task.customer_external_id = row.GetText(1);
    task.customer_name = row.GetText(2);
    task.segment = row.GetText(3);
    task.stage = row.GetText(4);
    task.open_minor = payload.is_object() ? payload.value("total_minor", int64_t{0}) : 0;
    task.currency = payload.is_object() ? payload.value("currency", std::string()) : std::string();
    task.days_past_due = payload.is_object() ? payload.value("max_days_past_due", 0) : 0;
    task.phone = row.IsNull(6) ? "" : std::string(row.GetText(6));
    task.history = SegmentReasonCode(row.GetText(7));
    task.assignee = row.GetText(8);
    // Exact: the product of an amount and a percentage never overflows here.
    const WideImpact impact = static_cast<WideImpact>(task.open_minor) * LatePaymentPercent(task.segment);
    task.expected_impact_minor = static_cast<int64_t>(impact / 100);
    tasks.emplace_back(std::move(task), impact);
  }
  // Due credit reviews weigh like call tasks (open amount x late risk).
  auto reviews = credit::LoadDueReviews(database, tenant_id, collector, limit, free_for);
  if (!reviews) return Fail(reviews.error());
  for (const credit::DueReview& review : *reviews) {
    WorklistTask item;
    item.kind = "credit_review";
    item.customer_external_id = review.customer_external_id;
    item.customer_name = review.customer_name;
    item.segment = review.segment;
    item.stage = "credit_review";
    item.currency = review.currency;
    item.open_minor = review.open_minor;
    item.phone = review.phone;
    item.history = review.history;
    item.assignee = review.assignee;
    item.review_reason = review.reason;
    item.review_due_on = review.due_on;
    const WideImpact impact = static_cast<WideImpact>(item.open_minor) * LatePaymentPercent(item.segment);
    item.expected_impact_minor = static_cast<int64_t>(impact / 100);
    tasks.emplace_back(std::move(item), impact);
  }
  std::stable_sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<WorklistTask> out;
  if (overdue_disputes_on) {
    const std::optional<std::string> owner = collector ? collector : free_for;
    auto disputes = LoadOverdueDisputes(database, tenant_id, *overdue_disputes_on, owner, !collector && free_for);
    if (!disputes) return Fail(disputes.error());
    for (const DisputeView& dispute : *disputes) {
      if (static_cast<int64_t>(out.size()) >= std::max<int64_t>(limit, 1)) break;
      WorklistTask item;
      item.kind = "dispute";
      item.dispute_id = dispute.id;
      item.dispute_reason_code = dispute.reason_code;
      item.dispute_deadline = dispute.deadline ? dispute.deadline->ToIso() : "";
      item.invoice_external_id = dispute.invoice_external_id;
      item.customer_external_id = dispute.customer_external_id;
      item.customer_name = dispute.customer_name;
      item.segment = "new";
      item.stage = "dispute_overdue";
      item.currency = dispute.currency;
      item.open_minor = dispute.invoice_open_minor;
      item.days_past_due = DaysBetween(*dispute.deadline, *overdue_disputes_on);
      item.history = "dispute_overdue";
      item.assignee = dispute.owner;
      out.push_back(std::move(item));
    }
  }
  for (auto& [task, impact] : tasks) {
    if (static_cast<int64_t>(out.size()) >= std::max<int64_t>(limit, 1)) break;
    out.push_back(std::move(task));
  }
  return out;
}

nlohmann::json WorklistTaskJson(const WorklistTask& task) {
  nlohmann::json json = {{"task_id", task.task_id},
          {"customer_external_id", task.customer_external_id},
          {"customer_name", task.customer_name},
          {"segment", task.segment},
          {"stage", task.stage},
          {"open", MoneyJson(task.open_minor, task.currency)},
          {"expected_impact", MoneyJson(task.expected_impact_minor, task.currency)},
          {"days_past_due", task.days_past_due},
          {"phone", task.phone},
          {"history", task.history},
          {"assignee", task.assignee},
          {"kind", task.kind}};
  if (task.kind == "dispute") {
    json["dispute"] = {{"id", task.dispute_id},
                       {"reason_code", task.dispute_reason_code},
                       {"deadline", task.dispute_deadline},
                       {"invoice_external_id", task.invoice_external_id}};
  }
  if (task.kind == "credit_review") {
    json["credit_review"] = {{"reason", task.review_reason}, {"due_on", task.review_due_on}};
  }
  return json;
}

}  // namespace cartera
