// The collectors' worklist: open call tasks, the largest expected cash
// impact first (open amount x the segment's probability of paying late).
// One function and one JSON shape for the CLI and the HTTP API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
};

// Probability of late payment (percent) the worklist weighs a segment by:
// high risk 70, occasional 35, new 30, habitual 10.
int64_t LatePaymentPercent(std::string_view segment);

// `collector`: only the tasks assigned to them. At most `limit` (>= 1).
// `free_for`: only the tasks a collector with that e-mail may act on
// (access/customer_assignment.h): its customer assigned to that e-mail or
// to no one, and the task not assigned to another user's e-mail; "" (an API
// key, no e-mail): only the unassigned.
Result<std::vector<WorklistTask>> LoadWorklist(Database& database, int64_t tenant_id,
                                               const std::optional<std::string>& collector, int64_t limit,
                                               const std::optional<std::string>& free_for = std::nullopt);

// {"task_id", "customer_external_id", "customer_name", "segment", "stage",
//  "open": money, "expected_impact": money, "days_past_due", "phone",
//  "history", "assignee"}: the record's one JSON shape.
nlohmann::json WorklistTaskJson(const WorklistTask& task);

}  // namespace cartera
