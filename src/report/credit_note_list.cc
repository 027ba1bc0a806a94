#include "report/credit_note_list.h"

#include <utility>

#include "report/output.h"

namespace cartera {
namespace {

Error UnknownCreditNote(std::string_view external_id, Language language) {
  return Error::NotFound(TrFormat(language, "no hay una nota crédito con el id externo '{}'",
                                  "no credit note with external id '{}'", external_id));
}

const credit_list::Table kCreditNotes{
    .name = "credit_notes",
    .own_columns = "k.reason, i.external_id, i.number",
    .joins = " JOIN invoices i ON i.tenant_id = k.tenant_id AND i.id = k.invoice_id",
    .allocation_column = "credit_note_id",
    .unknown = UnknownCreditNote,
};

CreditNoteRow ReadRow(const Statement& row) {
  credit_list::Common common = credit_list::ReadCommon(row);
  CreditNoteRow note;
  note.id = common.id;
  note.customer_id = common.customer_id;
  note.external_id = std::move(common.external_id);
  note.customer_external_id = std::move(common.customer_external_id);
  note.customer_name = std::move(common.customer_name);
  note.date = std::move(common.date);
  note.currency = std::move(common.currency);
  note.amount_minor = common.amount_minor;
  note.unapplied_minor = common.unapplied_minor;
  note.reason = row.GetText(credit_list::kOwnColumn);
  note.invoice_external_id = row.GetText(credit_list::kOwnColumn + 1);
  note.invoice_number = row.GetText(credit_list::kOwnColumn + 2);
  return note;
}

Status AddApplications(Database& database, int64_t tenant_id, std::vector<CreditNoteRow>& rows) {
  std::vector<std::pair<int64_t, int64_t>> ids;
  ids.reserve(rows.size());
  for (const CreditNoteRow& row : rows) ids.emplace_back(row.customer_id, row.id);
  auto applications = credit_list::Applications(database, tenant_id, kCreditNotes, ids);
  if (!applications) return Fail(applications.error());
  for (size_t n = 0; n < rows.size(); ++n) rows[n].applied = std::move((*applications)[n]);
  return {};
}

}  // namespace

Result<CreditNoteList> ListCreditNotes(Database& database, int64_t tenant_id, const CreditNoteListQuery& query,
                                       Language language) {
  CreditNoteList list;
  auto has_more = credit_list::List(database, tenant_id, kCreditNotes, query, language,
                                    [&](const Statement& row) { list.rows.push_back(ReadRow(row)); });
  if (!has_more) return Fail(has_more.error());
  list.has_more = *has_more;
  if (auto ok = AddApplications(database, tenant_id, list.rows); !ok) return Fail(ok.error());
  return list;
}

Result<CreditNoteRow> LoadCreditNote(Database& database, int64_t tenant_id, std::string_view external_id,
                                     Language language) {
  std::vector<CreditNoteRow> rows;
  auto found = credit_list::LoadOne(database, tenant_id, kCreditNotes, external_id, language,
                                    [&](const Statement& row) { rows.push_back(ReadRow(row)); });
  if (!found) return Fail(found.error());
  if (auto ok = AddApplications(database, tenant_id, rows); !ok) return Fail(ok.error());
  return std::move(rows.front());
}

nlohmann::json CreditNoteJson(const CreditNoteRow& row) {
  nlohmann::json applied = nlohmann::json::array();
  for (const CreditApplication& application : row.applied) applied.push_back(CreditApplicationJson(application, row.currency));
  return {{"external_id", row.external_id},
          {"customer_external_id", row.customer_external_id},
          {"customer_name", row.customer_name},
          {"invoice_external_id", row.invoice_external_id},
          {"invoice_number", row.invoice_number},
          {"date", row.date},
          {"currency", row.currency},
          {"amount", MoneyJson(row.amount_minor, row.currency)},
          {"unapplied", MoneyJson(row.unapplied_minor, row.currency)},
          {"reason", row.reason},
          {"applied", std::move(applied)}};
}

}  // namespace cartera
