#include "escalation/escalation.h"

#include <fmt/format.h>

#include <set>

#include "core/currency.h"
#include "core/money.h"
#include "escalation/case_store.h"
#include "importer/import.h"
#include "report/customer_list.h"
#include "report/output.h"

namespace cartera::escalation {
namespace {

using internal::AuditChange;
using internal::LastId;

__extension__ typedef __int128 Int128;

Error FieldError(ErrorCode code, std::string_view field, std::string message) {
  return Error{code, fmt::format("{}: {}", field, message)};
}

// The customer's open invoices, or the chosen ones checked one by one.
Result<std::vector<CaseInvoice>> ChooseInvoices(Database& database, int64_t tenant_id, int64_t customer_id,
                                                const std::string& customer_external_id,
                                                const std::vector<std::string>& chosen, Language language) {
  std::vector<CaseInvoice> invoices;
  auto read = [](const Statement& r) {
    CaseInvoice invoice;
    invoice.invoice_id = r.GetInt64(0);
    invoice.external_id = r.GetText(1);
    invoice.number = r.GetText(2);
    invoice.due_date = *Date::ParseIso(r.GetText(3));
    invoice.currency = r.GetText(4);
    invoice.amount_minor = r.GetInt64(5);
    invoice.open_minor = r.GetInt64(6);
    invoice.issue_date = *Date::ParseIso(r.GetText(7));
    return invoice;
  };
  if (chosen.empty()) {
    auto query = database.Prepare(
        "SELECT id, external_id, number, due_date, currency, amount_minor, open_minor, issue_date FROM invoices WHERE "
        "tenant_id = ? AND customer_id = ? AND open_minor > 0 ORDER BY due_date, id");
    if (!query) return Fail(query.error());
    (*query)->BindInt64(1, tenant_id);
    (*query)->BindInt64(2, customer_id);
    while (true) {
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      invoices.push_back(read(**query));
    }
    if (invoices.empty()) {
      return Fail(FieldError(ErrorCode::kBadInput, "invoice_ids",
                             TrFormat(language, "el cliente '{}' no tiene facturas pendientes",
                                      "customer '{}' has no open invoices", customer_external_id)));
    }
    return invoices;
  }
  if (chosen.size() > kCaseInvoicesMax) {
    return Fail(FieldError(
        ErrorCode::kBadInput, "invoice_ids",
        TrFormat(language, "como máximo {} facturas por caso", "at most {} invoices per case", kCaseInvoicesMax)));
  }
  std::set<std::string> seen;
  auto query = database.Prepare(
      "SELECT id, external_id, number, due_date, currency, amount_minor, open_minor, issue_date, customer_id FROM "
      "invoices WHERE tenant_id = ? AND external_id = ?");
  if (!query) return Fail(query.error());
  for (const std::string& external_id : chosen) {
    if (!seen.insert(external_id).second) continue;
    (*query)->Reset();
    (*query)->BindInt64(1, tenant_id);
    (*query)->BindText(2, external_id);
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row || (*query)->GetInt64(8) != customer_id) {
      return Fail(FieldError(ErrorCode::kNotFound, "invoice_ids",
                             TrFormat(language, "el cliente '{}' no tiene una factura '{}'",
                                      "customer '{}' has no invoice '{}'", customer_external_id, external_id)));
    }
    CaseInvoice invoice = read(**query);
    if (invoice.open_minor <= 0) {
      return Fail(FieldError(
          ErrorCode::kBadInput, "invoice_ids",
          TrFormat(language, "la factura '{}' ya está pagada", "invoice '{}' is already paid", external_id)));
    }
    invoices.push_back(std::move(invoice));
  }
  return invoices;
}

Result<int64_t> CustomerId(Database& database, int64_t tenant_id, const std::string& external_id, Language language) {
  auto id = CustomerIdByExternalId(database, tenant_id, external_id, language);
  if (!id) return Fail(Error{id.error().code, fmt::format("customer: {}", id.error().message)});
  return *id;
}

Result<std::vector<CaseInvoice>> LoadCaseInvoices(Database& database, int64_t tenant_id, int64_t case_id) {
  auto query = database.Prepare(
      "SELECT i.id, i.external_id, i.number, i.due_date, i.currency, i.amount_minor, i.open_minor, e.held, "
      "i.issue_date FROM "
      "escalation_invoices e JOIN invoices i ON i.tenant_id = e.tenant_id AND i.id = e.invoice_id WHERE e.tenant_id = "
      "? AND e.case_id = ? ORDER BY i.due_date, i.id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, case_id);
  std::vector<CaseInvoice> invoices;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    invoices.push_back({r.GetInt64(0), std::string(r.GetText(1)), std::string(r.GetText(2)),
                        *Date::ParseIso(r.GetText(3)), std::string(r.GetText(4)), r.GetInt64(5), r.GetInt64(6),
                        r.GetInt64(7) == 1, *Date::ParseIso(r.GetText(8))});
  }
  return invoices;
}

Result<std::vector<Recovery>> LoadRecoveries(Database& database, int64_t tenant_id, int64_t case_id) {
  auto query = database.Prepare(
      "SELECT r.id, r.reference, r.payment_external_id, COALESCE(i.external_id, ''), r.date, r.currency, "
      "r.amount_minor, r.commission_basis_points, r.commission_minor FROM agency_recoveries r LEFT JOIN invoices i ON "
      "i.tenant_id = r.tenant_id AND i.id = r.invoice_id WHERE r.tenant_id = ? AND r.case_id = ? ORDER BY r.id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, case_id);
  std::vector<Recovery> recoveries;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    recoveries.push_back({r.GetInt64(0), std::string(r.GetText(1)), std::string(r.GetText(2)),
                          std::string(r.GetText(3)), *Date::ParseIso(r.GetText(4)), std::string(r.GetText(5)),
                          r.GetInt64(6), r.GetInt64(7), r.GetInt64(8)});
  }
  return recoveries;
}

Result<std::vector<LegalDocumentInfo>> LoadDocuments(Database& database, int64_t tenant_id, int64_t case_id) {
  auto query = database.Prepare(
      "SELECT id, name, content_type, size_bytes, added_by, added_at FROM legal_documents WHERE tenant_id = ? AND "
      "case_id = ? ORDER BY id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, case_id);
  std::vector<LegalDocumentInfo> documents;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    documents.push_back({r.GetInt64(0), std::string(r.GetText(1)), std::string(r.GetText(2)), r.GetInt64(3),
                         std::string(r.GetText(4)), std::string(r.GetText(5))});
  }
  return documents;
}

Result<std::vector<LegalCost>> LoadCosts(Database& database, int64_t tenant_id, int64_t case_id) {
  auto query = database.Prepare(
      "SELECT id, date, currency, amount_minor, description, added_by FROM legal_costs WHERE tenant_id = ? AND "
      "case_id = ? ORDER BY date, id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, case_id);
  std::vector<LegalCost> costs;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    costs.push_back({r.GetInt64(0), *Date::ParseIso(r.GetText(1)), std::string(r.GetText(2)), r.GetInt64(3),
                     std::string(r.GetText(4)), std::string(r.GetText(5))});
  }
  return costs;
}

Result<std::vector<EscalationCase>> QueryCases(Database& database, int64_t tenant_id, const CaseFilter& filter,
                                               std::optional<int64_t> case_id) {
  std::string sql =
      "SELECT e.id, e.customer_id, c.external_id, c.name, e.kind, e.agency_id, COALESCE(a.name, ''), "
      "e.commission_basis_points, e.status, COALESCE(e.stage, ''), e.note, e.opened_by, e.opened_at, "
      "COALESCE(e.ended_at, '') FROM escalation_cases e JOIN customers c ON c.tenant_id = e.tenant_id AND c.id = "
      "e.customer_id LEFT JOIN collection_agencies a ON a.tenant_id = e.tenant_id AND a.id = e.agency_id WHERE "
      "e.tenant_id = ?";
  if (case_id) sql += " AND e.id = ?";
  if (filter.customer_external_id) sql += " AND c.external_id = ?";
  if (filter.kind) sql += " AND e.kind = ?";
  if (filter.status) sql += " AND e.status = ?";
  sql += " ORDER BY e.id DESC";
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (case_id) (*query)->BindInt64(parameter++, *case_id);
  if (filter.customer_external_id) (*query)->BindText(parameter++, *filter.customer_external_id);
  if (filter.kind) (*query)->BindText(parameter++, *filter.kind);
  if (filter.status) (*query)->BindText(parameter++, *filter.status);
  std::vector<EscalationCase> cases;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    EscalationCase item;
    item.id = r.GetInt64(0);
    item.customer_id = r.GetInt64(1);
    item.customer_external_id = r.GetText(2);
    item.customer_name = r.GetText(3);
    item.kind = r.GetText(4);
    if (!r.IsNull(5)) item.agency_id = r.GetInt64(5);
    item.agency_name = r.GetText(6);
    if (!r.IsNull(7)) item.commission_basis_points = r.GetInt64(7);
    item.status = r.GetText(8);
    item.stage = r.GetText(9);
    item.note = r.GetText(10);
    item.opened_by = r.GetText(11);
    item.opened_at = r.GetText(12);
    item.ended_at = r.GetText(13);
    cases.push_back(std::move(item));
  }
  for (EscalationCase& item : cases) {
    auto invoices = LoadCaseInvoices(database, tenant_id, item.id);
    if (!invoices) return Fail(invoices.error());
    item.invoices = std::move(*invoices);
  }
  return cases;
}

