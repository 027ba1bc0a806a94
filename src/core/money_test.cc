#include "core/money.h"

#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/currency.h"
#include "core/error.h"

namespace cartera {
namespace {

// Exact sums and products of int64 values (as in money.cc).
__extension__ typedef __int128 Int128;

Currency Cur(std::string_view code) {
  auto currency = Currency::FromCode(code);
  EXPECT_TRUE(currency.has_value()) << code;
  return *currency;
}

int64_t ParseMinor(std::string_view text, std::string_view code,
                   DecimalSeparator separator = DecimalSeparator::kPoint) {
  auto money = Money::Parse(text, Cur(code), separator);
  EXPECT_TRUE(money.has_value()) << "'" << text << "' " << code << ": "
                                 << (money ? std::string() : money.error().message);
  return money ? money->minor_units() : -424242;
}

// Expects Parse to fail with kBadInput and a message quoting the text.
std::string ExpectParseError(std::string_view text, std::string_view code,
                             DecimalSeparator separator = DecimalSeparator::kPoint) {
  auto money = Money::Parse(text, Cur(code), separator);
  EXPECT_FALSE(money.has_value()) << "'" << text << "' " << code << " parsed as "
                                  << (money ? money->minor_units() : 0);
  if (money) return {};
  EXPECT_EQ(money.error().code, ErrorCode::kBadInput);
  EXPECT_NE(money.error().message.find("'" + std::string(text) + "'"), std::string::npos)
      << "message does not quote the text: " << money.error().message;
  return money.error().message;
}

TEST(CurrencyTest, FromCodeKnownCurrenciesAndExponents) {
  ASSERT_TRUE(Currency::FromCode("COP").has_value());
  EXPECT_EQ(Currency::FromCode("COP")->exponent(), 2);
  EXPECT_EQ(Currency::FromCode("COP")->code(), "COP");
  EXPECT_EQ(Currency::FromCode("CLP")->exponent(), 0);
  EXPECT_EQ(Currency::FromCode("JPY")->exponent(), 0);
  EXPECT_EQ(Currency::FromCode("KWD")->exponent(), 3);
  EXPECT_EQ(Currency::FromCode("USD")->exponent(), 2);
  EXPECT_EQ(Currency::FromCode("EUR")->exponent(), 2);
  EXPECT_EQ(Currency::FromCode("MXN")->exponent(), 2);
  // First and last entries of the sorted table are reachable.
  EXPECT_TRUE(Currency::FromCode("AED").has_value());
  EXPECT_TRUE(Currency::FromCode("ZWG").has_value());
}

TEST(CurrencyTest, MinorPerMajor) {
  EXPECT_EQ(Cur("COP").minor_per_major(), 100);
  EXPECT_EQ(Cur("CLP").minor_per_major(), 1);
  EXPECT_EQ(Cur("JPY").minor_per_major(), 1);
  EXPECT_EQ(Cur("KWD").minor_per_major(), 1000);
}

TEST(CurrencyTest, FromCodeRejectsUnknownAndMalformed) {
  EXPECT_FALSE(Currency::FromCode("usd").has_value());
  EXPECT_FALSE(Currency::FromCode("Usd").has_value());
  EXPECT_FALSE(Currency::FromCode("XYZ").has_value());
  EXPECT_FALSE(Currency::FromCode("").has_value());
  EXPECT_FALSE(Currency::FromCode("US").has_value());
  EXPECT_FALSE(Currency::FromCode("USDX").has_value());
  EXPECT_FALSE(Currency::FromCode(" USD").has_value());
  EXPECT_FALSE(Currency::FromCode("AAA").has_value());  // before the first entry
  EXPECT_FALSE(Currency::FromCode("ZZZ").has_value());  // after the last entry
  EXPECT_FALSE(Currency::FromCode("XAU").has_value());  // left out on purpose
}

TEST(CurrencyTest, Equality) {
  EXPECT_TRUE(Cur("COP") == Cur("COP"));
  EXPECT_FALSE(Cur("COP") == Cur("USD"));
}

TEST(MoneyParseTest, PlainIntegers) {
  EXPECT_EQ(ParseMinor("1250000", "COP"), 125000000);
  EXPECT_EQ(ParseMinor("0", "COP"), 0);
  EXPECT_EQ(ParseMinor("1250000", "CLP"), 1250000);
  EXPECT_EQ(ParseMinor("7", "KWD"), 7000);
  EXPECT_EQ(ParseMinor("007", "USD"), 700);
}

TEST(MoneyParseTest, Signs) {
  EXPECT_EQ(ParseMinor("-12.5", "USD"), -1250);
  EXPECT_EQ(ParseMinor("+12.5", "USD"), 1250);
  EXPECT_EQ(ParseMinor("-0.05", "USD"), -5);
  EXPECT_EQ(ParseMinor("-0", "USD"), 0);
  ExpectParseError("--1", "USD");
  ExpectParseError("+-1", "USD");
  ExpectParseError("1-", "USD");
}

TEST(MoneyParseTest, FractionalDigits) {
  EXPECT_EQ(ParseMinor("12.5", "USD"), 1250);
  EXPECT_EQ(ParseMinor("12.50", "USD"), 1250);
  EXPECT_EQ(ParseMinor("12.05", "USD"), 1205);
  EXPECT_EQ(ParseMinor("0.01", "USD"), 1);
  EXPECT_EQ(ParseMinor(".5", "USD"), 50);
  EXPECT_EQ(ParseMinor("5.", "USD"), 500);
  EXPECT_EQ(ParseMinor("1250000.50", "COP"), 125000050);
}

TEST(MoneyParseTest, TrailingZerosBeyondExponentAccepted) {
  EXPECT_EQ(ParseMinor("18.150", "EUR"), 1815);
  EXPECT_EQ(ParseMinor("18.15000000", "EUR"), 1815);
  EXPECT_EQ(ParseMinor("18.000", "EUR"), 1800);
  EXPECT_EQ(ParseMinor("1.0", "CLP"), 1);
  EXPECT_EQ(ParseMinor("1.000", "JPY"), 1);
  EXPECT_EQ(ParseMinor("1.2500", "KWD"), 1250);
}

TEST(MoneyParseTest, NonZeroExtraDigitRejected) {
  const std::string message = ExpectParseError("18.151", "EUR");
  EXPECT_NE(message.find("EUR allows 2 decimal digits"), std::string::npos) << message;
  ExpectParseError("18.1501", "EUR");  // a non-zero after accepted zeros
  ExpectParseError("0.0001", "KWD");
}

TEST(MoneyParseTest, ThreeDecimalCurrency) {
  EXPECT_EQ(ParseMinor("0.125", "KWD"), 125);
  EXPECT_EQ(ParseMinor("1.25", "KWD"), 1250);
  EXPECT_EQ(ParseMinor("1.250", "KWD"), 1250);
  EXPECT_EQ(ParseMinor("-3.001", "KWD"), -3001);
}

TEST(MoneyParseTest, ZeroDecimalCurrency) {
  EXPECT_EQ(ParseMinor("1250000", "CLP"), 1250000);
  EXPECT_EQ(ParseMinor("15", "JPY"), 15);
  const std::string message = ExpectParseError("1.5", "CLP");
  EXPECT_NE(message.find("CLP allows 0 decimal digits"), std::string::npos) << message;
  ExpectParseError("0.1", "JPY");
}

TEST(MoneyParseTest, DecimalCommaMode) {
  EXPECT_EQ(ParseMinor("1250000,50", "COP", DecimalSeparator::kComma), 125000050);
  EXPECT_EQ(ParseMinor("-12,5", "EUR", DecimalSeparator::kComma), -1250);
  EXPECT_EQ(ParseMinor("18,150", "EUR", DecimalSeparator::kComma), 1815);
  EXPECT_EQ(ParseMinor("42", "EUR", DecimalSeparator::kComma), 4200);
  // In comma mode a point is a thousands separator, which is rejected.
  const std::string message = ExpectParseError("1.250,50", "EUR", DecimalSeparator::kComma);
  EXPECT_NE(message.find("use ',' for decimals and no thousands separators"), std::string::npos) << message;
  ExpectParseError("12.5", "EUR", DecimalSeparator::kComma);
  ExpectParseError("1,2,3", "EUR", DecimalSeparator::kComma);
}

TEST(MoneyParseTest, ThousandsSeparatorsRejectedWithHelpfulMessage) {
  const std::string message = ExpectParseError("1,250,000.00", "COP");
  EXPECT_NE(message.find("use '.' for decimals and no thousands separators"), std::string::npos) << message;
  ExpectParseError("1,250", "USD");
  // Several points: read as decimal separators, still rejected.
  const std::string points = ExpectParseError("1.250.000", "COP");
  EXPECT_NE(points.find("two decimal separators"), std::string::npos) << points;
}

TEST(MoneyParseTest, OverflowNearInt64MaxRejected) {
  // INT64_MAX = 9223372036854775807.
  EXPECT_EQ(ParseMinor("9223372036854775807", "CLP"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseMinor("-9223372036854775807", "CLP"), -std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseMinor("92233720368547758.07", "USD"), std::numeric_limits<int64_t>::max());
  std::string message = ExpectParseError("9223372036854775808", "CLP");
  EXPECT_NE(message.find("too large"), std::string::npos) << message;
  ExpectParseError("92233720368547758.08", "USD");
  // Fits as an integer but not after scaling to minor units.
  EXPECT_EQ(ParseMinor("92233720368547758", "USD"), 9223372036854775800);
  message = ExpectParseError("92233720368547759", "USD");
  EXPECT_NE(message.find("too large"), std::string::npos) << message;
  ExpectParseError("92233720368547758.1", "USD");
  ExpectParseError("99999999999999999999999", "CLP");
  ExpectParseError("-99999999999999999999999", "CLP");
  ExpectParseError("9223372036854775.808", "KWD");
  EXPECT_EQ(ParseMinor("9223372036854775.807", "KWD"), std::numeric_limits<int64_t>::max());
}

TEST(MoneyParseTest, EmptyAndNonNumericRejected) {
  EXPECT_NE(ExpectParseError("", "USD").find("no digits"), std::string::npos);
  EXPECT_NE(ExpectParseError("-", "USD").find("no digits"), std::string::npos);
  EXPECT_NE(ExpectParseError("+", "USD").find("no digits"), std::string::npos);
  EXPECT_NE(ExpectParseError(".", "USD").find("no digits"), std::string::npos);
  EXPECT_NE(ExpectParseError("abc", "USD").find("unexpected character 'a'"), std::string::npos);
  ExpectParseError("1e5", "USD");
  ExpectParseError(" 12", "USD");
  ExpectParseError("12 ", "USD");
  ExpectParseError("1 000", "USD");
  ExpectParseError("$12", "USD");
  ExpectParseError("12..5", "USD");
}

TEST(MoneyParseTest, ErrorMessageQuotesTheText) {
  auto money = Money::Parse("12,50", Cur("USD"));
  ASSERT_FALSE(money.has_value());
  EXPECT_EQ(money.error().message.rfind("'12,50' is not an amount", 0), 0u) << money.error().message;
}

TEST(MoneyArithmeticTest, PlusAndMinus) {
  const Money a(1250, Cur("USD"));
  const Money b(-50, Cur("USD"));
  auto sum = a.Plus(b);
  ASSERT_TRUE(sum.has_value());
  EXPECT_EQ(*sum, Money(1200, Cur("USD")));
  auto difference = a.Minus(b);
  ASSERT_TRUE(difference.has_value());
  EXPECT_EQ(*difference, Money(1300, Cur("USD")));
  EXPECT_EQ(a.Negated(), Money(-1250, Cur("USD")));
  EXPECT_TRUE(Money::Zero(Cur("COP")).is_zero());
  EXPECT_TRUE(b.is_negative());
  EXPECT_FALSE(a.is_negative());
}

TEST(MoneyArithmeticTest, CurrencyMismatch) {
  const Money usd(100, Cur("USD"));
  const Money cop(100, Cur("COP"));
  auto sum = usd.Plus(cop);
  ASSERT_FALSE(sum.has_value());
  EXPECT_EQ(sum.error().code, ErrorCode::kCurrencyMismatch);
  EXPECT_NE(sum.error().message.find("COP"), std::string::npos);
  EXPECT_NE(sum.error().message.find("USD"), std::string::npos);
  auto difference = usd.Minus(cop);
  ASSERT_FALSE(difference.has_value());
  EXPECT_EQ(difference.error().code, ErrorCode::kCurrencyMismatch);
  EXPECT_FALSE(usd == cop);  // same minor units, different currency
}

TEST(MoneyArithmeticTest, Overflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  const Currency usd = Cur("USD");
  auto up = Money(kMax, usd).Plus(Money(1, usd));
  ASSERT_FALSE(up.has_value());
  EXPECT_EQ(up.error().code, ErrorCode::kOverflow);
  auto down = Money(kMin, usd).Plus(Money(-1, usd));
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().code, ErrorCode::kOverflow);
  auto minus = Money(kMin, usd).Minus(Money(1, usd));
  ASSERT_FALSE(minus.has_value());
  EXPECT_EQ(minus.error().code, ErrorCode::kOverflow);
  auto minus_min = Money(0, usd).Minus(Money(kMin, usd));  // 0 - INT64_MIN does not fit
  ASSERT_FALSE(minus_min.has_value());
  EXPECT_EQ(minus_min.error().code, ErrorCode::kOverflow);
  auto minus_max = Money(-1, usd).Minus(Money(kMax, usd));
  ASSERT_TRUE(minus_max.has_value());
  EXPECT_EQ(minus_max->minor_units(), kMin);
  // -1 - INT64_MIN = INT64_MAX fits.
  auto fits = Money(-1, usd).Minus(Money(kMin, usd));
  ASSERT_TRUE(fits.has_value()) << fits.error().message;
  EXPECT_EQ(fits->minor_units(), kMax);
  // A currency mismatch is reported as such even for INT64_MIN.
  auto mismatch = Money(-1, usd).Minus(Money(kMin, Cur("COP")));
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().code, ErrorCode::kCurrencyMismatch);
  auto edge = Money(kMax - 1, usd).Plus(Money(1, usd));
  ASSERT_TRUE(edge.has_value());
  EXPECT_EQ(edge->minor_units(), kMax);
}

TEST(MoneyArithmeticTest, CheckedAdd) {
  EXPECT_EQ(CheckedAdd(2, 3).value(), 5);
  EXPECT_EQ(CheckedAdd(-2, 3).value(), 1);
  auto overflow = CheckedAdd(std::numeric_limits<int64_t>::max(), 1);
  ASSERT_FALSE(overflow.has_value());
  EXPECT_EQ(overflow.error().code, ErrorCode::kOverflow);
  EXPECT_FALSE(CheckedAdd(std::numeric_limits<int64_t>::min(), -1).has_value());
}

std::vector<int64_t> Minor(const std::vector<Money>& parts) {
  std::vector<int64_t> out;
  for (const Money& part : parts) out.push_back(part.minor_units());
  return out;
}

TEST(MoneySplitTest, Examples) {
  const Currency usd = Cur("USD");
  EXPECT_EQ(Minor(Money(100, usd).SplitByWeights({1, 1, 1})), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(Minor(Money(-100, usd).SplitByWeights({1, 1, 1})), (std::vector<int64_t>{-34, -33, -33}));
  EXPECT_EQ(Minor(Money(100, usd).SplitByWeights({1, 0, 1})), (std::vector<int64_t>{50, 0, 50}));
  EXPECT_EQ(Minor(Money(101, usd).SplitByWeights({1, 0, 1})), (std::vector<int64_t>{51, 0, 50}));
  EXPECT_EQ(Minor(Money(100, usd).SplitByWeights({0, 0, 5})), (std::vector<int64_t>{0, 0, 100}));
  EXPECT_EQ(Minor(Money(100, usd).SplitByWeights({7})), (std::vector<int64_t>{100}));
  EXPECT_EQ(Minor(Money(0, usd).SplitByWeights({1, 2, 3})), (std::vector<int64_t>{0, 0, 0}));
  // Largest remainder: 10 split 1:2 gives 3.33 / 6.67 -> 3, 7.
  EXPECT_EQ(Minor(Money(10, usd).SplitByWeights({1, 2})), (std::vector<int64_t>{3, 7}));
  for (const Money& part : Money(100, usd).SplitByWeights({1, 1, 1})) EXPECT_EQ(part.currency(), usd);
}

TEST(MoneySplitTest, ExtremeValuesDoNotOverflow) {
  const Currency clp = Cur("CLP");
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  for (int64_t amount : {kMax, kMin, kMin + 1}) {
    const std::vector<int64_t> weights = {kMax, kMax, 1, 0};
    const auto parts = Money(amount, clp).SplitByWeights(weights);
    Int128 sum = 0;
    for (const Money& part : parts) sum += part.minor_units();
    EXPECT_TRUE(sum == amount) << amount;
    EXPECT_EQ(parts[3].minor_units(), 0);
  }
}

TEST(MoneySplitTest, PartsAlwaysSumToAmountRandomized) {
  std::mt19937_64 rng(20261122);
  const Currency cop = Cur("COP");
  std::uniform_int_distribution<int> count_dist(1, 8);
  std::uniform_int_distribution<int> kind_dist(0, 3);
  for (int iteration = 0; iteration < 5000; ++iteration) {
    int64_t amount = 0;
    switch (kind_dist(rng)) {
      case 0: amount = std::uniform_int_distribution<int64_t>(-1000, 1000)(rng); break;
      case 1: amount = std::uniform_int_distribution<int64_t>(-1'000'000'000'000, 1'000'000'000'000)(rng); break;
      default:
        amount = std::uniform_int_distribution<int64_t>(std::numeric_limits<int64_t>::min(),
                                                        std::numeric_limits<int64_t>::max())(rng);
    }
    const int count = count_dist(rng);
    std::vector<int64_t> weights;
    const bool big_weights = kind_dist(rng) == 0;
    for (int i = 0; i < count; ++i) {
      const bool zero = kind_dist(rng) == 0;
      weights.push_back(zero ? 0
                             : std::uniform_int_distribution<int64_t>(
                                   1, big_weights ? std::numeric_limits<int64_t>::max() / 16 : 1000)(rng));
    }
    if (std::all_of(weights.begin(), weights.end(), [](int64_t w) { return w == 0; })) weights[0] = 1;

    const auto parts = Money(amount, cop).SplitByWeights(weights);
    ASSERT_EQ(parts.size(), weights.size());
    Int128 sum = 0;
    Int128 total_weight = 0;
    for (int64_t w : weights) total_weight += w;
    for (size_t i = 0; i < parts.size(); ++i) {
      const int64_t part = parts[i].minor_units();
      sum += part;
      if (weights[i] == 0) {
        EXPECT_EQ(part, 0) << "iteration " << iteration << " index " << i;
      }
      // Never opposite in sign to the amount.
      if (amount >= 0) {
        EXPECT_GE(part, 0);
      } else {
        EXPECT_LE(part, 0);
      }
      // Each part is within one unit of its exact proportional share.
      const Int128 exact_numerator = static_cast<Int128>(amount) * weights[i];
      const Int128 scaled = static_cast<Int128>(part) * total_weight;
      const Int128 diff = scaled > exact_numerator ? scaled - exact_numerator : exact_numerator - scaled;
      EXPECT_TRUE(diff < total_weight) << "iteration " << iteration << " index " << i;
    }
    ASSERT_TRUE(sum == amount) << "iteration " << iteration << " amount " << amount;
  }
}

TEST(MoneyFormatTest, ToDecimalString) {
  EXPECT_EQ(Money(125000000, Cur("COP")).ToDecimalString(), "1250000.00");
  EXPECT_EQ(Money(125000050, Cur("COP")).ToDecimalString(), "1250000.50");
  EXPECT_EQ(Money(1250000, Cur("CLP")).ToDecimalString(), "1250000");
  EXPECT_EQ(Money(1250, Cur("KWD")).ToDecimalString(), "1.250");
  EXPECT_EQ(Money(5, Cur("KWD")).ToDecimalString(), "0.005");
  EXPECT_EQ(Money(-5, Cur("USD")).ToDecimalString(), "-0.05");
  EXPECT_EQ(Money(-1250, Cur("USD")).ToDecimalString(), "-12.50");
  EXPECT_EQ(Money(0, Cur("USD")).ToDecimalString(), "0.00");
  EXPECT_EQ(Money(0, Cur("JPY")).ToDecimalString(), "0");
  EXPECT_EQ(Money(-7, Cur("JPY")).ToDecimalString(), "-7");
  EXPECT_EQ(Money(std::numeric_limits<int64_t>::min(), Cur("USD")).ToDecimalString(), "-92233720368547758.08");
  EXPECT_EQ(Money(std::numeric_limits<int64_t>::max(), Cur("USD")).ToDecimalString(), "92233720368547758.07");
  EXPECT_EQ(Money(std::numeric_limits<int64_t>::min(), Cur("CLP")).ToDecimalString(), "-9223372036854775808");
}

TEST(MoneyFormatTest, FormatMinorUnits) {
  EXPECT_EQ(FormatMinorUnits(0, 0), "0");
  EXPECT_EQ(FormatMinorUnits(0, 2), "0.00");
  EXPECT_EQ(FormatMinorUnits(1, 2), "0.01");
  EXPECT_EQ(FormatMinorUnits(10, 2), "0.10");
  EXPECT_EQ(FormatMinorUnits(100, 2), "1.00");
  EXPECT_EQ(FormatMinorUnits(-1, 3), "-0.001");
  EXPECT_EQ(FormatMinorUnits(123456, 4), "12.3456");
  EXPECT_EQ(FormatMinorUnits(42, 0), "42");
  EXPECT_EQ(FormatMinorUnits(std::numeric_limits<int64_t>::min(), 0), "-9223372036854775808");
  EXPECT_EQ(FormatMinorUnits(std::numeric_limits<int64_t>::min(), 3), "-9223372036854775.808");
}

TEST(MoneyFormatTest, ParseFormatRoundTrip) {
  std::mt19937_64 rng(7);
  for (std::string_view code : {"COP", "CLP", "KWD", "USD"}) {
    const Currency currency = Cur(code);
    for (int i = 0; i < 500; ++i) {
      const int64_t minor = std::uniform_int_distribution<int64_t>(-std::numeric_limits<int64_t>::max(),
                                                                   std::numeric_limits<int64_t>::max())(rng);
      const std::string text = Money(minor, currency).ToDecimalString();
      auto parsed = Money::Parse(text, currency);
      ASSERT_TRUE(parsed.has_value()) << text;
      EXPECT_EQ(parsed->minor_units(), minor) << text;
    }
  }
}

}  // namespace
}  // namespace cartera
