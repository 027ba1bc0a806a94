// CheckPlanLimits: each limit at its boundary (just inside passes, one step
// over fails with its code), rule matching by segment, currency and band,
// and the JSON reader's refusals naming their pointer.
#include "agreements/plan_limits.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace cartera {
namespace {

Date D(int y, unsigned m, unsigned d) { return Date::FromYmd(y, m, d); }

// One rule, USD: balances 100.00 .. 5,000.00, up to 6 monthly installments,
// 10% down, installments >= 20.00, within 180 days, first date in 2..30 days.
PlanLimitRule UsdRule() {
  PlanLimitRule rule;
  rule.segment = "any";
  rule.currency = "USD";
  rule.balance_min_minor = 100'00;
  rule.balance_max_minor = 5'000'00;
  rule.max_installments = 6;
  rule.min_down_payment_percent = 10;
  rule.min_installment_minor = 20'00;
  rule.max_duration_days = 180;
  rule.earliest_start_days = 2;
  rule.latest_start_days = 30;
  return rule;
}

const Date kToday = D(2026, 1, 10);

// Within every limit: 1,000.00 with 100.00 down, 6 monthly from 2026-01-12.
PlanProposal Within() {
  PlanProposal proposal;
  proposal.installments = 6;
  proposal.frequency = PlanFrequency::kMonthly;
  proposal.first_date = D(2026, 1, 12);
  proposal.down_payment_minor = 100'00;
  return proposal;
}

std::vector<std::string> Codes(const PlanLimitCheck& check) {
  std::vector<std::string> codes;
  for (const auto& violation : check.violations) codes.push_back(violation.code);
  return codes;
}

PlanLimitCheck Check(const PlanProposal& proposal, int64_t balance = 1'000'00, std::string_view segment = "habitual") {
  return CheckPlanLimits({UsdRule()}, proposal, "USD", balance, segment, kToday, Language::kEnglish);
}

TEST(PlanLimits, WithinEveryLimit) {
  const PlanLimitCheck check = Check(Within());
  ASSERT_TRUE(check.rule.has_value());
  EXPECT_TRUE(check.within());
  EXPECT_TRUE(check.violations.empty());
}

TEST(PlanLimits, MaxInstallmentsAtBoundary) {
  PlanProposal proposal = Within();
  proposal.installments = 6;
  EXPECT_TRUE(Check(proposal).within());
  proposal.installments = 7;
  // Weekly, so the duration (7 monthly would end after 180 days) stays within.
  proposal.frequency = PlanFrequency::kWeekly;
  EXPECT_EQ(Codes(Check(proposal)), std::vector<std::string>{"installments_above_max"});
  EXPECT_EQ(Check(proposal).violations[0].field, "installments");
}

TEST(PlanLimits, MinDownPaymentAtBoundary) {
  PlanProposal proposal = Within();
  proposal.down_payment_minor = 100'00;  // exactly 10% of 1,000.00
  EXPECT_TRUE(Check(proposal).within());
  proposal.down_payment_minor = 99'99;
  const PlanLimitCheck check = Check(proposal);
  EXPECT_EQ(Codes(check), std::vector<std::string>{"down_payment_below_min"});
  EXPECT_EQ(check.violations[0].field, "down_payment");
  EXPECT_NE(check.violations[0].message.find("100.00 USD"), std::string::npos) << check.violations[0].message;
}

TEST(PlanLimits, MinDownPaymentRoundsTheMinimumUp) {
  // 10% of 1,000.05 is 100.005: the least down payment that meets it is 100.01.
  PlanProposal proposal = Within();
  proposal.down_payment_minor = 100'00;
  EXPECT_EQ(Codes(Check(proposal, 1'000'05)), std::vector<std::string>{"down_payment_below_min"});
  proposal.down_payment_minor = 100'01;
  EXPECT_TRUE(Check(proposal, 1'000'05).within());
}

TEST(PlanLimits, MinInstallmentAtBoundary) {
  PlanProposal proposal = Within();
  proposal.down_payment_minor = 30'00;  // 150.00 - 30.00 = 120.00 = 6 x 20.00
  EXPECT_TRUE(Check(proposal, 150'00).within());
  const PlanLimitCheck check = Check(proposal, 149'99);  // 119.99 / 6 = 19.99
  EXPECT_EQ(Codes(check), std::vector<std::string>{"installment_below_min"});
  EXPECT_EQ(check.violations[0].field, "installments");
}

TEST(PlanLimits, MaxDurationAtBoundary) {
  // Today 2026-01-10 + 180 days = 2026-07-09. 6 monthly from 2026-02-09 end on 2026-07-09.
  PlanLimitRule rule = UsdRule();
  rule.latest_start_days = 60;  // the first date is not what this test is about
  PlanProposal proposal = Within();
  proposal.first_date = D(2026, 2, 9);
  EXPECT_TRUE(CheckPlanLimits({rule}, proposal, "USD", 1'000'00, "habitual", kToday, Language::kEnglish).within());
  proposal.first_date = D(2026, 2, 10);  // last: 2026-07-10, one day over
  EXPECT_EQ(Codes(CheckPlanLimits({rule}, proposal, "USD", 1'000'00, "habitual", kToday, Language::kEnglish)),
            std::vector<std::string>{"duration_above_max"});
}

TEST(PlanLimits, DurationFollowsTheCalendar) {
  // Monthly from 31 Jan: the 2nd installment is 28 Feb (not 3 Mar).
  PlanLimitRule rule = UsdRule();
  rule.max_duration_days = DaysBetween(kToday, D(2026, 2, 28));
  rule.latest_start_days = 30;
  PlanProposal proposal = Within();
  proposal.installments = 2;
  proposal.first_date = D(2026, 1, 31);
  proposal.down_payment_minor = 100'00;
  EXPECT_TRUE(CheckPlanLimits({rule}, proposal, "USD", 1'000'00, "habitual", kToday, Language::kEnglish).within());
  rule.max_duration_days -= 1;
  EXPECT_EQ(Codes(CheckPlanLimits({rule}, proposal, "USD", 1'000'00, "habitual", kToday, Language::kEnglish)),
            std::vector<std::string>{"duration_above_max"});
}

TEST(PlanLimits, EarliestStartAtBoundary) {
  PlanProposal proposal = Within();
  proposal.first_date = D(2026, 1, 12);  // today + 2
  EXPECT_TRUE(Check(proposal).within());
  proposal.first_date = D(2026, 1, 11);
  const PlanLimitCheck check = Check(proposal);
  EXPECT_EQ(Codes(check), std::vector<std::string>{"first_date_too_early"});
  EXPECT_EQ(check.violations[0].field, "first_date");
}

TEST(PlanLimits, LatestStartAtBoundary) {
  PlanProposal proposal = Within();
  proposal.installments = 2;
  proposal.first_date = D(2026, 2, 9);  // today + 30
  EXPECT_TRUE(Check(proposal).within());
  proposal.first_date = D(2026, 2, 10);
  EXPECT_EQ(Codes(Check(proposal)), std::vector<std::string>{"first_date_too_late"});
}

TEST(PlanLimits, EveryViolationAtOnceInCodeOrder) {
  PlanProposal proposal = Within();
  proposal.installments = 12;
  proposal.down_payment_minor = 0;
  proposal.first_date = D(2026, 3, 1);
  EXPECT_EQ(Codes(Check(proposal, 200'00)),
            (std::vector<std::string>{"installments_above_max", "down_payment_below_min", "installment_below_min",
                                      "duration_above_max", "first_date_too_late"}));
}

TEST(PlanLimits, BalanceBandBoundaries) {
  EXPECT_TRUE(Check(Within(), 5'000'00).rule.has_value());
  EXPECT_TRUE(Check(Within(), 100'00).rule.has_value());
  const PlanLimitCheck over = Check(Within(), 5'000'01);
  EXPECT_FALSE(over.rule.has_value());
  EXPECT_EQ(Codes(over), std::vector<std::string>{"no_matching_limit"});
  EXPECT_FALSE(over.within());
  EXPECT_FALSE(Check(Within(), 99'99).rule.has_value());
}

TEST(PlanLimits, FirstMatchingRuleBySegmentAndCurrency) {
  PlanLimitRule high_risk = UsdRule();
  high_risk.segment = "high_risk";
  high_risk.max_installments = 2;
  const std::vector<PlanLimitRule> rules = {high_risk, UsdRule()};
  EXPECT_EQ(MatchPlanLimitRule(rules, "high_risk", "USD", 1'000'00)->max_installments, 2);
  EXPECT_EQ(MatchPlanLimitRule(rules, "habitual", "USD", 1'000'00)->max_installments, 6);
  EXPECT_FALSE(MatchPlanLimitRule(rules, "habitual", "EUR", 1'000'00).has_value());
  EXPECT_EQ(Codes(CheckPlanLimits(rules, Within(), "USD", 1'000'00, "high_risk", kToday, Language::kEnglish)),
            std::vector<std::string>{"installments_above_max"});
}

TEST(PlanLimits, MessagesInSpanish) {
  PlanProposal proposal = Within();
  proposal.down_payment_minor = 0;
  const PlanLimitCheck check = CheckPlanLimits({UsdRule()}, proposal, "USD", 1'000'00, "habitual", kToday,
                                               Language::kSpanish);
  ASSERT_EQ(check.violations.size(), 1u);
  EXPECT_NE(check.violations[0].message.find("cuota inicial"), std::string::npos) << check.violations[0].message;
  EXPECT_NE(check.violations[0].message.find("100,00 USD"), std::string::npos) << check.violations[0].message;
  // Thousands grouped the reader's way.
  const PlanLimitCheck big = CheckPlanLimits({UsdRule()}, proposal, "USD", 1'234'567'00, "habitual", kToday,
                                             Language::kSpanish);
  EXPECT_NE(big.violations[0].message.find("1.234.567,00 USD"), std::string::npos) << big.violations[0].message;
  const PlanLimitCheck english = CheckPlanLimits({UsdRule()}, proposal, "USD", 1'234'567'00, "habitual", kToday,
                                                 Language::kEnglish);
  EXPECT_NE(english.violations[0].message.find("1,234,567.00 USD"), std::string::npos) << english.violations[0].message;
}

TEST(PlanLimits, DefaultsCoverTheShippedCurrencies) {
  const std::vector<PlanLimitRule> rules = DefaultPlanLimitRules();
  for (std::string_view currency : {"COP", "USD", "EUR", "MXN", "CLP", "PEN"}) {
    for (std::string_view segment : {"habitual", "occasional", "high_risk", "new"}) {
      EXPECT_TRUE(MatchPlanLimitRule(rules, segment, currency, 1).has_value()) << currency << " " << segment;
      EXPECT_TRUE(MatchPlanLimitRule(rules, segment, currency, kDocumentAmountMinorMax).has_value());
    }
  }
  EXPECT_EQ(MatchPlanLimitRule(rules, "high_risk", "COP", 1'000'000'00)->max_installments, 4);
  EXPECT_EQ(MatchPlanLimitRule(rules, "habitual", "COP", 20'000'000'00)->max_installments, 6);
  EXPECT_EQ(MatchPlanLimitRule(rules, "habitual", "COP", 20'000'000'01)->max_installments, 12);
  EXPECT_FALSE(MatchPlanLimitRule(rules, "habitual", "JPY", 1000).has_value());
}

TEST(PlanLimits, JsonRoundTrip) {
  nlohmann::json document = {{"rules", nlohmann::json::array()}};
  for (const PlanLimitRule& rule : DefaultPlanLimitRules()) document["rules"].push_back(PlanLimitRuleJson(rule));
  auto parsed = ParsePlanLimitRules(document, Language::kEnglish);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), DefaultPlanLimitRules().size());
  EXPECT_EQ(PlanLimitRuleJson((*parsed)[2]), PlanLimitRuleJson(DefaultPlanLimitRules()[2]));
  EXPECT_EQ(PlanLimitRuleJson(UsdRule())["balance_max"], "5000.00");
}

TEST(PlanLimits, JsonRefusalsNameThePointer) {
  auto refused = [](nlohmann::json rule) {
    std::string pointer;
    auto parsed = ParsePlanLimitRules({{"rules", {rule}}}, Language::kEnglish, &pointer);
    EXPECT_FALSE(parsed);
    return pointer;
  };
  nlohmann::json good = PlanLimitRuleJson(UsdRule());
  ASSERT_TRUE(ParsePlanLimitRules({{"rules", {good}}}, Language::kEnglish));
  nlohmann::json bad = good;
  bad["segment"] = "vip";
  EXPECT_EQ(refused(bad), "/rules/0/segment");
  bad = good;
  bad["currency"] = "XYZ";
  EXPECT_EQ(refused(bad), "/rules/0/currency");
  bad = good;
  bad["min_installment"] = "20.001";
  EXPECT_EQ(refused(bad), "/rules/0/min_installment");
  bad = good;
  bad["balance_max"] = "1.00";
  EXPECT_EQ(refused(bad), "/rules/0/balance_max");
  bad = good;
  bad["max_installments"] = 0;
  EXPECT_EQ(refused(bad), "/rules/0/max_installments");
  bad = good;
  bad["min_down_payment_percent"] = 100;
  EXPECT_EQ(refused(bad), "/rules/0/min_down_payment_percent");
  bad = good;
  bad["latest_start_days"] = 1;
  EXPECT_EQ(refused(bad), "/rules/0/latest_start_days");
  bad = good;
  bad["colour"] = "red";
  EXPECT_EQ(refused(bad), "/rules/0/colour");
  bad = good;
  bad.erase("max_duration_days");
  EXPECT_EQ(refused(bad), "/rules/0/max_duration_days");
  std::string pointer;
  EXPECT_FALSE(ParsePlanLimitRules({{"rule", nlohmann::json::array()}}, Language::kEnglish, &pointer));
  EXPECT_EQ(pointer, "/rule");
}

}  // namespace
}  // namespace cartera
