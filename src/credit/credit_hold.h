// Credit hold and due credit reviews, as the daily run leaves them
// (docs/credit-policy.md). ApplyCreditPolicy is the run's one call: it
// reads every customer with open debt (or on hold) in a few streamed
// queries, decides each with credit/credit_rules.h, and writes only the
// changes in bulk (state, audit rows, `customer.credit_hold_changed`
// events); then it flags the customers whose credit review is due in two
// set-based statements. REQUIRES: inside the run's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/date.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::credit {

struct CreditRunReport {
  Date business_date;
  int64_t customers = 0;  // decided (open debt or on hold)
  int64_t put_on_hold = 0;
  int64_t released = 0;
  int64_t reasons_changed = 0;  // still on hold, for other reasons
  int64_t reviews_due = 0;      // customers whose review is due after the run
};

// `as_of`: the run's business date; unset: today in the tenant's zone at `now`.
Result<CreditRunReport> ApplyCreditPolicy(Database& database, int64_t tenant_id, std::optional<Date> as_of,
                                          Timestamp now, const AuditContext& audit);

}  // namespace cartera::credit
