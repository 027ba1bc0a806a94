// PlanSchedule and PlanInstallmentDate: pure, no database.
#include <gtest/gtest.h>

#include <numeric>

#include "agreements/payment_plans.h"

namespace cartera {
namespace {

Currency Cop() { return *Currency::FromCode("COP"); }
Currency Clp() { return *Currency::FromCode("CLP"); }
Date D(int y, unsigned m, unsigned d) { return Date::FromYmd(y, m, d); }

PlanProposal Monthly(int32_t installments, Date first) {
  PlanProposal proposal;
  proposal.installments = installments;
  proposal.first_date = first;
  proposal.frequency = PlanFrequency::kMonthly;
  proposal.missed_to_break = 1;
  return proposal;
}

int64_t Sum(const std::vector<Installment>& schedule) {
  int64_t sum = 0;
  for (const Installment& each : schedule) sum += each.amount_minor;
  return sum;
}

TEST(PlanSchedule, RemainderCentsGoToTheFirstInstallmentsAndNothingIsLost) {
  auto schedule = PlanSchedule(Monthly(3, D(2026, 1, 15)), Money(100, Cop()));
  ASSERT_TRUE(schedule) << schedule.error().message;
  ASSERT_EQ(schedule->size(), 3u);
  EXPECT_EQ((*schedule)[0].amount_minor, 34);
  EXPECT_EQ((*schedule)[1].amount_minor, 33);
  EXPECT_EQ((*schedule)[2].amount_minor, 33);
  EXPECT_EQ(Sum(*schedule), 100);
  for (const Installment& each : *schedule) {
    EXPECT_EQ(each.interest_minor, 0);
    EXPECT_EQ(each.paid_minor, 0);
    EXPECT_EQ(each.status, "pending");
  }
}

TEST(PlanSchedule, ManyOddSplitsAlwaysAddUp) {
  for (int32_t n : {1, 2, 3, 6, 7, 11, 12, 13, 24, 36, 52, 520}) {
    for (int64_t total : {1LL, 7LL, 99LL, 100LL, 1'000'001LL, 123'456'789'01LL}) {
      if (total < 1) continue;
      PlanProposal proposal = Monthly(n, D(2026, 3, 31));
      auto schedule = PlanSchedule(proposal, Money(total, Cop()));
      ASSERT_TRUE(schedule) << n << " " << total;
      EXPECT_EQ(Sum(*schedule), total) << n << " " << total;
      // Parts differ by at most one minor unit, larger first.
      for (size_t k = 1; k < schedule->size(); ++k) {
        EXPECT_LE((*schedule)[k].amount_minor, (*schedule)[k - 1].amount_minor);
        EXPECT_LE((*schedule)[0].amount_minor - (*schedule)[k].amount_minor, 1);
      }
    }
  }
}

TEST(PlanSchedule, MonthlyFromJanuary31ClampsWithoutDrifting) {
  auto schedule = PlanSchedule(Monthly(4, D(2026, 1, 31)), Money(400'00, Cop()));
  ASSERT_TRUE(schedule);
  EXPECT_EQ((*schedule)[0].due_date, D(2026, 1, 31));
  EXPECT_EQ((*schedule)[1].due_date, D(2026, 2, 28));
  EXPECT_EQ((*schedule)[2].due_date, D(2026, 3, 31));
  EXPECT_EQ((*schedule)[3].due_date, D(2026, 4, 30));
}

TEST(PlanSchedule, LeapYearFebruaryHas29) {
  EXPECT_EQ(PlanInstallmentDate(D(2028, 1, 31), PlanFrequency::kMonthly, 1), D(2028, 2, 29));
  EXPECT_EQ(PlanInstallmentDate(D(2028, 1, 30), PlanFrequency::kMonthly, 1), D(2028, 2, 29));
  EXPECT_EQ(PlanInstallmentDate(D(2027, 12, 31), PlanFrequency::kMonthly, 2), D(2028, 2, 29));
  EXPECT_EQ(PlanInstallmentDate(D(2026, 2, 28), PlanFrequency::kMonthly, 1), D(2026, 3, 28));
  // Across the year end and far ahead.
  EXPECT_EQ(PlanInstallmentDate(D(2026, 11, 30), PlanFrequency::kMonthly, 3), D(2027, 2, 28));
  EXPECT_EQ(PlanInstallmentDate(D(2026, 8, 31), PlanFrequency::kMonthly, 18), D(2028, 2, 29));
}

TEST(PlanSchedule, WeeklyAndFortnightlyAddDays) {
  PlanProposal proposal = Monthly(3, D(2026, 12, 24));
  proposal.frequency = PlanFrequency::kWeekly;
  auto weekly = PlanSchedule(proposal, Money(300, Clp()));
  ASSERT_TRUE(weekly);
  EXPECT_EQ((*weekly)[1].due_date, D(2026, 12, 31));
  EXPECT_EQ((*weekly)[2].due_date, D(2027, 1, 7));
  proposal.frequency = PlanFrequency::kFortnightly;
  auto fortnightly = PlanSchedule(proposal, Money(300, Clp()));
  ASSERT_TRUE(fortnightly);
  EXPECT_EQ((*fortnightly)[1].due_date, D(2027, 1, 7));
  EXPECT_EQ((*fortnightly)[2].due_date, D(2027, 1, 21));
}

TEST(PlanSchedule, OneInstallmentIsTheWholeAmount) {
  auto schedule = PlanSchedule(Monthly(1, D(2026, 5, 1)), Money(1'234'567, Cop()));
  ASSERT_TRUE(schedule);
  ASSERT_EQ(schedule->size(), 1u);
  EXPECT_EQ((*schedule)[0].amount_minor, 1'234'567);
  EXPECT_EQ((*schedule)[0].number, 1);
  EXPECT_EQ((*schedule)[0].due_date, D(2026, 5, 1));
}

TEST(PlanSchedule, NothingFinancedIsRefusedNamingTheDownPayment) {
  // A down payment of the whole balance leaves nothing for installments.
  auto zero = PlanSchedule(Monthly(3, D(2026, 5, 1)), Money(0, Cop()));
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::kBadInput);
  EXPECT_NE(zero.error().message.find("down_payment"), std::string::npos);
  auto negative = PlanSchedule(Monthly(3, D(2026, 5, 1)), Money(-5, Cop()), Language::kSpanish);
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("down_payment: debe ser menor"), std::string::npos);
  PlanProposal proposal = Monthly(3, D(2026, 5, 1));
  proposal.down_payment_minor = -1;
  auto down = PlanSchedule(proposal, Money(100, Cop()));
  ASSERT_FALSE(down);
  EXPECT_NE(down.error().message.find("down_payment: must not be negative"), std::string::npos);
}

TEST(PlanSchedule, BadCountsAreRefusedNamingTheField) {
  for (int32_t n : {0, -1, kPlanMaxInstallments + 1}) {
    PlanProposal proposal = Monthly(n, D(2026, 5, 1));
    auto schedule = PlanSchedule(proposal, Money(100, Cop()));
    ASSERT_FALSE(schedule) << n;
    EXPECT_EQ(schedule.error().code, ErrorCode::kBadInput);
    EXPECT_EQ(schedule.error().message.rfind("installments:", 0), 0u) << schedule.error().message;
  }
  PlanProposal proposal = Monthly(3, D(2026, 5, 1));
  proposal.missed_to_break = 0;
  auto none = PlanSchedule(proposal, Money(100, Cop()), Language::kSpanish);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message.rfind("missed_to_break: debe estar entre 1", 0), 0u) << none.error().message;
  proposal.missed_to_break = 4;
  EXPECT_FALSE(PlanSchedule(proposal, Money(100, Cop())));
}

TEST(PlanSchedule, InterestIsSimpleOnTheDecliningBalance) {
  // 1,200,000.00 COP in 3 monthly installments at 26.8242% EA: the monthly
  // equivalent is (1.268242)^(1/12) - 1 = 2.0000% (to 4 decimals).
  PlanProposal proposal = Monthly(3, D(2026, 2, 1));
  proposal.annual_interest = *compliance::Rate::ParsePercent("26.8242");
  proposal.interest_cap = *compliance::Rate::ParsePercent("28.04");
  auto schedule = PlanSchedule(proposal, Money(1'200'000'00, Cop()));
  ASSERT_TRUE(schedule) << schedule.error().message;
  const compliance::Rate monthly =
      compliance::PeriodicRateFromEffectiveAnnual(*proposal.annual_interest, compliance::YearFraction::Months(1), 6);
  EXPECT_EQ(monthly.ToPercentString(4), "2.0000");
  // Interest on 1,200,000 then 800,000 then 400,000 at the exact periodic rate.
  auto expected = [&](int64_t balance) {
    __extension__ typedef __int128 Int128;
    const Int128 product = static_cast<Int128>(balance) * monthly.micro_percent();
    return static_cast<int64_t>((product + 50'000'000) / 100'000'000);
  };
  EXPECT_EQ((*schedule)[0].interest_minor, expected(1'200'000'00));
  EXPECT_EQ((*schedule)[1].interest_minor, expected(800'000'00));
  EXPECT_EQ((*schedule)[2].interest_minor, expected(400'000'00));
  EXPECT_NEAR(static_cast<double>((*schedule)[0].interest_minor), 24'000'00.0, 100.0);  // about 2% of 1.2 M
  int64_t principal = 0;
  for (const Installment& each : *schedule) {
    EXPECT_EQ(each.amount_minor - each.interest_minor, 400'000'00);
    principal += each.amount_minor - each.interest_minor;
  }
  EXPECT_EQ(principal, 1'200'000'00);
}

TEST(PlanSchedule, InterestAboveTheCapOrWithoutACapIsRefused) {
  PlanProposal proposal = Monthly(3, D(2026, 2, 1));
  proposal.annual_interest = *compliance::Rate::ParsePercent("30");
  auto uncapped = PlanSchedule(proposal, Money(1000, Cop()));
  ASSERT_FALSE(uncapped);
  EXPECT_EQ(uncapped.error().message.rfind("annual_interest_rate:", 0), 0u);
  proposal.interest_cap = *compliance::Rate::ParsePercent("28.04");
  auto above = PlanSchedule(proposal, Money(1000, Cop()), Language::kSpanish);
  ASSERT_FALSE(above);
  EXPECT_NE(above.error().message.find("supera la tasa máxima legal de 28.0400%"), std::string::npos)
      << above.error().message;
  proposal.annual_interest = proposal.interest_cap;  // at the cap is allowed
  EXPECT_TRUE(PlanSchedule(proposal, Money(1000, Cop())));
  proposal.annual_interest = compliance::Rate();  // zero: no interest, no cap needed
  proposal.interest_cap.reset();
  auto free = PlanSchedule(proposal, Money(1000, Cop()));
  ASSERT_TRUE(free);
  EXPECT_EQ(Sum(*free), 1000);
}

TEST(PlanSchedule, FrequencyCodesRoundTrip) {
  for (PlanFrequency f : {PlanFrequency::kWeekly, PlanFrequency::kFortnightly, PlanFrequency::kMonthly}) {
    EXPECT_EQ(ParsePlanFrequency(PlanFrequencyCode(f)), f);
  }
  EXPECT_FALSE(ParsePlanFrequency("daily"));
}

}  // namespace
}  // namespace cartera
