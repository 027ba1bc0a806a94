// The tenant's credit policy: one rule per behavioural segment
// (credit/credit_rules.h), stored in credit_policies; a segment without a
// stored row has the documented default. One use case each for the CLI
// (`cartera credit policy`) and the API (/api/v1/credit-policy).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "credit/credit_rules.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::credit {

struct CreditPolicy {
  std::vector<CreditRule> rules;  // one per kCreditSegments, in that order
  // Which rules are the defaults (no stored row), parallel to `rules`.
  std::vector<bool> is_default;
  const CreditRule& For(std::string_view behaviour_segment) const;
};

Result<CreditPolicy> LoadCreditPolicy(Database& database, int64_t tenant_id);

// A change to one segment's rule; unset fields keep the current value.
struct CreditRuleChange {
  std::string segment;
  std::optional<bool> hold_over_limit;
  // Set: change; the inner nullopt turns holds for lateness off.
  std::optional<std::optional<int32_t>> hold_days_past_due;
  std::optional<int32_t> review_months;
};

// Where a bad value was found, for the caller to name it (CLI option or
// JSON pointer): "segment", "hold_days_past_due", "review_months".
struct CreditPolicyError {
  Error error;
  std::string field;
};

// Applies the changes in one transaction, audited (entity "credit_policy",
// the tenant's id; before and after the whole policy). kBadInput, worded
// in audit.language, naming the field: an unknown segment, days outside
// 1..kHoldDaysMax, months outside 1..kReviewMonthsMax. No change: nothing
// written.
std::expected<CreditPolicy, CreditPolicyError> ChangeCreditPolicy(Database& database, int64_t tenant_id,
                                                                   const std::vector<CreditRuleChange>& changes,
                                                                   const AuditContext& audit);

// One customer's stored credit state (customer_credit), as the last run
// and the last review left it; all empty for a customer never decided.
struct CustomerCreditState {
  bool on_hold = false;
  std::vector<std::string> hold_reasons;  // kReasonOverLimit, kReasonDaysPastDue
  std::optional<std::string> hold_since;  // the business date the hold (or its release) began
  bool review_due = false;
  std::optional<std::string> review_reason;  // periodic | broken_promise | broken_plan
  std::optional<std::string> review_since;   // periodic: the base date; a break: its date
  std::optional<std::string> last_reviewed_on;
};

Result<CustomerCreditState> LoadCustomerCreditState(Database& database, int64_t tenant_id, int64_t customer_id);

// When the customer's review is (or was) due: the date of the break that
// made it due, else review_months of `segment`'s rule after the last
// review (or after `created_on`, the customer's creation, when never
// reviewed). nullopt for a base date that does not parse.
std::optional<std::string> ReviewDueOn(const CreditPolicy& policy, std::string_view segment,
                                       const CustomerCreditState& state, std::string_view created_on);

// The part of active payment plans not yet invoiced, per (customer,
// currency): the interest of their installments not paid yet. The SQL
// selects customer_id, currency, sum; binds the tenant, then the customer
// when `one_customer`.
std::string PlanUnbilledSql(bool one_customer);

// {"object": "credit_policy", "rules": [{"segment", "hold_over_limit",
//  "hold_days_past_due" (integer or null), "review_months", "default"}]}.
nlohmann::json CreditPolicyJson(const CreditPolicy& policy);

}  // namespace cartera::credit
