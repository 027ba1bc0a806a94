// The charges calculator against RULES.md's rate examples (3 and 4) and
// worked examples computed by hand: the arithmetic is in each comment
// (compound factors to 10 significant digits; every amount is rounded half
// up to the minor unit per sub-period, then summed).
#include "compliance/charges_quote.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "compliance/rulebook.h"

namespace cartera::compliance {
namespace {

Rate Percent(std::string_view text) {
  Result<Rate> rate = Rate::ParsePercent(text);
  EXPECT_TRUE(rate.has_value()) << text;
  return rate.value_or(Rate());
}

Date D(std::string_view iso) {
  Result<Date> date = Date::ParseIso(iso);
  EXPECT_TRUE(date.has_value()) << iso;
  return date.value_or(Date());
}

Money M(std::string_view text, std::string_view currency) {
  Result<Money> money = Money::Parse(text, *Currency::FromCode(currency));
  EXPECT_TRUE(money.has_value()) << text;
  return money.value_or(Money::Zero(*Currency::FromCode(currency)));
}

ChargesQuoteRequest Request(std::string country, std::string_view amount, std::string_view currency,
                            std::string_view from, std::string_view to) {
  ChargesQuoteRequest request;
  request.country = std::move(country);
  request.amount = M(amount, currency);
  request.from = D(from);
  request.to = D(to);
  return request;
}

RateRow TenantRow(std::string country, RateKind kind, std::string_view from, std::string_view to, std::string_view rate,
                  int64_t id = 1) {
  RateRow row;
  row.country = std::move(country);
  row.kind = kind;
  row.valid_from = D(from);
  row.valid_to = D(to);
  row.rate = Percent(rate);
  row.source = "tenant source";
  row.origin = RateOrigin::kTenant;
  row.id = id;
  return row;
}

ChargesQuote Quote(const ChargesQuoteRequest& request, const RateTable& rates = RateTable::Shipped()) {
  auto quote = QuoteCharges(request, rates, Language::kEnglish);
  EXPECT_TRUE(quote.has_value()) << (quote ? "" : quote.error().error.message);
  if (!quote) return ChargesQuote{};
  return *quote;
}

ChargesQuoteFailure Refused(const ChargesQuoteRequest& request, const RateTable& rates = RateTable::Shipped()) {
  auto quote = QuoteCharges(request, rates, Language::kEnglish);
  EXPECT_FALSE(quote.has_value());
  if (quote) return ChargesQuoteFailure{};
  return quote.error();
}

// --- The shipped data --------------------------------------------------------

TEST(ChargesRateDataTest, ShippedFilesParse) {
  auto rows = ShippedRateRows();
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_GT(rows->size(), 90u);
}

// Every shipped Colombian month has an IBC and a usury row, and usury is the
// rulebook's 1.5 x IBC rounded half up: the data and the rule agree.
TEST(ChargesRateDataTest, ColombianUsuryIsOneAndAHalfTimesTheIbc) {
  const UsuryCapRule& rule = *RulebookFor("CO", DebtorKind::kBusiness).usury_cap;
  std::map<int32_t, Rate> ibc, usury;
  const auto shipped = ShippedRateRows();
  ASSERT_TRUE(shipped.has_value());
  for (const RateRow& row : *shipped) {
    if (row.country != "CO") continue;
    EXPECT_EQ(row.valid_from.day(), 1u) << row.source;
    EXPECT_EQ(row.valid_to.PlusDays(1).day(), 1u) << row.source;  // a whole month
    (row.kind == RateKind::kIbc ? ibc : usury)[row.valid_from.days_since_epoch()] = row.rate;
    EXPECT_NE(row.source.find("Resolución"), std::string::npos) << row.source;
  }
  ASSERT_EQ(ibc.size(), usury.size());
  for (const auto& [month, rate] : ibc) {
    ASSERT_TRUE(usury.contains(month));
    EXPECT_EQ(UsuryRate(rate, rule), usury[month]) << Date::FromDaysSinceEpoch(month).ToIso();
  }
  // 2023-01 to 2026-09 without a gap (45 months); 2026-10 to 2026-12 are not shipped.
  EXPECT_EQ(ibc.size(), 45u);
  EXPECT_EQ(Date::FromDaysSinceEpoch(ibc.begin()->first).ToIso(), "2023-01-01");
  EXPECT_EQ(Date::FromDaysSinceEpoch(ibc.rbegin()->first).ToIso(), "2026-09-01");
}

TEST(ChargesRateDataTest, SpanishHalfYearsAreWholeHalves) {
  int count = 0;
  const auto shipped = ShippedRateRows();
  ASSERT_TRUE(shipped.has_value());
  for (const RateRow& row : *shipped) {
    if (row.country != "ES") continue;
    ++count;
    EXPECT_EQ(row.kind, RateKind::kEcbReference);
    EXPECT_EQ(row.valid_from.day(), 1u);
    EXPECT_TRUE(row.valid_from.month() == 1 || row.valid_from.month() == 7);
    EXPECT_EQ(DaysBetween(row.valid_from, row.valid_to) > 179, true);
    EXPECT_NE(row.source.find("BOE-A-"), std::string::npos) << row.source;
  }
  EXPECT_EQ(count, 8);
}

TEST(ChargesRateDataTest, BadFilesAreRefusedNamingTheRow) {
  auto bad = ParseRateFile("rulebooks/rates/XX.json",
                           R"({"country": "CO", "rows": [{"kind": "ibc", "from": "2024-01-01", "to": "2024-01-31",
                               "rate": "28,5", "source": "x"}]})");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("rows[0].rate"), std::string::npos) << bad.error().message;
  auto overlap = ParseRateFile("rulebooks/rates/XX.json", R"({"country": "CO", "rows": [
      {"kind": "ibc", "from": "2024-01-01", "to": "2024-01-31", "rate": "20", "source": "x"},
      {"kind": "ibc", "from": "2024-01-15", "to": "2024-02-15", "rate": "21", "source": "y"}]})");
  ASSERT_FALSE(overlap.has_value());
  EXPECT_NE(overlap.error().message.find("rows[1]"), std::string::npos) << overlap.error().message;
  auto wrong_country = ParseRateFile("rulebooks/rates/XX.json", R"({"country": "ES", "rows": [
      {"kind": "usury", "from": "2024-01-01", "to": "2024-01-31", "rate": "20", "source": "x"}]})");
  EXPECT_FALSE(wrong_country.has_value());
}

