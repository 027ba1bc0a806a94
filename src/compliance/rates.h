// Interest rates as exact decimals, and the rate rules of the rulebooks:
// Colombia's usury cap (1.5 x the bank current rate) and the conversion of an
// effective annual rate into a periodic one.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cartera::compliance {

// A non-negative rate in millionths of a percent (28.04% = 28'040'000), so
// rates parse, compare and round exactly, never through binary floats.
class Rate {
 public:
  static constexpr int kMaxDecimals = 6;  // of a percent

  Rate() = default;
  static Rate FromMicroPercent(int64_t micro_percent) { return Rate(micro_percent); }
  // "28.04" (percent; up to 6 decimals; no sign, exponent or spaces; below
  // 1'000'000%). The error quotes the text.
  static Result<Rate> ParsePercent(std::string_view text);

  int64_t micro_percent() const { return micro_percent_; }
  // Rounded half up to `decimals` decimals of a percent. REQUIRES: 0 <= decimals <= 6.
  Rate RoundedHalfUp(int decimals) const;
  // "28.04" with exactly `decimals` decimals, rounding half up. REQUIRES: 0 <= decimals <= 6.
  std::string ToPercentString(int decimals) const;

  friend auto operator<=>(const Rate&, const Rate&) = default;

 private:
  explicit Rate(int64_t micro_percent) : micro_percent_(micro_percent) {}
  int64_t micro_percent_ = 0;
};

struct UsuryCapRule;
struct RateConversionRule;

// Colombia: usury = multiplier (1.5) x the certified bank current rate (IBC),
// effective annual, rounded half up to the rule's decimals in exact integer
// arithmetic: IBC 18.69% -> 28.04%, IBC 17.31% -> 25.97% (25.965 in binary
// floating point is 25.96499..., which naive rounding takes to 25.96).
Rate UsuryRate(Rate bank_current_rate, const UsuryCapRule& rule);

// A fraction of a year: 1/12 for a month, 1/365 for a day on a 365-day basis.
struct YearFraction {
  int32_t numerator = 1;
  int32_t denominator = 12;
  static YearFraction Months(int32_t months) { return {months, 12}; }
  static YearFraction Days(int32_t days, int32_t day_basis) { return {days, day_basis}; }
  static YearFraction Days(int32_t days, const RateConversionRule& rule);
};

// The periodic rate equivalent to an effective annual one by compound
// equivalence, (1 + EA)^(numerator/denominator) - 1, rounded half up to
// `decimals` decimals of a percent. The power is computed in long double
// (log1p/expm1, about 18 significant digits) and rounded once; exact
// decimals are not possible for a fractional power, and results sit far from
// a rounding tie at the 4 to 6 decimals rates are quoted with.
// 28.04% EA -> monthly (1/12) 2.0811% at 4 decimals; daily (1/365) 0.067741%.
// REQUIRES: 0 < denominator, 0 <= numerator, 0 <= decimals <= 6.
Rate PeriodicRateFromEffectiveAnnual(Rate effective_annual, YearFraction fraction, int decimals);

}  // namespace cartera::compliance
