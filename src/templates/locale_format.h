// Money, dates and counts written the way people in one locale read them, for
// collection messages. Amounts come in minor units and never pass through a
// float.
//
//   FormatMoney(125000000, COP, kEsCO)  "$ 1.250.000"
//   FormatMoney(125000000, USD, kEnUS)  "$1,250,000.00"
//   FormatMoney(125000000, EUR, kEsES)  "1.250.000,00 €"
//   FormatDate(2026-02-05, kEsCO)       "5 de febrero de 2026"
//   FormatDate(2026-02-05, kEnUS)       "February 5, 2026"
//
// Separators, symbol position and spacing follow CLDR's currency pattern for
// each locale (es-CO/es-AR/es-PE "¤ #,##0.00", es-MX/es-CL/en-US "¤#,##0.00",
// es-ES "#,##0.00 ¤" with minimumGroupingDigits 2, so 1250 € is "1250,00 €").
// Departures from CLDR, on purpose:
//   - A plain space, not CLDR's no-break space (U+00A0), separates symbol and
//     number: SMS is sent in GSM-7, which has no U+00A0, and the issue's
//     example "$ 1.250.000" uses a plain space.
//   - COP shows no minor digits when they are zero ("$ 1.250.000"), as the
//     issue asks and as Colombian invoices and CLDR's cash digits for COP (0)
//     do. Non-zero centavos are shown ("$ 1.250.000,50"): a collection message
//     never rounds an amount owed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/currency.h"
#include "core/date.h"

namespace cartera::templates {

enum class Language { kEs, kEn };

enum class Locale { kEsCO, kEsMX, kEsCL, kEsPE, kEsES, kEsAR, kEnUS };

// "es-CO", "en-US", ... (BCP 47, case as written here; "es_CO" is also accepted).
std::optional<Locale> ParseLocale(std::string_view tag);
std::string_view LocaleTag(Locale locale);
Language LanguageOf(Locale locale);
// The currency a locale's debtors are usually invoiced in (es-CO: COP).
Currency LocalCurrency(Locale locale);

// A debtor's locale from its language and country: "en" is en-US; "es" is
// es-<country> where Cartera knows that locale, else es-CO.
Locale LocaleForCustomer(std::string_view language, std::string_view country);

// "es", "en".
std::optional<Language> ParseLanguage(std::string_view code);
std::string_view LanguageCode(Language language);

// The amount with the locale's symbol, separators and pattern. The locale's
// own currency uses its local symbol ("$", "S/", "€"); USD elsewhere is
// "US$", EUR is "€" everywhere, and any other currency shows its ISO code
// ("COP 1,250,000" in en-US). Minor digits follow the currency's exponent
// (CLP and JPY have none), except the COP rule above.
std::string FormatMoney(int64_t minor_units, Currency currency, Locale locale);

// The long date: "5 de febrero de 2026" in every es locale, "February 5, 2026" in en-US.
std::string FormatDate(Date date, Locale locale);

// An integer with the locale's grouping: "1.095" (es-CO), "1095" (es-ES), "1,095" (en-US).
std::string FormatInteger(int64_t value, Locale locale);

}  // namespace cartera::templates