// --- RULES.md worked examples 3 and 4 through the calculator -----------------

// 3. IBC 18.69% EA -> usury 28.04% (a tenant's IBC row for April 2020, a month
// we do not ship), and IBC 17.31% -> 25.97% (May 2025, shipped: Resolución
// 0837 de 2025), where naive binary floats round 25.965 down to 25.96.
TEST(ChargesQuoteTest, RulesExample3UsuryFromTheIbc) {
  RateTable rates = RateTable::Shipped();
  rates.Add(TenantRow("CO", RateKind::kIbc, "2020-04-01", "2020-04-30", "18.69"));
  ChargesQuote april = Quote(Request("CO", "1000000", "COP", "2020-04-01", "2020-04-02"), rates);
  ASSERT_EQ(april.periods.size(), 1u);
  EXPECT_EQ(april.periods[0].annual_rate, Percent("28.04"));
  EXPECT_EQ(april.periods[0].cap, Percent("28.04"));
  EXPECT_EQ(april.periods[0].legal_rate, Percent("28.04"));

  ChargesQuote may = Quote(Request("CO", "1000000", "COP", "2025-04-30", "2025-05-31"));
  ASSERT_EQ(may.periods.size(), 1u);
  EXPECT_EQ(may.periods[0].annual_rate, Percent("25.97"));
  EXPECT_NE(may.periods[0].cap_source.find("Resolución 0837 de 2025"), std::string::npos) << may.periods[0].cap_source;
  // 31 days at 25.97% EA: 1.2597^(31/365) - 1 = 1.980195075%; x 1,000,000 = 19,801.95075 -> 19,801.95.
  EXPECT_EQ(may.interest, M("19801.95", "COP"));
}

