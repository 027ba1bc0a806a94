#include "store/payment_history.h"

#include <fmt/format.h>

#include "store/sql_dialect.h"

namespace cartera {

std::string PaymentHistoryFromInvoicesSql(Dialect dialect, int32_t grace_days, std::string_view customer_filter) {
  const std::string days_late = SqlDaysBetween(dialect, "due_date", "last_allocation_date");
  // A settled invoice without an allocation date (an invoice of zero) says
  // nothing about how its customer pays.
  return fmt::format(
      "SELECT customer_id, currency, COUNT(*), SUM(amount_minor), SUM(CASE WHEN {0} > {1} THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN {0} > {1} THEN {0} ELSE 0 END) FROM invoices WHERE tenant_id = ? AND open_minor = 0 AND "
      "last_allocation_date IS NOT NULL{2} GROUP BY customer_id, currency ORDER BY customer_id, currency",
      days_late, grace_days, customer_filter);
}

Result<std::optional<int32_t>> StoredHistoryGraceDays(Database& database, int64_t tenant_id) {
  auto grace = database.QueryInt64(fmt::format("SELECT history_grace_days FROM tenants WHERE id = {}", tenant_id));
  if (!grace) return Fail(grace.error());
  if (!*grace) return std::optional<int32_t>();
  return std::optional<int32_t>(static_cast<int32_t>(**grace));
}

namespace {

Status Fill(Database& database, int64_t tenant_id, int32_t grace_days, std::string_view customer_filter) {
  auto insert = database.Prepare(
      fmt::format("INSERT INTO payment_history (tenant_id, customer_id, currency, settled_invoices, "
                  "settled_amount_minor, settled_late, settled_days_late) SELECT {}, h.* FROM ({}) h",
                  tenant_id, PaymentHistoryFromInvoicesSql(database.dialect(), grace_days, customer_filter)));
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  return (*insert)->Run();
}

}  // namespace

Status RebuildPaymentHistory(Database& database, int64_t tenant_id, int32_t grace_days) {
  if (auto ok = database.Execute(fmt::format("DELETE FROM payment_history WHERE tenant_id = {}", tenant_id)); !ok) {
    return ok;
  }
  if (auto ok = Fill(database, tenant_id, grace_days, ""); !ok) return ok;
  return database.Execute(
      fmt::format("UPDATE tenants SET history_grace_days = {} WHERE id = {}", grace_days, tenant_id));
}

Status RefreshPaymentHistory(Database& database, int64_t tenant_id, std::string_view customers_table) {
  auto grace = StoredHistoryGraceDays(database, tenant_id);
  if (!grace) return Fail(grace.error());
  if (!*grace) return RebuildPaymentHistory(database, tenant_id, kDefaultHistoryGraceDays);
  const std::string listed = fmt::format(" AND customer_id IN (SELECT customer_id FROM {})", customers_table);
  if (auto ok = database.Execute(fmt::format("DELETE FROM payment_history WHERE tenant_id = {}{}", tenant_id, listed));
      !ok) {
    return ok;
  }
  return Fill(database, tenant_id, **grace, listed);
}

}  // namespace cartera
