// The charges calculator: for an overdue amount, a jurisdiction and a
// period, the late interest, collection fees and fixed compensation the law
// allows, each number with its rate, cap and legal source. Pure: the rate
// data comes in (rate_table.h), nothing is read from a clock or a database.
//
// The period: interest accrues on the days after `from` up to and including
// `to` (from = the due date, or the last day already charged; to = the day
// the books are looked at), so a debt due on 31 January and quoted on
// 10 February accrues 10 days (1 to 10 February). Those days are split into
// sub-periods where the rate in force may change (a calendar month in
// Colombia and Chile, a half-year in Spain, and wherever a rate row starts or
// ends); each sub-period's interest is computed on the original amount (no
// interest on interest) and rounded half up to the currency's minor unit, and
// the quote's interest is the exact sum of those lines. Fees and
// compensation are lines rounded the same way. A later step posts these
// lines as ledger charges; a line's period says what it covers, so posting
// twice for the same days can be refused.
//
// Per country (docs/charges.md has the sources):
//  - CO: effective annual (EA) rates, compound: (1+EA)^(days/365) - 1 per
//    sub-period (the day basis is the rulebook's rate_conversion rule). No
//    agreed rate: 1.5 x IBC of the month (C.Co. art. 884). Cap: the usury rate
//    certified for the month (a `usury` row, or 1.5 x an `ibc` row).
//  - ES: simple interest, days/365, ECB reference rate of the half-year + 8
//    points unless a rate was agreed; EUR 40 per invoice (Ley 3/2004 art. 8).
//  - CL: gastos de cobranza after 20 days late: 9% of the overdue amount up
//    to 10 UF, 6% from 10 to 50 UF, 3% above 50 UF (Ley 19.496 art. 37).
//    Interest only when agreed: annual linear, days/360, capped by the
//    tenant's `max_conventional` row of the month (Ley 18.010 art. 6).
//  - PE: agreed TEA required, compound on a 360-day year; capped by a
//    `max_rate` row when the tenant has one.
//  - MX: 6% a year simple (days/365) if not agreed (C.Co. art. 362); capped
//    by a `max_rate` row when the tenant has one.
//  - US: agreed rate required, simple, days/365, capped by the tenant's
//    `us_state_cap` row (required).
// An agreed rate above a cap is cut to the cap, and the sub-period says so
// with the reason: charging above a cap is impossible.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/rate_table.h"
#include "compliance/rates.h"
#include "core/date.h"
#include "core/error.h"
#include "core/language.h"
#include "core/money.h"

namespace cartera::compliance {

// A zero for members filled in later (Money has no default).
inline Money PlaceholderMoney() { return Money::Zero(*Currency::FromCode("COP")); }

// CO, ES, CL, PE, MX, US.
std::span<const std::string_view> ChargesCountries();

struct ChargesQuoteRequest {
  std::string country;  // ISO alpha-2, upper case
  Money amount = PlaceholderMoney();
  Date from;  // interest accrues from the day after
  Date to;    // through this day
  std::optional<Rate> agreed_annual_rate;
  // Chile: the UF's value in CLP, in hundredths (39123.45 -> 3912345).
  std::optional<int64_t> uf_value_hundredths;
  int32_t invoices = 1;  // Spain: invoices the EUR 40 is owed for
};

// Longest period a quote covers, in days (a hundred years).
inline constexpr int32_t kChargesQuoteMaxDays = 36'525;
// Most invoices one quote's compensation counts.
inline constexpr int32_t kChargesQuoteMaxInvoices = 100'000;

struct ChargesPeriod {
  Date first_day;  // inclusive
  Date last_day;   // inclusive
  int32_t days = 0;
  std::optional<Rate> agreed_rate;
  std::optional<Rate> legal_rate;  // the law's rate when none is agreed (CO 1.5 x IBC, ES ECB + 8, MX 6)
  Rate annual_rate;                // the rate applied
  std::string rate_source;
  std::optional<Rate> cap;
  std::string cap_source;
  bool capped = false;     // the agreed rate was above the cap and was cut to it
  std::string cap_reason;  // why, in the request's language (empty unless capped)
  Rate period_rate;        // the rate for these days, 6 decimals of a percent (shown, not used for the amount)
  Money interest = PlaceholderMoney();
};

// A fee or compensation line: base x percent, or a fixed amount x count.
struct ChargesLine {
  std::string code;                 // "collection_cost_up_to_10_uf", "fixed_compensation", ...
  std::string description;          // in the request's language
  Money base = PlaceholderMoney();  // the amount the percent applies to (the per-invoice amount for a fixed one)
  std::optional<Rate> percent;
  int32_t count = 1;  // invoices, for a fixed amount
  Money amount = PlaceholderMoney();
  std::string source;
};

struct ChargesNote {
  std::string code;
  std::string text;  // in the request's language
};

struct ChargesQuote {
  ChargesQuoteRequest request;
  int32_t days = 0;
  std::string rate_basis;  // "effective_annual_compound_365", "simple_annual_365", ...
  std::vector<ChargesPeriod> periods;
  std::vector<ChargesLine> fees;          // collection costs (Chile)
  std::vector<ChargesLine> compensation;  // fixed compensation (Spain)
  Money interest = PlaceholderMoney();
  Money fees_total = PlaceholderMoney();
  Money compensation_total = PlaceholderMoney();
  Money total = PlaceholderMoney();
  std::vector<ChargesNote> notes;
};

// A refused quote: the error, and the request field it is about ("country",
// "currency", "amount", "from", "to", "annual_rate", "uf_value",
// "invoices"), or "" when it is about the rate data (a month without a
// certified rate: the message says how to add it).
struct ChargesQuoteFailure {
  Error error;
  std::string field;
};

std::expected<ChargesQuote, ChargesQuoteFailure> QuoteCharges(const ChargesQuoteRequest& request,
                                                              const RateTable& rates, Language language);

// The request from text, as the CLI options and the API query give it; each
// error names its field as above. `currency` empty means the country's
// (COP, EUR, CLP, PEN, MXN, USD).
struct ChargesQuoteText {
  std::string country, amount, currency, from, to, annual_rate, uf_value, invoices;
};
std::expected<ChargesQuoteRequest, ChargesQuoteFailure> ParseChargesQuoteRequest(const ChargesQuoteText& text,
                                                                                 Language language);

// "28.04", "12.5", "0.067741": a percent with at least 2 decimals and no
// trailing zeros beyond them.
std::string RatePercentText(Rate rate);

}  // namespace cartera::compliance