// 4. At 28.04% EA the daily rate on 365 days is 0.067741%: one day's quote
// shows it; 1,000,000 x 0.00067741435 = 677.41435 -> COP 677.41. (The
// monthly 2.0811% is a twelfth of a year, not a number of days: rates_test
// and worked_examples_test check it on PeriodicRateFromEffectiveAnnual.)
TEST(ChargesQuoteTest, RulesExample4DailyRate) {
  RateTable rates = RateTable::Shipped();
  rates.Add(TenantRow("CO", RateKind::kUsury, "2020-04-01", "2020-04-30", "28.04"));
  ChargesQuote quote = Quote(Request("CO", "1000000", "COP", "2020-04-10", "2020-04-11"), rates);
  ASSERT_EQ(quote.periods.size(), 1u);
  EXPECT_EQ(quote.periods[0].days, 1);
  EXPECT_EQ(RatePercentText(quote.periods[0].period_rate), "0.067741");
  EXPECT_EQ(quote.interest, M("677.41", "COP"));
  EXPECT_EQ(quote.rate_basis, "effective_annual_compound_365");
}

// --- Colombia ----------------------------------------------------------------

// COP 1,000,000 due 2024-01-20, quoted 2024-02-10: 11 days in January
// (21-31) at the January usury 34.98% (IBC 23.32%, Resolución 2331 de 2023)
// and 10 days in February (1-10) at 34.97% (IBC 23.31%, Resolución 0150 de
// 2024). No rate agreed: 1.5 x IBC, which is the usury rate.
//   January:  1.3498^(11/365) - 1 = 0.9080765157% -> 9,080.765157 -> 9,080.77
//   February: 1.3497^(10/365) - 1 = 0.8249798250% -> 8,249.798250 -> 8,249.80
//   interest = 9,080.77 + 8,249.80 = 17,330.57
TEST(ChargesQuoteTest, ColombiaTwoMonthsWithDifferentUsuryRates) {
  ChargesQuote quote = Quote(Request("CO", "1000000", "COP", "2024-01-20", "2024-02-10"));
  EXPECT_EQ(quote.days, 21);
  ASSERT_EQ(quote.periods.size(), 2u);
  const ChargesPeriod& january = quote.periods[0];
  EXPECT_EQ(january.first_day, D("2024-01-21"));
  EXPECT_EQ(january.last_day, D("2024-01-31"));
  EXPECT_EQ(january.days, 11);
  EXPECT_EQ(january.annual_rate, Percent("34.98"));
  EXPECT_EQ(january.cap, Percent("34.98"));
  EXPECT_FALSE(january.capped);
  EXPECT_NE(january.rate_source.find("Resolución 2331 de 2023"), std::string::npos) << january.rate_source;
  EXPECT_EQ(january.interest, M("9080.77", "COP"));
  const ChargesPeriod& february = quote.periods[1];
  EXPECT_EQ(february.first_day, D("2024-02-01"));
  EXPECT_EQ(february.last_day, D("2024-02-10"));
  EXPECT_EQ(february.days, 10);
  EXPECT_EQ(february.annual_rate, Percent("34.97"));
  EXPECT_NE(february.cap_source.find("Resolución 0150 de 2024"), std::string::npos) << february.cap_source;
  EXPECT_EQ(february.interest, M("8249.80", "COP"));
  EXPECT_EQ(quote.interest, M("17330.57", "COP"));
  EXPECT_EQ(quote.total, M("17330.57", "COP"));
  EXPECT_TRUE(quote.fees.empty());
  EXPECT_TRUE(quote.compensation.empty());
}

