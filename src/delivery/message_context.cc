#include "delivery/message_context.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/time_zone.h"

namespace cartera::delivery {

Result<templates::MessageContext> BuildMessageContext(Database& database, int64_t tenant_id, int64_t customer_id,
                                                      const std::vector<int64_t>& invoice_ids,
                                                      std::optional<Date> as_of, Timestamp now) {
  auto customer = database.Prepare(
      "SELECT c.name, c.language, c.country, c.time_zone, t.name, t.collector_name FROM customers c JOIN tenants t ON "
      "t.id = c.tenant_id WHERE c.tenant_id = ? AND c.id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindInt64(2, customer_id);
  auto row = (*customer)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no customer with id {}", customer_id)));
  templates::MessageContext message;
  message.debtor_name = (*customer)->GetText(0);
  message.locale = templates::LocaleForCustomer((*customer)->GetText(1), (*customer)->GetText(2));
  const std::string zone((*customer)->GetText(3));
  message.company_name = (*customer)->GetText(4);
  message.collector_name = (*customer)->IsNull(5) ? "" : std::string((*customer)->GetText(5));
  if (message.collector_name.empty()) {
    message.collector_name = templates::DefaultCollectorName(templates::LanguageOf(message.locale));
  }
  customer->reset();
  message.as_of = as_of ? *as_of : DateIn(IsKnownTimeZone(zone) ? zone : "UTC", now);

  auto invoices = database.Prepare(
      "SELECT i.id, i.number, i.issue_date, i.due_date, i.amount_minor, i.open_minor, i.currency FROM invoices i "
      "WHERE i.tenant_id = ? AND i.customer_id = ? AND i.open_minor > 0 AND NOT EXISTS (SELECT 1 FROM disputes d "
      "WHERE d.tenant_id = i.tenant_id AND d.invoice_id = i.id AND d.status = 'open') ORDER BY i.currency, i.due_date");
  if (!invoices) return Fail(invoices.error());
  (*invoices)->BindInt64(1, tenant_id);
  (*invoices)->BindInt64(2, customer_id);
  // The item's first invoice sets the message's currency (the run names
  // the stage's book first); invoices of the other books it speaks of keep
  // their own (one message per debtor, whatever they owe in).
  std::string currency;
  struct Row {
    std::string currency;
    templates::InvoiceLine line;
  };
  std::vector<Row> rows;
  while (true) {
    auto has_row = (*invoices)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const Statement& invoice = **invoices;
    const int64_t id = invoice.GetInt64(0);
    if (!invoice_ids.empty() && std::find(invoice_ids.begin(), invoice_ids.end(), id) == invoice_ids.end()) continue;
    if (!invoice_ids.empty() && id == invoice_ids.front()) currency = invoice.GetText(6);
    const Date due = *Date::ParseIso(invoice.GetText(3));
    rows.push_back({std::string(invoice.GetText(6)),
                    {std::string(invoice.GetText(1)), *Date::ParseIso(invoice.GetText(2)), due, invoice.GetInt64(4),
                     invoice.GetInt64(5), DaysBetween(due, message.as_of), std::nullopt}});
  }
  if (currency.empty() && !rows.empty()) currency = rows.front().currency;
  // Without named invoices (a preview), only the first currency's.
  for (Row& named : rows) {
    if (named.currency != currency && invoice_ids.empty()) continue;
    if (named.currency != currency) named.line.currency = *Currency::FromCode(named.currency);
    message.invoices.push_back(std::move(named.line));
  }
  // The message's own currency first, then the others, as the run named them.
  std::stable_partition(message.invoices.begin(), message.invoices.end(),
                        [](const templates::InvoiceLine& line) { return !line.currency.has_value(); });
  if (!currency.empty()) message.currency = *Currency::FromCode(currency);
  return message;
}

}  // namespace cartera::delivery
