#include "report/customer_record.h"

#include <algorithm>

#include "report/output.h"

namespace cartera {
namespace {

Status ReadContactPoints(Database& database, int64_t tenant_id, int64_t customer_id, CustomerRecord& record) {
  auto points = database.Prepare(
      "SELECT channel, value, is_primary, consent, consent_source, consent_at, usable FROM contact_points WHERE "
      "tenant_id = ? AND customer_id = ? ORDER BY is_primary DESC, id");
  if (!points) return Fail(points.error());
  (*points)->BindInt64(1, tenant_id);
  (*points)->BindInt64(2, customer_id);
  while (true) {
    auto has_row = (*points)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return {};
    const Statement& row = **points;
    ContactPointRecord point;
    point.channel = row.GetText(0);
    point.value = row.GetText(1);
    point.primary = row.GetInt64(2) != 0;
    point.consent = row.GetText(3);
    point.consent_source = row.GetText(4);
    point.consent_at = row.GetOptionalText(5);
    point.usable = row.GetInt64(6) != 0;
    record.contact_points.push_back(std::move(point));
  }
}

// The credit state, its exposure now (open minus unapplied credit in the
// limit's currency, from the balances, plus unbilled plan interest) and
// when the review is due (credit/credit_policy.h).
Status ReadCredit(Database& database, int64_t tenant_id, int64_t customer_id, CustomerRecord& record) {
  auto state = credit::LoadCustomerCreditState(database, tenant_id, customer_id);
  if (!state) return Fail(state.error());
  record.credit = std::move(*state);
  auto policy = credit::LoadCreditPolicy(database, tenant_id);
  if (!policy) return Fail(policy.error());
  record.review_due_on = credit::ReviewDueOn(*policy, record.segment.value_or("new"), record.credit,
                                             record.created_at.substr(0, 10));
  if (!record.currency) return {};
  int64_t open = 0, unapplied = 0, unbilled = 0;
  for (const CustomerListRow& balance : record.balances) {
    if (balance.currency != record.currency) continue;
    open = balance.open_minor;
    unapplied = balance.credit_minor;
  }
  auto plans = database.Prepare(credit::PlanUnbilledSql(true));
  if (!plans) return Fail(plans.error());
  (*plans)->BindInt64(1, tenant_id);
  (*plans)->BindInt64(2, customer_id);
  while (true) {
    auto row = (*plans)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if ((*plans)->GetText(1) == *record.currency) unbilled = (*plans)->GetInt64(2);
  }
  auto exposure = credit::ComputeExposure(open, unapplied, unbilled);
  if (!exposure) return Fail(exposure.error());
  record.exposure_minor = *exposure;
  return {};
}

}  // namespace

Result<CustomerRecord> LoadCustomerRecord(Database& database, int64_t tenant_id, std::string_view external_id,
                                          Date as_of, Language language) {
  auto customer = database.Prepare(
      "SELECT c.id, c.external_id, c.name, c.tax_id, c.country, c.kind, c.time_zone, c.language, c.address, "
      "c.credit_limit_minor, c.currency, COALESCE(s.behaviour_segment, c.segment), c.created_at, c.updated_at, "
      "c.collector "
      "FROM customers c LEFT JOIN customer_segments s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id "
      "WHERE c.tenant_id = ? AND c.external_id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindText(2, external_id);
  auto found = (*customer)->Step();
  if (!found) return Fail(found.error());
  if (!*found) return Fail(UnknownCustomer(external_id, language));
  const Statement& row = **customer;
  const int64_t customer_id = row.GetInt64(0);
  CustomerRecord record;
  record.external_id = row.GetText(1);
  record.name = row.GetText(2);
  record.tax_id = row.GetText(3);
  record.country = row.GetText(4);
  record.kind = row.GetText(5);
  record.time_zone = row.GetText(6);
  record.language = row.GetText(7);
  record.address = row.GetOptionalText(8);
  if (!row.IsNull(9)) record.credit_limit_minor = row.GetInt64(9);
  record.currency = row.GetOptionalText(10);
  record.segment = row.GetOptionalText(11);
  record.created_at = row.GetText(12);
  record.updated_at = row.GetText(13);
  record.collector = row.GetOptionalText(14);
  customer->reset();

  CustomerListQuery everything;
  everything.as_of = as_of;
  auto balances = ListCustomerRowsById(database, tenant_id, customer_id, everything, language);
  if (!balances) return Fail(balances.error());
  for (CustomerListRow& balance : *balances) {
    if (!balance.currency) continue;  // owes nothing and has no credit
    record.max_days_past_due = std::max(record.max_days_past_due, balance.max_days_past_due);
    record.open_invoices += balance.open_invoices;
    record.balances.push_back(std::move(balance));
  }
  if (auto ok = ReadContactPoints(database, tenant_id, customer_id, record); !ok) return Fail(ok.error());
  if (auto ok = ReadCredit(database, tenant_id, customer_id, record); !ok) return Fail(ok.error());
  return record;
}

nlohmann::json CustomerRecordJson(const CustomerRecord& record) {
  auto optional = [](const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
  };
  nlohmann::json balances = nlohmann::json::array();
  for (const CustomerListRow& balance : record.balances) {
    const std::string& currency = *balance.currency;
    balances.push_back({{"currency", currency},
                        {"open", MoneyJson(balance.open_minor, currency)},
                        {"open_invoices", balance.open_invoices},
                        {"max_days_past_due", balance.max_days_past_due},
                        {"credit", MoneyJson(balance.credit_minor, currency)},
                        {"balance", MoneyJson(balance.balance_minor(), currency)}});
  }
  nlohmann::json reasons = nlohmann::json::array();
  for (const std::string& reason : record.credit.hold_reasons) reasons.push_back(reason);
  nlohmann::json credit = {
      {"on_hold", record.credit.on_hold},
      {"hold_reasons", std::move(reasons)},
      {"hold_since", optional(record.credit.hold_since)},
      {"limit", record.credit_limit_minor && record.currency ? MoneyJson(*record.credit_limit_minor, *record.currency)
                                                             : nlohmann::json(nullptr)},
      {"exposure", record.currency ? MoneyJson(record.exposure_minor, *record.currency) : nlohmann::json(nullptr)},
      {"review_due", record.credit.review_due},
      {"review_reason", optional(record.credit.review_reason)},
      {"review_due_on", optional(record.review_due_on)},
      {"last_reviewed_on", optional(record.credit.last_reviewed_on)}};
  nlohmann::json points = nlohmann::json::array();
  for (const ContactPointRecord& point : record.contact_points) {
    points.push_back({{"channel", point.channel},
                      {"value", point.value},
                      {"primary", point.primary},
                      {"consent", point.consent},
                      {"consent_source", point.consent_source},
                      {"consent_at", optional(point.consent_at)},
                      {"usable", point.usable}});
  }
  return {{"external_id", record.external_id},
          {"name", record.name},
          {"tax_id", record.tax_id},
          {"country", record.country},
          {"kind", record.kind},
          {"time_zone", record.time_zone},
          {"language", record.language},
          {"address", optional(record.address)},
          {"currency", optional(record.currency)},
          {"credit_limit", record.credit_limit_minor && record.currency
                               ? MoneyJson(*record.credit_limit_minor, *record.currency)
                               : nlohmann::json(nullptr)},
          {"segment", optional(record.segment)},
          {"collector", optional(record.collector)},
          {"balances", std::move(balances)},
          {"max_days_past_due", record.max_days_past_due},
          {"open_invoices", record.open_invoices},
          {"contact_points", std::move(points)},
          {"created_at", record.created_at},
          {"updated_at", record.updated_at},
          {"credit", std::move(credit)}};
}

}  // namespace cartera
