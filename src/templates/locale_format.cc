#include "templates/locale_format.h"

#include <fmt/core.h>

#include <array>
#include <string>

namespace cartera::templates {
namespace {

struct LocaleSpec {
  Locale locale;
  std::string_view tag;
  Language language;
  char group;               // thousands separator
  char decimal;             // decimal separator
  int minimum_grouping;     // CLDR minimumGroupingDigits: es 2, es-419 and en 1
  bool symbol_after;        // "1.250,00 €" rather than "$ 1.250,00"
  bool space;               // a space between symbol and number
  bool minus_after_symbol;  // es-CL "¤-#,##0.00"
  std::string_view local_currency;
  std::string_view local_symbol;
};

// CLDR 44 currency patterns and symbols (main/<locale>.xml, es_419 parent for
// es-MX). The space is U+00A0 in CLDR; see the header for why it is plain here.
constexpr std::array kLocales = std::to_array<LocaleSpec>({
    {Locale::kEsCO, "es-CO", Language::kEs, '.', ',', 1, false, true, false, "COP", "$"},
    {Locale::kEsMX, "es-MX", Language::kEs, ',', '.', 1, false, false, false, "MXN", "$"},
    {Locale::kEsCL, "es-CL", Language::kEs, '.', ',', 1, false, false, true, "CLP", "$"},
    {Locale::kEsPE, "es-PE", Language::kEs, ',', '.', 1, false, true, false, "PEN", "S/"},
    {Locale::kEsES, "es-ES", Language::kEs, '.', ',', 2, true, true, false, "EUR", "€"},
    {Locale::kEsAR, "es-AR", Language::kEs, '.', ',', 1, false, true, false, "ARS", "$"},
    {Locale::kEnUS, "en-US", Language::kEn, ',', '.', 1, false, false, false, "USD", "$"},
});

const LocaleSpec& SpecFor(Locale locale) {
  for (const auto& spec : kLocales) {
    if (spec.locale == locale) return spec;
  }
  return kLocales.back();  // unreachable: every enumerator has a row
}

constexpr std::array<std::string_view, 12> kMonthsEs = {"enero",      "febrero", "marzo",     "abril",
                                                        "mayo",       "junio",   "julio",     "agosto",
                                                        "septiembre", "octubre", "noviembre", "diciembre"};
constexpr std::array<std::string_view, 12> kMonthsEn = {"January",   "February", "March",    "April",
                                                        "May",       "June",     "July",     "August",
                                                        "September", "October",  "November", "December"};

uint64_t Magnitude(int64_t value) {
  // Unsigned negation so INT64_MIN works.
  return value < 0 ? ~static_cast<uint64_t>(value) + 1 : static_cast<uint64_t>(value);
}

// "1250000" -> "1.250.000". Groups of three from the right, only when the
// number has at least 3 + minimum_grouping digits.
std::string Group(uint64_t value, char separator, int minimum_grouping) {
  const std::string digits = std::to_string(value);
  if (digits.size() < static_cast<size_t>(3 + minimum_grouping)) return digits;
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(separator);
    out.push_back(digits[i]);
  }
  return out;
}

std::string SymbolFor(Currency currency, const LocaleSpec& spec) {
  const std::string_view code = currency.code();
  if (code == spec.local_currency) return std::string(spec.local_symbol);
  if (code == "EUR") return "€";
  if (code == "USD") return "US$";  // es-419 and es; en-US has USD local
  if (spec.language == Language::kEn && code == "GBP") return "£";
  return std::string(code);
}

bool EndsWithLetter(std::string_view text) {
  if (text.empty()) return false;
  const char last = text.back();
  return (last >= 'A' && last <= 'Z') || (last >= 'a' && last <= 'z');
}

}  // namespace

std::optional<Locale> ParseLocale(std::string_view tag) {
  for (const auto& spec : kLocales) {
    if (tag.size() != spec.tag.size()) continue;
    bool same = true;
    for (size_t i = 0; i < tag.size() && same; ++i) {
      same = tag[i] == spec.tag[i] || (i == 2 && tag[i] == '_');
    }
    if (same) return spec.locale;
  }
  return std::nullopt;
}

std::string_view LocaleTag(Locale locale) { return SpecFor(locale).tag; }

Language LanguageOf(Locale locale) { return SpecFor(locale).language; }

Locale LocaleForCustomer(std::string_view language, std::string_view country) {
  if (language == "en") return Locale::kEnUS;
  if (country.size() == 2) {
    const std::string tag = {'e', 's', '-', country[0], country[1]};
    if (auto locale = ParseLocale(tag)) return *locale;
  }
  return Locale::kEsCO;
}

Currency LocalCurrency(Locale locale) { return *Currency::FromCode(SpecFor(locale).local_currency); }

std::optional<Language> ParseLanguage(std::string_view code) {
  if (code == "es") return Language::kEs;
  if (code == "en") return Language::kEn;
  return std::nullopt;
}

std::string_view LanguageCode(Language language) { return language == Language::kEs ? "es" : "en"; }

std::string FormatMoney(int64_t minor_units, Currency currency, Locale locale) {
  const LocaleSpec& spec = SpecFor(locale);
  const uint64_t magnitude = Magnitude(minor_units);
  const uint64_t per_major = static_cast<uint64_t>(currency.minor_per_major());
  const uint64_t major = magnitude / per_major;
  const uint64_t minor = magnitude % per_major;

  std::string number = Group(major, spec.group, spec.minimum_grouping);
  const bool hide_minor = currency.code() == "COP" && minor == 0;
  if (currency.exponent() > 0 && !hide_minor) {
    number.push_back(spec.decimal);
    number += fmt::format("{:0{}}", minor, currency.exponent());
  }

  const std::string symbol = SymbolFor(currency, spec);
  const bool negative = minor_units < 0;
  if (spec.symbol_after) {
    return fmt::format("{}{} {}", negative ? "-" : "", number, symbol);
  }
  // ICU's currency spacing: a symbol that ends in a letter ("COP") is kept
  // apart from the digits even where the pattern has no space.
  const char* space = (spec.space || EndsWithLetter(symbol)) ? " " : "";
  if (negative && spec.minus_after_symbol) return fmt::format("{}{}-{}", symbol, space, number);
  return fmt::format("{}{}{}{}", negative ? "-" : "", symbol, space, number);
}

std::string FormatDate(Date date, Locale locale) {
  const auto month_index = static_cast<size_t>(date.month() - 1);
  if (LanguageOf(locale) == Language::kEs) {
    return fmt::format("{} de {} de {}", date.day(), kMonthsEs[month_index], date.year());
  }
  return fmt::format("{} {}, {}", kMonthsEn[month_index], date.day(), date.year());
}

std::string FormatInteger(int64_t value, Locale locale) {
  const LocaleSpec& spec = SpecFor(locale);
  std::string digits = Group(Magnitude(value), spec.group, spec.minimum_grouping);
  return value < 0 ? "-" + digits : digits;
}

}  // namespace cartera::templates
