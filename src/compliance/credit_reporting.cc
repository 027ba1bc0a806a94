#include "compliance/credit_reporting.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace cartera::compliance {
namespace {

__extension__ typedef __int128 Int128;

std::string RuleText(const CreditReportNoticeRule& rule) { return fmt::format("rule {} ({})", rule.id, rule.source); }

}  // namespace

Result<bool> IsSmallDebt(const CreditReportNoticeRule& rule, const CreditReportFacts& facts) {
  if (!rule.small_debt_max_percent_of_minimum_wage) return false;
  if (!facts.monthly_minimum_wage) {
    return Fail(
        Error::BadInput(fmt::format("{} has a small-debt tier: the monthly minimum wage is needed", RuleText(rule))));
  }
  if (!(facts.monthly_minimum_wage->currency() == facts.debt.currency())) {
    return Fail(Error{ErrorCode::kCurrencyMismatch,
                      fmt::format("the debt is in {} but the minimum wage in {}", facts.debt.currency().code(),
                                  facts.monthly_minimum_wage->currency().code())});
  }
  // debt <= wage x percent / 100, exactly: debt x 10^8 <= wage x micro-percent.
  const Int128 debt = Int128(facts.debt.minor_units()) * 100'000'000;
  const Int128 limit =
      Int128(facts.monthly_minimum_wage->minor_units()) * rule.small_debt_max_percent_of_minimum_wage->micro_percent();
  return debt <= limit;
}

Result<Date> EarliestCreditReportDate(const CreditReportNoticeRule& rule, const CreditReportFacts& facts) {
  Result<bool> small = IsSmallDebt(rule, facts);
  if (!small) return Fail(small.error());
  const int32_t required = *small ? rule.small_debt_notices_required : rule.notices_required;
  const std::set<Date> days(facts.notices.begin(), facts.notices.end());

  std::optional<Date> earliest;
  if (static_cast<int32_t>(days.size()) >= required) earliest = days.rbegin()->PlusDays(rule.wait_days);
  if (rule.conversation_suffices && facts.conversation && (!earliest || *facts.conversation < *earliest)) {
    earliest = facts.conversation;
  }
  if (earliest) return *earliest;
  return Fail(Error::Conflict(
      fmt::format("{} requires {} prior notice(s) on different days{} before reporting{}; {} sent", RuleText(rule),
                  required, *small ? " for a small debt" : "",
                  rule.conversation_suffices ? " (or a conversation with the debtor)" : "", days.size())));
}

}  // namespace cartera::compliance
