#include "credit/credit_rules.h"

#include <algorithm>
#include <cassert>
#include <chrono>

#include "core/money.h"

namespace cartera::credit {

bool IsCreditSegment(std::string_view segment) {
  return std::find(kCreditSegments.begin(), kCreditSegments.end(), segment) != kCreditSegments.end();
}

CreditRule DefaultCreditRule(std::string_view segment) {
  assert(IsCreditSegment(segment));
  CreditRule rule;
  rule.segment = std::string(segment);
  if (segment == "habitual") {
    rule.hold_days_past_due = 60;
    rule.review_months = 12;
  } else if (segment == "high_risk") {
    rule.hold_days_past_due = 30;
    rule.review_months = 3;
  } else {  // occasional, new
    rule.hold_days_past_due = 45;
    rule.review_months = 6;
  }
  return rule;
}

std::string_view RuleSegment(std::string_view behaviour_segment) {
  for (std::string_view segment : kCreditSegments) {
    if (segment == behaviour_segment) return segment;
  }
  return "new";
}

Result<int64_t> ComputeExposure(int64_t open_minor, int64_t unapplied_credit_minor, int64_t plan_unbilled_minor) {
  if (open_minor < 0 || unapplied_credit_minor < 0 || plan_unbilled_minor < 0) {
    return Fail(Error::BadInput("exposure figures must not be negative"));
  }
  // Both non-negative: the difference cannot overflow.
  const int64_t net = open_minor > unapplied_credit_minor ? open_minor - unapplied_credit_minor : 0;
  return CheckedAdd(net, plan_unbilled_minor);
}

HoldDecision DecideCreditHold(const CreditRule& rule, const CreditFigures& figures, Date as_of) {
  HoldDecision decision;
  if (figures.oldest_open_due) {
    decision.days_past_due = std::max(0, DaysBetween(*figures.oldest_open_due, as_of));
  }
  if (rule.hold_over_limit && figures.limit_minor && figures.exposure_minor > *figures.limit_minor) {
    decision.reasons.emplace_back(kReasonOverLimit);
  }
  if (rule.hold_days_past_due && decision.days_past_due > *rule.hold_days_past_due) {
    decision.reasons.emplace_back(kReasonDaysPastDue);
  }
  decision.on_hold = !decision.reasons.empty();
  return decision;
}

std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string joined;
  for (const std::string& reason : reasons) joined += (joined.empty() ? "" : ",") + reason;
  return joined;
}

std::vector<std::string> SplitReasons(std::string_view joined) {
  std::vector<std::string> reasons;
  while (!joined.empty()) {
    const size_t comma = joined.find(',');
    const std::string_view one = joined.substr(0, comma);
    if (one == kReasonOverLimit || one == kReasonDaysPastDue) reasons.emplace_back(one);
    if (comma == std::string_view::npos) break;
    joined.remove_prefix(comma + 1);
  }
  return reasons;
}

Date AddMonths(Date date, int32_t months) {
  assert(months >= -1200 && months <= 1200);
  const std::chrono::year_month_day ymd = date.ymd();
  const std::chrono::year_month month = std::chrono::year_month(ymd.year(), ymd.month()) + std::chrono::months(months);
  const std::chrono::year_month_day_last last(month.year(), std::chrono::month_day_last(month.month()));
  const std::chrono::day day = std::min(ymd.day(), last.day());
  return Date::FromSysDays(std::chrono::sys_days(std::chrono::year_month_day(month.year(), month.month(), day)));
}

Date ReviewCutoff(Date as_of, int32_t months) {
  // AddMonths never decreases as its date grows: start below the answer
  // and step up while the next day is still due (at most a few steps at
  // the end of a month).
  Date cutoff = AddMonths(as_of, -months).PlusDays(-4);
  while (AddMonths(cutoff.PlusDays(1), months) <= as_of) cutoff = cutoff.PlusDays(1);
  return cutoff;
}

}  // namespace cartera::credit
