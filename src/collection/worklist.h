// The collectors' worklist: open call tasks, the largest expected cash
// impact first (open amount x the segment's probability of paying late).
// One function and one JSON shape for the CLI and the HTTP API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "store/database.h"

namespace cartera {

struct WorklistTask {
  int64_t task_id = 0;
  std::string customer_external_id, customer_name;
  std::string segment;  // behavioural, from the last run ("new" when none)
  std::string stage;
  std::string currency;
  int64_t open_minor = 0;
  int64_t expected_impact_minor = 0;
  int32_t days_past_due = 0;
  std::string phone;    // the primary phone, "" when none
  std::string history;  // the segment reason's code (engine/segments.h)
  std::string assignee;
  // "call_task", or "dispute": an open dispute past its resolution deadline
  // (task_id 0; the dispute's fields below; assignee = its owner).
  std::string kind = "call_task";
  int64_t dispute_id = 0;
  std::string dispute_reason_code, dispute_deadline, invoice_external_id;
  // kind "credit_review": the customer's credit review is due
  // (credit/credit_reviews.h; task_id 0; assignee = the customer's collector).
  std::string review_reason, review_due_on;
};

// Probability of late payment (percent) the worklist weighs a segment by:
// high risk 70, occasional 35, new 30, habitual 10.
int64_t LatePaymentPercent(std::string_view segment);

// `collector`: only the tasks assigned to them. At most `limit` (>= 1).
// `free_for`: only the tasks a collector with that e-mail may act on
// (access/customer_assignment.h): its customer assigned to that e-mail or
// to no one, and the task not assigned to another user's e-mail; "" (an API
// key, no e-mail): only the unassigned.
// `overdue_disputes_on`: the open disputes whose deadline passed before that
// date come first (the oldest deadline first), as items of kind "dispute",
// filtered like the tasks (`collector`: the disputes they own; `free_for`:
// theirs and the unowned).
Result<std::vector<WorklistTask>> LoadWorklist(Database& database, int64_t tenant_id,
                                               const std::optional<std::string>& collector, int64_t limit,
                                               const std::optional<std::string>& free_for = std::nullopt,
                                               std::optional<Date> overdue_disputes_on = std::nullopt);

// {"task_id", "customer_external_id", "customer_name", "segment", "stage",
//  "open": money, "expected_impact": money, "days_past_due", "phone",
//  "history", "assignee", "kind"}: the record's one JSON shape; a "dispute"
//  item adds "dispute": {"id", "reason_code", "deadline",
//  "invoice_external_id"}; a "credit_review" item adds "credit_review":
//  {"reason", "due_on"}.
nlohmann::json WorklistTaskJson(const WorklistTask& task);

}  // namespace cartera