Status CheckText(const std::string& text, std::string_view field, size_t max_bytes, bool required, Language language) {
  if (required && text.empty()) {
    return Fail(FieldError(ErrorCode::kBadInput, field, std::string(Tr(language, "es obligatorio", "is required"))));
  }
  if (text.size() > max_bytes) {
    return Fail(FieldError(ErrorCode::kBadInput, field,
                           TrFormat(language, "como máximo {} bytes", "at most {} bytes", max_bytes)));
  }
  return {};
}

}  // namespace

Result<int64_t> ParseCommissionPercent(std::string_view text, std::string_view field, Language language) {
  auto refuse = [&]() {
    return Fail(FieldError(ErrorCode::kBadInput, field,
                           TrFormat(language, "'{}' no es un porcentaje de 0 a 100 con hasta dos decimales",
                                    "'{}' is not a percentage from 0 to 100 with at most two decimals", text)));
  };
  if (text.empty() || text.size() > 10) return refuse();
  int64_t whole = 0, fraction = 0;
  int fraction_digits = 0;
  bool in_fraction = false, any_digit = false;
  for (char c : text) {
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') return refuse();
    any_digit = true;
    if (in_fraction) {
      if (++fraction_digits > 2) return refuse();
      fraction = fraction * 10 + (c - '0');
    } else {
      whole = whole * 10 + (c - '0');
    }
  }
  if (!any_digit || (in_fraction && fraction_digits == 0)) return refuse();
  if (fraction_digits == 1) fraction *= 10;
  const int64_t basis_points = whole * 100 + fraction;
  if (basis_points > 10000) return refuse();
  return basis_points;
}

