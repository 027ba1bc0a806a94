// Money: an exact amount in the minor units of one ISO 4217 currency.
//
// Never a float. Arithmetic that would overflow int64 or mix currencies
// fails as a value instead of wrapping or silently converting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.h"
#include "core/error.h"

namespace cartera {

// How a decimal text is written: "1250000.50" or, with kComma, "1250000,50".
enum class DecimalSeparator { kPoint = 1, kComma = 2 };

class Money {
 public:
  Money(int64_t minor_units, Currency currency) : minor_(minor_units), currency_(currency) {}
  static Money Zero(Currency currency) { return Money(0, currency); }

  // Parses a plain decimal ("1250000", "-12.5", "0.125" for KWD). Rejects
  // thousands separators, exponents, spaces, more fractional digits than the
  // currency has (unless they are zeros: "18.150" is 18.15 EUR) and values
  // outside int64 minor units. The error message names the offending text.
  static Result<Money> Parse(std::string_view text, Currency currency,
                             DecimalSeparator separator = DecimalSeparator::kPoint);

  int64_t minor_units() const { return minor_; }
  Currency currency() const { return currency_; }
  bool is_zero() const { return minor_ == 0; }
  bool is_negative() const { return minor_ < 0; }

  Result<Money> Plus(const Money& other) const;
  Result<Money> Minus(const Money& other) const;
  Money Negated() const { return Money(-minor_, currency_); }

  // Splits into parts proportional to weights by the largest-remainder
  // method: the parts always add up to exactly this amount.
  // REQUIRES: weights non-empty, all >= 0, at least one > 0.
  std::vector<Money> SplitByWeights(const std::vector<int64_t>& weights) const;

  // "1250000.00" (exponent digits, '-' for negatives, no grouping): the
  // canonical text of JSON and CSV output.
  std::string ToDecimalString() const;

  friend bool operator==(const Money& a, const Money& b) {
    return a.minor_ == b.minor_ && a.currency_ == b.currency_;
  }

 private:
  int64_t minor_;
  Currency currency_;
};

// The largest amount one document (invoice, payment, credit note, credit
// limit, promise) may carry: 10^15 minor units, COP 10 trillion or USD 10
// trillion (a 3-decimal KWD: 1 trillion). int64 holds 9.2 * 10^18, so over
// 9,000 documents at this limit still sum without overflow, and a whole
// tenant's realistic ledger sums with room to spare. Sums are checked
// anyway (CheckedAdd), so a portfolio beyond that fails with a message
// instead of wrapping.
inline constexpr int64_t kDocumentAmountMinorMax = 1'000'000'000'000'000;

inline bool IsWithinDocumentAmountLimit(int64_t minor_units) {
  return minor_units <= kDocumentAmountMinorMax && minor_units >= -kDocumentAmountMinorMax;
}

// Checked int64 arithmetic for code that sums minor units of one currency.
Result<int64_t> CheckedAdd(int64_t a, int64_t b);

// Formats minor units with the currency's exponent, like ToDecimalString.
std::string FormatMinorUnits(int64_t minor_units, int exponent);
// The same text appended to `out`, without a string of its own.
void AppendMinorUnits(std::string& out, int64_t minor_units, int exponent);

}  // namespace cartera