// The same debt with 40% EA agreed: above both months' usury, cut to it
// with the reason; the amounts are those of the usury rate (above).
// With 30% agreed (below the cap) it applies as is:
//   1.30^(11/365) - 1 = 0.7938210078% -> 7,938.21; 1.30^(10/365) - 1 = 0.7213958169% -> 7,213.96
TEST(ChargesQuoteTest, ColombiaAgreedRateAboveTheCapIsCut) {
  ChargesQuoteRequest request = Request("CO", "1000000", "COP", "2024-01-20", "2024-02-10");
  request.agreed_annual_rate = Percent("40");
  ChargesQuote quote = Quote(request);
  ASSERT_EQ(quote.periods.size(), 2u);
  for (const ChargesPeriod& period : quote.periods) {
    EXPECT_TRUE(period.capped);
    EXPECT_EQ(period.agreed_rate, Percent("40"));
    EXPECT_EQ(period.annual_rate, *period.cap);
    EXPECT_NE(period.cap_reason.find("the agreed rate 40.00% is above the usury rate certified for"), std::string::npos)
        << period.cap_reason;
  }
  EXPECT_EQ(quote.periods[0].annual_rate, Percent("34.98"));
  EXPECT_EQ(quote.interest, M("17330.57", "COP"));

  request.agreed_annual_rate = Percent("30");
  ChargesQuote below = Quote(request);
  ASSERT_EQ(below.periods.size(), 2u);
  EXPECT_FALSE(below.periods[0].capped);
  EXPECT_EQ(below.periods[0].annual_rate, Percent("30"));
  EXPECT_EQ(below.periods[0].rate_source, "rate agreed in the contract");
  EXPECT_EQ(below.periods[0].interest, M("7938.21", "COP"));
  EXPECT_EQ(below.periods[1].interest, M("7213.96", "COP"));
  EXPECT_EQ(below.interest, M("15152.17", "COP"));
}

TEST(ChargesQuoteTest, ColombiaMonthWithoutCertifiedRateIsAClearError) {
  ChargesQuoteFailure failure = Refused(Request("CO", "1000000", "COP", "2026-09-20", "2026-10-05"));
  EXPECT_EQ(failure.error.code, ErrorCode::kBadInput);
  EXPECT_EQ(failure.field, "");
  EXPECT_NE(failure.error.message.find("no certified usury rate for 2026-10"), std::string::npos)
      << failure.error.message;
  EXPECT_NE(failure.error.message.find("cartera charges rate add --country CO --kind usury --from 2026-10-01 --to "
                                       "2026-10-31"),
            std::string::npos)
      << failure.error.message;
  auto spanish = QuoteCharges(Request("CO", "1000000", "COP", "2026-09-20", "2026-10-05"), RateTable::Shipped(),
                              Language::kSpanish);
  ASSERT_FALSE(spanish.has_value());
  EXPECT_NE(spanish.error().error.message.find("no hay tasa de usura certificada para 2026-10"), std::string::npos);
}

// A tenant's row for a month wins over the shipped one, and fills a month we
// do not ship: 2026-10 at a (made-up, test-only) usury of 30.00%.
TEST(ChargesQuoteTest, TenantRowsWinAndFillMissingMonths) {
  RateTable rates = RateTable::Shipped();
  rates.Add(TenantRow("CO", RateKind::kUsury, "2024-01-01", "2024-01-31", "30.00", 7));
  rates.Add(TenantRow("CO", RateKind::kUsury, "2026-10-01", "2026-10-31", "30.00", 8));
  ChargesQuote quote = Quote(Request("CO", "1000000", "COP", "2024-01-20", "2024-02-10"), rates);
  ASSERT_EQ(quote.periods.size(), 2u);
  EXPECT_EQ(quote.periods[0].cap, Percent("30"));
  EXPECT_EQ(quote.periods[0].cap_source, "tenant source");
  EXPECT_EQ(quote.periods[0].interest, M("7938.21", "COP"));  // 30% for 11 days, as above
  EXPECT_EQ(quote.periods[1].cap, Percent("34.97"));          // February stays shipped
  ChargesQuote october = Quote(Request("CO", "1000000", "COP", "2026-09-30", "2026-10-10"), rates);
  ASSERT_EQ(october.periods.size(), 1u);
  EXPECT_EQ(october.periods[0].annual_rate, Percent("30"));
}

