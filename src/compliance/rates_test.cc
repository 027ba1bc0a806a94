#include "compliance/rates.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "compliance/rulebook.h"

namespace cartera::compliance {
namespace {

Rate Percent(std::string_view text) { return Rate::ParsePercent(text).value(); }

TEST(RateTest, ParsesExactDecimals) {
  EXPECT_EQ(Percent("28.04").micro_percent(), 28'040'000);
  EXPECT_EQ(Percent("0.067741").micro_percent(), 67'741);
  EXPECT_EQ(Percent("15").micro_percent(), 15'000'000);
  EXPECT_EQ(Percent("0").micro_percent(), 0);
  EXPECT_EQ(Percent("999999.999999").micro_percent(), 999'999'999'999);
}

TEST(RateTest, RejectsWhatIsNotAPercentage) {
  for (std::string_view text :
       {"", "-1", "+1", "1.", ".5", "1.2345678", "1e3", " 1", "1 ", "1,5", "abc", "1000000", "12345678"}) {
    Result<Rate> rate = Rate::ParsePercent(text);
    ASSERT_FALSE(rate.has_value()) << text;
    EXPECT_EQ(rate.error().code, ErrorCode::kBadInput);
    EXPECT_NE(rate.error().message.find(fmt::format("'{}'", text)), std::string::npos) << rate.error().message;
  }
}

TEST(RateTest, RoundsHalfUp) {
  EXPECT_EQ(Percent("25.965").ToPercentString(2), "25.97");
  EXPECT_EQ(Percent("25.964999").ToPercentString(2), "25.96");
  EXPECT_EQ(Percent("2.08105").ToPercentString(4), "2.0811");
  EXPECT_EQ(Percent("0.5").ToPercentString(0), "1");
  EXPECT_EQ(Percent("9.995").ToPercentString(2), "10.00");
  EXPECT_EQ(Percent("7").ToPercentString(3), "7.000");
  EXPECT_EQ(Percent("0.000001").ToPercentString(6), "0.000001");
  EXPECT_EQ(Percent("25.965").RoundedHalfUp(2), Percent("25.97"));
}

// Usury = 1.5 x IBC for every IBC from 5.00% to 60.00% in steps of 0.01%:
// in basis points, 1.5 x b rounded half up is (3b + 1) / 2 in integers.
TEST(RateTest, UsuryIsOneAndAHalfTimesRoundedHalfUpForEveryTwoDecimalRate) {
  UsuryCapRule rule;
  rule.multiplier_millionths = 1'500'000;
  rule.decimals = 2;
  for (int64_t basis_points = 500; basis_points <= 6000; ++basis_points) {
    const Rate ibc = Rate::FromMicroPercent(basis_points * 10'000);
    EXPECT_EQ(UsuryRate(ibc, rule).micro_percent(), (3 * basis_points + 1) / 2 * 10'000) << basis_points;
  }
  // IBC published with more decimals still rounds once, at the end.
  EXPECT_EQ(UsuryRate(Percent("17.306667"), rule).ToPercentString(2), "25.96");
  EXPECT_EQ(UsuryRate(Percent("17.306667"), rule).micro_percent(), 25'960'000);
}

TEST(RateTest, PeriodicRateFromEffectiveAnnual) {
  const Rate annual = Percent("28.04");
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(annual, YearFraction::Months(12), 6), annual);
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(annual, YearFraction::Months(0), 6), Percent("0"));
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(Percent("0"), YearFraction::Months(1), 6), Percent("0"));
  // (1.1268)^(1/12) - 1 = 1.0000% (12.68% EA is the classic 1% a month).
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(Percent("12.682503"), YearFraction::Months(1), 4).ToPercentString(4),
            "1.0000");
  // 30 days on a 360-day basis is a month.
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(annual, YearFraction::Days(30, 360), 4).ToPercentString(4), "2.0811");
  EXPECT_EQ(PeriodicRateFromEffectiveAnnual(annual, YearFraction::Days(1, 365), 6).ToPercentString(6), "0.067741");
}

}  // namespace
}  // namespace cartera::compliance
