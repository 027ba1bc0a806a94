// The pure rules of escalation: commission percentages and their exact
// rounding, legal stage transitions, base64 of attached documents.
#include <gtest/gtest.h>

#include "core/money.h"
#include "escalation/bureau.h"
#include "escalation/escalation.h"
#include "escalation/legal.h"

namespace cartera::escalation {
namespace {

TEST(CommissionPercent, ParsesUpToTwoDecimals) {
  EXPECT_EQ(*ParseCommissionPercent("15", "commission", Language::kEnglish), 1500);
  EXPECT_EQ(*ParseCommissionPercent("12.5", "commission", Language::kEnglish), 1250);
  EXPECT_EQ(*ParseCommissionPercent("12.25", "commission", Language::kEnglish), 1225);
  EXPECT_EQ(*ParseCommissionPercent("0", "commission", Language::kEnglish), 0);
  EXPECT_EQ(*ParseCommissionPercent("100", "commission", Language::kEnglish), 10000);
  for (const char* bad : {"", "100.01", "12.345", "-1", "1e2", "12,5", ".", "5.", "abc"}) {
    auto parsed = ParseCommissionPercent(bad, "--commission", Language::kEnglish);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kBadInput);
    EXPECT_NE(parsed.error().message.find("--commission"), std::string::npos) << parsed.error().message;
  }
  EXPECT_EQ(FormatBasisPoints(1225), "12.25");
  EXPECT_EQ(FormatBasisPoints(1500), "15.00");
  EXPECT_EQ(FormatBasisPoints(5), "0.05");
}

TEST(CommissionMinor, RoundsHalfUpToTheMinorUnit) {
  EXPECT_EQ(CommissionMinor(100'000, 1500), 15'000);  // 15 % of 1,000.00 = 150.00
  EXPECT_EQ(CommissionMinor(333, 1500), 50);          // 49.95 -> 50
  EXPECT_EQ(CommissionMinor(330, 1500), 50);          // 49.5 -> 50 (half up)
  EXPECT_EQ(CommissionMinor(329, 1500), 49);          // 49.35 -> 49
  EXPECT_EQ(CommissionMinor(1, 4999), 0);             // 0.4999 -> 0
  EXPECT_EQ(CommissionMinor(1, 5000), 1);             // 0.5 -> 1
  EXPECT_EQ(CommissionMinor(0, 1500), 0);
  // No overflow at the largest document amount.
  EXPECT_EQ(CommissionMinor(kDocumentAmountMinorMax, 10000), kDocumentAmountMinorMax);
  EXPECT_EQ(CommissionMinor(kDocumentAmountMinorMax, 1225), 122'500'000'000'000);
}

TEST(LegalStages, MoveOneStepForwardOrClose) {
  EXPECT_TRUE(LegalTransitionAllowed("demand_letter", "filed"));
  EXPECT_TRUE(LegalTransitionAllowed("filed", "judgment"));
  EXPECT_TRUE(LegalTransitionAllowed("judgment", "enforcement"));
  EXPECT_TRUE(LegalTransitionAllowed("enforcement", "closed"));
  EXPECT_TRUE(LegalTransitionAllowed("demand_letter", "closed"));
  EXPECT_FALSE(LegalTransitionAllowed("demand_letter", "judgment"));  // skips filed
  EXPECT_FALSE(LegalTransitionAllowed("judgment", "filed"));          // backwards
  EXPECT_FALSE(LegalTransitionAllowed("filed", "filed"));
  EXPECT_FALSE(LegalTransitionAllowed("closed", "demand_letter"));
  EXPECT_FALSE(LegalTransitionAllowed("closed", "closed"));
  EXPECT_FALSE(LegalTransitionAllowed("filed", "appeal"));
}

TEST(Base64, RoundTripsAndRefusesGarbage) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes += static_cast<char>(c);
  EXPECT_EQ(*DecodeBase64(EncodeBase64(bytes)), bytes);
  EXPECT_EQ(*DecodeBase64("Zm8="), "fo");
  EXPECT_FALSE(DecodeBase64("Zm8"));
  EXPECT_FALSE(DecodeBase64("Z=8="));
  EXPECT_FALSE(DecodeBase64("Zm8*"));
  EXPECT_FALSE(DecodeBase64("Zg==Zg=="));
}

TEST(BureauDates, RemovalIsTwiceTheDefaultAtMostFourYears) {
  const Date due = *Date::ParseIso("2025-01-01");
  // 59 days in default: removed 118 days after payment.
  EXPECT_EQ(NegativeDataRemovalDate(due, *Date::ParseIso("2025-03-01")).ToIso(), "2025-06-27");
  // Four years and more in default: four years after payment, by the calendar.
  EXPECT_EQ(NegativeDataRemovalDate(*Date::ParseIso("2019-01-01"), *Date::ParseIso("2024-02-29")).ToIso(),
            "2028-02-28");
  EXPECT_EQ(NegativeDataRemovalDate(*Date::ParseIso("2021-06-01"), *Date::ParseIso("2024-01-15")).ToIso(),
            "2028-01-15");
  // Paid on time: nothing to keep.
  EXPECT_EQ(NegativeDataRemovalDate(due, due).ToIso(), "2025-01-01");
}

TEST(BureauDates, MinimumWageTable) {
  auto wage = MonthlyMinimumWage("CO", 2025);
  ASSERT_TRUE(wage);
  EXPECT_EQ(wage->minor, 142'350'000);  // COP 1,423,500: 15 % is COP 213,525 (worked example 5)
  EXPECT_EQ(wage->currency, "COP");
  EXPECT_FALSE(MonthlyMinimumWage("CO", 2031));
  EXPECT_FALSE(MonthlyMinimumWage("MX", 2025));
}

}  // namespace
}  // namespace cartera::escalation