// --- Spain -------------------------------------------------------------------

// EUR 10,000 due 2024-06-15, quoted 2024-07-15, 3 invoices: 15 days in the
// first half (16-30 June) at ECB 4.50% + 8 = 12.50% (BOE-A-2023-26709) and 15
// days in the second (1-15 July) at 4.25% + 8 = 12.25% (BOE-A-2024-13089),
// simple interest on 365 days:
//   10,000 x 12.50% x 15/365 = 51.369863 -> 51.37
//   10,000 x 12.25% x 15/365 = 50.342466 -> 50.34
//   interest 101.71; compensation 3 x 40 = 120.00; total 221.71
TEST(ChargesQuoteTest, SpainAcrossAHalfYearWithTheFortyEuros) {
  ChargesQuoteRequest request = Request("ES", "10000", "EUR", "2024-06-15", "2024-07-15");
  request.invoices = 3;
  ChargesQuote quote = Quote(request);
  ASSERT_EQ(quote.periods.size(), 2u);
  EXPECT_EQ(quote.periods[0].days, 15);
  EXPECT_EQ(quote.periods[0].annual_rate, Percent("12.50"));
  EXPECT_NE(quote.periods[0].rate_source.find("BOE-A-2023-26709"), std::string::npos);
  EXPECT_EQ(quote.periods[0].interest, M("51.37", "EUR"));
  EXPECT_EQ(quote.periods[1].first_day, D("2024-07-01"));
  EXPECT_EQ(quote.periods[1].annual_rate, Percent("12.25"));
  EXPECT_EQ(quote.periods[1].interest, M("50.34", "EUR"));
  EXPECT_FALSE(quote.periods[0].cap.has_value());
  EXPECT_EQ(quote.interest, M("101.71", "EUR"));
  ASSERT_EQ(quote.compensation.size(), 1u);
  EXPECT_EQ(quote.compensation[0].count, 3);
  EXPECT_EQ(quote.compensation[0].base, M("40", "EUR"));
  EXPECT_NE(quote.compensation[0].source.find("Ley 3/2004 art. 8"), std::string::npos);
  EXPECT_EQ(quote.compensation_total, M("120", "EUR"));
  EXPECT_EQ(quote.total, M("221.71", "EUR"));
  EXPECT_EQ(quote.rate_basis, "simple_annual_365");
}

// RULES.md: 1H2020 was 8.00% (ECB 0.00%, BOE-A-2019-18736). EUR 1,000 for
// the 31 days of January 2020: 1,000 x 8% x 31/365 = 6.794521 -> 6.79.
TEST(ChargesQuoteTest, SpainFirstHalf2020IsEightPercent) {
  ChargesQuote quote = Quote(Request("ES", "1000", "EUR", "2019-12-31", "2020-01-31"));
  ASSERT_EQ(quote.periods.size(), 1u);
  EXPECT_EQ(quote.periods[0].annual_rate, Percent("8"));
  EXPECT_EQ(quote.interest, M("6.79", "EUR"));
  EXPECT_EQ(quote.total, M("46.79", "EUR"));
}

