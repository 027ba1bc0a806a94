#include "compliance/charges_quote.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "compliance/rulebook.h"

namespace cartera::compliance {
namespace {

__extension__ typedef __int128 Int128;

constexpr int64_t kMicroPerPercent = 1'000'000;
constexpr std::array<std::string_view, 6> kCountries = {"CO", "ES", "CL", "PE", "MX", "US"};

// How a country turns an annual rate into the interest of some days.
enum class Basis { kCompound365, kCompound360, kSimple365, kSimple360 };

std::string_view BasisName(Basis basis) {
  switch (basis) {
    case Basis::kCompound365:
      return "effective_annual_compound_365";
    case Basis::kCompound360:
      return "effective_annual_compound_360";
    case Basis::kSimple365:
      return "simple_annual_365";
    case Basis::kSimple360:
      return "simple_annual_360";
  }
  return "";
}

int32_t DayBasis(Basis basis) { return basis == Basis::kCompound360 || basis == Basis::kSimple360 ? 360 : 365; }
bool Compound(Basis basis) { return basis == Basis::kCompound365 || basis == Basis::kCompound360; }

std::unexpected<ChargesQuoteFailure> Refuse(ErrorCode code, std::string field, std::string message) {
  return std::unexpected(ChargesQuoteFailure{Error{code, std::move(message)}, std::move(field)});
}
std::unexpected<ChargesQuoteFailure> BadField(std::string field, std::string message) {
  return Refuse(ErrorCode::kBadInput, std::move(field), std::move(message));
}

Int128 DivideHalfUp(Int128 numerator, Int128 denominator) { return (numerator + denominator / 2) / denominator; }

// amount x rate% x days / basis, rounded half up, exactly.
int64_t SimpleInterestMinor(int64_t amount_minor, Rate annual, int32_t days, int32_t day_basis) {
  const Int128 numerator = Int128(amount_minor) * annual.micro_percent() * days;
  const Int128 denominator = Int128(100) * kMicroPerPercent * day_basis;
  return static_cast<int64_t>(DivideHalfUp(numerator, denominator));
}

// amount x ((1 + EA)^(days/basis) - 1), in long double (as
// PeriodicRateFromEffectiveAnnual), rounded half up once.
std::optional<int64_t> CompoundInterestMinor(int64_t amount_minor, Rate annual, int32_t days, int32_t day_basis) {
  const long double ea = static_cast<long double>(annual.micro_percent()) / 1e8L;
  const long double factor =
      std::expm1(std::log1p(ea) * static_cast<long double>(days) / static_cast<long double>(day_basis));
  const long double value = std::floor(static_cast<long double>(amount_minor) * factor + 0.5L);
  if (!(value <= static_cast<long double>(kDocumentAmountMinorMax))) return std::nullopt;
  return static_cast<int64_t>(value);
}

// The rate of `days` as shown (6 decimals of a percent).
Rate PeriodRate(Rate annual, int32_t days, Basis basis) {
  if (Compound(basis)) return PeriodicRateFromEffectiveAnnual(annual, YearFraction::Days(days, DayBasis(basis)), 6);
  const Int128 micro = DivideHalfUp(Int128(annual.micro_percent()) * days, DayBasis(basis));
  return Rate::FromMicroPercent(static_cast<int64_t>(micro));
}

Rate AddPoints(Rate rate, int64_t points) {
  return Rate::FromMicroPercent(rate.micro_percent() + points * kMicroPerPercent);
}

std::string MonthText(Date day) { return fmt::format("{:04}-{:02}", day.year(), day.month()); }
std::string HalfText(Date day) { return fmt::format("{:04}-H{}", day.year(), day.month() <= 6 ? 1 : 2); }

Date FirstOfNextMonth(Date day) {
  return day.month() == 12 ? Date::FromYmd(day.year() + 1, 1, 1) : Date::FromYmd(day.year(), day.month() + 1, 1);
}
Date FirstOfNextHalf(Date day) {
  return day.month() <= 6 ? Date::FromYmd(day.year(), 7, 1) : Date::FromYmd(day.year() + 1, 1, 1);
}

std::string AddRateHint(std::string_view country, RateKind kind, Date first, Date last) {
  return fmt::format("cartera charges rate add --country {} --kind {} --from {} --to {} --rate R --source '...'",
                     country, RateKindName(kind), first.ToIso(), last.ToIso());
}

struct Piece {
  Date first;
  Date last;
};

// The accrual days (from, to] cut at calendar boundaries (`next` gives the
// start of the next calendar unit, or nothing) and at rate changes.
std::vector<Piece> Pieces(Date from, Date to, Date (*next)(Date), const std::vector<Date>& changes) {
  std::vector<Piece> pieces;
  Date day = from.PlusDays(1);
  while (day <= to) {
    Date end = to.PlusDays(1);  // exclusive
    if (next != nullptr) end = std::min(end, next(day));
    for (Date change : changes) {
      if (change > day) {
        end = std::min(end, change);
        break;
      }
    }
    pieces.push_back({day, end.PlusDays(-1)});
    day = end;
  }
  return pieces;
}

struct Context {
  const ChargesQuoteRequest& request;
  const RateTable& rates;
  Language language;
};

std::string CappedReason(const Context& context, Rate agreed, Rate cap, std::string_view cap_name_es,
                         std::string_view cap_name_en, std::string_view cap_source) {
  return TrFormat(context.language, "la tasa pactada {}% supera {} ({}%, {}): se aplica {}%",
                  "the agreed rate {}% is above {} ({}%, {}): {}% is applied", RatePercentText(agreed),
                  Tr(context.language, cap_name_es, cap_name_en), RatePercentText(cap), cap_source,
                  RatePercentText(cap));
}

// Colombia: the usury cap and the legal rate (1.5 x IBC) of a piece.
struct ColombiaRates {
  Rate usury;
  std::string usury_source;
  Rate legal;
  std::string legal_source;
};

std::expected<ColombiaRates, ChargesQuoteFailure> ColombiaRatesFor(const Context& context, Date day) {
  const Rulebook& rulebook = RulebookFor("CO", DebtorKind::kBusiness);
  if (!rulebook.usury_cap) return Refuse(ErrorCode::kInternal, "", "the CO rulebook has no usury_cap rule");
  // A tenant's rows for the month replace the shipped ones as a pair.
  RateOrigin origin = RateOrigin::kTenant;
  const RateRow* usury = context.rates.Find("CO", RateKind::kUsury, day, origin);
  const RateRow* ibc = context.rates.Find("CO", RateKind::kIbc, day, origin);
  if (usury == nullptr && ibc == nullptr) {
    origin = RateOrigin::kShipped;
    usury = context.rates.Find("CO", RateKind::kUsury, day, origin);
    ibc = context.rates.Find("CO", RateKind::kIbc, day, origin);
  }
  if (usury == nullptr && ibc == nullptr) {
    const Date first = Date::FromYmd(day.year(), day.month(), 1);
    return Refuse(ErrorCode::kBadInput, "",
                  TrFormat(context.language, "no hay tasa de usura certificada para {}: agréguela con `{}`",
                           "no certified usury rate for {}: add it with `{}`", MonthText(day),
                           AddRateHint("CO", RateKind::kUsury, first, FirstOfNextMonth(day).PlusDays(-1))));
  }
  ColombiaRates rates;
  const std::string multiplier = RatePercentText(Rate::FromMicroPercent(rulebook.usury_cap->multiplier_millionths));
  if (ibc != nullptr) {
    rates.legal = UsuryRate(ibc->rate, *rulebook.usury_cap);
    rates.legal_source = fmt::format("{} × IBC {}% — {}; {}", multiplier, RatePercentText(ibc->rate), ibc->source,
                                     rulebook.usury_cap->source);
  }
  if (usury != nullptr) {
    rates.usury = usury->rate;
    rates.usury_source = usury->source;
  } else {
    rates.usury = rates.legal;
    rates.usury_source = rates.legal_source;
  }
  if (ibc == nullptr) {
    // 1.5 x IBC is the usury rate itself.
    rates.legal = rates.usury;
    rates.legal_source = fmt::format("{} × IBC = {}", multiplier, rates.usury_source);
  }
  return rates;
}

// One interest line: the rate in force (agreed or legal), cut to the cap.
struct PieceRates {
  std::optional<Rate> legal;
  std::string legal_source;
  std::optional<Rate> cap;
  std::string cap_source;
  std::string cap_name_es, cap_name_en;
};

std::expected<ChargesPeriod, ChargesQuoteFailure> InterestLine(const Context& context, Piece piece, Basis basis,
                                                               const PieceRates& rates) {
  const ChargesQuoteRequest& request = context.request;
  ChargesPeriod period;
  period.first_day = piece.first;
  period.last_day = piece.last;
  period.days = DaysBetween(piece.first, piece.last) + 1;
  period.agreed_rate = request.agreed_annual_rate;
  period.legal_rate = rates.legal;
  period.cap = rates.cap;
  period.cap_source = rates.cap_source;
  if (request.agreed_annual_rate) {
    period.annual_rate = *request.agreed_annual_rate;
    period.rate_source =
        std::string(Tr(context.language, "tasa pactada en el contrato", "rate agreed in the contract"));
  } else if (rates.legal) {
    period.annual_rate = *rates.legal;
    period.rate_source = rates.legal_source;
  } else {
    return BadField("annual_rate", TrFormat(context.language, "{}: indique la tasa pactada", "{}: give the agreed rate",
                                            request.country));
  }
  if (rates.cap && period.annual_rate > *rates.cap) {
    period.capped = true;
    period.cap_reason =
        CappedReason(context, period.annual_rate, *rates.cap, rates.cap_name_es, rates.cap_name_en, rates.cap_source);
    period.annual_rate = *rates.cap;
  }
  period.period_rate = PeriodRate(period.annual_rate, period.days, basis);
  const int64_t amount = request.amount.minor_units();
  std::optional<int64_t> interest;
  if (Compound(basis)) {
    interest = CompoundInterestMinor(amount, period.annual_rate, period.days, DayBasis(basis));
  } else {
    interest = SimpleInterestMinor(amount, period.annual_rate, period.days, DayBasis(basis));
  }
  if (!interest || *interest > kDocumentAmountMinorMax) {
    return Refuse(ErrorCode::kOverflow, "amount",
                  std::string(Tr(context.language, "el interés no cabe en un documento",
                                 "the interest does not fit in a document")));
  }
  period.interest = Money(*interest, request.amount.currency());
  return period;
}

Status SumInto(Money& total, const Money& add) {
  auto sum = total.Plus(add);
  if (!sum) return Fail(sum.error());
  total = *sum;
  return {};
}

// Chile's gastos de cobranza: progressive bands on the overdue amount.
std::expected<std::vector<ChargesLine>, ChargesQuoteFailure> ChileCollectionCosts(const Context& context) {
  const ChargesQuoteRequest& request = context.request;
  if (!request.uf_value_hundredths) {
    return BadField("uf_value", std::string(Tr(context.language,
                                               "Chile: indique el valor de la UF del día en pesos (p. ej. 39123.45)",
                                               "Chile: give the day's UF value in pesos (e.g. 39123.45)")));
  }
  const Currency currency = request.amount.currency();
  // 10 and 50 UF in whole minor units (pesos), rounded half up.
  const Int128 per_major = currency.minor_per_major();
  const int64_t ten_uf = static_cast<int64_t>(DivideHalfUp(Int128(*request.uf_value_hundredths) * 10 * per_major, 100));
  const int64_t fifty_uf =
      static_cast<int64_t>(DivideHalfUp(Int128(*request.uf_value_hundredths) * 50 * per_major, 100));
  const int64_t amount = request.amount.minor_units();
  struct Band {
    std::string_view code;
    std::string_view es, en;
    int64_t low, high;  // minor units, high < 0: none
    int64_t percent;
  };
  const Band bands[] = {
      {"collection_cost_up_to_10_uf", "hasta 10 UF", "up to 10 UF", 0, ten_uf, 9},
      {"collection_cost_10_to_50_uf", "de 10 a 50 UF", "from 10 to 50 UF", ten_uf, fifty_uf, 6},
      {"collection_cost_above_50_uf", "sobre 50 UF", "above 50 UF", fifty_uf, -1, 3},
  };
  std::vector<ChargesLine> lines;
  for (const Band& band : bands) {
    const int64_t top = band.high < 0 ? amount : std::min(amount, band.high);
    const int64_t base = top - band.low;
    if (base <= 0) continue;
    ChargesLine line;
    line.code = std::string(band.code);
    line.description = TrFormat(context.language, "gastos de cobranza, {} de la deuda: {}%",
                                "collection costs, the part of the debt {}: {}%",
                                Tr(context.language, band.es, band.en), band.percent);
    line.base = Money(base, currency);
    line.percent = Rate::FromMicroPercent(band.percent * kMicroPerPercent);
    line.amount = Money(static_cast<int64_t>(DivideHalfUp(Int128(base) * band.percent, 100)), currency);
    line.source = "Ley 19.496 art. 37 (modificada por la Ley 21.320 de 2021): gastos de cobranza extrajudicial";
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::span<const std::string_view> ChargesCountries() { return kCountries; }

std::string RatePercentText(Rate rate) {
  std::string text = rate.ToPercentString(Rate::kMaxDecimals);
  while (text.size() > 1 && text.back() == '0' && text.size() - text.find('.') > 3) text.pop_back();
  return text;
}

std::expected<ChargesQuote, ChargesQuoteFailure> QuoteCharges(const ChargesQuoteRequest& request,
                                                              const RateTable& rates, Language language) {
  const Context context{request, rates, language};
  const std::string& country = request.country;
  if (std::find(kCountries.begin(), kCountries.end(), country) == kCountries.end()) {
    return BadField("country",
                    TrFormat(language, "no hay reglas de cargos para '{}' (disponibles: CO, ES, CL, PE, MX, US)",
                             "no charges rules for '{}' (supported: CO, ES, CL, PE, MX, US)", country));
  }
  if (request.amount.minor_units() <= 0 || request.amount.minor_units() > kDocumentAmountMinorMax) {
    return BadField("amount",
                    std::string(Tr(language, "el monto vencido debe ser mayor que cero y caber en un documento",
                                   "the overdue amount must be above zero and fit in a document")));
  }
  if (request.to < request.from) {
    return BadField("to", TrFormat(language, "{} es anterior a la fecha inicial {}", "{} is before the start date {}",
                                   request.to.ToIso(), request.from.ToIso()));
  }
  const int32_t days = DaysBetween(request.from, request.to);
  if (days > kChargesQuoteMaxDays) {
    return BadField("to", TrFormat(language, "el periodo admite como mucho {} días (tiene {})",
                                   "the period takes at most {} days (this one has {})", kChargesQuoteMaxDays, days));
  }
  if (request.invoices < 1 || request.invoices > kChargesQuoteMaxInvoices) {
    return BadField("invoices", TrFormat(language, "el número de facturas debe estar entre 1 y {}",
                                         "the number of invoices must be between 1 and {}", kChargesQuoteMaxInvoices));
  }
  const Currency currency = request.amount.currency();
  ChargesQuote quote;
  quote.request = request;
  quote.days = days;
  quote.interest = Money::Zero(currency);
  quote.fees_total = Money::Zero(currency);
  quote.compensation_total = Money::Zero(currency);
  quote.total = Money::Zero(currency);

  auto add_note = [&](std::string code, std::string_view es, std::string_view en) {
    quote.notes.push_back({std::move(code), std::string(Tr(language, es, en))});
  };

  if (country == "CO") {
    const Rulebook& rulebook = RulebookFor("CO", DebtorKind::kBusiness);
    const int32_t basis_days = rulebook.rate_conversion ? rulebook.rate_conversion->day_basis : 365;
    const Basis basis = basis_days == 360 ? Basis::kCompound360 : Basis::kCompound365;
    quote.rate_basis = BasisName(basis);
    constexpr RateKind kKinds[] = {RateKind::kUsury, RateKind::kIbc};
    for (Piece piece :
         Pieces(request.from, request.to, FirstOfNextMonth, rates.ChangeDays("CO", kKinds, request.from, request.to))) {
      auto colombia = ColombiaRatesFor(context, piece.first);
      if (!colombia) return std::unexpected(colombia.error());
      PieceRates piece_rates{colombia->legal,
                             colombia->legal_source,
                             colombia->usury,
                             colombia->usury_source,
                             "la tasa de usura certificada para " + MonthText(piece.first),
                             "the usury rate certified for " + MonthText(piece.first)};
      auto line = InterestLine(context, piece, basis, piece_rates);
      if (!line) return std::unexpected(line.error());
      quote.periods.push_back(std::move(*line));
    }
    add_note("co_usury_forfeits_interest",
             "cobrar por encima de la usura hace perder todos los intereses (Código de Comercio art. 884): el cálculo "
             "nunca la supera",
             "charging above the usury rate forfeits all interest (Código de Comercio art. 884): the quote never "
             "exceeds it");
  } else if (country == "ES") {
    if (currency.code() != "EUR") {
      return BadField("currency", std::string(Tr(language, "España: la compensación de 40 EUR se cobra en EUR",
                                                 "Spain: the EUR 40 compensation is charged in EUR")));
    }
    const Basis basis = Basis::kSimple365;
    quote.rate_basis = BasisName(basis);
    constexpr RateKind kKinds[] = {RateKind::kEcbReference};
    for (Piece piece :
         Pieces(request.from, request.to, FirstOfNextHalf, rates.ChangeDays("ES", kKinds, request.from, request.to))) {
      const RateRow* ecb = rates.Find("ES", RateKind::kEcbReference, piece.first);
      PieceRates piece_rates;
      if (ecb != nullptr) {
        piece_rates.legal = AddPoints(ecb->rate, 8);
        piece_rates.legal_source =
            fmt::format("BCE {}% + 8 puntos (Ley 3/2004 art. 7; Directiva 2011/7/UE art. 2.6) — {}",
                        RatePercentText(ecb->rate), ecb->source);
      } else if (!request.agreed_annual_rate) {
        const Date first = piece.first.month() <= 6 ? Date::FromYmd(piece.first.year(), 1, 1)
                                                    : Date::FromYmd(piece.first.year(), 7, 1);
        return Refuse(ErrorCode::kBadInput, "",
                      TrFormat(language, "no hay tipo de referencia del BCE para {}: agréguelo con `{}`",
                               "no ECB reference rate for {}: add it with `{}`", HalfText(piece.first),
                               AddRateHint("ES", RateKind::kEcbReference, first, FirstOfNextHalf(first).PlusDays(-1))));
      }
      auto line = InterestLine(context, piece, basis, piece_rates);
      if (!line) return std::unexpected(line.error());
      quote.periods.push_back(std::move(*line));
    }
    if (days > 0) {
      const Money per_invoice(40 * currency.minor_per_major(), currency);
      ChargesLine line;
      line.code = "fixed_compensation";
      line.description = TrFormat(language, "compensación fija por costes de cobro: 40 EUR × {} factura(s)",
                                  "fixed compensation for recovery costs: EUR 40 × {} invoice(s)", request.invoices);
      line.base = per_invoice;
      line.count = request.invoices;
      line.amount = Money(per_invoice.minor_units() * request.invoices, currency);
      line.source = "Ley 3/2004 art. 8.1; Directiva 2011/7/UE art. 6.1";
      quote.compensation.push_back(std::move(line));
    }
  } else if (country == "CL") {
    const Basis basis = Basis::kSimple360;
    quote.rate_basis = BasisName(basis);
    if (request.agreed_annual_rate) {
      constexpr RateKind kKinds[] = {RateKind::kMaxConventional};
      for (Piece piece : Pieces(request.from, request.to, FirstOfNextMonth,
                                rates.ChangeDays("CL", kKinds, request.from, request.to))) {
        const RateRow* max = rates.Find("CL", RateKind::kMaxConventional, piece.first);
        if (max == nullptr) {
          const Date first = Date::FromYmd(piece.first.year(), piece.first.month(), 1);
          return Refuse(
              ErrorCode::kBadInput, "",
              TrFormat(language, "no hay tasa máxima convencional para {}: agréguela con `{}`",
                       "no maximum conventional rate for {}: add it with `{}`", MonthText(piece.first),
                       AddRateHint("CL", RateKind::kMaxConventional, first, FirstOfNextMonth(first).PlusDays(-1))));
        }
        PieceRates piece_rates;
        piece_rates.cap = max->rate;
        piece_rates.cap_source = max->source + " (Ley 18.010 art. 6)";
        piece_rates.cap_name_es = "la tasa máxima convencional de " + MonthText(piece.first);
        piece_rates.cap_name_en = "the maximum conventional rate of " + MonthText(piece.first);
        auto line = InterestLine(context, piece, basis, piece_rates);
        if (!line) return std::unexpected(line.error());
        quote.periods.push_back(std::move(*line));
      }
    } else {
      add_note("cl_interest_needs_agreed_rate",
               "sin tasa pactada no se calcula interés (Chile): indique --annual-rate para calcularlo",
               "without an agreed rate no interest is computed (Chile): give the annual rate to compute it");
    }
    if (days > 20) {
      if (currency.code() != "CLP") {
        return BadField("currency", std::string(Tr(language, "Chile: los gastos de cobranza se calculan en CLP",
                                                   "Chile: collection costs are computed in CLP")));
      }
      auto lines = ChileCollectionCosts(context);
      if (!lines) return std::unexpected(lines.error());
      quote.fees = std::move(*lines);
    } else {
      add_note("cl_collection_costs_after_20_days",
               "gastos de cobranza solo después de 20 días de atraso (Ley 19.496 art. 37)",
               "collection costs only after 20 days late (Ley 19.496 art. 37)");
    }
  } else {
    // PE, MX, US: one rate for the whole period unless a cap row changes.
    const bool peru = country == "PE";
    const bool mexico = country == "MX";
    const Basis basis = peru ? Basis::kCompound360 : Basis::kSimple365;
    quote.rate_basis = BasisName(basis);
    const RateKind cap_kind = country == "US" ? RateKind::kUsStateCap : RateKind::kMaxRate;
    if (!request.agreed_annual_rate && !mexico) {
      return BadField("annual_rate", TrFormat(language, "{}: indique la tasa anual pactada ({})",
                                              "{}: give the agreed annual rate ({})", country,
                                              peru ? "TEA" : Tr(language, "la del contrato", "the contract's")));
    }
    const RateKind kinds[] = {cap_kind};
    for (Piece piece :
         Pieces(request.from, request.to, nullptr, rates.ChangeDays(country, kinds, request.from, request.to))) {
      const RateRow* cap = rates.Find(country, cap_kind, piece.first);
      PieceRates piece_rates;
      if (mexico) {
        piece_rates.legal = Rate::FromMicroPercent(6 * kMicroPerPercent);
        piece_rates.legal_source = "Código de Comercio art. 362: 6% anual si no se pactó";
      }
      if (cap != nullptr) {
        piece_rates.cap = cap->rate;
        piece_rates.cap_source = cap->source;
        piece_rates.cap_name_es = country == "US" ? "el tope del estado" : "la tasa máxima";
        piece_rates.cap_name_en = country == "US" ? "the state's cap" : "the maximum rate";
      } else if (country == "US") {
        return Refuse(ErrorCode::kBadInput, "",
                      TrFormat(language, "no hay tope estatal para US el {}: agréguelo con `{}`",
                               "no state cap for US on {}: add it with `{}`", piece.first.ToIso(),
                               AddRateHint("US", RateKind::kUsStateCap, piece.first, piece.last)));
      }
      auto line = InterestLine(context, piece, basis, piece_rates);
      if (!line) return std::unexpected(line.error());
      quote.periods.push_back(std::move(*line));
    }
    if (peru) {
      add_note("pe_tea_360", "la TEA se expresa sobre un año de 360 días (Ley 29571 art. 94)",
               "the TEA is stated on a 360-day year (Ley 29571 art. 94)");
    }
  }

  for (const ChargesPeriod& period : quote.periods) {
    if (auto ok = SumInto(quote.interest, period.interest); !ok)
      return Refuse(ok.error().code, "amount", ok.error().message);
  }
  for (const ChargesLine& line : quote.fees) {
    if (auto ok = SumInto(quote.fees_total, line.amount); !ok)
      return Refuse(ok.error().code, "amount", ok.error().message);
  }
  for (const ChargesLine& line : quote.compensation) {
    if (auto ok = SumInto(quote.compensation_total, line.amount); !ok) {
      return Refuse(ok.error().code, "invoices", ok.error().message);
    }
  }
  for (const Money& part : {quote.interest, quote.fees_total, quote.compensation_total}) {
    if (auto ok = SumInto(quote.total, part); !ok) return Refuse(ok.error().code, "amount", ok.error().message);
  }
  return quote;
}

std::expected<ChargesQuoteRequest, ChargesQuoteFailure> ParseChargesQuoteRequest(const ChargesQuoteText& text,
                                                                                 Language language) {
  ChargesQuoteRequest request;
  if (text.country.empty()) {
    return BadField("country", std::string(Tr(language, "indique el país (CO, ES, CL, PE, MX o US)",
                                              "give the country (CO, ES, CL, PE, MX or US)")));
  }
  request.country = text.country;
  for (char& c : request.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (std::find(kCountries.begin(), kCountries.end(), request.country) == kCountries.end()) {
    return BadField("country",
                    TrFormat(language, "no hay reglas de cargos para '{}' (disponibles: CO, ES, CL, PE, MX, US)",
                             "no charges rules for '{}' (supported: CO, ES, CL, PE, MX, US)", text.country));
  }
  std::string code = text.currency;
  if (code.empty()) {
    constexpr std::pair<std::string_view, std::string_view> kDefaults[] = {{"CO", "COP"}, {"ES", "EUR"}, {"CL", "CLP"},
                                                                           {"PE", "PEN"}, {"MX", "MXN"}, {"US", "USD"}};
    for (auto [country, currency] : kDefaults) {
      if (country == request.country) code = std::string(currency);
    }
  }
  auto currency = Currency::FromCode(code);
  if (!currency) {
    return BadField("currency", TrFormat(language, "'{}' no es un código de moneda ISO 4217 (p. ej. COP)",
                                         "'{}' is not an ISO 4217 currency code (e.g. COP)", code));
  }
  if (text.amount.empty()) {
    return BadField("amount", std::string(Tr(language, "indique el monto vencido", "give the overdue amount")));
  }
  auto amount = Money::Parse(text.amount, *currency);
  if (!amount) {
    return BadField("amount", TrFormat(language,
                                       "'{}' no es un monto en {}: use '.' para los decimales y ningún separador de "
                                       "miles (1000000.50)",
                                       "'{}' is not an amount in {}: use '.' for decimals and no thousands separators "
                                       "(1000000.50)",
                                       text.amount, code));
  }
  request.amount = *amount;
  for (auto [field, value, target] :
       {std::tuple{"from", &text.from, &request.from}, std::tuple{"to", &text.to, &request.to}}) {
    if (value->empty()) {
      return BadField(
          field, TrFormat(language, "indique la fecha '{}' (AAAA-MM-DD)", "give the '{}' date (YYYY-MM-DD)", field));
    }
    auto date = Date::ParseIso(*value);
    if (!date) {
      return BadField(field, TrFormat(language, "'{}' no es una fecha AAAA-MM-DD que exista",
                                      "'{}' is not an existing date YYYY-MM-DD", *value));
    }
    *target = *date;
  }
  if (!text.annual_rate.empty()) {
    auto rate = Rate::ParsePercent(text.annual_rate);
    if (!rate) {
      return BadField("annual_rate",
                      TrFormat(language, "'{}' no es un porcentaje anual como 28.04 (hasta 6 decimales)",
                               "'{}' is not an annual percentage like 28.04 (up to 6 decimals)", text.annual_rate));
    }
    request.agreed_annual_rate = *rate;
  }
  if (!text.uf_value.empty()) {
    // A UF value as a percent-like decimal: reuse the exact parser, then keep 2 decimals.
    auto value = Rate::ParsePercent(text.uf_value);
    const int64_t micro = value ? value->micro_percent() : 0;
    if (!value || micro <= 0 || micro % 10'000 != 0) {
      return BadField("uf_value",
                      TrFormat(language, "'{}' no es un valor de UF en pesos con hasta 2 decimales (p. ej. 39123.45)",
                               "'{}' is not a UF value in pesos with up to 2 decimals (e.g. 39123.45)", text.uf_value));
    }
    request.uf_value_hundredths = micro / 10'000;
  }
  if (!text.invoices.empty()) {
    int64_t invoices = 0;
    bool digits = text.invoices.size() <= 7;
    for (char c : text.invoices) {
      if (c < '0' || c > '9') digits = false;
    }
    if (digits) invoices = std::stoll(text.invoices);
    if (!digits || invoices < 1 || invoices > kChargesQuoteMaxInvoices) {
      return BadField("invoices",
                      TrFormat(language, "el número de facturas debe estar entre 1 y {}",
                               "the number of invoices must be between 1 and {}", kChargesQuoteMaxInvoices));
    }
    request.invoices = static_cast<int32_t>(invoices);
  }
  return request;
}

}  // namespace cartera::compliance
