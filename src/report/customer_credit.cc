#include "report/customer_credit.h"

#include <fmt/format.h>

#include "store/sql_dialect.h"

namespace cartera {

Status ReadUnappliedCredits(Database& database, int64_t tenant_id, std::optional<Date> up_to,
                            const std::optional<std::string>& currency,
                            const std::function<Status(const UnappliedCredit&)>& on_credit) {
  std::string filter;
  if (up_to) filter += " AND x.date <= ?";
  if (currency) filter += " AND x.currency = ?";
  auto statement = database.Prepare(fmt::format(
      "SELECT x.customer_id, c.external_id, c.name, c.time_zone, x.currency, x.date, x.unapplied_minor FROM "
      "(SELECT tenant_id, customer_id, currency, date, unapplied_minor FROM payments WHERE tenant_id = ? AND "
      "unapplied_minor > 0 UNION ALL SELECT tenant_id, customer_id, currency, date, unapplied_minor FROM "
      "credit_notes WHERE tenant_id = ? AND unapplied_minor > 0) x JOIN customers c ON c.tenant_id = x.tenant_id "
      "AND c.id = x.customer_id WHERE 1 = 1{} ORDER BY x.customer_id",
      filter));
  if (!statement) return Fail(statement.error());
  int parameter = 1;
  (*statement)->BindInt64(parameter++, tenant_id);
  (*statement)->BindInt64(parameter++, tenant_id);
  if (up_to) (*statement)->BindText(parameter++, up_to->ToIso());
  if (currency) (*statement)->BindText(parameter++, *currency);
  UnappliedCredit credit;
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return {};
    const Statement& row = **statement;
    credit.customer_id = row.GetInt64(0);
    credit.customer_external_id = row.GetText(1);
    credit.customer_name = row.GetText(2);
    credit.customer_time_zone = row.GetText(3);
    credit.currency = row.GetText(4);
    auto date = Date::ParseIso(row.GetText(5));
    if (!date) return Fail(Error::Internal(fmt::format("stored date '{}' is not a date", row.GetText(5))));
    credit.date = *date;
    credit.unapplied_minor = row.GetInt64(6);
    if (auto ok = on_credit(credit); !ok) return ok;
  }
}

Status ReadCreditUsedLater(Database& database, int64_t tenant_id, const std::vector<InvoiceOnDate>& invoices,
                           const std::function<Status(const CreditUsedLater&)>& on_credit) {
  if (invoices.empty()) return {};
  constexpr std::string_view kTable = "credit_used_later";
  if (auto ok = PrepareWorkTable(database, kTable, "invoice_id BIGINT, customer_id BIGINT, as_of DATE"); !ok) {
    return ok;
  }
  {
    auto writer = database.BulkInsert(kTable, {"invoice_id", "customer_id", "as_of"});
    if (!writer) return Fail(writer.error());
    for (const InvoiceOnDate& invoice : invoices) {
      const std::string id = std::to_string(invoice.invoice_id), customer = std::to_string(invoice.customer_id),
                        day = invoice.as_of.ToIso();
      if (auto ok = (*writer)->Add({id, customer, day}); !ok) return ok;
    }
    if (auto ok = (*writer)->Finish(); !ok) return ok;
  }
  // Each invoice's allocations by the (tenant, invoice) index; one
  // invoice's sum is at most its amount. CROSS JOIN keeps the work table
  // outside: SQLite has no statistics on it and would scan it per allocation.
  auto statement = database.Prepare(fmt::format(
      "SELECT w.customer_id, c.external_id, c.name, a.currency, SUM(a.amount_minor) FROM {} w CROSS JOIN "
      "allocations a JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = w.customer_id LEFT JOIN payments p "
      "ON p.tenant_id = a.tenant_id AND p.id = a.payment_id LEFT JOIN credit_notes n ON n.tenant_id = a.tenant_id "
      "AND n.id = a.credit_note_id WHERE a.tenant_id = ? AND a.invoice_id = w.invoice_id AND a.date > w.as_of AND "
      "COALESCE(p.date, n.date) <= w.as_of GROUP BY w.invoice_id, w.customer_id, c.external_id, c.name, a.currency",
      kTable));
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, tenant_id);
  CreditUsedLater credit;
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return {};
    const Statement& row = **statement;
    credit.customer_id = row.GetInt64(0);
    credit.customer_external_id = row.GetText(1);
    credit.customer_name = row.GetText(2);
    credit.currency = row.GetText(3);
    credit.amount_minor = row.GetInt64(4);
    if (auto ok = on_credit(credit); !ok) return ok;
  }
}

}  // namespace cartera
