#include "engine/promise_outcome.h"

#include <gtest/gtest.h>

namespace cartera {
namespace {

Date D(const char* iso) { return *Date::ParseIso(iso); }

// A promise of COP 500,000.00 made on 2026-11-02 for 2026-11-10, 3 days of
// grace: payments count from 11-02 through 11-13.
PromiseTerms Terms() { return PromiseTerms{50000000, "COP", D("2026-11-02"), D("2026-11-10"), 3}; }

PaymentOffer Pay(int64_t id, const char* date, int64_t minor, const char* currency = "COP") {
  return PaymentOffer{id, D(date), currency, minor};
}

TEST(PromiseOutcome, NamesRoundTrip) {
  for (PromiseOutcome outcome :
       {PromiseOutcome::kOpen, PromiseOutcome::kKept, PromiseOutcome::kPartiallyKept, PromiseOutcome::kBroken}) {
    EXPECT_EQ(ParsePromiseOutcome(PromiseOutcomeName(outcome)), outcome);
  }
  EXPECT_EQ(PromiseOutcomeName(PromiseOutcome::kPartiallyKept), "partially_kept");
  EXPECT_FALSE(ParsePromiseOutcome("cancelled"));
}

TEST(PromiseOutcome, OneCentShortIsPartiallyKeptTheExactAmountIsKept) {
  auto short_by_a_cent = JudgePromise(Terms(), {Pay(1, "2026-11-09", 49999999)}, D("2026-11-20"));
  ASSERT_TRUE(short_by_a_cent);
  EXPECT_EQ(short_by_a_cent->outcome, PromiseOutcome::kPartiallyKept);
  EXPECT_EQ(short_by_a_cent->covered_minor, 49999999);

  auto exact = JudgePromise(Terms(), {Pay(1, "2026-11-09", 49999999), Pay(2, "2026-11-13", 1)}, D("2026-11-20"));
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->outcome, PromiseOutcome::kKept);
  EXPECT_EQ(exact->covered_minor, 50000000);
  ASSERT_EQ(exact->uses.size(), 2u);
  EXPECT_EQ(exact->uses[1].offer, 1u);
  EXPECT_EQ(exact->uses[1].amount_minor, 1);
}

TEST(PromiseOutcome, KeptAsSoonAsCoveredEvenBeforeThePromisedDate) {
  // The business date is 11-05, before D: two payments cover it already.
  auto judged = JudgePromise(Terms(), {Pay(1, "2026-11-03", 20000000), Pay(2, "2026-11-05", 30000000)}, D("2026-11-05"));
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->outcome, PromiseOutcome::kKept);
  EXPECT_EQ(judged->covered_minor, 50000000);
}

TEST(PromiseOutcome, OpenWhileTheGraceRunsBrokenTheDayAfter) {
  // Nothing paid: on D + G (11-13) the promise still holds; on 11-14 it is broken.
  auto on_deadline = JudgePromise(Terms(), {}, D("2026-11-13"));
  ASSERT_TRUE(on_deadline);
  EXPECT_EQ(on_deadline->outcome, PromiseOutcome::kOpen);
  auto day_after = JudgePromise(Terms(), {}, D("2026-11-14"));
  ASSERT_TRUE(day_after);
  EXPECT_EQ(day_after->outcome, PromiseOutcome::kBroken);
  EXPECT_EQ(day_after->covered_minor, 0);
  // Part paid, grace still running: open, with what arrived so far.
  auto part = JudgePromise(Terms(), {Pay(1, "2026-11-08", 10000000)}, D("2026-11-12"));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->outcome, PromiseOutcome::kOpen);
  EXPECT_EQ(part->covered_minor, 10000000);
}

TEST(PromiseOutcome, APaymentOnTheLastGraceDayCountsTheDayAfterDoesNot) {
  auto on_last_day = JudgePromise(Terms(), {Pay(1, "2026-11-13", 50000000)}, D("2026-11-30"));
  ASSERT_TRUE(on_last_day);
  EXPECT_EQ(on_last_day->outcome, PromiseOutcome::kKept);
  auto late = JudgePromise(Terms(), {Pay(1, "2026-11-14", 50000000)}, D("2026-11-30"));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->outcome, PromiseOutcome::kBroken);
  EXPECT_TRUE(late->uses.empty());
}

