// Payment-plan limits: what a debtor may choose alone in the portal. A
// tenant's limits are ordered rules; the first rule whose behavioural
// segment (or "any"), currency and balance band match the debtor applies.
// A plan within that rule is accepted at once; a plan outside it, or a
// debtor no rule matches, waits for a manager's approval
// (agreements/plan_approval.h). Until a manager saves their own, every
// tenant has DefaultPlanLimitRules(). See docs/payment-plans.md, "Limits,
// the portal's plan builder and approvals".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agreements/payment_plans.h"
#include "core/date.h"
#include "core/error.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// The largest number of rules a tenant keeps (a limit on everything).
inline constexpr size_t kPlanLimitRulesMax = 200;

struct PlanLimitRule {
  std::string segment = "any";              // habitual | occasional | high_risk | new | any
  std::string currency;                     // ISO 4217 of the balance band
  int64_t balance_min_minor = 0;            // open balance, inclusive
  std::optional<int64_t> balance_max_minor;  // inclusive; nullopt: no upper bound
  int32_t max_installments = 6;             // 1..kPlanMaxInstallments
  int32_t min_down_payment_percent = 0;     // 0..99, of the balance
  int64_t min_installment_minor = 0;        // the smallest installment's principal, >= 0
  int32_t max_duration_days = 180;          // today .. the last installment, 1..3650
  int32_t earliest_start_days = 0;          // first date >= today + this, 0..365
  int32_t latest_start_days = 30;           // first date <= today + this, earliest..365
};

struct PlanLimits {
  std::vector<PlanLimitRule> rules;
  bool is_default = true;                   // no rules saved by the tenant: the defaults
  std::string updated_at, updated_by;       // empty for the defaults
};

// The rules every tenant starts with, for COP, USD, EUR, MXN, CLP and PEN:
// a high-risk debtor (any balance) up to 4 installments with 30% down over
// 120 days; anyone else with a balance up to the band (COP 20,000,000;
// USD/EUR 5,000; MXN 100,000; CLP 5,000,000; PEN 20,000) up to 6
// installments with 10% down over 180 days; above it up to 12 installments
// with 20% down over 365 days. Installments at least COP 50,000, USD/EUR
// 20, MXN 400, CLP 20,000, PEN 80; the first one within 30 days (15 for
// high risk). Other currencies have no rule: every plan in them is approved
// by a person.
std::vector<PlanLimitRule> DefaultPlanLimitRules();

// The behavioural segments a rule may name ("any" matches each of them).
bool IsPlanLimitSegment(std::string_view segment);

// The first rule that applies to a debtor of `segment` owing `balance_minor`
// in `currency`; nullopt when none does.
std::optional<PlanLimitRule> MatchPlanLimitRule(const std::vector<PlanLimitRule>& rules, std::string_view segment,
                                                std::string_view currency, int64_t balance_minor);

// One way a proposal breaks the rule. Codes (stable English snake_case):
//   no_matching_limit       no rule for the segment, currency and balance
//   installments_above_max  more installments than max_installments
//   down_payment_below_min  down payment under min_down_payment_percent
//   installment_below_min   (balance - down payment) / installments under min_installment
//   duration_above_max      the last installment later than today + max_duration_days
//   first_date_too_early    first date before today + earliest_start_days
//   first_date_too_late     first date after today + latest_start_days
// `field` is the proposal's field it is about (JSON name: "installments",
// "down_payment", "first_date", or "" for no_matching_limit); `message` is
// worded in the language asked for and names the limit.
struct PlanLimitViolation {
  std::string code, field, message;
};

struct PlanLimitCheck {
  std::optional<PlanLimitRule> rule;  // the rule that applied
  std::vector<PlanLimitViolation> violations;  // in the order of the codes above
  bool within() const { return rule.has_value() && violations.empty(); }
};

// Pure: checks `proposal` (its installments, frequency, first date and down
// payment) for a debtor of `segment` whose plan balance is `balance_minor`
// in `currency`, on `today`. The balance is what the plan covers (in the
// portal: every open, undisputed invoice of the currency).
// REQUIRES: balance_minor > 0.
PlanLimitCheck CheckPlanLimits(const std::vector<PlanLimitRule>& rules, const PlanProposal& proposal,
                               std::string_view currency, int64_t balance_minor, std::string_view segment, Date today,
                               Language language);

// The violations as JSON: [{"code", "field", "message"}].
nlohmann::json PlanLimitViolationsJson(const std::vector<PlanLimitViolation>& violations);

// A rule as JSON: {"segment", "currency", "balance_min": "0.00",
// "balance_max": "5000.00"|null, "max_installments",
// "min_down_payment_percent", "min_installment": "20.00",
// "max_duration_days", "earliest_start_days", "latest_start_days"}.
nlohmann::json PlanLimitRuleJson(const PlanLimitRule& rule);
// {"object": "plan_limits", "source": "default"|"tenant", "updated_at",
//  "updated_by" (null for the defaults), "rules": [...]}.
nlohmann::json PlanLimitsJson(const PlanLimits& limits);

// Reads {"rules": [...]} (the shape above; unknown fields refused). A
// refusal is kBadInput naming the JSON pointer ("/rules/2/currency: ...")
// in `language`; `*pointer` gets the pointer alone.
Result<std::vector<PlanLimitRule>> ParsePlanLimitRules(const nlohmann::json& document, Language language,
                                                       std::string* pointer = nullptr);

// The tenant's limits: its saved rules, or the defaults.
Result<PlanLimits> LoadPlanLimits(Database& database, int64_t tenant_id);

// Replaces the tenant's rules (an empty list is allowed: every portal plan
// then waits for approval), audited as plan_limits/update with the rules
// before and after, in one transaction.
Result<PlanLimits> SavePlanLimits(Database& database, int64_t tenant_id, const std::vector<PlanLimitRule>& rules,
                                  const AuditContext& audit);

// Drops the tenant's rules: the defaults apply again (audited plan_limits/delete).
Result<PlanLimits> ResetPlanLimits(Database& database, int64_t tenant_id, const AuditContext& audit);

}  // namespace cartera
