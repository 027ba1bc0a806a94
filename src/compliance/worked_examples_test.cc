// The ten worked examples of /work/shared/compliance/RULES.md, one test each,
// against the shipped rulebooks.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "compliance/contact_check.h"
#include "compliance/credit_reporting.h"
#include "compliance/rates.h"
#include "compliance/rulebook.h"
#include "compliance/test_support.h"

namespace cartera::compliance {
namespace {

using testing::Check;
using testing::kBogota;
using testing::kLima;
using testing::kMexicoCity;
using testing::kNewYork;
using testing::kSantiago;
using testing::kTijuana;
using testing::NextAllowed;
using testing::Past;

constexpr DebtorKind kConsumer = DebtorKind::kConsumer;

Rate Percent(std::string_view text) {
  Result<Rate> rate = Rate::ParsePercent(text);
  EXPECT_TRUE(rate.has_value()) << text;
  return rate.value_or(Rate());
}

Date D(int year, unsigned month, unsigned day) { return Date::FromYmd(year, month, day); }

Money Cop(int64_t pesos) { return Money(pesos * 100, *Currency::FromCode("COP")); }

// 1. Colombia, window: allowed Sat 14:59 and a weekday 07:00-18:59; blocked
// Sunday and Mon 2021-03-22 (San José, a moved holiday). Sat 15:00 and
// weekday 19:00 are boundaries the text leaves open: treated as closed.
TEST(WorkedExamplesTest, Example1ColombiaContactWindow) {
  // 2024-03-02 is a Saturday, 2024-03-04 a working Monday.
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kCall, "2024-03-02 14:59").allowed());
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kCall, "2024-03-02 14:59:59").allowed());
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kCall, "2024-03-02 15:00").code, BlockCode::kOutsideHours);
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kCall, "2024-03-04 07:00").allowed());
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kCall, "2024-03-04 12:00").allowed());
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kCall, "2024-03-04 18:59").allowed());
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kCall, "2024-03-04 19:00").code, BlockCode::kOutsideHours);
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kCall, "2024-03-03 10:00").code, BlockCode::kClosedDay);
  const ContactDecision holiday = Check(kBogota, kConsumer, Channel::kCall, "2021-03-22 10:00");
  EXPECT_EQ(holiday.code, BlockCode::kHoliday);
  EXPECT_EQ(holiday.rule_id, "co-holidays");
  EXPECT_NE(holiday.reason_es.find("Día de San José"), std::string::npos) << holiday.reason_es;
  EXPECT_NE(holiday.reason_en.find("Ley 2300 de 2023"), std::string::npos) << holiday.reason_en;
}

// 2. Colombia, frequency: after a direct phone contact on Monday, a second
// call the same day and an SMS on Tuesday (second channel that week) are blocked.
TEST(WorkedExamplesTest, Example2ColombiaFrequencyAfterDirectContact) {
  const std::vector<PastContact> history = {
      Past(kBogota, Channel::kCall, "2024-03-04 10:00", ContactKind::kConversation)};
  const ContactDecision second_call = Check(kBogota, kConsumer, Channel::kCall, "2024-03-04 15:00", history);
  EXPECT_EQ(second_call.code, BlockCode::kFrequencyCap);
  EXPECT_EQ(second_call.rule_id, "co-one-a-day");
  EXPECT_EQ(NextAllowed(kBogota, second_call), "2024-03-05 07:00");

  const ContactDecision sms = Check(kBogota, kConsumer, Channel::kSms, "2024-03-05 10:00", history);
  EXPECT_EQ(sms.code, BlockCode::kChannelSwitch);
  EXPECT_EQ(sms.rule_id, "co-one-channel-a-week");
  // The 7 days from Monday 4 end on Sunday 10; Monday 11 opens at 07:00.
  EXPECT_EQ(NextAllowed(kBogota, sms), "2024-03-11 07:00");

  // The same channel the next day is fine.
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kCall, "2024-03-05 10:00", history).allowed());
}

// 3. Colombia, usury: IBC 18.69% EA -> 28.04% EA, rounded half up to 2
// decimals; naive binary floats get IBC 17.31% -> 25.97% wrong.
TEST(WorkedExamplesTest, Example3ColombiaUsuryRate) {
  const UsuryCapRule& rule = *RulebookFor("CO", kConsumer).usury_cap;
  EXPECT_EQ(UsuryRate(Percent("18.69"), rule).ToPercentString(2), "28.04");
  EXPECT_EQ(UsuryRate(Percent("17.31"), rule).ToPercentString(2), "25.97");
  EXPECT_EQ(UsuryRate(Percent("17.31"), rule), Percent("25.97"));
  // What the exact arithmetic protects against: 17.31 x 1.5 in binary is 25.96499...
  const double naive = std::round(17.31 * 1.5 * 100.0) / 100.0;
  EXPECT_NE(naive, 25.97);
}

