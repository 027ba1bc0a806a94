#include "pdf/customer_documents.h"

#include <fmt/format.h>

#include "report/statement.h"
#include "store/company_profile.h"

namespace cartera::pdf {
namespace {

Result<PdfLayout> LayoutFor(Database& database, int64_t tenant_id, templates::Locale locale,
                            std::optional<Paper> paper) {
  auto company = LoadCompanyProfile(database, tenant_id);
  if (!company) return Fail(company.error());
  PdfLayout layout;
  layout.paper = paper ? *paper : DefaultPaperFor(company->country);
  layout.locale = locale;
  layout.company = std::move(*company);
  return layout;
}

}  // namespace

Result<int64_t> FindCustomerId(Database& database, int64_t tenant_id, std::string_view customer_external_id) {
  auto query = database.Prepare("SELECT id FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, customer_external_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no customer with external id '{}'", customer_external_id)));
  return (*query)->GetInt64(0);
}

Result<Debtor> LoadDebtor(Database& database, int64_t tenant_id, int64_t customer_id) {
  auto query = database.Prepare(
      "SELECT external_id, name, tax_id, address, country, kind, language FROM customers WHERE tenant_id = ? AND id = "
      "?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, customer_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no customer with id {}", customer_id)));
  const Statement& customer = **query;
  Debtor debtor;
  debtor.addressee.customer_number = customer.GetText(0);
  debtor.addressee.name = customer.GetText(1);
  debtor.addressee.tax_id = customer.GetText(2);
  debtor.addressee.address = customer.IsNull(3) ? "" : std::string(customer.GetText(3));
  debtor.addressee.country = customer.GetText(4);
  debtor.addressee.is_company = customer.GetText(5) == "company";
  debtor.locale = templates::LocaleForCustomer(customer.GetText(6), customer.GetText(4));
  return debtor;
}

Result<std::string> StatementPdfForCustomer(Database& database, int64_t tenant_id, int64_t customer_id,
                                            std::optional<Date> as_of, std::optional<Paper> paper, Timestamp now) {
  auto debtor = LoadDebtor(database, tenant_id, customer_id);
  if (!debtor) return Fail(debtor.error());
  const FixedClock clock(now);
  auto statement = BuildStatement(database, tenant_id, debtor->addressee.customer_number, as_of, clock);
  if (!statement) return Fail(statement.error());
  auto layout = LayoutFor(database, tenant_id, debtor->locale, paper);
  if (!layout) return Fail(layout.error());
  return RenderStatementPdf(*statement, debtor->addressee, *layout);
}

Result<std::string> LetterPdfForCustomer(Database& database, int64_t tenant_id, int64_t customer_id,
                                         templates::Stage stage, std::string_view tone,
                                         const templates::MessageContext& context, std::optional<Paper> paper) {
  auto debtor = LoadDebtor(database, tenant_id, customer_id);
  if (!debtor) return Fail(debtor.error());
  if (context.invoices.empty()) {
    return Fail(Error::BadInput(fmt::format("customer '{}' has no open invoices: there is nothing to write about",
                                            debtor->addressee.customer_number)));
  }
  auto letter_template =
      templates::DefaultTemplate(stage, templates::Channel::kLetter, templates::LanguageOf(context.locale), tone);
  if (!letter_template) return Fail(letter_template.error());
  auto layout = LayoutFor(database, tenant_id, context.locale, paper);
  if (!layout) return Fail(layout.error());
  return RenderLetterPdf(*letter_template, context, debtor->addressee, *layout);
}

templates::Stage StageForDaysPastDue(int32_t days_past_due) {
  using templates::Stage;
  if (days_past_due >= 90) return Stage::kOverdue90;
  if (days_past_due >= 60) return Stage::kOverdue60;
  if (days_past_due >= 30) return Stage::kOverdue30;
  if (days_past_due >= 15) return Stage::kOverdue15;
  if (days_past_due >= 7) return Stage::kOverdue7;
  if (days_past_due >= 1) return Stage::kOverdue1;
  if (days_past_due == 0) return Stage::kDueToday;
  return Stage::kBeforeDue;
}

}  // namespace cartera::pdf
