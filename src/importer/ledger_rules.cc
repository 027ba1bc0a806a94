#include "importer/ledger_rules.h"

#include <fmt/format.h>

#include "core/currency.h"
#include "core/money.h"

namespace cartera {
namespace {

std::string Amount(int64_t minor_units, std::string_view currency_code) {
  const auto currency = Currency::FromCode(currency_code);
  return fmt::format("{} {}", FormatMinorUnits(minor_units, currency ? currency->exponent() : 2), currency_code);
}

// True (as SQL) when anything of the ledger sits on invoice t.
constexpr std::string_view kInvoiceInUse =
    "(EXISTS (SELECT 1 FROM allocations a WHERE a.tenant_id = t.tenant_id AND a.invoice_id = t.id) OR "
    "EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = t.tenant_id AND p.customer_id = t.customer_id AND "
    "p.invoice_id = t.id) OR "
    "EXISTS (SELECT 1 FROM credit_notes n WHERE n.tenant_id = t.tenant_id AND n.customer_id = t.customer_id AND "
    "n.invoice_id = t.id))";

// Only the rows the merge found changed (s.changed = 1, s.existing_id set)
// are looked at, their invoice by primary key: a re-import of 500,000
// unchanged invoices costs one scan of the staging table. "CROSS JOIN" keeps
// the staging table outside: SQLite has no statistics on it and picked an
// order that took 800 s instead of 2.
std::vector<LedgerRuleCheck> InvoiceChecks(std::string_view stage, int64_t tenant_id, Language lang) {
  return {
      {fmt::format("SELECT s.line, s.external_id, t.currency, s.currency FROM {0} s CROSS JOIN invoices t WHERE "
                   "s.changed = 1 AND t.id = s.existing_id AND t.tenant_id = {1} AND t.currency <> s.currency AND {2} "
                   "ORDER BY s.line",
                   stage, tenant_id, kInvoiceInUse),
       [lang](const Statement& row) {
         return TrFormat(lang,
                         "campo 'currency': la factura '{}' está en {} y tiene pagos o notas crédito aplicados: no "
                         "puede pasar a {} (anule o mueva primero esos documentos)",
                         "field 'currency': invoice '{}' is in {} and has payments or credit notes applied: it "
                         "cannot change to {} (remove or move those documents first)",
                         row.GetText(1), row.GetText(2), row.GetText(3));
       }},
      {fmt::format("SELECT s.line, s.external_id, (SELECT external_id FROM customers WHERE id = t.customer_id), "
                   "(SELECT external_id FROM customers WHERE id = s.customer_id) FROM {0} s CROSS JOIN invoices t "
                   "WHERE s.changed = 1 AND t.id = s.existing_id AND t.tenant_id = {1} AND "
                   "t.customer_id <> s.customer_id AND {2} ORDER BY s.line",
                   stage, tenant_id, kInvoiceInUse),
       [lang](const Statement& row) {
         return TrFormat(lang,
                         "campo 'customer_external_id': la factura '{}' es del cliente '{}' y tiene pagos o notas "
                         "crédito aplicados: no puede pasar al cliente '{}' (anule o mueva primero esos documentos)",
                         "field 'customer_external_id': invoice '{}' belongs to customer '{}' and has payments or "
                         "credit notes applied: it cannot move to customer '{}' (remove or move those documents "
                         "first)",
                         row.GetText(1), row.GetText(2), row.GetText(3));
       }},
      {fmt::format("SELECT line, external_id, currency, amount_minor, credited FROM (SELECT s.line, s.external_id, "
                   "s.currency, s.amount_minor, (SELECT SUM(n.amount_minor) FROM credit_notes n WHERE n.tenant_id = "
                   "t.tenant_id AND n.customer_id = t.customer_id AND n.invoice_id = t.id) AS credited FROM {0} s "
                   "CROSS JOIN invoices t WHERE s.changed = 1 AND t.id = s.existing_id AND t.tenant_id = {1} AND "
                   "s.amount_minor < t.amount_minor) lowered WHERE credited > amount_minor ORDER BY line",
                   stage, tenant_id),
       [lang](const Statement& row) {
         const std::string currency(row.GetText(2));
         return TrFormat(lang,
                         "campo 'amount': la factura '{}' tiene notas crédito por {}: su valor no puede bajar a {}",
                         "field 'amount': invoice '{}' has credit notes of {}: its amount cannot go down to {}",
                         row.GetText(1), Amount(row.GetInt64(4), currency), Amount(row.GetInt64(3), currency));
       }},
  };
}

std::vector<LedgerRuleCheck> CreditNoteChecks(std::string_view stage, int64_t tenant_id, Language lang) {
  // Every credit note an invoice will have after the import: the file's,
  // plus the stored ones, minus the stored ones the file replaces (found by
  // the unique (tenant, external_id) index, so a re-import stays linear).
  return {
      {fmt::format("SELECT s.line, s.invoice_external_id, i.currency, i.amount_minor, totals.credited FROM {0} s "
                   "CROSS JOIN invoices i JOIN (SELECT invoice_id, SUM(amount_minor) AS credited "
                   "FROM (SELECT invoice_id, amount_minor FROM {0} WHERE invoice_id IS NOT NULL UNION ALL SELECT "
                   "n.invoice_id, n.amount_minor FROM credit_notes n WHERE n.tenant_id = {1} AND n.invoice_id IN "
                   "(SELECT invoice_id FROM {0}) UNION ALL SELECT n.invoice_id, -n.amount_minor FROM {0} r JOIN "
                   "credit_notes n ON n.tenant_id = {1} AND n.external_id = r.external_id) notes GROUP BY invoice_id) "
                   "totals ON totals.invoice_id = s.invoice_id WHERE i.id = s.invoice_id AND "
                   "totals.credited > i.amount_minor ORDER BY s.line",
                   stage, tenant_id),
       [lang](const Statement& row) {
         const std::string currency(row.GetText(2));
         return TrFormat(lang,
                         "campo 'amount': las notas crédito de la factura '{}' sumarían {}, más que su valor de {} "
                         "(una nota crédito no puede superar lo que queda de su factura)",
                         "field 'amount': the credit notes of invoice '{}' would add up to {}, more than its amount "
                         "of {} (a credit note cannot exceed what is left of its invoice)",
                         row.GetText(1), Amount(row.GetInt64(4), currency), Amount(row.GetInt64(3), currency));
       }},
  };
}

}  // namespace

std::vector<LedgerRuleCheck> LedgerRuleChecks(ImportKind kind, std::string_view stage_table, int64_t tenant_id,
                                              Language language) {
  switch (kind) {
    case ImportKind::kInvoices:
      return InvoiceChecks(stage_table, tenant_id, language);
    case ImportKind::kCreditNotes:
      return CreditNoteChecks(stage_table, tenant_id, language);
    case ImportKind::kCustomers:
    case ImportKind::kPayments:
      return {};
  }
  return {};
}

}  // namespace cartera
