#include "escalation/write_off.h"

#include <fmt/format.h>

#include <set>
#include <sstream>

#include "core/currency.h"
#include "core/money.h"
#include "escalation/case_store.h"
#include "escalation/escalation.h"
#include "report/customer_list.h"
#include "report/output.h"
#include "store/credit_note_post.h"
#include "store/sql_dialect.h"

namespace cartera::escalation {
namespace {

using internal::AuditChange;

Error FieldError(ErrorCode code, std::string_view field, std::string message) {
  return Error{code, fmt::format("{}: {}", field, message)};
}

Error WriteOffNotFound(int64_t id, Language language) {
  return Error::NotFound(TrFormat(language, "no hay un castigo de cartera {}", "no write-off {}", id));
}

struct ChosenInvoice {
  int64_t id = 0;
  std::string external_id;
  std::string currency;
  int64_t open_minor = 0;
};

Result<std::vector<WriteOff>> QueryWriteOffs(Database& database, int64_t tenant_id, std::optional<std::string> status,
                                             std::optional<int64_t> id) {
  std::string sql =
      "SELECT w.id, c.external_id, c.name, w.status, w.reason, w.proposed_by, w.proposed_at, COALESCE(w.decided_by, "
      "''), COALESCE(w.decided_at, ''), COALESCE(w.decision_note, '') FROM write_offs w JOIN customers c ON "
      "c.tenant_id = w.tenant_id AND c.id = w.customer_id WHERE w.tenant_id = ?";
  if (status) sql += " AND w.status = ?";
  if (id) sql += " AND w.id = ?";
  sql += " ORDER BY w.id DESC";
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (status) (*query)->BindText(parameter++, *status);
  if (id) (*query)->BindInt64(parameter++, *id);
  std::vector<WriteOff> write_offs;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    WriteOff item;
    item.id = r.GetInt64(0);
    item.customer_external_id = r.GetText(1);
    item.customer_name = r.GetText(2);
    item.status = r.GetText(3);
    item.reason = r.GetText(4);
    item.proposed_by = r.GetText(5);
    item.proposed_at = r.GetText(6);
    item.decided_by = r.GetText(7);
    item.decided_at = r.GetText(8);
    item.decision_note = r.GetText(9);
    write_offs.push_back(std::move(item));
  }
  query->reset();
  auto invoices = database.Prepare(
      "SELECT i.external_id, i.number, w.currency, w.amount_minor, w.credit_note_id FROM write_off_invoices w JOIN "
      "invoices i ON i.tenant_id = w.tenant_id AND i.id = w.invoice_id WHERE w.tenant_id = ? AND w.write_off_id = ? "
      "ORDER BY w.id");
  if (!invoices) return Fail(invoices.error());
  auto recoveries = database.Prepare(
      "SELECT p.external_id, i.external_id, p.date, p.currency, p.amount_minor FROM payments p JOIN "
      "write_off_invoices w ON w.tenant_id = p.tenant_id AND w.invoice_id = p.invoice_id JOIN invoices i ON "
      "i.tenant_id = p.tenant_id AND i.id = p.invoice_id WHERE p.tenant_id = ? AND w.write_off_id = ? AND p.date >= ? "
      "ORDER BY p.date, p.id");
  if (!recoveries) return Fail(recoveries.error());
  for (WriteOff& item : write_offs) {
    (*invoices)->Reset();
    (*invoices)->BindInt64(1, tenant_id);
    (*invoices)->BindInt64(2, item.id);
    while (true) {
      auto row = (*invoices)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      const Statement& r = **invoices;
      WriteOffInvoice invoice{std::string(r.GetText(0)), std::string(r.GetText(1)), std::string(r.GetText(2)),
                              r.GetInt64(3), std::nullopt};
      if (!r.IsNull(4)) invoice.credit_note_id = r.GetInt64(4);
      item.invoices.push_back(std::move(invoice));
    }
    if (item.status != "approved") continue;
    (*recoveries)->Reset();
    (*recoveries)->BindInt64(1, tenant_id);
    (*recoveries)->BindInt64(2, item.id);
    (*recoveries)->BindText(3, item.decided_at.substr(0, 10));
    while (true) {
      auto row = (*recoveries)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      const Statement& r = **recoveries;
      item.recoveries.push_back({std::string(r.GetText(0)), std::string(r.GetText(1)), *Date::ParseIso(r.GetText(2)),
                                 std::string(r.GetText(3)), r.GetInt64(4)});
    }
  }
  return write_offs;
}

}  // namespace