TEST(PromiseOutcome, APaymentBeforeThePromiseWasMadeDoesNotCountOneThatDayDoes) {
  auto before = JudgePromise(Terms(), {Pay(1, "2026-11-01", 50000000)}, D("2026-11-30"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->outcome, PromiseOutcome::kBroken);
  auto same_day = JudgePromise(Terms(), {Pay(1, "2026-11-02", 50000000)}, D("2026-11-30"));
  ASSERT_TRUE(same_day);
  EXPECT_EQ(same_day->outcome, PromiseOutcome::kKept);
}

TEST(PromiseOutcome, AnotherCurrencyNeverCounts) {
  auto judged = JudgePromise(Terms(), {Pay(1, "2026-11-05", 90000000, "USD"), Pay(2, "2026-11-06", 100, "COP")},
                             D("2026-11-30"));
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->outcome, PromiseOutcome::kPartiallyKept);
  EXPECT_EQ(judged->covered_minor, 100);
  ASSERT_EQ(judged->uses.size(), 1u);
  EXPECT_EQ(judged->uses[0].offer, 1u);
}

TEST(PromiseOutcome, PaymentsAfterTheBusinessDateAreNotOnTheBooksYet) {
  // Judged on 11-08: the 11-09 payment is not known; the promise stays open.
  auto judged = JudgePromise(Terms(), {Pay(1, "2026-11-09", 50000000)}, D("2026-11-08"));
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->outcome, PromiseOutcome::kOpen);
  EXPECT_EQ(judged->covered_minor, 0);
}

TEST(PromiseOutcome, AnOverpaymentCountsOnlyForThePromisedAmount) {
  auto judged = JudgePromise(Terms(), {Pay(1, "2026-11-04", 30000000), Pay(2, "2026-11-05", 80000000),
                                       Pay(3, "2026-11-06", 5000000)},
                             D("2026-11-30"));
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->outcome, PromiseOutcome::kKept);
  EXPECT_EQ(judged->covered_minor, 50000000);
  ASSERT_EQ(judged->uses.size(), 2u);  // the third payment is not needed
  EXPECT_EQ(judged->uses[1].amount_minor, 20000000);
}

TEST(PromiseOutcome, OnePaymentNeverKeepsTwoPromisesForTheSameMoney) {
  // Two promises of 300,000.00 each; one payment of 400,000.00 covers the
  // first and a third of the second.
  std::vector<PromiseTerms> promises = {
      PromiseTerms{30000000, "COP", D("2026-11-02"), D("2026-11-10"), 0},
      PromiseTerms{30000000, "COP", D("2026-11-02"), D("2026-11-15"), 0},
  };
  std::vector<PaymentOffer> offers = {Pay(7, "2026-11-09", 40000000)};
  auto judged = JudgePromises(promises, offers, D("2026-11-30"));
  ASSERT_TRUE(judged);
  ASSERT_EQ(judged->size(), 2u);
  EXPECT_EQ((*judged)[0].outcome, PromiseOutcome::kKept);
  EXPECT_EQ((*judged)[1].outcome, PromiseOutcome::kPartiallyKept);
  EXPECT_EQ((*judged)[1].covered_minor, 10000000);
  EXPECT_EQ(offers[0].available_minor, 0);
}

TEST(PromiseOutcome, APaymentPartlyTakenBeforeOffersOnlyTheRest) {
  auto judged = JudgePromise(Terms(), {Pay(1, "2026-11-05", 0), Pay(2, "2026-11-06", 49999999)}, D("2026-11-30"));
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->outcome, PromiseOutcome::kPartiallyKept);
  ASSERT_EQ(judged->uses.size(), 1u);
  EXPECT_EQ(judged->uses[0].offer, 1u);
}

TEST(PromiseOutcome, ANonPositiveAmountIsRefused) {
  PromiseTerms terms = Terms();
  terms.amount_minor = 0;
  EXPECT_FALSE(JudgePromise(terms, {}, D("2026-11-30")));
}

}  // namespace
}  // namespace cartera