TEST(ChargesQuoteTest, SpainNeedsEurosAndAKnownHalfYear) {
  EXPECT_EQ(Refused(Request("ES", "1000", "USD", "2024-01-01", "2024-02-01")).field, "currency");
  ChargesQuoteFailure missing = Refused(Request("ES", "1000", "EUR", "2026-06-30", "2026-07-02"));
  EXPECT_NE(missing.error.message.find("no ECB reference rate for 2026-H2"), std::string::npos)
      << missing.error.message;
}

// --- Chile -------------------------------------------------------------------

// 60 UF overdue at UF = CLP 40,000.00 (CLP 2,400,000), 30 days late:
//   9% x 10 UF (400,000) = 36,000; 6% x 40 UF (1,600,000) = 96,000;
//   3% x 10 UF (400,000) = 12,000; gastos = 144,000.
TEST(ChargesQuoteTest, ChileThreeBands) {
  ChargesQuoteRequest request = Request("CL", "2400000", "CLP", "2025-03-01", "2025-03-31");
  request.uf_value_hundredths = 4'000'000;
  ChargesQuote quote = Quote(request);
  ASSERT_EQ(quote.fees.size(), 3u);
  EXPECT_EQ(quote.fees[0].base, M("400000", "CLP"));
  EXPECT_EQ(quote.fees[0].amount, M("36000", "CLP"));
  EXPECT_EQ(quote.fees[1].base, M("1600000", "CLP"));
  EXPECT_EQ(quote.fees[1].amount, M("96000", "CLP"));
  EXPECT_EQ(quote.fees[2].base, M("400000", "CLP"));
  EXPECT_EQ(quote.fees[2].amount, M("12000", "CLP"));
  EXPECT_EQ(quote.fees_total, M("144000", "CLP"));
  EXPECT_EQ(quote.interest, M("0", "CLP"));  // no agreed rate: no interest, and a note says so
  EXPECT_EQ(quote.total, M("144000", "CLP"));
  EXPECT_TRUE(quote.periods.empty());
}

// A UF with cents: UF 39,123.45 -> 10 UF = 391,234.5 -> 391,235 and 50 UF =
// 1,956,172.5 -> 1,956,173 (band limits rounded half up to whole pesos).
// Debt 2,000,000: 9% x 391,235 = 35,211.15 -> 35,211; 6% x 1,564,938 =
// 93,896.28 -> 93,896; 3% x 43,827 = 1,314.81 -> 1,315; gastos 130,422.
TEST(ChargesQuoteTest, ChileBandsWithAFractionalUf) {
  ChargesQuoteRequest request = Request("CL", "2000000", "CLP", "2025-03-01", "2025-03-31");
  request.uf_value_hundredths = 3'912'345;
  ChargesQuote quote = Quote(request);
  ASSERT_EQ(quote.fees.size(), 3u);
  EXPECT_EQ(quote.fees[0].amount, M("35211", "CLP"));
  EXPECT_EQ(quote.fees[1].base, M("1564938", "CLP"));
  EXPECT_EQ(quote.fees[1].amount, M("93896", "CLP"));
  EXPECT_EQ(quote.fees[2].base, M("43827", "CLP"));
  EXPECT_EQ(quote.fees[2].amount, M("1315", "CLP"));
  EXPECT_EQ(quote.fees_total, M("130422", "CLP"));
}

// 20 days late is not "after 20 days": no gastos (and no UF needed); 21 days is.
TEST(ChargesQuoteTest, ChileNoCollectionCostsUntilTwentyDaysHavePassed) {
  ChargesQuote twenty = Quote(Request("CL", "2400000", "CLP", "2025-03-01", "2025-03-21"));
  EXPECT_EQ(twenty.days, 20);
  EXPECT_TRUE(twenty.fees.empty());
  EXPECT_EQ(twenty.total, M("0", "CLP"));
  bool noted = false;
  for (const ChargesNote& note : twenty.notes) noted = noted || note.code == "cl_collection_costs_after_20_days";
  EXPECT_TRUE(noted);
  // Day 21 needs the UF value, and names the field when it is missing.
  EXPECT_EQ(Refused(Request("CL", "2400000", "CLP", "2025-03-01", "2025-03-22")).field, "uf_value");
  // A debt under 10 UF is all in the first band: 9% x 300,000 = 27,000.
  ChargesQuoteRequest small = Request("CL", "300000", "CLP", "2025-03-01", "2025-03-22");
  small.uf_value_hundredths = 4'000'000;
  ChargesQuote quote = Quote(small);
  ASSERT_EQ(quote.fees.size(), 1u);
  EXPECT_EQ(quote.fees_total, M("27000", "CLP"));
}

