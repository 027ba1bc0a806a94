// The earliest date a debt may be reported to a credit bureau (Colombia, Ley
// 1266 and Ley 2157) or furnished to a consumer reporting agency (US,
// Regulation F 1006.30(a)), from the rulebook's credit_report_notice rule and
// the notices sent. Pure: no clock, no storage.
#pragma once

#include <optional>
#include <vector>

#include "compliance/rulebook.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"

namespace cartera::compliance {

struct CreditReportFacts {
  Money debt;  // the amount to be reported
  // The monthly minimum wage in force, in the debt's currency. Needed only
  // when the rule has a small-debt tier (Colombia: COP 1,423,500 in 2025).
  std::optional<Money> monthly_minimum_wage;
  // Local dates prior notices were sent (letter mailed, message sent), none
  // of which came back undeliverable. Any order; repeats allowed.
  std::vector<Date> notices;
  // The date the debtor was spoken to about the debt, where the rule accepts
  // a conversation instead of a notice (US).
  std::optional<Date> conversation;
};

// The first date on which reporting is allowed: the last notice's date plus
// the rule's wait_days, once enough notices on different days were sent
// (2 for a Colombian small debt); or the conversation's date where the rule
// accepts one, whichever is earlier.
// Errors (kConflict): not enough notices and no accepted conversation; the
// debt's and the minimum wage's currencies differ; a small-debt tier without
// the minimum wage (kBadInput). Messages name the rule and its source.
Result<Date> EarliestCreditReportDate(const CreditReportNoticeRule& rule, const CreditReportFacts& facts);

// Whether the debt is a small debt under the rule's tier (Colombia: at most
// 15% of the monthly minimum wage). False when the rule has no tier.
Result<bool> IsSmallDebt(const CreditReportNoticeRule& rule, const CreditReportFacts& facts);

}  // namespace cartera::compliance
