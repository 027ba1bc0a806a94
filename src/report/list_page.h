// What the paged lists (report/customer_list.h, report/invoice_list.h) share:
// the tenant's today, the largest page, and keyset pagination in SQL.
//
// Keyset pagination: a list is ordered by its sort keys and then by a
// column unique in the tenant (customers: the external id; invoices: the
// internal id), so the order is total and stable. A page after
// `starting_after` (an external id) reads that record's keys and continues
// strictly after them; nothing is skipped or repeated while rows do not
// change, and a page costs the same wherever it is in the list (no OFFSET).
// Keys are never NULL (COALESCE), so the comparisons hold on SQLite and
// PostgreSQL alike.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/currency.h"
#include "core/date.h"
#include "core/language.h"
#include "core/money.h"
#include "store/database.h"

namespace cartera {

// The largest page the HTTP API hands out (`limit` is 1..kPageLimitMax
// there); the CLI may ask for every row.
inline constexpr int64_t kPageLimitMax = 100;

// Today in the tenant's time zone at `now` (UTC when the tenant is unknown):
// the default date lists count days past due on.
Result<Date> TenantToday(Database& database, int64_t tenant_id, Timestamp now);

// The value named `name` in a table of (name, value) pairs.
template <typename Value, size_t kCount>
std::optional<Value> FindByName(const std::array<std::pair<std::string_view, Value>, kCount>& names,
                                std::string_view name) {
  for (const auto& [text, value] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

// What both lists' queries must hold: kBadInput for a limit below 1 (absent:
// every row) or a minimum amount without the currency filter, or in another.
Status CheckListQuery(const std::optional<int64_t>& limit, const std::optional<Money>& min_amount,
                      const std::optional<Currency>& currency, Language language);

namespace list_sql {

using Value = std::variant<int64_t, std::string>;

// One ordering key: an SQL expression, its direction, and whether its
// values are read back as integers or as text.
struct Key {
  std::string expression;
  bool descending = false;
  bool integer = false;
};

// A WHERE clause and its '?' parameters, in the order they appear.
struct Conditions {
  std::string sql;  // " AND ..." each
  std::vector<Value> parameters;

  void Add(std::string condition) { sql += " AND " + std::move(condition); }
  void Add(std::string condition, Value value) {
    Add(std::move(condition));
    parameters.push_back(std::move(value));
  }
};

// "k1 DESC, k2, <tie_breaker>": the ORDER BY of `keys` then `tie_breaker`
// ascending. The tie breaker is unique within the tenant.
std::string OrderBy(const std::vector<Key>& keys, std::string_view tie_breaker);

// Rows strictly after the anchor in that order: (k1 > v1) OR (k1 = v1 AND
// k2 > v2) ... OR (k1 = v1 ... AND tie_breaker > anchor_tie), with < for
// descending keys. REQUIRES: anchor.size() == keys.size(); no key is NULL.
void AddAfter(Conditions& conditions, const std::vector<Key>& keys, const std::vector<Value>& anchor,
              std::string_view tie_breaker, const Value& anchor_tie);

// The filters both lists take, on customers `c` and invoices `i`: the
// engine's segment from the last run (customer_segments), else the one
// imported with the customer; the country; and on invoices the currency,
// the days past due on `as_of`, and the least open amount.
void AddCustomerFilters(Conditions& conditions, const std::optional<std::string>& segment,
                        const std::optional<std::string>& country);
void AddInvoiceFilters(Conditions& conditions, Date as_of, const std::optional<std::string>& currency,
                       const std::optional<int32_t>& min_days_past_due, const std::optional<int64_t>& min_open_minor);

// Binds `parameters` from index `first` on; returns the next free index.
int Bind(Statement& statement, const std::vector<Value>& parameters, int first = 1);

// The keys' values in the row's columns `first`, `first` + 1, ...
std::vector<Value> ReadKeys(const Statement& row, const std::vector<Key>& keys, int first);

}  // namespace list_sql
}  // namespace cartera
