#include "credit/credit_rules.h"

#include <gtest/gtest.h>

#include "core/money.h"

namespace cartera::credit {
namespace {

Date D(std::string_view iso) { return *Date::ParseIso(iso); }

TEST(CreditRules, DefaultsPerSegmentAreTheDocumentedOnes) {
  EXPECT_EQ(DefaultCreditRule("habitual").hold_days_past_due, 60);
  EXPECT_EQ(DefaultCreditRule("habitual").review_months, 12);
  EXPECT_EQ(DefaultCreditRule("occasional").hold_days_past_due, 45);
  EXPECT_EQ(DefaultCreditRule("occasional").review_months, 6);
  EXPECT_EQ(DefaultCreditRule("high_risk").hold_days_past_due, 30);
  EXPECT_EQ(DefaultCreditRule("high_risk").review_months, 3);
  EXPECT_EQ(DefaultCreditRule("new").hold_days_past_due, 45);
  EXPECT_TRUE(DefaultCreditRule("high_risk").hold_over_limit);
  EXPECT_EQ(RuleSegment("high_risk"), "high_risk");
  EXPECT_EQ(RuleSegment(""), "new");
  EXPECT_EQ(RuleSegment("vip"), "new");
}

TEST(CreditExposure, OpenNetOfCreditPlusUnbilledPlanInterest) {
  EXPECT_EQ(*ComputeExposure(1'000'000, 0, 0), 1'000'000);
  EXPECT_EQ(*ComputeExposure(1'000'000, 250'000, 0), 750'000);
  EXPECT_EQ(*ComputeExposure(1'000'000, 250'000, 30'001), 780'001);
  // Credit beyond the debt is not negative exposure.
  EXPECT_EQ(*ComputeExposure(100, 500, 7), 7);
  EXPECT_EQ(*ComputeExposure(0, 0, 0), 0);
}

TEST(CreditExposure, RefusesNegativeFiguresAndOverflow) {
  EXPECT_EQ(ComputeExposure(-1, 0, 0).error().code, ErrorCode::kBadInput);
  EXPECT_EQ(ComputeExposure(0, -1, 0).error().code, ErrorCode::kBadInput);
  EXPECT_EQ(ComputeExposure(0, 0, -1).error().code, ErrorCode::kBadInput);
  EXPECT_EQ(ComputeExposure(INT64_MAX, 0, 1).error().code, ErrorCode::kOverflow);
}

TEST(CreditHold, OverTheLimitOnlyWhenStrictlyAbove) {
  const CreditRule rule = DefaultCreditRule("habitual");
  CreditFigures figures;
  figures.limit_minor = 1'000;
  figures.exposure_minor = 1'000;
  EXPECT_FALSE(DecideCreditHold(rule, figures, D("2026-11-20")).on_hold);
  figures.exposure_minor = 1'001;
  const HoldDecision over = DecideCreditHold(rule, figures, D("2026-11-20"));
  EXPECT_TRUE(over.on_hold);
  EXPECT_EQ(over.reasons, std::vector<std::string>{"over_limit"});
}

TEST(CreditHold, NoLimitIsNeverOverIt) {
  CreditFigures figures;
  figures.exposure_minor = 999'999'999;
  EXPECT_FALSE(DecideCreditHold(DefaultCreditRule("habitual"), figures, D("2026-11-20")).on_hold);
}

TEST(CreditHold, DaysPastDueBySegment) {
  CreditFigures figures;
  figures.oldest_open_due = D("2026-10-21");  // 30 days before 2026-11-20
  EXPECT_FALSE(DecideCreditHold(DefaultCreditRule("high_risk"), figures, D("2026-11-20")).on_hold);  // exactly 30
  const HoldDecision late = DecideCreditHold(DefaultCreditRule("high_risk"), figures, D("2026-11-21"));
  EXPECT_TRUE(late.on_hold);
  EXPECT_EQ(late.days_past_due, 31);
  EXPECT_EQ(late.reasons, std::vector<std::string>{"days_past_due"});
  EXPECT_FALSE(DecideCreditHold(DefaultCreditRule("habitual"), figures, D("2026-11-21")).on_hold);  // 31 <= 60
}

TEST(CreditHold, BothReasonsInOrderAndRulesCanTurnThemOff) {
  CreditRule rule = DefaultCreditRule("occasional");
  CreditFigures figures;
  figures.limit_minor = 10;
  figures.exposure_minor = 11;
  figures.oldest_open_due = D("2026-01-01");
  const HoldDecision both = DecideCreditHold(rule, figures, D("2026-11-20"));
  EXPECT_EQ(both.reasons, (std::vector<std::string>{"over_limit", "days_past_due"}));
  rule.hold_over_limit = false;
  rule.hold_days_past_due.reset();
  EXPECT_FALSE(DecideCreditHold(rule, figures, D("2026-11-20")).on_hold);
}

TEST(CreditHold, ReasonsRoundTrip) {
  EXPECT_EQ(JoinReasons({"over_limit", "days_past_due"}), "over_limit,days_past_due");
  EXPECT_EQ(SplitReasons("over_limit,days_past_due"), (std::vector<std::string>{"over_limit", "days_past_due"}));
  EXPECT_TRUE(SplitReasons("").empty());
  EXPECT_EQ(SplitReasons("junk,days_past_due"), std::vector<std::string>{"days_past_due"});
}

TEST(CreditReview, MonthsFollowTheCalendar) {
  EXPECT_EQ(AddMonths(D("2026-01-31"), 1), D("2026-02-28"));
  EXPECT_EQ(AddMonths(D("2028-01-31"), 1), D("2028-02-29"));
  EXPECT_EQ(AddMonths(D("2026-11-30"), 3), D("2027-02-28"));
  EXPECT_EQ(AddMonths(D("2026-05-15"), 12), D("2027-05-15"));
  EXPECT_EQ(AddMonths(D("2026-03-31"), -1), D("2026-02-28"));
}

TEST(CreditReview, CutoffIsTheLatestBaseDueOnTheDay) {
  // Due when AddMonths(base, months) <= as_of, exactly when base <= cutoff.
  for (int32_t months : {1, 3, 6, 12}) {
    for (Date as_of = D("2026-01-25"); as_of <= D("2026-04-05"); as_of = as_of.PlusDays(1)) {
      const Date cutoff = ReviewCutoff(as_of, months);
      EXPECT_LE(AddMonths(cutoff, months), as_of) << as_of.ToIso() << " " << months;
      EXPECT_GT(AddMonths(cutoff.PlusDays(1), months), as_of) << as_of.ToIso() << " " << months;
    }
  }
  EXPECT_EQ(ReviewCutoff(D("2026-02-28"), 1), D("2026-01-31"));
  EXPECT_EQ(ReviewCutoff(D("2026-11-20"), 12), D("2025-11-20"));
}

}  // namespace
}  // namespace cartera::credit