// 4. Colombia, conversion at 28.04% EA: monthly 2.0811%; daily on 365 days 0.067741%.
TEST(WorkedExamplesTest, Example4ColombiaRateConversion) {
  const Rulebook& book = RulebookFor("CO", kConsumer);
  ASSERT_TRUE(book.rate_conversion.has_value());
  EXPECT_EQ(book.rate_conversion->day_basis, 365);
  const Rate annual = Percent("28.04");
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(annual, YearFraction::Months(1), 4).ToPercentString(4), "2.0811");
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(annual, YearFraction::Days(1, *book.rate_conversion), 6).ToPercentString(6),
            "0.067741");
}

// 5. Colombia, bureau: a COP 200,000 debt in 2025 (below the small-debt
// threshold of COP 213,525, 15% of the minimum wage), notices on 2025-03-03
// and 2025-03-04 -> earliest report 2025-03-24 (calendar days: that it is
// the San José holiday does not matter).
TEST(WorkedExamplesTest, Example5ColombiaCreditBureauSmallDebt) {
  const CreditReportNoticeRule& rule = *RulebookFor("CO", kConsumer).credit_report_notice;
  CreditReportFacts facts{Cop(200'000), Cop(1'423'500), {D(2025, 3, 3), D(2025, 3, 4)}, std::nullopt};
  EXPECT_EQ(IsSmallDebt(rule, facts).value(), true);
  Result<Date> earliest = EarliestCreditReportDate(rule, facts);
  ASSERT_TRUE(earliest.has_value()) << earliest.error().message;
  EXPECT_EQ(earliest->ToIso(), "2025-03-24");

  // One notice is not enough for a small debt, nor two on the same day.
  facts.notices = {D(2025, 3, 3), D(2025, 3, 3)};
  Result<Date> refused = EarliestCreditReportDate(rule, facts);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("Ley 2157 de 2021"), std::string::npos) << refused.error().message;
}

// 6. Chile: a call on Monday and a visit on Thursday of the same week break
// the weekly cap; emails on Monday and Thursday are fine, a third that week is not.
TEST(WorkedExamplesTest, Example6ChileWeeklyCaps) {
  // 2024-03-04 is a Monday.
  const std::vector<PastContact> call = {Past(kSantiago, Channel::kCall, "2024-03-04 10:00")};
  const ContactDecision visit = Check(kSantiago, kConsumer, Channel::kVisit, "2024-03-07 10:00", call);
  EXPECT_EQ(visit.code, BlockCode::kFrequencyCap);
  EXPECT_EQ(visit.rule_id, "cl-calls-visits-weekly");

  std::vector<PastContact> emails = {Past(kSantiago, Channel::kEmail, "2024-03-04 10:00")};
  EXPECT_TRUE(Check(kSantiago, kConsumer, Channel::kEmail, "2024-03-07 10:00", emails).allowed());
  emails.push_back(Past(kSantiago, Channel::kEmail, "2024-03-07 10:00"));
  const ContactDecision third = Check(kSantiago, kConsumer, Channel::kEmail, "2024-03-09 10:00", emails);
  EXPECT_EQ(third.code, BlockCode::kFrequencyCap);
  EXPECT_EQ(third.rule_id, "cl-messages-weekly");
}

// 7. Peru: Fri 19:59 allowed; Fri 20:00 and Sat 10:00 blocked.
TEST(WorkedExamplesTest, Example7PeruHours) {
  // 2024-03-01 is a Friday.
  EXPECT_TRUE(Check(kLima, kConsumer, Channel::kCall, "2024-03-01 19:59").allowed());
  EXPECT_EQ(Check(kLima, kConsumer, Channel::kCall, "2024-03-01 20:00").code, BlockCode::kOutsideHours);
  EXPECT_EQ(Check(kLima, kConsumer, Channel::kCall, "2024-03-02 10:00").code, BlockCode::kClosedDay);
}

// 8. Mexico: 07:30 in Mexico City is 05:30 in Tijuana -> blocked for a
// debtor in Tijuana; 21:59 local allowed, 22:00 blocked.
TEST(WorkedExamplesTest, Example8MexicoDebtorsLocalTime) {
  // January: Mexico City UTC-6 (no DST since 2022), Tijuana UTC-8.
  const Timestamp mexico_city_0730 = testing::At("America/Mexico_City", "2024-01-15 07:30");
  EXPECT_EQ(testing::LocalText("America/Tijuana", mexico_city_0730), "2024-01-15 05:30");
  ContactRequest request = testing::Request(kTijuana, Channel::kCall, "2024-01-15 05:30");
  ASSERT_EQ(request.at, mexico_city_0730);
  const ContactDecision tijuana = CheckContact(RulebookFor("MX", kConsumer), request, {});
  EXPECT_EQ(tijuana.code, BlockCode::kOutsideHours);
  EXPECT_EQ(NextAllowed(kTijuana, tijuana), "2024-01-15 07:00");
  EXPECT_TRUE(Check(kMexicoCity, kConsumer, Channel::kCall, "2024-01-15 07:30").allowed());
  EXPECT_TRUE(Check(kTijuana, kConsumer, Channel::kCall, "2024-01-15 21:59").allowed());
  EXPECT_EQ(Check(kTijuana, kConsumer, Channel::kCall, "2024-01-15 22:00").code, BlockCode::kOutsideHours);
}

// 9. US: an 8th call within any 7-day window is presumed a violation; after
// a conversation on day 3, no calls on days 3-9, next allowed on day 10;
// 20:59 local allowed, 21:00 not.
TEST(WorkedExamplesTest, Example9UnitedStatesCallFrequency) {
  // Day 1 = Monday 2024-03-04. Seven call attempts on days 1 to 7.
  std::vector<PastContact> calls;
  for (int day = 4; day <= 10; ++day) {
    calls.push_back(Past(kNewYork, Channel::kCall, fmt::format("2024-03-{:02} 10:00", day)));
  }
  const ContactDecision eighth = Check(kNewYork, kConsumer, Channel::kCall, "2024-03-10 15:00", calls);
  EXPECT_EQ(eighth.code, BlockCode::kFrequencyCap);
  EXPECT_EQ(eighth.rule_id, "us-calls-7-in-7");
  EXPECT_EQ(NextAllowed(kNewYork, eighth), "2024-03-11 08:00");  // day 8: days 2-8 hold six calls
  EXPECT_TRUE(Check(kNewYork, kConsumer, Channel::kCall, "2024-03-11 08:00", calls).allowed());
  // Emails are not calls.
  EXPECT_TRUE(Check(kNewYork, kConsumer, Channel::kEmail, "2024-03-10 15:00", calls).allowed());

  const std::vector<PastContact> conversation = {
      Past(kNewYork, Channel::kCall, "2024-03-06 10:00", ContactKind::kConversation)};
  for (int day = 6; day <= 12; ++day) {  // days 3 to 9
    const ContactDecision blocked =
        Check(kNewYork, kConsumer, Channel::kCall, fmt::format("2024-03-{:02} 15:00", day), conversation);
    EXPECT_EQ(blocked.code, BlockCode::kAfterContact) << "2024-03-" << day;
    EXPECT_EQ(NextAllowed(kNewYork, blocked), "2024-03-13 08:00") << "2024-03-" << day;
  }
  EXPECT_TRUE(Check(kNewYork, kConsumer, Channel::kCall, "2024-03-13 08:00", conversation).allowed());  // day 10

  EXPECT_TRUE(Check(kNewYork, kConsumer, Channel::kCall, "2024-03-04 20:59").allowed());
  EXPECT_EQ(Check(kNewYork, kConsumer, Channel::kCall, "2024-03-04 21:00").code, BlockCode::kOutsideHours);
}

// 10. US, reporting: a letter mailed on day 0 with no undeliverable notice ->
// may furnish on day 14.
TEST(WorkedExamplesTest, Example10UnitedStatesFurnishingAfterLetter) {
  const CreditReportNoticeRule& rule = *RulebookFor("US", kConsumer).credit_report_notice;
  const Money debt(50'000, *Currency::FromCode("USD"));
  Result<Date> earliest = EarliestCreditReportDate(rule, {debt, std::nullopt, {D(2024, 3, 1)}, std::nullopt});
  ASSERT_TRUE(earliest.has_value()) << earliest.error().message;
  EXPECT_EQ(*earliest, D(2024, 3, 15));
  // Speaking to the consumer instead allows furnishing the same day.
  Result<Date> spoken = EarliestCreditReportDate(rule, {debt, std::nullopt, {}, D(2024, 3, 5)});
  ASSERT_TRUE(spoken.has_value());
  EXPECT_EQ(*spoken, D(2024, 3, 5));
  EXPECT_FALSE(EarliestCreditReportDate(rule, {debt, std::nullopt, {}, std::nullopt}).has_value());
}

}  // namespace
}  // namespace cartera::compliance
