#include "escalation/case_file.h"

#include <fmt/format.h>

#include <sstream>

#include "collection/records.h"
#include "collection/timeline.h"
#include "core/currency.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "escalation/escalation.h"
#include "pdf/case_file_pdf.h"
#include "pdf/customer_documents.h"
#include "report/output.h"
#include "store/company_profile.h"
#include "templates/locale_format.h"

namespace cartera::escalation {
namespace {

struct Contact {
  std::string channel;
  std::string value;
};

Result<std::vector<Contact>> LoadContacts(Database& database, int64_t tenant_id, int64_t customer_id) {
  auto query = database.Prepare(
      "SELECT channel, value FROM contact_points WHERE tenant_id = ? AND customer_id = ? ORDER BY channel, "
      "is_primary DESC, id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, customer_id);
  std::vector<Contact> contacts;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    contacts.push_back({std::string((*query)->GetText(0)), std::string((*query)->GetText(1))});
  }
  return contacts;
}

std::string Decimal(int64_t minor, const std::string& currency) {
  const std::optional<Currency> known = Currency::FromCode(currency);
  return FormatMinorUnits(minor, known ? known->exponent() : 2);
}

// What a timeline entry says, in one line: the source, kind, stage, action.
std::string TimelineWhat(const TimelineEntry& entry) {
  std::string what = entry.source;
  for (const std::string* part : {&entry.kind, &entry.channel, &entry.stage, &entry.action, &entry.outcome}) {
    if (!part->empty()) what += " " + *part;
  }
  return what;
}

std::string TimelineDetail(const TimelineEntry& entry, Language language) {
  if (language == Language::kSpanish && !entry.detail_es.empty()) return entry.detail_es;
  return entry.detail;
}

// Everything the file holds, read once for both formats.
struct CaseFileData {
  EscalationCase escalation_case;
  pdf::Debtor debtor;
  std::vector<Contact> contacts;
  std::vector<TimelineEntry> timeline;
  std::vector<PromiseRecord> promises;
  std::vector<DisputeRecord> disputes;
};

Result<CaseFileData> LoadData(Database& database, int64_t tenant_id, int64_t case_id, Language language) {
  CaseFileData data;
  auto loaded = LoadCase(database, tenant_id, case_id, language);
  if (!loaded) return Fail(loaded.error());
  data.escalation_case = std::move(*loaded);
  const int64_t customer_id = data.escalation_case.customer_id;
  const std::string& customer = data.escalation_case.customer_external_id;
  auto debtor = pdf::LoadDebtor(database, tenant_id, customer_id);
  if (!debtor) return Fail(debtor.error());
  data.debtor = std::move(*debtor);
  auto contacts = LoadContacts(database, tenant_id, customer_id);
  if (!contacts) return Fail(contacts.error());
  data.contacts = std::move(*contacts);
  auto timeline = LoadTimeline(database, tenant_id, customer);
  if (!timeline) return Fail(timeline.error());
  data.timeline = std::move(*timeline);
  auto promises = ListPromises(database, tenant_id, customer, std::nullopt, language);
  if (!promises) return Fail(promises.error());
  data.promises = std::move(*promises);
  auto disputes = ListDisputes(database, tenant_id, std::nullopt, customer, language);
  if (!disputes) return Fail(disputes.error());
  data.disputes = std::move(*disputes);
  return data;
}

std::string CaseLine(const EscalationCase& item, Language language) {
  std::string line = TrFormat(language, "Caso {}", "Case {}", item.id);
  if (item.kind == kKindAgency) {
    line += fmt::format(" · {} {} · {} %", Tr(language, "agencia", "agency"), item.agency_name,
                        item.commission_basis_points ? FormatBasisPoints(*item.commission_basis_points) : "");
  } else {
    line += fmt::format(" · {} · {}", Tr(language, "judicial", "legal"), item.stage);
  }
  return line;
}

}  // namespace

Result<std::string> CaseFileCsv(Database& database, int64_t tenant_id, int64_t case_id, Language language) {
  auto data = LoadData(database, tenant_id, case_id, language);
  if (!data) return Fail(data.error());
  const EscalationCase& item = data->escalation_case;
  const pdf::Addressee& debtor = data->debtor.addressee;
  std::ostringstream out;
  out << kCaseFileCsvHeader << '\n';
  auto row = [&out](std::vector<std::string> cells) { WriteCsvRow(out, cells); };
  row({"case", item.opened_at.substr(0, 10), std::to_string(item.id),
       item.kind == kKindAgency ? fmt::format("agency {}", item.agency_name) : fmt::format("legal {}", item.stage), "",
       "", item.status,
       item.commission_basis_points
           ? fmt::format("commission {} %{}{}", FormatBasisPoints(*item.commission_basis_points),
                         item.note.empty() ? "" : "; ", item.note)
           : item.note});
  row({"debtor", "", debtor.customer_number, "name", "", "", "", debtor.name});
  row({"debtor", "", debtor.customer_number, "tax_id", "", "", "", debtor.tax_id});
  row({"debtor", "", debtor.customer_number, "country", "", "", "", debtor.country});
  row({"debtor", "", debtor.customer_number, "address", "", "", "", debtor.address});
  for (const Contact& contact : data->contacts) {
    row({"debtor", "", debtor.customer_number, contact.channel, "", "", "", contact.value});
  }
  for (const CaseInvoice& invoice : item.invoices) {
    row({"invoice", invoice.due_date.ToIso(), invoice.external_id, invoice.number, invoice.currency,
         Decimal(invoice.open_minor, invoice.currency), invoice.held ? "held" : "released",
         fmt::format("issued {}; amount {}", invoice.issue_date.ToIso(),
                     Decimal(invoice.amount_minor, invoice.currency))});
  }
  for (const TimelineEntry& entry : data->timeline) {
    row({"contact", entry.date, entry.source, TimelineWhat(entry), entry.currency,
         entry.amount_minor ? Decimal(*entry.amount_minor, entry.currency) : "", entry.code,
         TimelineDetail(entry, language)});
  }
  for (const PromiseRecord& promise : data->promises) {
    row({"promise", promise.promised_date.ToIso(), std::to_string(promise.id), promise.source, promise.currency,
         Decimal(promise.amount_minor, promise.currency), promise.status, promise.note});
  }
  for (const DisputeRecord& dispute : data->disputes) {
    row({"dispute", dispute.opened_at.substr(0, 10), dispute.invoice_external_id, dispute.reason, "", "",
         dispute.status, dispute.resolution});
  }
  for (const Recovery& recovery : item.recoveries) {
    row({"recovery", recovery.date.ToIso(), recovery.reference, recovery.invoice_external_id, recovery.currency,
         Decimal(recovery.amount_minor, recovery.currency), "",
         fmt::format("payment {}; commission {}", recovery.payment_external_id,
                     Decimal(recovery.commission_minor, recovery.currency))});
  }
  return out.str();
}

Result<std::string> CaseFilePdf(Database& database, int64_t tenant_id, int64_t case_id, Timestamp now,
                                Language language) {
  auto data = LoadData(database, tenant_id, case_id, language);
  if (!data) return Fail(data.error());
  auto company = LoadCompanyProfile(database, tenant_id);
  if (!company) return Fail(company.error());
  pdf::PdfLayout layout;
  layout.paper = pdf::DefaultPaperFor(company->country);
  layout.locale = data->debtor.locale;
  layout.company = std::move(*company);
  const Language document_language =
      templates::LanguageOf(layout.locale) == templates::Language::kEs ? Language::kSpanish : Language::kEnglish;

  pdf::CaseFileDocument document;
  document.debtor = data->debtor.addressee;
  for (const Contact& contact : data->contacts)
    document.contact_lines.push_back(contact.channel + ": " + contact.value);
  document.case_line = CaseLine(data->escalation_case, document_language);
  document.as_of = DateIn("UTC", now);
  for (const CaseInvoice& invoice : data->escalation_case.invoices) {
    document.invoices.push_back({invoice.number, invoice.issue_date, invoice.due_date, invoice.currency,
                                 invoice.amount_minor, invoice.open_minor});
  }
  // Dates as ISO text (unambiguous for whoever receives the file), money
  // in the debtor's locale.
  auto short_date = [](const std::string& iso) { return iso.substr(0, 10); };
  auto money = [&](int64_t minor, const std::string& code) {
    const std::optional<Currency> currency = Currency::FromCode(code);
    return currency ? templates::FormatMoney(minor, *currency, layout.locale)
                    : fmt::format("{} {}", code, Decimal(minor, code));
  };
  for (const TimelineEntry& entry : data->timeline) {
    document.history.push_back({short_date(entry.date), TimelineWhat(entry), TimelineDetail(entry, document_language)});
  }
  for (const PromiseRecord& promise : data->promises) {
    document.promises.push_back(
        {promise.promised_date.ToIso(), money(promise.amount_minor, promise.currency), promise.status, promise.note});
  }
  for (const DisputeRecord& dispute : data->disputes) {
    document.disputes.push_back({short_date(dispute.opened_at), dispute.invoice_external_id, dispute.reason,
                                 dispute.status, dispute.resolution});
  }
  return pdf::RenderCaseFilePdf(document, layout);
}

}  // namespace cartera::escalation
