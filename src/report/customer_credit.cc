#include "report/customer_credit.h"

#include <fmt/format.h>

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

Result<int64_t> CreditAppliedAfter(Database& database, int64_t tenant_id, int64_t invoice_id, Date as_of) {
  // An allocation is dated the later of its credit's date and the invoice's
  // issue date, so one after `as_of` from a credit dated before it is
  // credit the customer had on `as_of`.
  auto statement = database.Prepare(
      "SELECT a.amount_minor FROM allocations a LEFT JOIN payments p ON p.tenant_id = a.tenant_id AND "
      "p.id = a.payment_id LEFT JOIN credit_notes n ON n.tenant_id = a.tenant_id AND n.id = a.credit_note_id "
      "WHERE a.tenant_id = ? AND a.invoice_id = ? AND a.date > ? AND COALESCE(p.date, n.date) <= ?");
  if (!statement) return Fail(statement.error());
  const std::string day = as_of.ToIso();
  (*statement)->BindInt64(1, tenant_id);
  (*statement)->BindInt64(2, invoice_id);
  (*statement)->BindText(3, day);
  (*statement)->BindText(4, day);
  int64_t sum = 0;
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return sum;
    if (__builtin_add_overflow(sum, (*statement)->GetInt64(0), &sum)) {
      return Fail({ErrorCode::kOverflow, "amount out of range (sum exceeds 64-bit minor units)"});
    }
  }
}

}  // namespace cartera
