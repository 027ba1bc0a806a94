#include "compliance/rates.h"

#include <fmt/format.h>

#include <cassert>
#include <cmath>

#include "compliance/rulebook.h"

namespace cartera::compliance {
namespace {

__extension__ typedef __int128 Int128;

constexpr int64_t kMicroPerPercent = 1'000'000;
constexpr int64_t kMaxWholePercent = 1'000'000;  // rates beyond are typos, not rates

int64_t PowerOfTen(int exponent) {
  int64_t value = 1;
  for (int i = 0; i < exponent; ++i) value *= 10;
  return value;
}

// Rounds a non-negative value to a multiple of `unit`, half up.
Int128 RoundHalfUpTo(Int128 value, Int128 unit) { return (value + unit / 2) / unit * unit; }

}  // namespace

Result<Rate> Rate::ParsePercent(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Fail(Error::BadInput(fmt::format("'{}' is not a percentage ({})", text, why)));
  };
  if (text.empty()) return bad("empty");
  int64_t whole = 0;
  int64_t fraction = 0;
  int whole_digits = 0;
  int fraction_digits = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    whole = whole * 10 + (text[i] - '0');
    if (++whole_digits > 7) return bad("too large");
  }
  if (whole_digits == 0) return bad("expected digits like 28.04");
  if (i < text.size()) {
    if (text[i] != '.') return bad("expected digits like 28.04");
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++fraction_digits > kMaxDecimals) return bad("more than 6 decimals");
      fraction = fraction * 10 + (text[i] - '0');
    }
    if (fraction_digits == 0 || i != text.size()) return bad("expected digits like 28.04");
  }
  if (whole >= kMaxWholePercent) return bad("too large");
  return Rate(whole * kMicroPerPercent + fraction * PowerOfTen(kMaxDecimals - fraction_digits));
}

Rate Rate::RoundedHalfUp(int decimals) const {
  assert(decimals >= 0 && decimals <= kMaxDecimals);
  return Rate(static_cast<int64_t>(RoundHalfUpTo(micro_percent_, PowerOfTen(kMaxDecimals - decimals))));
}

std::string Rate::ToPercentString(int decimals) const {
  assert(decimals >= 0 && decimals <= kMaxDecimals);
  const int64_t rounded = RoundedHalfUp(decimals).micro_percent_;
  const int64_t whole = rounded / kMicroPerPercent;
  if (decimals == 0) return fmt::format("{}", whole);
  const int64_t fraction = rounded % kMicroPerPercent / PowerOfTen(kMaxDecimals - decimals);
  return fmt::format("{}.{:0{}}", whole, fraction, decimals);
}

Rate UsuryRate(Rate bank_current_rate, const UsuryCapRule& rule) {
  assert(rule.decimals >= 0 && rule.decimals <= Rate::kMaxDecimals);
  // micro-percent x millionths = 10^-12 percent: exact in 128 bits.
  const Int128 product = Int128(bank_current_rate.micro_percent()) * rule.multiplier_millionths;
  const Int128 unit = Int128(1'000'000) * PowerOfTen(Rate::kMaxDecimals - rule.decimals);
  return Rate::FromMicroPercent(static_cast<int64_t>(RoundHalfUpTo(product, unit) / 1'000'000));
}

YearFraction YearFraction::Days(int32_t days, const RateConversionRule& rule) { return {days, rule.day_basis}; }

Rate PeriodicRateFromEffectiveAnnual(Rate effective_annual, YearFraction fraction, int decimals) {
  assert(fraction.denominator > 0 && fraction.numerator >= 0);
  assert(decimals >= 0 && decimals <= Rate::kMaxDecimals);
  const long double annual = static_cast<long double>(effective_annual.micro_percent()) / 1e8L;
  const long double periodic = std::expm1(std::log1p(annual) * static_cast<long double>(fraction.numerator) /
                                          static_cast<long double>(fraction.denominator));
  // In units of the last kept decimal of a percent, then rounded once, half up.
  const long double scaled = periodic * 100.0L * static_cast<long double>(PowerOfTen(decimals));
  const auto units = static_cast<int64_t>(std::floor(scaled + 0.5L));
  return Rate::FromMicroPercent(units * PowerOfTen(Rate::kMaxDecimals - decimals));
}

}  // namespace cartera::compliance
