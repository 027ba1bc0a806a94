// Each customer's settled invoices summed per currency (how many, for how
// much, how many settled late and by how many days): the payment behaviour
// the segments are computed from. Kept up to date by every rebalance, the
// only writer of invoice balances, so a collection run reads the open
// invoices and these rows instead of every invoice ever paid.
//
// "Late" depends on the segments' grace days; the tenant row records the
// grace the figures were summed with (tenants.history_grace_days, NULL when
// they were never built), and a different grace rebuilds them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.h"

namespace cartera {

inline constexpr int32_t kDefaultHistoryGraceDays = 5;  // SegmentThresholds' default

// SELECT customer_id, currency, invoices, amount_minor, late, days_late,
// summed from the invoices with `grace_days`, in customer order; one
// parameter: the tenant id. `customer_filter` is appended to the WHERE
// clause (e.g. " AND customer_id IN (...)"), or empty.
std::string PaymentHistoryFromInvoicesSql(Dialect dialect, int32_t grace_days, std::string_view customer_filter);

// The grace the stored figures were summed with; nullopt if never built.
Result<std::optional<int32_t>> StoredHistoryGraceDays(Database& database, int64_t tenant_id);

// Recomputes every figure of the tenant with `grace_days` and records it.
// REQUIRES: inside a transaction.
Status RebuildPaymentHistory(Database& database, int64_t tenant_id, int32_t grace_days);

// Recomputes the figures of the customers listed in `customers_table` (a
// table with a customer_id column) with the stored grace; builds them all
// (default grace) if they were never built. REQUIRES: inside a transaction.
Status RefreshPaymentHistory(Database& database, int64_t tenant_id, std::string_view customers_table);

}  // namespace cartera
