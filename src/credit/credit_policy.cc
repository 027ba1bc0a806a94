#include "credit/credit_policy.h"

#include <fmt/format.h>

namespace cartera::credit {

const CreditRule& CreditPolicy::For(std::string_view behaviour_segment) const {
  const std::string_view segment = RuleSegment(behaviour_segment);
  for (const CreditRule& rule : rules) {
    if (rule.segment == segment) return rule;
  }
  return rules.back();  // "new" is last
}

Result<CreditPolicy> LoadCreditPolicy(Database& database, int64_t tenant_id) {
  CreditPolicy policy;
  for (std::string_view segment : kCreditSegments) {
    policy.rules.push_back(DefaultCreditRule(segment));
    policy.is_default.push_back(true);
  }
  auto query = database.Prepare(
      "SELECT segment, hold_over_limit, hold_days_past_due, review_months FROM credit_policies WHERE tenant_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const std::string_view segment = (*query)->GetText(0);
    for (size_t i = 0; i < policy.rules.size(); ++i) {
      if (policy.rules[i].segment != segment) continue;
      CreditRule& rule = policy.rules[i];
      rule.hold_over_limit = (*query)->GetInt64(1) != 0;
      rule.hold_days_past_due = (*query)->IsNull(2) ? std::nullopt
                                                    : std::optional<int32_t>(static_cast<int32_t>((*query)->GetInt64(2)));
      rule.review_months = static_cast<int32_t>((*query)->GetInt64(3));
      policy.is_default[i] = false;
    }
  }
  return policy;
}

nlohmann::json CreditPolicyJson(const CreditPolicy& policy) {
  nlohmann::json rules = nlohmann::json::array();
  for (size_t i = 0; i < policy.rules.size(); ++i) {
    const CreditRule& rule = policy.rules[i];
    rules.push_back({{"segment", rule.segment},
                     {"hold_over_limit", rule.hold_over_limit},
                     {"hold_days_past_due",
                      rule.hold_days_past_due ? nlohmann::json(*rule.hold_days_past_due) : nlohmann::json(nullptr)},
                     {"review_months", rule.review_months},
                     {"default", static_cast<bool>(policy.is_default[i])}});
  }
  return {{"object", "credit_policy"}, {"rules", std::move(rules)}};
}

std::expected<CreditPolicy, CreditPolicyError> ChangeCreditPolicy(Database& database, int64_t tenant_id,
                                                                   const std::vector<CreditRuleChange>& changes,
                                                                   const AuditContext& audit) {
  const Language language = audit.language;
  auto storage = [](const Error& error) { return std::unexpected(CreditPolicyError{error, ""}); };
  auto current = LoadCreditPolicy(database, tenant_id);
  if (!current) return storage(current.error());
  CreditPolicy changed = *current;
  for (const CreditRuleChange& change : changes) {
    if (!IsCreditSegment(change.segment)) {
      return std::unexpected(CreditPolicyError{
          Error::BadInput(TrFormat(language, "el segmento '{}' no existe: use habitual, occasional, high_risk o new",
                                   "there is no segment '{}': use habitual, occasional, high_risk or new",
                                   change.segment)),
          "segment"});
    }
    if (change.hold_days_past_due && *change.hold_days_past_due &&
        (**change.hold_days_past_due < 1 || **change.hold_days_past_due > kHoldDaysMax)) {
      return std::unexpected(CreditPolicyError{
          Error::BadInput(TrFormat(language, "los días de mora para bloquear van de 1 a {} (se dio {})",
                                   "the days past due that put a customer on hold go from 1 to {} ({} given)",
                                   kHoldDaysMax, **change.hold_days_past_due)),
          "hold_days_past_due"});
    }
    if (change.review_months && (*change.review_months < 1 || *change.review_months > kReviewMonthsMax)) {
      return std::unexpected(CreditPolicyError{
          Error::BadInput(TrFormat(language, "los meses entre revisiones van de 1 a {} (se dio {})",
                                   "the months between reviews go from 1 to {} ({} given)", kReviewMonthsMax,
                                   *change.review_months)),
          "review_months"});
    }
    for (size_t i = 0; i < changed.rules.size(); ++i) {
      CreditRule& rule = changed.rules[i];
      if (rule.segment != change.segment) continue;
      if (change.hold_over_limit) rule.hold_over_limit = *change.hold_over_limit;
      if (change.hold_days_past_due) rule.hold_days_past_due = *change.hold_days_past_due;
      if (change.review_months) rule.review_months = *change.review_months;
    }
  }
  auto same = [](const CreditRule& a, const CreditRule& b) {
    return a.hold_over_limit == b.hold_over_limit && a.hold_days_past_due == b.hold_days_past_due &&
           a.review_months == b.review_months;
  };
  bool any = false;
  for (size_t i = 0; i < changed.rules.size(); ++i) any = any || !same(changed.rules[i], current->rules[i]);
  if (!any) return *current;
  auto transaction = Transaction::Begin(database);
  if (!transaction) return storage(transaction.error());
  for (size_t i = 0; i < changed.rules.size(); ++i) {
    const CreditRule& rule = changed.rules[i];
    if (same(rule, current->rules[i])) continue;
    auto erase = database.Prepare("DELETE FROM credit_policies WHERE tenant_id = ? AND segment = ?");
    if (!erase) return storage(erase.error());
    (*erase)->BindInt64(1, tenant_id);
    (*erase)->BindText(2, rule.segment);
    if (auto ok = (*erase)->Run(); !ok) return storage(ok.error());
    auto insert = database.Prepare(
        "INSERT INTO credit_policies (tenant_id, segment, hold_over_limit, hold_days_past_due, review_months, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return storage(insert.error());
    (*insert)->BindInt64(1, tenant_id);
    (*insert)->BindText(2, rule.segment);
    (*insert)->BindInt64(3, rule.hold_over_limit ? 1 : 0);
    if (rule.hold_days_past_due) {
      (*insert)->BindInt64(4, *rule.hold_days_past_due);
    } else {
      (*insert)->BindNull(4);
    }
    (*insert)->BindInt64(5, rule.review_months);
    (*insert)->BindText(6, audit.at);
    (*insert)->BindText(7, audit.actor);
    if (auto ok = (*insert)->Run(); !ok) return storage(ok.error());
    changed.is_default[i] = false;
  }
  if (auto ok = WriteAudit(database, tenant_id, audit, "credit_policy", tenant_id, "update",
                           CreditPolicyJson(*current).dump(), CreditPolicyJson(changed).dump());
      !ok) {
    return storage(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return storage(ok.error());
  return changed;
}

Result<CustomerCreditState> LoadCustomerCreditState(Database& database, int64_t tenant_id, int64_t customer_id) {
  CustomerCreditState state;
  auto query = database.Prepare(
      "SELECT on_hold, hold_reasons, hold_since, review_due, review_reason, review_since, last_reviewed_on FROM "
      "customer_credit WHERE tenant_id = ? AND customer_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, customer_id);
  auto found = (*query)->Step();
  if (!found) return Fail(found.error());
  if (!*found) return state;
  const Statement& row = **query;
  state.on_hold = row.GetInt64(0) != 0;
  state.hold_reasons = SplitReasons(row.GetText(1));
  state.hold_since = row.GetOptionalText(2);
  state.review_due = row.GetInt64(3) != 0;
  state.review_reason = row.GetOptionalText(4);
  state.review_since = row.GetOptionalText(5);
  state.last_reviewed_on = row.GetOptionalText(6);
  return state;
}

std::optional<std::string> ReviewDueOn(const CreditPolicy& policy, std::string_view segment,
                                       const CustomerCreditState& state, std::string_view created_on) {
  if (state.review_due && state.review_reason && *state.review_reason != kReviewPeriodic && state.review_since) {
    return *state.review_since;
  }
  const std::string base = state.review_due && state.review_since ? *state.review_since
                                                                  : state.last_reviewed_on.value_or(std::string(created_on));
  auto parsed = Date::ParseIso(base);
  if (!parsed) return std::nullopt;
  return AddMonths(*parsed, policy.For(segment).review_months).ToIso();
}

std::string PlanUnbilledSql(bool one_customer) {
  return fmt::format(
      "SELECT p.customer_id, p.currency, CAST(SUM(n.interest_minor) AS BIGINT) FROM payment_plans p JOIN "
      "plan_installments n ON n.tenant_id = p.tenant_id AND n.plan_id = p.id WHERE p.tenant_id = ? AND p.status = "
      "'active' AND n.status <> 'paid' AND n.interest_minor > 0{} GROUP BY p.customer_id, p.currency",
      one_customer ? " AND p.customer_id = ?" : "");
}

}  // namespace cartera::credit
