#include "report/statement.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/money.h"
#include "core/time_zone.h"

namespace cartera {
namespace {


std::string KindKey(StatementEntryKind kind) {
  switch (kind) {
    case StatementEntryKind::kInvoice: return "invoice";
    case StatementEntryKind::kCreditNote: return "credit_note";
    case StatementEntryKind::kPayment: return "payment";
    case StatementEntryKind::kAllocation: return "allocation";
  }
  return "";
}

std::string KindTitle(StatementEntryKind kind, Language language) {
  switch (kind) {
    case StatementEntryKind::kInvoice: return std::string(Tr(language, "Factura", "Invoice"));
    case StatementEntryKind::kCreditNote: return std::string(Tr(language, "Nota crédito", "Credit note"));
    case StatementEntryKind::kPayment: return std::string(Tr(language, "Pago", "Payment"));
    case StatementEntryKind::kAllocation: return std::string(Tr(language, "  aplicado a", "  applied to"));
  }
  return "";
}

}  // namespace

Result<AccountStatement> BuildStatement(Database& database, int64_t tenant_id, const std::string& customer_external_id,
                                 std::optional<Date> as_of, const Clock& clock) {
  AccountStatement statement;
  auto customer = database.Prepare(
      "SELECT id, name, tax_id, time_zone FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindText(2, customer_external_id);
  auto found = (*customer)->Step();
  if (!found) return Fail(found.error());
  if (!*found) return Fail(Error::NotFound(fmt::format("no customer with external id '{}'", customer_external_id)));
  const int64_t customer_id = (*customer)->GetInt64(0);
  statement.customer_external_id = customer_external_id;
  statement.customer_name = (*customer)->GetText(1);
  statement.tax_id = (*customer)->GetText(2);
  statement.time_zone = (*customer)->GetText(3);
  customer->reset();
  statement.as_of = as_of ? *as_of
                          : DateIn(IsKnownTimeZone(statement.time_zone) ? statement.time_zone : "UTC", clock.Now());
  const std::string as_of_text = statement.as_of.ToIso();

  // One query, four document kinds, already in statement order.
  auto rows = database.Prepare(
      "SELECT 1, i.issue_date, i.external_id, i.number, i.currency, i.amount_minor, i.due_date, i.id, NULL "
      "FROM invoices i WHERE i.tenant_id = ? AND i.customer_id = ? AND i.issue_date <= ? "
      "UNION ALL SELECT 2, n.date, n.external_id, n.reason, n.currency, n.amount_minor, NULL, n.id, NULL "
      "FROM credit_notes n WHERE n.tenant_id = ? AND n.customer_id = ? AND n.date <= ? "
      "UNION ALL SELECT 3, p.date, p.external_id, p.method || COALESCE(' ' || p.reference, ''), p.currency, "
      "p.amount_minor, NULL, p.id, NULL FROM payments p WHERE p.tenant_id = ? AND p.customer_id = ? AND p.date <= ? "
      "UNION ALL SELECT 4, a.date, COALESCE(p.external_id, n.external_id), i.number, a.currency, a.amount_minor, "
      "NULL, a.invoice_id, i.external_id FROM allocations a JOIN invoices i ON i.tenant_id = a.tenant_id AND "
      "i.id = a.invoice_id LEFT JOIN payments p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id "
      "LEFT JOIN credit_notes n ON n.tenant_id = a.tenant_id AND n.id = a.credit_note_id "
      "WHERE a.tenant_id = ? AND a.customer_id = ? AND a.date <= ? ORDER BY 2, 1, 8");
  if (!rows) return Fail(rows.error());
  for (int block = 0; block < 4; ++block) {
    (*rows)->BindInt64(block * 3 + 1, tenant_id);
    (*rows)->BindInt64(block * 3 + 2, customer_id);
    (*rows)->BindText(block * 3 + 3, as_of_text);
  }
  std::map<int64_t, size_t> invoice_entry;  // invoice id -> entry index
  while (true) {
    auto has_row = (*rows)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const auto& row = **rows;
    StatementEntry entry;
    entry.kind = static_cast<StatementEntryKind>(row.GetInt64(0));
    entry.date = *Date::ParseIso(row.GetText(1));
    entry.external_id = row.GetText(2);
    entry.reference = row.IsNull(3) ? "" : std::string(row.GetText(3));
    entry.currency = row.GetText(4);
    const int64_t amount = row.GetInt64(5);
    switch (entry.kind) {
      case StatementEntryKind::kInvoice:
        entry.debit_minor = amount;
        entry.due_date = *Date::ParseIso(row.GetText(6));
        entry.open_minor = amount;
        invoice_entry[row.GetInt64(7)] = statement.entries.size();
        break;
      case StatementEntryKind::kCreditNote:
      case StatementEntryKind::kPayment:
        entry.credit_minor = amount;
        break;
      case StatementEntryKind::kAllocation:
        entry.credit_minor = amount;
        entry.applied_to = row.GetText(8);
        if (auto it = invoice_entry.find(row.GetInt64(7)); it != invoice_entry.end()) {
          statement.entries[it->second].open_minor -= amount;
        }
        break;
    }
    statement.entries.push_back(std::move(entry));
  }
  rows->reset();

  // Every sum is checked: a wrapped total would show a debtor a false balance.
  std::map<std::string, StatementTotals> totals;
  bool overflow = false;
  auto add = [&overflow](int64_t& sum, int64_t amount) {
    if (__builtin_add_overflow(sum, amount, &sum)) overflow = true;
  };
  for (StatementEntry& entry : statement.entries) {
    StatementTotals& total = totals[entry.currency];
    total.currency = entry.currency;
    switch (entry.kind) {
      case StatementEntryKind::kInvoice: {
        add(total.invoiced_minor, entry.debit_minor);
        add(total.open_invoices_minor, entry.open_minor);
        const int32_t days = DaysBetween(*entry.due_date, statement.as_of);
        if (entry.open_minor > 0 && days > 0) {
          entry.days_past_due = days;
          add(total.overdue_minor, entry.open_minor);
        }
        break;
      }
      case StatementEntryKind::kCreditNote: add(total.credited_minor, entry.credit_minor); break;
      case StatementEntryKind::kPayment: add(total.paid_minor, entry.credit_minor); break;
      case StatementEntryKind::kAllocation: continue;
    }
    add(total.balance_minor, entry.debit_minor);
    add(total.balance_minor, -entry.credit_minor);
    entry.balance_minor = total.balance_minor;
  }
  for (auto& [currency, total] : totals) {
    if (__builtin_sub_overflow(total.open_invoices_minor, total.balance_minor, &total.unapplied_credit_minor)) {
      overflow = true;
    }
    statement.totals.push_back(total);
  }
  if (overflow) {
    return Fail({ErrorCode::kOverflow, "the statement's totals exceed 64-bit minor units"});
  }
  return statement;
}

nlohmann::json StatementJson(const AccountStatement& statement) {
  nlohmann::json entries = nlohmann::json::array();
  for (const StatementEntry& entry : statement.entries) {
    nlohmann::json item = {{"type", KindKey(entry.kind)},
                           {"date", entry.date.ToIso()},
                           {"external_id", entry.external_id},
                           {"reference", entry.reference}};
    if (entry.kind == StatementEntryKind::kAllocation) {
      item["amount"] = MoneyJson(entry.credit_minor, entry.currency);
      item["applied_to_invoice"] = entry.applied_to;
    } else {
      item["debit"] = MoneyJson(entry.debit_minor, entry.currency);
      item["credit"] = MoneyJson(entry.credit_minor, entry.currency);
      item["balance"] = MoneyJson(entry.balance_minor, entry.currency);
    }
    if (entry.kind == StatementEntryKind::kInvoice) {
      item["due_date"] = entry.due_date->ToIso();
      item["open"] = MoneyJson(entry.open_minor, entry.currency);
      item["days_past_due"] = entry.days_past_due ? nlohmann::json(*entry.days_past_due) : nlohmann::json(nullptr);
    }
    entries.push_back(std::move(item));
  }
  nlohmann::json totals = nlohmann::json::array();
  for (const StatementTotals& total : statement.totals) {
    totals.push_back({{"currency", total.currency},
                      {"invoiced", MoneyJson(total.invoiced_minor, total.currency)},
                      {"credited", MoneyJson(total.credited_minor, total.currency)},
                      {"paid", MoneyJson(total.paid_minor, total.currency)},
                      {"balance", MoneyJson(total.balance_minor, total.currency)},
                      {"open_invoices", MoneyJson(total.open_invoices_minor, total.currency)},
                      {"unapplied_credit", MoneyJson(total.unapplied_credit_minor, total.currency)},
                      {"overdue", MoneyJson(total.overdue_minor, total.currency)}});
  }
  return {
      {"customer", {{"external_id", statement.customer_external_id}, {"name", statement.customer_name},
                    {"tax_id", statement.tax_id}, {"time_zone", statement.time_zone}}},
      {"as_of", statement.as_of.ToIso()},
      {"entries", entries},
      {"totals", totals}};
}

void PrintStatementJson(const AccountStatement& statement, std::ostream& out) {
  // Stored text that is somehow not UTF-8 is shown with U+FFFD, never thrown on.
  out << StatementJson(statement).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void PrintStatementTable(const AccountStatement& statement, Language language, std::ostream& out) {
  out << fmt::format("{} — {} ({} {})\n", Tr(language, "Estado de cuenta", "Account statement"),
                     statement.customer_name, Tr(language, "NIT/ID", "Tax ID"), statement.tax_id);
  out << fmt::format("{}: {}   {}: {}\n\n", Tr(language, "Cliente", "Customer"), statement.customer_external_id,
                     Tr(language, "Corte", "As of"), statement.as_of.ToIso());
  TextTable table({std::string(Tr(language, "Fecha", "Date")), std::string(Tr(language, "Tipo", "Type")),
                   std::string(Tr(language, "Documento", "Document")), std::string(Tr(language, "Referencia", "Reference")),
                   std::string(Tr(language, "Vence", "Due")), std::string(Tr(language, "Débito", "Debit")),
                   std::string(Tr(language, "Crédito", "Credit")), std::string(Tr(language, "Saldo", "Balance")),
                   std::string(Tr(language, "Pendiente", "Open")), std::string(Tr(language, "Días mora", "Days late"))},
                  {false, false, false, false, false, true, true, true, true, true});
  for (const StatementEntry& entry : statement.entries) {
    auto money = [&](int64_t minor) { return minor == 0 ? std::string() : FormatMoneyForTable(minor, entry.currency, language); };
    if (entry.kind == StatementEntryKind::kAllocation) {
      table.AddRow({entry.date.ToIso(), KindTitle(entry.kind, language), entry.applied_to, entry.external_id, "", "",
                    "(" + FormatMoneyForTable(entry.credit_minor, entry.currency, language) + ")", "", "", ""});
      continue;
    }
    table.AddRow({entry.date.ToIso(), KindTitle(entry.kind, language), entry.external_id, entry.reference,
                  entry.due_date ? entry.due_date->ToIso() : "", money(entry.debit_minor), money(entry.credit_minor),
                  FormatMoneyForTable(entry.balance_minor, entry.currency, language) + " " + entry.currency,
                  entry.kind == StatementEntryKind::kInvoice ? money(entry.open_minor) : "",
                  entry.days_past_due ? std::to_string(*entry.days_past_due) : ""});
  }
  table.Print(out);
  for (const StatementTotals& total : statement.totals) {
    auto money = [&](int64_t minor) { return FormatMoneyForTable(minor, total.currency, language) + " " + total.currency; };
    out << fmt::format("\n{}: {}   {}: {}   {}: {}\n", Tr(language, "Facturado", "Invoiced"), money(total.invoiced_minor),
                       Tr(language, "Notas crédito", "Credit notes"), money(total.credited_minor),
                       Tr(language, "Pagado", "Paid"), money(total.paid_minor));
    out << fmt::format("{}: {}   {}: {}   {}: {}   {}: {}\n", Tr(language, "Saldo", "Balance"), money(total.balance_minor),
                       Tr(language, "Facturas pendientes", "Open invoices"), money(total.open_invoices_minor),
                       Tr(language, "Vencido", "Overdue"), money(total.overdue_minor),
                       Tr(language, "Saldo a favor sin aplicar", "Unapplied credit"), money(total.unapplied_credit_minor));
  }
}

}  // namespace cartera