// Chile with an agreed 30% a year against a tenant's maximum conventional
// rate of 24% for March 2025 (made-up, test-only): cut to 24%, linear
// on 360 days: 2,400,000 x 24% x 30/360 = 48,000.
TEST(ChargesQuoteTest, ChileAgreedInterestCappedByMaximumConventional) {
  RateTable rates = RateTable::Shipped();
  rates.Add(TenantRow("CL", RateKind::kMaxConventional, "2025-03-01", "2025-03-31", "24"));
  ChargesQuoteRequest request = Request("CL", "2400000", "CLP", "2025-03-01", "2025-03-31");
  request.agreed_annual_rate = Percent("30");
  request.uf_value_hundredths = 4'000'000;
  ChargesQuote quote = Quote(request, rates);
  ASSERT_EQ(quote.periods.size(), 1u);
  EXPECT_TRUE(quote.periods[0].capped);
  EXPECT_EQ(quote.periods[0].annual_rate, Percent("24"));
  EXPECT_EQ(quote.interest, M("48000", "CLP"));
  EXPECT_EQ(quote.total, M("192000", "CLP"));  // + 144,000 gastos
  // Without the tenant's row the month has no cap: refused, saying how to add it.
  ChargesQuoteFailure missing = Refused(request);
  EXPECT_NE(missing.error.message.find("no maximum conventional rate for 2025-03"), std::string::npos);
}

// --- Peru, Mexico, United States ---------------------------------------------

// PEN 10,000 at TEA 20% for 30 days on a 360-day year:
// 1.20^(30/360) - 1 = 1.530947050% -> 153.0947 -> 153.09.
TEST(ChargesQuoteTest, PeruTeaOn360Days) {
  ChargesQuoteRequest request = Request("PE", "10000", "PEN", "2025-01-01", "2025-01-31");
  request.agreed_annual_rate = Percent("20");
  ChargesQuote quote = Quote(request);
  ASSERT_EQ(quote.periods.size(), 1u);
  EXPECT_EQ(quote.rate_basis, "effective_annual_compound_360");
  EXPECT_EQ(RatePercentText(quote.periods[0].period_rate), "1.530947");
  EXPECT_EQ(quote.interest, M("153.09", "PEN"));
  EXPECT_EQ(Refused(Request("PE", "10000", "PEN", "2025-01-01", "2025-01-31")).field, "annual_rate");
}

// MXN 100,000 for 100 days with no agreed rate: 6% simple (C.Co. art. 362):
// 100,000 x 6% x 100/365 = 1,643.835616 -> 1,643.84.
TEST(ChargesQuoteTest, MexicoSixPercentWhenNotAgreed) {
  ChargesQuote quote = Quote(Request("MX", "100000", "MXN", "2025-01-01", "2025-04-11"));
  EXPECT_EQ(quote.days, 100);
  ASSERT_EQ(quote.periods.size(), 1u);
  EXPECT_EQ(quote.periods[0].annual_rate, Percent("6"));
  EXPECT_NE(quote.periods[0].rate_source.find("art. 362"), std::string::npos);
  EXPECT_EQ(quote.interest, M("1643.84", "MXN"));
}

