// Legal rate data by country and day: the rows the charges calculator
// (charges_quote.h) reads. Shipped rows come from rulebooks/rates/*.json
// (compiled into the binary, like the rulebooks); a tenant adds its own rows
// (collection/charge_rates.h) for months or half-years we do not ship, or for
// caps only the tenant knows (a US state's cap, Chile's maximum conventional
// interest). A tenant row wins over a shipped one for the days it covers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/rates.h"
#include "core/date.h"
#include "core/error.h"

namespace cartera::compliance {

// Persisted by name ("usury"): never rename.
enum class RateKind {
  kUsury = 1,            // CO: usury cap, effective annual (1.5 x IBC)
  kIbc = 2,              // CO: interés bancario corriente, consumo y ordinario, effective annual
  kEcbReference = 3,     // ES/EU: ECB main refinancing rate of the last operation before the half-year
  kMaxConventional = 4,  // CL: tasa máxima convencional (CMF), annual linear
  kUsStateCap = 5,       // US: the state's cap on contractual interest, annual simple
  kMaxRate = 6,          // PE (BCRP cap on the TEA), MX: a cap the tenant applies
};
std::string_view RateKindName(RateKind kind);
std::optional<RateKind> ParseRateKind(std::string_view text);
// "usury, ibc, ecb_reference, max_conventional, us_state_cap, max_rate".
std::string RateKindList();
// The one country a kind belongs to ("CO" for usury), or "" for kMaxRate (PE and MX).
std::string_view RateKindCountry(RateKind kind);
bool RateKindAppliesTo(RateKind kind, std::string_view country);

enum class RateOrigin { kShipped = 1, kTenant = 2 };
std::string_view RateOriginName(RateOrigin origin);  // "shipped" | "tenant"

struct RateRow {
  std::string country;  // ISO alpha-2, upper case
  RateKind kind = RateKind::kUsury;
  Date valid_from;
  Date valid_to;  // inclusive
  Rate rate;      // percent
  std::string source;
  RateOrigin origin = RateOrigin::kShipped;
  int64_t id = 0;  // tenant rows: the row's id; shipped rows: 0
  bool Covers(Date day) const { return valid_from <= day && day <= valid_to; }
};

// The rows of one rate file ("rulebooks/rates/CO.json" in messages). Errors
// name the file and the row: "rulebooks/rates/CO.json: rows[3].rate: ...".
Result<std::vector<RateRow>> ParseRateFile(std::string_view name, std::string_view text);

// Every shipped row, parsed on first use (thread-safe). An error means a
// shipped file is invalid (the tests parse them all).
Result<std::span<const RateRow>> ShippedRateRows();

// Shipped and tenant rows, looked up by country, kind and day.
class RateTable {
 public:
  RateTable() = default;
  // The shipped rows only. Aborts (printing why) if a shipped file is
  // invalid, as RulebookFor does: the tests keep them valid.
  static RateTable Shipped();

  void Add(RateRow row) { rows_.push_back(std::move(row)); }
  const std::vector<RateRow>& rows() const { return rows_; }

  // The row of `origin` in force on `day`: the one with the latest
  // valid_from, then the highest id. nullptr when there is none.
  const RateRow* Find(std::string_view country, RateKind kind, Date day, RateOrigin origin) const;
  // The tenant's row if it has one for the day, else the shipped one.
  const RateRow* Find(std::string_view country, RateKind kind, Date day) const;
  // Days in [from, to] on which some row of these kinds starts, or the day
  // after one ends: where the rate in force may change.
  std::vector<Date> ChangeDays(std::string_view country, std::span<const RateKind> kinds, Date from, Date to) const;

 private:
  std::vector<RateRow> rows_;
};

}  // namespace cartera::compliance
