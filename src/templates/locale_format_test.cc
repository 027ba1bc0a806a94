#include "templates/locale_format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace cartera::templates {
namespace {

Currency C(std::string_view code) { return *Currency::FromCode(code); }

TEST(FormatMoney, ColombianPesosShowNoCentavosWhenZero) {
  // The example; CLDR's pattern is "¤ #,##0.00" but COP cash digits are 0.
  EXPECT_EQ(FormatMoney(125000000, C("COP"), Locale::kEsCO), "$ 1.250.000");
  EXPECT_EQ(FormatMoney(0, C("COP"), Locale::kEsCO), "$ 0");
  EXPECT_EQ(FormatMoney(100, C("COP"), Locale::kEsCO), "$ 1");
  // Never round an amount owed away: non-zero centavos are shown.
  EXPECT_EQ(FormatMoney(125000050, C("COP"), Locale::kEsCO), "$ 1.250.000,50");
  EXPECT_EQ(FormatMoney(99, C("COP"), Locale::kEsCO), "$ 0,99");
}

TEST(FormatMoney, UnitedStates) {
  EXPECT_EQ(FormatMoney(125000000, C("USD"), Locale::kEnUS), "$1,250,000.00");
  EXPECT_EQ(FormatMoney(5, C("USD"), Locale::kEnUS), "$0.05");
  EXPECT_EQ(FormatMoney(100000, C("USD"), Locale::kEnUS), "$1,000.00");
  EXPECT_EQ(FormatMoney(99999, C("USD"), Locale::kEnUS), "$999.99");
  EXPECT_EQ(FormatMoney(-125000, C("USD"), Locale::kEnUS), "-$1,250.00");
}

TEST(FormatMoney, SpainPutsTheSymbolAfterAndGroupsFromFiveDigits) {
  EXPECT_EQ(FormatMoney(125000000, C("EUR"), Locale::kEsES), "1.250.000,00 €");
  // CLDR es: minimumGroupingDigits 2.
  EXPECT_EQ(FormatMoney(125000, C("EUR"), Locale::kEsES), "1250,00 €");
  EXPECT_EQ(FormatMoney(1234567, C("EUR"), Locale::kEsES), "12.345,67 €");
  EXPECT_EQ(FormatMoney(-125000, C("EUR"), Locale::kEsES), "-1250,00 €");
}

TEST(FormatMoney, OtherSpanishLocales) {
  EXPECT_EQ(FormatMoney(125000000, C("MXN"), Locale::kEsMX), "$1,250,000.00");
  EXPECT_EQ(FormatMoney(123400, C("MXN"), Locale::kEsMX), "$1,234.00");      // es-419: grouping from 4 digits
  EXPECT_EQ(FormatMoney(1250000, C("CLP"), Locale::kEsCL), "$1.250.000");    // CLP has no minor unit
  EXPECT_EQ(FormatMoney(-1250000, C("CLP"), Locale::kEsCL), "$-1.250.000");  // "¤-#,##0.00"
  EXPECT_EQ(FormatMoney(125000000, C("PEN"), Locale::kEsPE), "S/ 1,250,000.00");
  EXPECT_EQ(FormatMoney(125000000, C("ARS"), Locale::kEsAR), "$ 1.250.000,00");
}

TEST(FormatMoney, ForeignCurrencies) {
  EXPECT_EQ(FormatMoney(125050, C("USD"), Locale::kEsCO), "US$ 1.250,50");
  EXPECT_EQ(FormatMoney(125050, C("USD"), Locale::kEsMX), "US$1,250.50");
  EXPECT_EQ(FormatMoney(125000000, C("COP"), Locale::kEnUS), "COP 1,250,000");
  EXPECT_EQ(FormatMoney(125000, C("EUR"), Locale::kEnUS), "€1,250.00");
  EXPECT_EQ(FormatMoney(1250, C("JPY"), Locale::kEnUS), "JPY 1,250");
  EXPECT_EQ(FormatMoney(1250500, C("KWD"), Locale::kEnUS), "KWD 1,250.500");
}

TEST(FormatMoney, ExtremesWithoutOverflow) {
  EXPECT_EQ(FormatMoney(std::numeric_limits<int64_t>::min(), C("USD"), Locale::kEnUS), "-$92,233,720,368,547,758.08");
  EXPECT_EQ(FormatMoney(std::numeric_limits<int64_t>::max(), C("COP"), Locale::kEsCO), "$ 92.233.720.368.547.758,07");
}

TEST(FormatDate, LongDates) {
  const Date date = Date::FromYmd(2026, 2, 5);
  EXPECT_EQ(FormatDate(date, Locale::kEsCO), "5 de febrero de 2026");
  EXPECT_EQ(FormatDate(date, Locale::kEsES), "5 de febrero de 2026");
  EXPECT_EQ(FormatDate(date, Locale::kEnUS), "February 5, 2026");
  EXPECT_EQ(FormatDate(Date::FromYmd(2025, 12, 31), Locale::kEsMX), "31 de diciembre de 2025");
  EXPECT_EQ(FormatDate(Date::FromYmd(2024, 9, 1), Locale::kEsAR), "1 de septiembre de 2024");
  EXPECT_EQ(FormatDate(Date::FromYmd(2024, 1, 10), Locale::kEnUS), "January 10, 2024");
}

TEST(FormatDate, EveryMonth) {
  const char* es[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                      "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  const char* en[] = {"January", "February", "March",     "April",   "May",      "June",
                      "July",    "August",   "September", "October", "November", "December"};
  for (unsigned month = 1; month <= 12; ++month) {
    const Date date = Date::FromYmd(2026, month, 15);
    EXPECT_EQ(FormatDate(date, Locale::kEsPE), std::string("15 de ") + es[month - 1] + " de 2026");
    EXPECT_EQ(FormatDate(date, Locale::kEnUS), std::string(en[month - 1]) + " 15, 2026");
  }
}

TEST(FormatInteger, GroupsByLocale) {
  EXPECT_EQ(FormatInteger(1095, Locale::kEsCO), "1.095");
  EXPECT_EQ(FormatInteger(1095, Locale::kEsES), "1095");
  EXPECT_EQ(FormatInteger(12345, Locale::kEsES), "12.345");
  EXPECT_EQ(FormatInteger(1095, Locale::kEnUS), "1,095");
  EXPECT_EQ(FormatInteger(-5, Locale::kEnUS), "-5");
  EXPECT_EQ(FormatInteger(0, Locale::kEsCO), "0");
}

TEST(Locales, TagsRoundTrip) {
  for (Locale locale :
       {Locale::kEsCO, Locale::kEsMX, Locale::kEsCL, Locale::kEsPE, Locale::kEsES, Locale::kEsAR, Locale::kEnUS}) {
    EXPECT_EQ(ParseLocale(LocaleTag(locale)), locale) << LocaleTag(locale);
  }
  EXPECT_EQ(ParseLocale("es_CO"), Locale::kEsCO);
  EXPECT_EQ(ParseLocale("fr-FR"), std::nullopt);
  EXPECT_EQ(ParseLocale("es"), std::nullopt);
  EXPECT_EQ(LanguageOf(Locale::kEsAR), Language::kEs);
  EXPECT_EQ(LanguageOf(Locale::kEnUS), Language::kEn);
  EXPECT_EQ(LocalCurrency(Locale::kEsCL).code(), "CLP");
  EXPECT_EQ(ParseLanguage("en"), Language::kEn);
  EXPECT_EQ(ParseLanguage("pt"), std::nullopt);
  EXPECT_EQ(LanguageCode(Language::kEs), "es");
}

TEST(LocaleForCustomer, LanguageThenCountry) {
  EXPECT_EQ(LocaleForCustomer("en", "CO"), Locale::kEnUS);
  EXPECT_EQ(LocaleForCustomer("es", "MX"), Locale::kEsMX);
  EXPECT_EQ(LocaleForCustomer("es", "ES"), Locale::kEsES);
  EXPECT_EQ(LocaleForCustomer("es", "US"), Locale::kEsCO);  // no es-US locale: the default
  EXPECT_EQ(LocaleForCustomer("es", ""), Locale::kEsCO);
}

}  // namespace
}  // namespace cartera::templates