// USD 5,000 at 24% agreed, the tenant's state cap 16%: cut to 16%, simple:
// 5,000 x 16% x 30/365 = 65.753425 -> 65.75. Without a cap row: refused.
TEST(ChargesQuoteTest, UnitedStatesContractRateCutToTheStateCap) {
  RateTable rates = RateTable::Shipped();
  rates.Add(TenantRow("US", RateKind::kUsStateCap, "2020-01-01", "2030-12-31", "16"));
  ChargesQuoteRequest request = Request("US", "5000", "USD", "2025-03-01", "2025-03-31");
  request.agreed_annual_rate = Percent("24");
  ChargesQuote quote = Quote(request, rates);
  ASSERT_EQ(quote.periods.size(), 1u);
  EXPECT_TRUE(quote.periods[0].capped);
  EXPECT_EQ(quote.periods[0].annual_rate, Percent("16"));
  EXPECT_NE(quote.periods[0].cap_reason.find("the state's cap"), std::string::npos) << quote.periods[0].cap_reason;
  EXPECT_EQ(quote.interest, M("65.75", "USD"));
  EXPECT_NE(Refused(request).error.message.find("no state cap for US"), std::string::npos);
  request.agreed_annual_rate.reset();
  EXPECT_EQ(Refused(request, rates).field, "annual_rate");
}

// --- Input -------------------------------------------------------------------

TEST(ChargesQuoteInputTest, ParsesAndNamesTheBadField) {
  ChargesQuoteText text{"co", "1000000", "", "2024-01-20", "2024-02-10", "30.5", "", ""};
  auto request = ParseChargesQuoteRequest(text, Language::kEnglish);
  ASSERT_TRUE(request.has_value()) << request.error().error.message;
  EXPECT_EQ(request->country, "CO");
  EXPECT_EQ(request->amount, M("1000000", "COP"));
  EXPECT_EQ(request->agreed_annual_rate, Percent("30.5"));

  auto field_of = [](ChargesQuoteText bad) {
    auto parsed = ParseChargesQuoteRequest(bad, Language::kEnglish);
    EXPECT_FALSE(parsed.has_value());
    return parsed ? std::string() : parsed.error().field;
  };
  EXPECT_EQ(field_of({"AR", "1", "", "2024-01-01", "2024-01-02", "", "", ""}), "country");
  EXPECT_EQ(field_of({"CO", "1,5", "", "2024-01-01", "2024-01-02", "", "", ""}), "amount");
  EXPECT_EQ(field_of({"CO", "1", "XYZ", "2024-01-01", "2024-01-02", "", "", ""}), "currency");
  EXPECT_EQ(field_of({"CO", "1", "", "2024-02-30", "2024-03-02", "", "", ""}), "from");
  EXPECT_EQ(field_of({"CO", "1", "", "2024-01-01", "", "", "", ""}), "to");
  EXPECT_EQ(field_of({"CO", "1", "", "2024-01-01", "2024-01-02", "-3", "", ""}), "annual_rate");
  EXPECT_EQ(field_of({"CL", "1", "", "2024-01-01", "2024-01-02", "", "39123.456", ""}), "uf_value");
  EXPECT_EQ(field_of({"ES", "1", "", "2024-01-01", "2024-01-02", "", "", "0"}), "invoices");

  EXPECT_EQ(Refused(Request("CO", "1000", "COP", "2024-02-10", "2024-01-20")).field, "to");
  EXPECT_EQ(Refused(Request("CO", "-5", "COP", "2024-01-10", "2024-01-20")).field, "amount");
}

// No days late, no charges (and no EUR 40 either).
TEST(ChargesQuoteTest, ZeroDaysIsZero) {
  ChargesQuote quote = Quote(Request("ES", "1000", "EUR", "2024-03-01", "2024-03-01"));
  EXPECT_TRUE(quote.periods.empty());
  EXPECT_TRUE(quote.compensation.empty());
  EXPECT_EQ(quote.total, M("0", "EUR"));
}

}  // namespace
}  // namespace cartera::compliance