Result<int64_t> ProposeWriteOff(Database& database, int64_t tenant_id, const std::string& customer_external_id,
                                const std::vector<std::string>& invoice_external_ids, const std::string& reason,
                                const AuditContext& audit) {
  const Language language = audit.language;
  if (reason.empty() || reason.size() > kNoteBytesMax) {
    return Fail(FieldError(ErrorCode::kBadInput, "reason",
                           TrFormat(language, "el motivo es obligatorio (hasta {} bytes)",
                                    "the reason is required (up to {} bytes)", kNoteBytesMax)));
  }
  if (invoice_external_ids.size() > kCaseInvoicesMax) {
    return Fail(FieldError(ErrorCode::kBadInput, "invoice_ids",
                           TrFormat(language, "como máximo {} facturas", "at most {} invoices", kCaseInvoicesMax)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto customer_id = CustomerIdByExternalId(database, tenant_id, customer_external_id, language);
  if (!customer_id)
    return Fail(Error{customer_id.error().code, fmt::format("customer: {}", customer_id.error().message)});

  std::vector<ChosenInvoice> chosen;
  if (invoice_external_ids.empty()) {
    auto query = database.Prepare(
        "SELECT id, external_id, currency, open_minor FROM invoices WHERE tenant_id = ? AND customer_id = ? AND "
        "open_minor > 0 ORDER BY due_date, id");
    if (!query) return Fail(query.error());
    (*query)->BindInt64(1, tenant_id);
    (*query)->BindInt64(2, *customer_id);
    while (true) {
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      chosen.push_back({(*query)->GetInt64(0), std::string((*query)->GetText(1)), std::string((*query)->GetText(2)),
                        (*query)->GetInt64(3)});
    }
    if (chosen.empty()) {
      return Fail(FieldError(ErrorCode::kBadInput, "invoice_ids",
                             TrFormat(language, "el cliente '{}' no tiene facturas pendientes",
                                      "customer '{}' has no open invoices", customer_external_id)));
    }
  } else {
    auto query = database.Prepare(
        "SELECT id, external_id, currency, open_minor FROM invoices WHERE tenant_id = ? AND customer_id = ? AND "
        "external_id = ?");
    if (!query) return Fail(query.error());
    std::set<std::string> seen;
    for (const std::string& external_id : invoice_external_ids) {
      if (!seen.insert(external_id).second) continue;
      (*query)->Reset();
      (*query)->BindInt64(1, tenant_id);
      (*query)->BindInt64(2, *customer_id);
      (*query)->BindText(3, external_id);
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) {
        return Fail(FieldError(ErrorCode::kNotFound, "invoice_ids",
                               TrFormat(language, "el cliente '{}' no tiene una factura '{}'",
                                        "customer '{}' has no invoice '{}'", customer_external_id, external_id)));
      }
      ChosenInvoice invoice{(*query)->GetInt64(0), std::string((*query)->GetText(1)), std::string((*query)->GetText(2)),
                            (*query)->GetInt64(3)};
      if (invoice.open_minor <= 0) {
        return Fail(FieldError(
            ErrorCode::kBadInput, "invoice_ids",
            TrFormat(language, "la factura '{}' ya está pagada", "invoice '{}' is already paid", external_id)));
      }
      chosen.push_back(std::move(invoice));
    }
  }
  auto pending = database.Prepare(
      "SELECT w.id FROM write_off_invoices i JOIN write_offs w ON w.tenant_id = i.tenant_id AND w.id = i.write_off_id "
      "WHERE i.tenant_id = ? AND i.invoice_id = ? AND w.status = 'proposed'");
  if (!pending) return Fail(pending.error());
  for (const ChosenInvoice& invoice : chosen) {
    (*pending)->Reset();
    (*pending)->BindInt64(1, tenant_id);
    (*pending)->BindInt64(2, invoice.id);
    auto row = (*pending)->Step();
    if (!row) return Fail(row.error());
    if (*row) {
      return Fail(FieldError(
          ErrorCode::kConflict, "invoice_ids",
          TrFormat(language, "la factura '{}' ya está en la propuesta de castigo {}",
                   "invoice '{}' is already in write-off proposal {}", invoice.external_id, (*pending)->GetInt64(0))));
    }
  }
  pending->reset();
  auto insert = database.Prepare(
      "INSERT INTO write_offs (tenant_id, customer_id, status, reason, proposed_by, proposed_at) VALUES (?, ?, "
      "'proposed', ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, *customer_id);
  (*insert)->BindText(3, reason);
  (*insert)->BindText(4, audit.actor);
  (*insert)->BindText(5, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = internal::LastId(database, "write_offs", tenant_id);
  if (!id) return Fail(id.error());
  auto line = database.Prepare(
      "INSERT INTO write_off_invoices (tenant_id, write_off_id, customer_id, invoice_id, currency, amount_minor) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!line) return Fail(line.error());
  nlohmann::json lines = nlohmann::json::array();
  for (const ChosenInvoice& invoice : chosen) {
    (*line)->Reset();
    (*line)->BindInt64(1, tenant_id);
    (*line)->BindInt64(2, *id);
    (*line)->BindInt64(3, *customer_id);
    (*line)->BindInt64(4, invoice.id);
    (*line)->BindText(5, invoice.currency);
    (*line)->BindInt64(6, invoice.open_minor);
    if (auto ok = (*line)->Run(); !ok) return Fail(ok.error());
    lines.push_back(
        {{"invoice_external_id", invoice.external_id}, {"amount", MoneyJson(invoice.open_minor, invoice.currency)}});
  }
  if (auto ok =
          AuditChange(database, tenant_id, audit, "write_off", *id, "create", nullptr,
                      {{"customer_id", *customer_id}, {"status", "proposed"}, {"reason", reason}, {"invoices", lines}});
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *id;
}

Status DecideWriteOff(Database& database, int64_t tenant_id, int64_t write_off_id, bool approve,
                      const std::string& note, const AuditContext& audit) {
  const Language language = audit.language;
  if (note.size() > kNoteBytesMax) {
    return Fail(FieldError(ErrorCode::kBadInput, "note",
                           TrFormat(language, "como máximo {} bytes", "at most {} bytes", kNoteBytesMax)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto locked = LockTenantLedger(database, tenant_id); !locked) return locked;
  auto header = database.Prepare(
      "SELECT customer_id, status, proposed_by, reason FROM write_offs WHERE tenant_id = ? AND id = ?");
  if (!header) return Fail(header.error());
  (*header)->BindInt64(1, tenant_id);
  (*header)->BindInt64(2, write_off_id);
  auto row = (*header)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(WriteOffNotFound(write_off_id, language));
  const int64_t customer_id = (*header)->GetInt64(0);
  const std::string status((*header)->GetText(1)), proposed_by((*header)->GetText(2)), reason((*header)->GetText(3));
  header->reset();
  if (status != "proposed") {
    return Fail(Error::Conflict(TrFormat(language, "el castigo {} ya fue decidido ({})",
                                         "write-off {} was already decided ({})", write_off_id, status)));
  }
  if (proposed_by == audit.actor) {
    return Fail(Error::Conflict(TrFormat(language, "nadie aprueba ni rechaza su propia propuesta ({})",
                                         "nobody approves or rejects their own proposal ({})", proposed_by)));
  }
  nlohmann::json credited = nlohmann::json::array();
  if (approve) {
    auto lines = database.Prepare(
        "SELECT w.id, w.invoice_id, i.currency, i.open_minor, w.amount_minor FROM write_off_invoices w JOIN invoices i "
        "ON i.tenant_id = w.tenant_id AND i.id = w.invoice_id WHERE w.tenant_id = ? AND w.write_off_id = ? ORDER BY "
        "w.id");
    if (!lines) return Fail(lines.error());
    (*lines)->BindInt64(1, tenant_id);
    (*lines)->BindInt64(2, write_off_id);
    struct Line {
      int64_t id, invoice_id;
      std::string currency;
      int64_t open_minor, proposed_minor;
    };
    std::vector<Line> pending;
    while (true) {
      auto line = (*lines)->Step();
      if (!line) return Fail(line.error());
      if (!*line) break;
      pending.push_back({(*lines)->GetInt64(0), (*lines)->GetInt64(1), std::string((*lines)->GetText(2)),
                         (*lines)->GetInt64(3), (*lines)->GetInt64(4)});
    }
    lines->reset();
    auto date = Date::ParseIso(audit.at.substr(0, 10));
    if (!date) return Fail(Error::Internal("the audit time is not a date"));
    auto update = database.Prepare(
        "UPDATE write_off_invoices SET amount_minor = ?, credit_note_id = ? WHERE tenant_id = ? AND id = ?");
    if (!update) return Fail(update.error());
    for (const Line& line : pending) {
      const int64_t amount = std::min(line.open_minor, line.proposed_minor);
      std::optional<int64_t> note_id;
      if (amount > 0) {
        const std::optional<Currency> currency = Currency::FromCode(line.currency);
        if (!currency) return Fail(Error::Internal("an invoice has an unknown currency"));
        CreditNotePost post;
        post.customer_id = customer_id;
        post.invoice_id = line.invoice_id;
        post.date = *date;
        post.amount = Money(amount, *currency);
        post.kind = "write_off";
        post.reason = reason;
        post.source = fmt::format("write_off:{}:invoice:{}", write_off_id, line.invoice_id);
        auto posted = PostCreditNoteIn(database, tenant_id, post, audit);
        if (!posted) return Fail(posted.error());
        note_id = *posted;
      }
      (*update)->Reset();
      (*update)->BindInt64(1, amount);
      note_id ? (*update)->BindInt64(2, *note_id) : (*update)->BindNull(2);
      (*update)->BindInt64(3, tenant_id);
      (*update)->BindInt64(4, line.id);
      if (auto ok = (*update)->Run(); !ok) return ok;
      credited.push_back({{"invoice_id", line.invoice_id},
                          {"amount", MoneyJson(amount, line.currency)},
                          {"credit_note_id", note_id ? nlohmann::json(*note_id) : nlohmann::json(nullptr)}});
    }
  }
  const std::string decided = approve ? "approved" : "rejected";
  auto update = database.Prepare(
      "UPDATE write_offs SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE tenant_id = ? AND id "
      "= ? AND status = 'proposed'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, decided);
  (*update)->BindText(2, audit.actor);
  (*update)->BindText(3, audit.at);
  (*update)->BindText(4, note);
  (*update)->BindInt64(5, tenant_id);
  (*update)->BindInt64(6, write_off_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if ((*update)->ChangedRows() != 1) {
    return Fail(Error::Conflict(
        TrFormat(language, "el castigo {} ya fue decidido", "write-off {} was already decided", write_off_id)));
  }
  nlohmann::json after = {{"status", decided}, {"note", note}};
  if (approve) after["credited"] = credited;
  if (auto ok =
          AuditChange(database, tenant_id, audit, "write_off", write_off_id, "update", {{"status", "proposed"}}, after);
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

Result<std::vector<WriteOff>> ListWriteOffs(Database& database, int64_t tenant_id, std::optional<std::string> status) {
  return QueryWriteOffs(database, tenant_id, std::move(status), std::nullopt);
}

Result<WriteOff> LoadWriteOff(Database& database, int64_t tenant_id, int64_t write_off_id, Language language) {
  auto found = QueryWriteOffs(database, tenant_id, std::nullopt, write_off_id);
  if (!found) return Fail(found.error());
  if (found->empty()) return Fail(WriteOffNotFound(write_off_id, language));
  return std::move(found->front());
}

nlohmann::json WriteOffJson(const WriteOff& item) {
  nlohmann::json invoices = nlohmann::json::array();
  for (const WriteOffInvoice& invoice : item.invoices) {
    invoices.push_back({{"invoice_external_id", invoice.invoice_external_id},
                        {"number", invoice.number},
                        {"amount", MoneyJson(invoice.amount_minor, invoice.currency)},
                        {"credit_note_id",
                         invoice.credit_note_id ? nlohmann::json(*invoice.credit_note_id) : nlohmann::json(nullptr)}});
  }
  nlohmann::json recoveries = nlohmann::json::array();
  for (const WriteOffRecovery& recovery : item.recoveries) {
    recoveries.push_back({{"payment_external_id", recovery.payment_external_id},
                          {"invoice_external_id", recovery.invoice_external_id},
                          {"date", recovery.date.ToIso()},
                          {"amount", MoneyJson(recovery.amount_minor, recovery.currency)}});
  }
  auto or_null = [](const std::string& text) { return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text); };
  return {{"id", item.id},
          {"customer_external_id", item.customer_external_id},
          {"customer_name", item.customer_name},
          {"status", item.status},
          {"reason", item.reason},
          {"proposed_by", item.proposed_by},
          {"proposed_at", item.proposed_at},
          {"decided_by", or_null(item.decided_by)},
          {"decided_at", or_null(item.decided_at)},
          {"decision_note", or_null(item.decision_note)},
          {"invoices", invoices},
          {"recoveries", recoveries}};
}

Result<std::string> WriteOffExportCsv(Database& database, int64_t tenant_id, std::optional<Date> from,
                                      std::optional<Date> to) {
  std::string sql =
      "SELECT c.external_id, c.tax_id, i.external_id, i.number, l.currency, l.amount_minor, w.decided_at, "
      "w.decided_by, w.proposed_by, w.reason, w.id FROM write_offs w JOIN write_off_invoices l ON l.tenant_id = "
      "w.tenant_id AND l.write_off_id = w.id JOIN customers c ON c.tenant_id = w.tenant_id AND c.id = w.customer_id "
      "JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id WHERE w.tenant_id = ? AND w.status = "
      "'approved' AND l.amount_minor > 0";
  if (from) sql += " AND w.decided_at >= ?";
  if (to) sql += " AND w.decided_at < ?";
  sql += " ORDER BY w.decided_at, w.id, l.id";
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (from) (*query)->BindText(parameter++, from->ToIso());
  if (to) (*query)->BindText(parameter++, to->PlusDays(1).ToIso());
  std::ostringstream out;
  out << "customer,tax_id,invoice,number,currency,amount,date,approver,proposer,reason,write_off_id\n";
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    const std::string currency(r.GetText(4));
    const std::optional<Currency> known = Currency::FromCode(currency);
    WriteCsvRow(out,
                {std::string(r.GetText(0)), std::string(r.GetText(1)), std::string(r.GetText(2)),
                 std::string(r.GetText(3)), currency, FormatMinorUnits(r.GetInt64(5), known ? known->exponent() : 2),
                 std::string(r.GetText(6)).substr(0, 10), std::string(r.GetText(7)), std::string(r.GetText(8)),
                 std::string(r.GetText(9)), std::to_string(r.GetInt64(10))});
  }
  return out.str();
}

}  // namespace cartera::escalation
