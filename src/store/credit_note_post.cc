#include "store/credit_note_post.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/language.h"
#include "store/ledger_rebalance.h"
#include "store/sql_dialect.h"

namespace cartera {
namespace {

bool IsKnownKind(std::string_view kind) {
  return std::find(std::begin(kCreditNoteKinds), std::end(kCreditNoteKinds), kind) != std::end(kCreditNoteKinds);
}

Result<std::optional<int64_t>> FindBySource(Database& database, int64_t tenant_id, const std::string& external_id) {
  auto query = database.Prepare("SELECT id FROM credit_notes WHERE tenant_id = ? AND external_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, external_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*query)->GetInt64(0));
}

}  // namespace

Result<int64_t> PostCreditNoteIn(Database& database, int64_t tenant_id, const CreditNotePost& note,
                                 const AuditContext& audit) {
  const Language language = audit.language;
  if (!IsKnownKind(note.kind)) {
    return Fail(Error::BadInput(TrFormat(language, "tipo de nota crédito desconocido: '{}'",
                                         "unknown credit note kind: '{}'", note.kind)));
  }
  if (note.source.empty()) return Fail(Error::Internal("a posted credit note needs its origin"));
  const std::string external_id = "CN-" + note.source;
  auto existing = FindBySource(database, tenant_id, external_id);
  if (!existing) return Fail(existing.error());
  if (*existing) return **existing;  // this origin already posted its note

  auto invoice = database.Prepare(
      "SELECT customer_id, currency, open_minor, number FROM invoices WHERE tenant_id = ? AND id = ?");
  if (!invoice) return Fail(invoice.error());
  (*invoice)->BindInt64(1, tenant_id);
  (*invoice)->BindInt64(2, note.invoice_id);
  auto found = (*invoice)->Step();
  if (!found) return Fail(found.error());
  if (!*found || (*invoice)->GetInt64(0) != note.customer_id) {
    return Fail(Error::NotFound(TrFormat(language, "la factura {} no existe para este cliente",
                                         "invoice {} does not exist for this customer", note.invoice_id)));
  }
  const std::string currency((*invoice)->GetText(1));
  const int64_t open_minor = (*invoice)->GetInt64(2);
  const std::string number((*invoice)->GetText(3));
  if (currency != note.amount.currency().code()) {
    return Fail(Error::BadInput(TrFormat(language, "la factura {} está en {}, la nota crédito en {}",
                                         "invoice {} is in {}, the credit note in {}", number, currency,
                                         note.amount.currency().code())));
  }
  if (note.amount.minor_units() <= 0) {
    return Fail(Error::BadInput(std::string(Tr(language, "el valor de la nota crédito debe ser mayor que cero",
                                               "the credit note's amount must be greater than zero"))));
  }
  if (note.amount.minor_units() > open_minor) {
    const Money open(open_minor, note.amount.currency());
    return Fail(Error::BadInput(TrFormat(language, "la nota crédito ({}) supera el saldo de la factura {} ({})",
                                         "the credit note ({}) is more than invoice {} still owes ({})",
                                         note.amount.ToDecimalString(), number, open.ToDecimalString())));
  }

  const nlohmann::json attributes = {{"kind", note.kind}, {"source", note.source}};
  auto insert = database.Prepare(
      "INSERT INTO credit_notes (tenant_id, external_id, customer_id, invoice_id, date, currency, amount_minor, "
      "reason, attributes, unapplied_minor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, external_id);
  (*insert)->BindInt64(3, note.customer_id);
  (*insert)->BindInt64(4, note.invoice_id);
  (*insert)->BindText(5, note.date.ToIso());
  (*insert)->BindText(6, currency);
  (*insert)->BindInt64(7, note.amount.minor_units());
  (*insert)->BindText(8, note.reason.empty() ? note.kind : note.reason);
  (*insert)->BindText(9, attributes.dump());
  (*insert)->BindInt64(10, note.amount.minor_units());  // the rebalance applies it
  (*insert)->BindText(11, audit.at);
  (*insert)->BindText(12, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = FindBySource(database, tenant_id, external_id);
  if (!id) return Fail(id.error());
  if (!*id) return Fail(Error::Internal("the posted credit note was not found"));

  const nlohmann::json after = {{"external_id", external_id},       {"customer_id", note.customer_id},
                                {"invoice_id", note.invoice_id},     {"date", note.date.ToIso()},
                                {"currency", currency},              {"amount_minor", note.amount.minor_units()},
                                {"reason", note.reason},             {"kind", note.kind},
                                {"source", note.source}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "credit_note", **id, "create", "", after.dump()); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = PrepareRebalanceCustomers(database); !ok) return Fail(ok.error());
  if (auto ok = database.Execute(fmt::format("INSERT INTO {} (customer_id) VALUES ({})", kRebalanceCustomersTable,
                                             note.customer_id));
      !ok) {
    return Fail(ok.error());
  }
  if (auto rebalanced = RebalanceCustomers(database, tenant_id, audit, RebalanceScope::kListedCustomers); !rebalanced) {
    return Fail(rebalanced.error());
  }
  return **id;
}

Result<int64_t> PostCreditNote(Database& database, int64_t tenant_id, const CreditNotePost& note,
                               const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto locked = LockTenantLedger(database, tenant_id); !locked) return Fail(locked.error());
  auto id = PostCreditNoteIn(database, tenant_id, note, audit);
  if (!id) return id;
  if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
  return id;
}

}  // namespace cartera
