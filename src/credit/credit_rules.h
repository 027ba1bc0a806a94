// Credit policy rules, pure (docs/credit-policy.md): per behavioural
// segment, when a customer goes on credit hold (exposure over the credit
// limit; an invoice more than N days past due) and how often its credit is
// reviewed. The run and the review worklist feed these functions figures
// read from the ledger; nothing here reads a database or a clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace cartera::credit {

// The behavioural segments a rule exists for (engine/segments.h).
inline constexpr std::array<std::string_view, 4> kCreditSegments = {"habitual", "occasional", "high_risk", "new"};
bool IsCreditSegment(std::string_view segment);

// The longest a rule may wait, to keep every date in range.
inline constexpr int32_t kHoldDaysMax = 3650;
inline constexpr int32_t kReviewMonthsMax = 120;

struct CreditRule {
  std::string segment;
  bool hold_over_limit = true;  // hold when exposure is over the limit
  // Hold when an open invoice is more than this many days past due;
  // nullopt: never for lateness.
  std::optional<int32_t> hold_days_past_due;
  int32_t review_months = 12;  // a review is due this long after the last one (1..kReviewMonthsMax)
};

// The documented defaults: habitual 60 days / 12 months, occasional 45 / 6,
// high_risk 30 / 3, new 45 / 6; over-limit holds on for every segment.
// REQUIRES: IsCreditSegment(segment).
CreditRule DefaultCreditRule(std::string_view segment);

// The segment a customer's rule is looked up by: its behavioural segment,
// and "new" for none or an unknown one.
std::string_view RuleSegment(std::string_view behaviour_segment);

// Exposure: what the customer owes in the limit's currency, net of its
// unapplied credit (never below zero), plus the part of active payment
// plans not yet invoiced (plan interest). All in minor units of the
// limit's currency. kOverflow when the sum does not fit; kBadInput for a
// negative input (open and credit are sums of non-negative amounts).
Result<int64_t> ComputeExposure(int64_t open_minor, int64_t unapplied_credit_minor, int64_t plan_unbilled_minor);

// What the rule decides from a customer's figures.
struct CreditFigures {
  std::optional<int64_t> limit_minor;  // nullopt: no limit, never over it
  int64_t exposure_minor = 0;
  // The oldest due date among open invoices (any currency); nullopt: none.
  std::optional<Date> oldest_open_due;
};

// Stable reason codes, in this order.
inline constexpr std::string_view kReasonOverLimit = "over_limit";
inline constexpr std::string_view kReasonDaysPastDue = "days_past_due";

struct HoldDecision {
  bool on_hold = false;
  std::vector<std::string> reasons;  // kReasonOverLimit, kReasonDaysPastDue
  int32_t days_past_due = 0;         // of the oldest open invoice on `as_of` (0 when none is late)
};

// On hold when the rule holds over the limit and exposure > limit, or when
// it holds for lateness and the oldest open invoice is more than
// hold_days_past_due days past due on `as_of` (exactly N days is not yet).
HoldDecision DecideCreditHold(const CreditRule& rule, const CreditFigures& figures, Date as_of);

// "over_limit,days_past_due" and back (unknown codes are dropped).
std::string JoinReasons(const std::vector<std::string>& reasons);
std::vector<std::string> SplitReasons(std::string_view joined);

// `date` plus `months` calendar months, the day clamped to the month's end
// (31 Jan + 1 month = 28/29 Feb). REQUIRES: -1200 <= months <= 1200.
Date AddMonths(Date date, int32_t months);

// The latest base date whose review is due on `as_of`: a customer last
// reviewed (or created) on B is due when AddMonths(B, months) <= as_of,
// which holds exactly when B <= ReviewCutoff(as_of, months).
Date ReviewCutoff(Date as_of, int32_t months);

// Why a review is due, as a stable code.
inline constexpr std::string_view kReviewPeriodic = "periodic";
inline constexpr std::string_view kReviewBrokenPromise = "broken_promise";
inline constexpr std::string_view kReviewBrokenPlan = "broken_plan";

}  // namespace cartera::credit
