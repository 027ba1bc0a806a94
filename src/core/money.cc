#include "core/money.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <numeric>

#include <fmt/format.h>

namespace cartera {

// 128-bit intermediates keep amount x weight exact; GCC and Clang both have it.
__extension__ typedef __int128 Int128;

Result<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return Fail({ErrorCode::kOverflow, "amount out of range (sum exceeds 64-bit minor units)"});
  }
  return sum;
}

Result<Money> Money::Parse(std::string_view text, Currency currency, DecimalSeparator separator) {
  const char decimal_char = separator == DecimalSeparator::kComma ? ',' : '.';
  auto bad = [&](std::string_view why) {
    return Fail(Error::BadInput(fmt::format("'{}' is not an amount: {}", text, why)));
  };
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  if (rest.empty()) return bad("no digits");

  int64_t value = 0;
  int fraction_digits = -1;  // -1 until the decimal separator is seen
  bool any_digit = false;
  const int exponent = currency.exponent();
  for (char c : rest) {
    if (c == decimal_char) {
      if (fraction_digits >= 0) return bad("two decimal separators");
      fraction_digits = 0;
      continue;
    }
    if (c < '0' || c > '9') {
      if (c == ',' || c == '.') return bad(separator == DecimalSeparator::kPoint
                                               ? "use '.' for decimals and no thousands separators"
                                               : "use ',' for decimals and no thousands separators");
      return bad(fmt::format("unexpected character '{}'", c));
    }
    any_digit = true;
    if (fraction_digits >= 0) {
      ++fraction_digits;
      if (fraction_digits > exponent) {
        if (c != '0') return bad(fmt::format("{} allows {} decimal digits", currency.code(), exponent));
        continue;  // trailing zeros beyond the exponent carry no value
      }
    }
    if (__builtin_mul_overflow(value, int64_t{10}, &value) || __builtin_add_overflow(value, int64_t{c - '0'}, &value)) {
      return bad("too large");
    }
  }
  if (!any_digit) return bad("no digits");
  int scale_digits = exponent - std::max(fraction_digits, 0);
  if (fraction_digits > exponent) scale_digits = 0;
  for (int i = 0; i < scale_digits; ++i) {
    if (__builtin_mul_overflow(value, int64_t{10}, &value)) return bad("too large");
  }
  return Money(negative ? -value : value, currency);
}

Result<Money> Money::Plus(const Money& other) const {
  if (!(currency_ == other.currency_)) {
    return Fail({ErrorCode::kCurrencyMismatch,
                 fmt::format("cannot add {} to {}", other.currency_.code(), currency_.code())});
  }
  auto sum = CheckedAdd(minor_, other.minor_);
  if (!sum) return Fail(sum.error());
  return Money(*sum, currency_);
}

Result<Money> Money::Minus(const Money& other) const {
  if (other.minor_ != INT64_MIN) return Plus(other.Negated());
  // -INT64_MIN does not fit, but x - INT64_MIN = (x + INT64_MAX) + 1 does for x < 0.
  auto partial = Plus(Money(INT64_MAX, other.currency_));
  if (!partial) return partial;
  return partial->Plus(Money(1, currency_));
}

std::vector<Money> Money::SplitByWeights(const std::vector<int64_t>& weights) const {
  assert(!weights.empty());
  Int128 total_weight = 0;
  for (int64_t w : weights) {
    assert(w >= 0);
    total_weight += w;
  }
  assert(total_weight > 0);
  std::vector<Money> parts;
  std::vector<std::pair<Int128, size_t>> remainders;  // (remainder, index)
  Int128 assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    Int128 numerator = static_cast<Int128>(minor_) * weights[i];
    Int128 share = numerator / total_weight;  // truncates toward zero
    Int128 remainder = numerator % total_weight;
    parts.emplace_back(static_cast<int64_t>(share), currency_);
    remainders.emplace_back(remainder < 0 ? -remainder : remainder, i);
    assigned += share;
  }
  // Hand the leftover units, one each, to the largest remainders (ties: first).
  Int128 leftover = static_cast<Int128>(minor_) - assigned;
  const int64_t step = leftover < 0 ? -1 : 1;
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; leftover != 0; ++k, leftover -= step) {
    Money& part = parts[remainders[k % remainders.size()].second];
    part = Money(part.minor_units() + step, currency_);
  }
  return parts;
}

void AppendMinorUnits(std::string& out, int64_t minor_units, int exponent) {
  const bool negative = minor_units < 0;
  // Work in unsigned so INT64_MIN formats correctly.
  uint64_t magnitude = negative ? (~static_cast<uint64_t>(minor_units) + 1) : static_cast<uint64_t>(minor_units);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, magnitude).ptr;
  const size_t count = static_cast<size_t>(end - digits);
  const size_t scale = exponent > 0 ? static_cast<size_t>(exponent) : 0;
  if (negative) out += '-';
  if (count <= scale) {
    out += "0.";
    out.append(scale - count, '0');
    out.append(digits, count);
  } else {
    out.append(digits, count - scale);
    if (scale > 0) {
      out += '.';
      out.append(end - scale, scale);
    }
  }
}

std::string FormatMinorUnits(int64_t minor_units, int exponent) {
  std::string text;
  AppendMinorUnits(text, minor_units, exponent);
  return text;
}

std::string Money::ToDecimalString() const { return FormatMinorUnits(minor_, currency_.exponent()); }

}  // namespace cartera