std::string FormatBasisPoints(int64_t basis_points) {
  return fmt::format("{}.{:02}", basis_points / 100, basis_points % 100);
}

int64_t CommissionMinor(int64_t amount_minor, int64_t basis_points) {
  // Half up: (amount x bp + 5000) / 10000, in 128 bits so no product overflows.
  const Int128 product = Int128(amount_minor) * basis_points;
  return static_cast<int64_t>((product + 5000) / 10000);
}

Result<Agency> AddAgency(Database& database, int64_t tenant_id, const std::string& name, const std::string& contact,
                         int64_t commission_basis_points, const AuditContext& audit) {
  const Language language = audit.language;
  if (auto ok = CheckText(name, "name", kAgencyNameBytesMax, true, language); !ok) return Fail(ok.error());
  if (auto ok = CheckText(contact, "contact", kAgencyContactBytesMax, false, language); !ok) return Fail(ok.error());
  if (commission_basis_points < 0 || commission_basis_points > 10000) {
    return Fail(FieldError(ErrorCode::kBadInput, "commission_percent",
                           std::string(Tr(language, "debe estar entre 0 y 100", "must be from 0 to 100"))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto existing = database.Prepare("SELECT COUNT(*) FROM collection_agencies WHERE tenant_id = ? AND name = ?");
  if (!existing) return Fail(existing.error());
  (*existing)->BindInt64(1, tenant_id);
  (*existing)->BindText(2, name);
  auto row = (*existing)->Step();
  if (!row) return Fail(row.error());
  if ((*existing)->GetInt64(0) > 0) {
    return Fail(FieldError(
        ErrorCode::kConflict, "name",
        TrFormat(language, "ya hay una agencia llamada '{}'", "there is already an agency named '{}'", name)));
  }
  existing->reset();
  auto insert = database.Prepare(
      "INSERT INTO collection_agencies (tenant_id, name, contact, commission_basis_points, created_at) VALUES (?, ?, "
      "?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, name);
  (*insert)->BindText(3, contact);
  (*insert)->BindInt64(4, commission_basis_points);
  (*insert)->BindText(5, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = LastId(database, "collection_agencies", tenant_id);
  if (!id) return Fail(id.error());
  Agency agency{*id, name, contact, commission_basis_points, audit.at};
  if (auto ok =
          AuditChange(database, tenant_id, audit, "collection_agency", *id, "create", nullptr, AgencyJson(agency));
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return agency;
}

Result<std::vector<Agency>> ListAgencies(Database& database, int64_t tenant_id) {
  auto query = database.Prepare(
      "SELECT id, name, contact, commission_basis_points, created_at FROM collection_agencies WHERE tenant_id = ? "
      "ORDER BY name, id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  std::vector<Agency> agencies;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    agencies.push_back({r.GetInt64(0), std::string(r.GetText(1)), std::string(r.GetText(2)), r.GetInt64(3),
                        std::string(r.GetText(4))});
  }
  return agencies;
}

nlohmann::json AgencyJson(const Agency& agency) {
  return {{"id", agency.id},
          {"name", agency.name},
          {"contact", agency.contact},
          {"commission_percent", FormatBasisPoints(agency.commission_basis_points)},
          {"created_at", agency.created_at}};
}

Result<int64_t> Escalate(Database& database, int64_t tenant_id, const EscalateRequest& request,
                         const AuditContext& audit) {
  const Language language = audit.language;
  if (request.kind != kKindAgency && request.kind != kKindLegal) {
    return Fail(FieldError(
        ErrorCode::kBadInput, "kind",
        TrFormat(language, "'{}' no es 'agency' ni 'legal'", "'{}' is neither 'agency' nor 'legal'", request.kind)));
  }
  if (request.kind == kKindAgency && !request.agency_id) {
    return Fail(FieldError(
        ErrorCode::kBadInput, "agency_id",
        std::string(Tr(language, "un caso de agencia necesita la agencia", "an agency case needs the agency"))));
  }
  if (request.kind == kKindLegal && request.agency_id) {
    return Fail(
        FieldError(ErrorCode::kBadInput, "agency_id",
                   std::string(Tr(language, "un caso judicial no tiene agencia", "a legal case has no agency"))));
  }
  if (auto ok = CheckText(request.note, "note", kNoteBytesMax, false, language); !ok) return Fail(ok.error());

  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto customer_id = CustomerId(database, tenant_id, request.customer_external_id, language);
  if (!customer_id) return Fail(customer_id.error());
  std::optional<int64_t> commission;
  if (request.agency_id) {
    auto agency =
        database.Prepare("SELECT commission_basis_points FROM collection_agencies WHERE tenant_id = ? AND id = ?");
    if (!agency) return Fail(agency.error());
    (*agency)->BindInt64(1, tenant_id);
    (*agency)->BindInt64(2, *request.agency_id);
    auto row = (*agency)->Step();
    if (!row) return Fail(row.error());
    if (!*row) {
      return Fail(FieldError(ErrorCode::kNotFound, "agency_id",
                             TrFormat(language, "no hay una agencia {}", "no agency {}", *request.agency_id)));
    }
    commission = (*agency)->GetInt64(0);
  }
  auto invoices = ChooseInvoices(database, tenant_id, *customer_id, request.customer_external_id,
                                 request.invoice_external_ids, language);
  if (!invoices) return Fail(invoices.error());
  auto held = database.Prepare(
      "SELECT case_id FROM escalation_invoices WHERE tenant_id = ? AND held = 1 AND customer_id = ? AND invoice_id = "
      "?");
  if (!held) return Fail(held.error());
  for (const CaseInvoice& invoice : *invoices) {
    (*held)->Reset();
    (*held)->BindInt64(1, tenant_id);
    (*held)->BindInt64(2, *customer_id);
    (*held)->BindInt64(3, invoice.invoice_id);
    auto row = (*held)->Step();
    if (!row) return Fail(row.error());
    if (*row) {
      return Fail(
          FieldError(ErrorCode::kConflict, "invoice_ids",
                     TrFormat(language, "la factura '{}' ya está en el caso abierto {}",
                              "invoice '{}' is already in open case {}", invoice.external_id, (*held)->GetInt64(0))));
    }
  }
  held->reset();

  auto insert = database.Prepare(
      "INSERT INTO escalation_cases (tenant_id, customer_id, kind, agency_id, commission_basis_points, status, stage, "
      "note, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, *customer_id);
  (*insert)->BindText(3, request.kind);
  request.agency_id ? (*insert)->BindInt64(4, *request.agency_id) : (*insert)->BindNull(4);
  commission ? (*insert)->BindInt64(5, *commission) : (*insert)->BindNull(5);
  request.kind == kKindLegal ? (*insert)->BindText(6, "demand_letter") : (*insert)->BindNull(6);
  (*insert)->BindText(7, request.note);
  (*insert)->BindText(8, audit.actor);
  (*insert)->BindText(9, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto case_id = LastId(database, "escalation_cases", tenant_id);
  if (!case_id) return Fail(case_id.error());

  auto hold = database.Prepare(
      "INSERT INTO escalation_invoices (tenant_id, case_id, customer_id, invoice_id, held) VALUES (?, ?, ?, ?, 1)");
  if (!hold) return Fail(hold.error());
  nlohmann::json invoice_ids = nlohmann::json::array();
  for (const CaseInvoice& invoice : *invoices) {
    (*hold)->Reset();
    (*hold)->BindInt64(1, tenant_id);
    (*hold)->BindInt64(2, *case_id);
    (*hold)->BindInt64(3, *customer_id);
    (*hold)->BindInt64(4, invoice.invoice_id);
    if (auto ok = (*hold)->Run(); !ok) return Fail(ok.error());
    invoice_ids.push_back(invoice.external_id);
  }
  nlohmann::json after = {{"customer_id", *customer_id},
                          {"kind", request.kind},
                          {"status", "open"},
                          {"invoices", invoice_ids},
                          {"note", request.note}};
  if (request.agency_id) after["agency_id"] = *request.agency_id;
  if (commission) after["commission_percent"] = FormatBasisPoints(*commission);
  if (request.kind == kKindLegal) after["stage"] = "demand_letter";
  if (auto ok = AuditChange(database, tenant_id, audit, "escalation_case", *case_id, "create", nullptr, after); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *case_id;
}

Status RecallCase(Database& database, int64_t tenant_id, int64_t case_id, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto header = internal::LoadCaseHeader(database, tenant_id, case_id, audit.language);
  if (!header) return Fail(header.error());
  if (header->kind != kKindAgency) {
    return Fail(Error::Conflict(TrFormat(audit.language, "el caso {} es judicial: termina al pasar a la etapa 'closed'",
                                         "case {} is a legal case: it ends at stage 'closed'", case_id)));
  }
  if (auto ok = internal::EndCase(database, tenant_id, case_id, "recalled", audit); !ok) return ok;
  return transaction->Commit();
}

Result<std::vector<EscalationCase>> ListCases(Database& database, int64_t tenant_id, const CaseFilter& filter,
                                              Language language) {
  if (filter.customer_external_id) {
    auto known = CustomerId(database, tenant_id, *filter.customer_external_id, language);
    if (!known) return Fail(known.error());
  }
  return QueryCases(database, tenant_id, filter, std::nullopt);
}

Result<EscalationCase> LoadCase(Database& database, int64_t tenant_id, int64_t case_id, Language language) {
  auto cases = QueryCases(database, tenant_id, {}, case_id);
  if (!cases) return Fail(cases.error());
  if (cases->empty()) return Fail(internal::CaseNotFound(case_id, language));
  EscalationCase item = std::move(cases->front());
  auto recoveries = LoadRecoveries(database, tenant_id, case_id);
  if (!recoveries) return Fail(recoveries.error());
  item.recoveries = std::move(*recoveries);
  auto documents = LoadDocuments(database, tenant_id, case_id);
  if (!documents) return Fail(documents.error());
  item.documents = std::move(*documents);
  auto costs = LoadCosts(database, tenant_id, case_id);
  if (!costs) return Fail(costs.error());
  item.costs = std::move(*costs);
  return item;
}

nlohmann::json RecoveryJson(const Recovery& recovery) {
  return {{"id", recovery.id},
          {"reference", recovery.reference},
          {"payment_external_id", recovery.payment_external_id},
          {"invoice_external_id", recovery.invoice_external_id},
          {"date", recovery.date.ToIso()},
          {"amount", MoneyJson(recovery.amount_minor, recovery.currency)},
          {"commission_percent", FormatBasisPoints(recovery.commission_basis_points)},
          {"commission", MoneyJson(recovery.commission_minor, recovery.currency)}};
}

nlohmann::json CaseJson(const EscalationCase& item) {
  nlohmann::json invoices = nlohmann::json::array();
  for (const CaseInvoice& invoice : item.invoices) {
    invoices.push_back({{"external_id", invoice.external_id},
                        {"number", invoice.number},
                        {"due_date", invoice.due_date.ToIso()},
                        {"amount", MoneyJson(invoice.amount_minor, invoice.currency)},
                        {"open", MoneyJson(invoice.open_minor, invoice.currency)},
                        {"held", invoice.held}});
  }
  nlohmann::json recoveries = nlohmann::json::array();
  for (const Recovery& recovery : item.recoveries) recoveries.push_back(RecoveryJson(recovery));
  nlohmann::json documents = nlohmann::json::array();
  for (const LegalDocumentInfo& document : item.documents) {
    documents.push_back({{"id", document.id},
                         {"name", document.name},
                         {"content_type", document.content_type},
                         {"size_bytes", document.size_bytes},
                         {"added_by", document.added_by},
                         {"added_at", document.added_at}});
  }
  nlohmann::json costs = nlohmann::json::array();
  for (const LegalCost& cost : item.costs) {
    costs.push_back({{"id", cost.id},
                     {"date", cost.date.ToIso()},
                     {"amount", MoneyJson(cost.amount_minor, cost.currency)},
                     {"description", cost.description},
                     {"added_by", cost.added_by}});
  }
  nlohmann::json agency = nullptr;
  if (item.agency_id) agency = {{"id", *item.agency_id}, {"name", item.agency_name}};
  return {{"id", item.id},
          {"customer_external_id", item.customer_external_id},
          {"customer_name", item.customer_name},
          {"kind", item.kind},
          {"agency", agency},
          {"commission_percent", item.commission_basis_points
                                     ? nlohmann::json(FormatBasisPoints(*item.commission_basis_points))
                                     : nlohmann::json(nullptr)},
          {"status", item.status},
          {"stage", item.stage.empty() ? nlohmann::json(nullptr) : nlohmann::json(item.stage)},
          {"note", item.note},
          {"opened_by", item.opened_by},
          {"opened_at", item.opened_at},
          {"ended_at", item.ended_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(item.ended_at)},
          {"invoices", invoices},
          {"recoveries", recoveries},
          {"documents", documents},
          {"costs", costs}};
}

Result<Recovery> RecordRecovery(Database& database, int64_t tenant_id, int64_t case_id, const RecoveryRequest& request,
                                const AuditContext& audit) {
  const Language language = audit.language;
  if (request.reference.empty() || request.reference.size() > kReferenceBytesMax) {
    return Fail(FieldError(ErrorCode::kBadInput, "reference",
                           TrFormat(language, "la referencia de la agencia es obligatoria (hasta {} bytes)",
                                    "the agency's reference is required (up to {} bytes)", kReferenceBytesMax)));
  }
  for (char c : request.reference) {
    if (static_cast<unsigned char>(c) < 0x20 || c == ',' || c == '"') {
      return Fail(FieldError(ErrorCode::kBadInput, "reference",
                             std::string(Tr(language, "sin comas, comillas ni caracteres de control",
                                            "no commas, quotes or control characters"))));
    }
  }
  auto loaded = LoadCase(database, tenant_id, case_id, language);
  if (!loaded) return Fail(loaded.error());
  const EscalationCase& item = *loaded;
  if (item.kind != kKindAgency || !item.commission_basis_points) {
    return Fail(Error::Conflict(
        TrFormat(language, "el caso {} no es de una agencia", "case {} is not an agency case", case_id)));
  }
  for (const Recovery& recovery : item.recoveries) {
    if (recovery.reference == request.reference) {
      return Fail(FieldError(
          ErrorCode::kConflict, "reference",
          TrFormat(language, "la recuperación '{}' ya está registrada (pago {})",
                   "recovery '{}' is already recorded (payment {})", request.reference, recovery.payment_external_id)));
    }
  }
  const CaseInvoice* invoice = nullptr;
  if (request.invoice_external_id.empty()) {
    if (item.invoices.size() != 1) {
      return Fail(FieldError(ErrorCode::kBadInput, "invoice_id",
                             std::string(Tr(language, "el caso tiene varias facturas: diga cuál se pagó",
                                            "the case has several invoices: say which one was paid"))));
    }
    invoice = &item.invoices.front();
  } else {
    for (const CaseInvoice& candidate : item.invoices) {
      if (candidate.external_id == request.invoice_external_id) invoice = &candidate;
    }
    if (invoice == nullptr) {
      return Fail(FieldError(ErrorCode::kNotFound, "invoice_id",
                             TrFormat(language, "la factura '{}' no está en el caso {}",
                                      "invoice '{}' is not in case {}", request.invoice_external_id, case_id)));
    }
  }
  const std::optional<Currency> currency = Currency::FromCode(invoice->currency);
  if (!currency) return Fail(Error::Internal("an invoice has an unknown currency"));
  auto amount = Money::Parse(request.amount, *currency);
  if (!amount) return Fail(FieldError(ErrorCode::kBadInput, "amount", amount.error().message));
  const std::string payment_external_id = fmt::format("agency-{}-{}", case_id, request.reference);
  // A payment already imported under this id (a retry after a crash between
  // the import and the recovery row) is not counted against the open amount.
  auto imported = database.Prepare(
      "SELECT amount_minor, COALESCE(invoice_id, 0) FROM payments WHERE tenant_id = ? AND external_id = ?");
  if (!imported) return Fail(imported.error());
  (*imported)->BindInt64(1, tenant_id);
  (*imported)->BindText(2, payment_external_id);
  auto imported_row = (*imported)->Step();
  if (!imported_row) return Fail(imported_row.error());
  const bool already_imported = *imported_row;
  if (already_imported &&
      ((*imported)->GetInt64(0) != amount->minor_units() || (*imported)->GetInt64(1) != invoice->invoice_id)) {
    // Another amount under the same reference: the import would rewrite
    // that payment. Refused; the agency's reference names one collection.
    return Fail(
        FieldError(ErrorCode::kConflict, "reference",
                   TrFormat(language, "el pago '{}' ya existe con otro valor o factura",
                            "payment '{}' already exists with another amount or invoice", payment_external_id)));
  }
  imported->reset();
  if (amount->minor_units() <= 0 || (!already_imported && amount->minor_units() > invoice->open_minor)) {
    return Fail(FieldError(ErrorCode::kBadInput, "amount",
                           TrFormat(language, "debe ser mayor que cero y como máximo lo que debe la factura ({} {})",
                                    "must be above zero and at most what the invoice owes ({} {})",
                                    FormatMinorUnits(invoice->open_minor, currency->exponent()), invoice->currency)));
  }

  // The payment, the way every payment enters the ledger.
  ImportOptions options;
  options.kind = ImportKind::kPayments;
  options.path = fmt::format("agency-recovery-case-{}.csv", case_id);
  options.content = fmt::format(
      "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
      "{},{},{},{},{},agency,{},{}\n",
      payment_external_id, item.customer_external_id, request.date.ToIso(), invoice->currency,
      amount->ToDecimalString(), request.reference, invoice->external_id);
  options.tenant_id = tenant_id;
  options.audit = audit;
  options.language = language;
  auto report = RunImport(database, options);
  if (!report) return Fail(report.error());
  if (!report->ok()) {
    const std::string problem = report->errors.empty() ? std::string("?") : report->errors.front();
    return Fail(Error::BadInput(problem));
  }

  Recovery recovery;
  recovery.reference = request.reference;
  recovery.payment_external_id = payment_external_id;
  recovery.invoice_external_id = invoice->external_id;
  recovery.date = request.date;
  recovery.currency = invoice->currency;
  recovery.amount_minor = amount->minor_units();
  recovery.commission_basis_points = *item.commission_basis_points;
  recovery.commission_minor = CommissionMinor(recovery.amount_minor, recovery.commission_basis_points);

  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto insert = database.Prepare(
      "INSERT INTO agency_recoveries (tenant_id, case_id, customer_id, invoice_id, reference, payment_external_id, "
      "date, currency, amount_minor, commission_basis_points, commission_minor, created_at) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, case_id);
  (*insert)->BindInt64(3, item.customer_id);
  (*insert)->BindInt64(4, invoice->invoice_id);
  (*insert)->BindText(5, recovery.reference);
  (*insert)->BindText(6, recovery.payment_external_id);
  (*insert)->BindText(7, recovery.date.ToIso());
  (*insert)->BindText(8, recovery.currency);
  (*insert)->BindInt64(9, recovery.amount_minor);
  (*insert)->BindInt64(10, recovery.commission_basis_points);
  (*insert)->BindInt64(11, recovery.commission_minor);
  (*insert)->BindText(12, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = LastId(database, "agency_recoveries", tenant_id);
  if (!id) return Fail(id.error());
  recovery.id = *id;
  nlohmann::json after = RecoveryJson(recovery);
  after["case_id"] = case_id;
  if (auto ok = AuditChange(database, tenant_id, audit, "agency_recovery", *id, "create", nullptr, after); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return recovery;
}

Result<std::vector<int64_t>> CaseInvoiceIds(Database& database, int64_t tenant_id, int64_t case_id) {
  auto invoices = LoadCaseInvoices(database, tenant_id, case_id);
  if (!invoices) return Fail(invoices.error());
  std::vector<int64_t> ids;
  for (const CaseInvoice& invoice : *invoices) ids.push_back(invoice.invoice_id);
  return ids;
}

}  // namespace cartera::escalation
