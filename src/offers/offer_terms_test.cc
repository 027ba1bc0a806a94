#include "offers/offer_terms.h"

#include <gtest/gtest.h>

#include <numeric>

namespace cartera::offers {
namespace {

constexpr Language kEn = Language::kEnglish;

TEST(OfferTerms, ParsesPercentagesAsBasisPoints) {
  EXPECT_EQ(*ParsePercent("5", kEn), 500);
  EXPECT_EQ(*ParsePercent("2.5", kEn), 250);
  EXPECT_EQ(*ParsePercent("12.75", kEn), 1275);
  EXPECT_EQ(*ParsePercent("0.01", kEn), 1);
  EXPECT_EQ(*ParsePercent("100", kEn), 10000);
  for (const char* bad : {"", "-5", "+5", "5.", ".5", "1e2", "5.125", "100.01", "5,5", "abc", " 5", "1000000"}) {
    EXPECT_FALSE(ParsePercent(bad, kEn)) << bad;
  }
  EXPECT_EQ(FormatPercent(1275), "12.75");
  EXPECT_EQ(FormatPercent(500), "5.00");
  EXPECT_EQ(FormatPercent(7), "0.07");
}

TEST(OfferTerms, PercentForgivenIsRoundedDownAndDueTakesTheCent) {
  // 5 % of 1,000.01 is 50.0005: 50.00 forgiven, 950.01 due.
  auto amounts = AmountsForPercent(100001, 500, kEn);
  ASSERT_TRUE(amounts);
  EXPECT_EQ(amounts->forgiven_minor, 5000);
  EXPECT_EQ(amounts->due_minor, 95001);
  EXPECT_EQ(amounts->forgiven_minor + amounts->due_minor, 100001);
  // Big balances do not overflow: COP 10 trillion (10^15 minor units) at 19.99 %.
  auto big = AmountsForPercent(1'000'000'000'000'000, 1999, kEn);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->forgiven_minor, 199'900'000'000'000);
}

TEST(OfferTerms, RefusesNothingOrEverythingForgiven) {
  EXPECT_FALSE(AmountsForPercent(100000, 0, kEn));
  EXPECT_FALSE(AmountsForPercent(100000, 10000, kEn));
  EXPECT_FALSE(AmountsForPercent(10, 1, kEn));  // 0.01 % of 0.10 rounds to nothing
  EXPECT_FALSE(AmountsForPercent(0, 500, kEn));
  EXPECT_FALSE(AmountsForForgiven(100, 100, kEn));
  EXPECT_FALSE(AmountsForForgiven(100, 0, kEn));
  auto waiver = AmountsForForgiven(100, 99, kEn);
  ASSERT_TRUE(waiver);
  EXPECT_EQ(waiver->due_minor, 1);
}

TEST(OfferTerms, SharesAddUpAndStayWithinEachInvoice) {
  const std::vector<int64_t> open = {33333, 33333, 33334};
  const std::vector<int64_t> shares = ShareForgiven(10000, open);
  EXPECT_EQ(std::accumulate(shares.begin(), shares.end(), int64_t{0}), 10000);
  EXPECT_EQ(shares, (std::vector<int64_t>{3333, 3333, 3334}));
  // Ties go to the earlier invoice, so the split is the same every time.
  EXPECT_EQ(ShareForgiven(1, {5, 5}), (std::vector<int64_t>{1, 0}));
  const std::vector<int64_t> small = {1, 999'999};
  const std::vector<int64_t> split = ShareForgiven(999'999, small);
  EXPECT_LE(split[0], 1);
  EXPECT_EQ(split[0] + split[1], 999'999);
}

TEST(OfferTerms, CreditsMoveToTheInvoicesThatStillOwe) {
  // The payment settled the first invoice whole; its share goes to the second.
  EXPECT_EQ(CreditsAtFulfilment({500, 500}, {0, 1000}), (std::vector<int64_t>{0, 1000}));
  // Everything as planned.
  EXPECT_EQ(CreditsAtFulfilment({500, 500}, {500, 500}), (std::vector<int64_t>{500, 500}));
  // Overpaid: only what is still owed is credited.
  EXPECT_EQ(CreditsAtFulfilment({500, 500}, {0, 300}), (std::vector<int64_t>{0, 300}));
  EXPECT_EQ(CreditsAtFulfilment({500, 500}, {0, 0}), (std::vector<int64_t>{0, 0}));
}

TEST(OfferTerms, LimitsCompareExactly) {
  const ApprovalLimit collector{500, std::nullopt};
  EXPECT_TRUE(WithinLimit(collector, 5000, 100000));   // exactly 5 %
  EXPECT_FALSE(WithinLimit(collector, 5001, 100000));  // a cent above
  EXPECT_TRUE(WithinLimit(ApprovalLimit{}, 99999, 100000));  // unlimited
  const ApprovalLimit capped{2000, 100000};
  EXPECT_TRUE(WithinLimit(capped, 100000, 1'000'000));
  EXPECT_FALSE(WithinLimit(capped, 100001, 1'000'000));  // within 20 % but above the amount cap
  EXPECT_FALSE(WithinLimit(ApprovalLimit{0, std::nullopt}, 1, 100));
  EXPECT_EQ(ForgivenBasisPoints(5001, 100000), 501);  // rounded up: never shown below what it is
  EXPECT_EQ(ForgivenBasisPoints(5000, 100000), 500);
}

TEST(OfferTerms, TypesAndCreditNoteKinds) {
  EXPECT_EQ(CreditNoteKindFor(*ParseOfferType("early_payment_discount")), "discount");
  EXPECT_EQ(CreditNoteKindFor(*ParseOfferType("waiver")), "waiver");
  EXPECT_EQ(CreditNoteKindFor(*ParseOfferType("settlement")), "settlement");
  EXPECT_FALSE(ParseOfferType("discount"));
}

}  // namespace
}  // namespace cartera::offers
