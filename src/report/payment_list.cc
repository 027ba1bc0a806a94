#include "report/payment_list.h"

#include <utility>

#include "report/output.h"

namespace cartera {
namespace {

Error UnknownPayment(std::string_view external_id, Language language) {
  return Error::NotFound(
      TrFormat(language, "no hay un pago con el id externo '{}'", "no payment with external id '{}'", external_id));
}

const credit_list::Table kPayments{
    .name = "payments",
    .own_columns = "k.method, k.reference, i.external_id",
    .joins = " LEFT JOIN invoices i ON i.tenant_id = k.tenant_id AND i.id = k.invoice_id",
    .allocation_column = "payment_id",
    .unknown = UnknownPayment,
};

PaymentRow ReadRow(const Statement& row) {
  credit_list::Common common = credit_list::ReadCommon(row);
  PaymentRow payment;
  payment.id = common.id;
  payment.customer_id = common.customer_id;
  payment.external_id = std::move(common.external_id);
  payment.customer_external_id = std::move(common.customer_external_id);
  payment.customer_name = std::move(common.customer_name);
  payment.date = std::move(common.date);
  payment.currency = std::move(common.currency);
  payment.amount_minor = common.amount_minor;
  payment.unapplied_minor = common.unapplied_minor;
  payment.method = row.GetText(credit_list::kOwnColumn);
  payment.reference = row.GetOptionalText(credit_list::kOwnColumn + 1);
  payment.invoice_external_id = row.GetOptionalText(credit_list::kOwnColumn + 2);
  return payment;
}

Status AddApplications(Database& database, int64_t tenant_id, std::vector<PaymentRow>& rows) {
  std::vector<std::pair<int64_t, int64_t>> ids;
  ids.reserve(rows.size());
  for (const PaymentRow& row : rows) ids.emplace_back(row.customer_id, row.id);
  auto applications = credit_list::Applications(database, tenant_id, kPayments, ids);
  if (!applications) return Fail(applications.error());
  for (size_t n = 0; n < rows.size(); ++n) rows[n].applied = std::move((*applications)[n]);
  return {};
}

}  // namespace

Result<PaymentList> ListPayments(Database& database, int64_t tenant_id, const PaymentListQuery& query,
                                 Language language) {
  PaymentList list;
  auto has_more = credit_list::List(database, tenant_id, kPayments, query, language,
                                    [&](const Statement& row) { list.rows.push_back(ReadRow(row)); });
  if (!has_more) return Fail(has_more.error());
  list.has_more = *has_more;
  if (auto ok = AddApplications(database, tenant_id, list.rows); !ok) return Fail(ok.error());
  return list;
}

Result<PaymentRow> LoadPayment(Database& database, int64_t tenant_id, std::string_view external_id,
                               Language language) {
  std::vector<PaymentRow> rows;
  auto found = credit_list::LoadOne(database, tenant_id, kPayments, external_id, language,
                                    [&](const Statement& row) { rows.push_back(ReadRow(row)); });
  if (!found) return Fail(found.error());
  if (auto ok = AddApplications(database, tenant_id, rows); !ok) return Fail(ok.error());
  return std::move(rows.front());
}

nlohmann::json PaymentJson(const PaymentRow& row) {
  nlohmann::json applied = nlohmann::json::array();
  for (const CreditApplication& application : row.applied) applied.push_back(CreditApplicationJson(application, row.currency));
  return {{"external_id", row.external_id},
          {"customer_external_id", row.customer_external_id},
          {"customer_name", row.customer_name},
          {"date", row.date},
          {"currency", row.currency},
          {"amount", MoneyJson(row.amount_minor, row.currency)},
          {"unapplied", MoneyJson(row.unapplied_minor, row.currency)},
          {"method", row.method},
          {"reference", row.reference ? nlohmann::json(*row.reference) : nlohmann::json(nullptr)},
          {"invoice_external_id",
           row.invoice_external_id ? nlohmann::json(*row.invoice_external_id) : nlohmann::json(nullptr)},
          {"applied", std::move(applied)}};
}

}  // namespace cartera
