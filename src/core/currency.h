// ISO 4217 currencies: the code and the number of minor-unit digits
// (the exponent) that every amount in that currency is stored with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cartera {

class Currency {
 public:
  // Returns the currency for an active ISO 4217 alphabetic code (upper case),
  // or nullopt for anything else ("usd", "XYZ", "").
  static std::optional<Currency> FromCode(std::string_view code);

  std::string_view code() const { return std::string_view(code_, 3); }
  // Digits after the decimal point: COP 2, CLP 0, JPY 0, KWD 3.
  int exponent() const { return exponent_; }
  // 10^exponent: how many minor units make one major unit.
  int64_t minor_per_major() const;

  friend bool operator==(const Currency& a, const Currency& b) {
    return std::string_view(a.code_, 3) == std::string_view(b.code_, 3);
  }

 private:
  Currency(std::string_view code, int exponent);
  char code_[3] = {};
  int exponent_ = 2;
};

}  // namespace cartera
