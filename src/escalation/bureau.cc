#include "escalation/bureau.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <sstream>

#include "compliance/credit_reporting.h"
#include "compliance/rulebook.h"
#include "core/currency.h"
#include "core/time_zone.h"
#include "report/customer_list.h"
#include "report/output.h"

namespace cartera::escalation {
namespace {

struct Key {
  int64_t customer_id;
  std::string currency;
  friend auto operator<=>(const Key&, const Key&) = default;
};

struct Customer {
  std::string external_id, name, tax_id, country;
  bool person = false;
};

Date PlusYears(Date date, int years) {
  const unsigned day = date.month() == 2 && date.day() == 29 ? 28 : date.day();
  return Date::FromYmd(date.year() + years, date.month(), day);
}

std::string Decimal(int64_t minor, const std::string& currency) {
  const std::optional<Currency> known = Currency::FromCode(currency);
  return FormatMinorUnits(minor, known ? known->exponent() : 2);
}

}  // namespace

std::optional<MinimumWage> MonthlyMinimumWage(std::string_view country, int year) {
  // Colombia's salario mínimo mensual legal vigente (SMMLV), by decree.
  if (country == "CO") {
    switch (year) {
      case 2023:
        return MinimumWage{116'000'000, "COP", "Decreto 2613 de 2022: COP 1,160,000"};
      case 2024:
        return MinimumWage{130'000'000, "COP", "Decreto 2292 de 2023: COP 1,300,000"};
      case 2025:
        return MinimumWage{142'350'000, "COP", "Decreto 1572 de 2024: COP 1,423,500"};
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

Date NegativeDataRemovalDate(Date default_since, Date paid) {
  const int32_t days_in_default = std::max(0, DaysBetween(default_since, paid));
  const Date twice = paid.PlusDays(2 * days_in_default);
  const Date cap = PlusYears(paid, 4);
  return twice < cap ? twice : cap;
}

Result<std::vector<BureauEntry>> BureauReportList(Database& database, int64_t tenant_id, const BureauQuery& query,
                                                  Language language) {
  std::optional<int64_t> only_customer;
  if (query.customer_external_id) {
    auto id = CustomerIdByExternalId(database, tenant_id, *query.customer_external_id, language);
    if (!id) return Fail(id.error());
    only_customer = *id;
  }
  const std::string customer_filter = only_customer ? fmt::format(" AND c.id = {}", *only_customer) : "";
  const std::string as_of = query.as_of.ToIso();
  std::map<int64_t, Customer> customers;
  std::map<Key, BureauEntry> entries;

  // Open, past-due, undisputed debt per customer and currency.
  auto overdue = database.Prepare(fmt::format(
      "SELECT c.id, c.external_id, c.name, c.tax_id, c.country, c.kind, i.currency, SUM(i.open_minor), "
      "MIN(i.due_date) FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id WHERE "
      "i.tenant_id = ? AND i.open_minor > 0 AND i.due_date < ?{} AND NOT EXISTS (SELECT 1 FROM disputes d WHERE "
      "d.tenant_id = i.tenant_id AND d.invoice_id = i.id AND d.status = 'open') GROUP BY c.id, c.external_id, c.name, "
      "c.tax_id, c.country, c.kind, i.currency",
      customer_filter));
  if (!overdue) return Fail(overdue.error());
  (*overdue)->BindInt64(1, tenant_id);
  (*overdue)->BindText(2, as_of);
  while (true) {
    auto row = (*overdue)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **overdue;
    const int64_t customer_id = r.GetInt64(0);
    customers[customer_id] = {std::string(r.GetText(1)), std::string(r.GetText(2)), std::string(r.GetText(3)),
                              std::string(r.GetText(4)), r.GetText(5) == "person"};
    BureauEntry& entry = entries[{customer_id, std::string(r.GetText(6))}];
    entry.currency = r.GetText(6);
    entry.overdue_minor = r.GetInt64(7);
    entry.oldest_due_date = *Date::ParseIso(r.GetText(8));
  }
  overdue->reset();

  // Invoices paid after their due date: the negative data's removal date.
  auto paid_late = database.Prepare(fmt::format(
      "SELECT c.id, c.external_id, c.name, c.tax_id, c.country, c.kind, i.currency, i.due_date, "
      "i.last_allocation_date FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id "
      "WHERE i.tenant_id = ? AND i.open_minor = 0 AND i.amount_minor > 0 AND i.last_allocation_date IS NOT NULL AND "
      "i.last_allocation_date > i.due_date AND i.last_allocation_date <= ?{}",
      customer_filter));
  if (!paid_late) return Fail(paid_late.error());
  (*paid_late)->BindInt64(1, tenant_id);
  (*paid_late)->BindText(2, as_of);
  while (true) {
    auto row = (*paid_late)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **paid_late;
    const Date due = *Date::ParseIso(r.GetText(7));
    const Date paid = *Date::ParseIso(r.GetText(8));
    const Date removal = NegativeDataRemovalDate(due, paid);
    if (!(query.as_of < removal)) continue;  // already past: nothing to remove any more
    const int64_t customer_id = r.GetInt64(0);
    customers.try_emplace(customer_id,
                          Customer{std::string(r.GetText(1)), std::string(r.GetText(2)), std::string(r.GetText(3)),
                                   std::string(r.GetText(4)), r.GetText(5) == "person"});
    BureauEntry& entry = entries[{customer_id, std::string(r.GetText(6))}];
    entry.currency = r.GetText(6);
    if (!entry.removal_date || *entry.removal_date < removal) entry.removal_date = removal;
  }
  paid_late->reset();

  // Notices sent (not bounced), on the customer's local date.
  std::map<int64_t, std::set<Date>> notices;
  auto sent = database.Prepare(fmt::format(
      "SELECT o.customer_id, o.sent_at, c.time_zone FROM outbox o JOIN customers c ON c.tenant_id = o.tenant_id AND "
      "c.id = o.customer_id WHERE o.tenant_id = ? AND (o.template = '{0}' OR o.stage = '{0}') AND o.status IN "
      "('sent', 'delivered') AND o.sent_at IS NOT NULL{1}",
      kBureauNoticeTemplate, customer_filter));
  if (!sent) return Fail(sent.error());
  (*sent)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*sent)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto at = ParseUtc((*sent)->GetText(1));
    if (!at) continue;
    const Date local = DateIn((*sent)->GetText(2), *at);
    if (!(query.as_of < local)) notices[(*sent)->GetInt64(0)].insert(local);
  }

  std::vector<BureauEntry> result;
  for (auto& [key, entry] : entries) {
    const Customer& customer = customers[key.customer_id];
    const compliance::Rulebook& book = compliance::RulebookFor(
        customer.country, customer.person ? compliance::DebtorKind::kConsumer : compliance::DebtorKind::kBusiness);
    if (!book.credit_report_notice) continue;
    compliance::CreditReportNoticeRule rule = *book.credit_report_notice;
    entry.customer_external_id = customer.external_id;
    entry.name = customer.name;
    entry.tax_id = customer.tax_id;
    entry.country = customer.country;
    entry.rule_id = rule.id;
    entry.rule_source = rule.source;
    const auto& days = notices[key.customer_id];
    entry.notices.assign(days.begin(), days.end());
    if (entry.overdue_minor == 0) {
      entry.status = "paid";
    } else {
      const std::optional<Currency> currency = Currency::FromCode(entry.currency);
      if (!currency) return Fail(Error::Internal("an invoice has an unknown currency"));
      compliance::CreditReportFacts facts{Money(entry.overdue_minor, *currency), std::nullopt, entry.notices,
                                          std::nullopt};
      entry.days_in_default = DaysBetween(*entry.oldest_due_date, query.as_of);
      if (rule.small_debt_max_percent_of_minimum_wage) {
        const std::optional<MinimumWage> wage = MonthlyMinimumWage(customer.country, query.as_of.year());
        if (wage && wage->currency == entry.currency) {
          facts.monthly_minimum_wage = Money(wage->minor, *currency);
          entry.note = wage->source;
        } else {
          // Unknown wage (or another currency): the stricter count of notices.
          rule.notices_required = std::max(rule.notices_required, rule.small_debt_notices_required);
          rule.small_debt_max_percent_of_minimum_wage.reset();
          entry.note =
              TrFormat(language, "salario mínimo de {} en {} desconocido: se exigen los avisos de una deuda pequeña",
                       "minimum wage of {} in {} unknown: the notices of a small debt are required", customer.country,
                       entry.currency);
        }
      }
      auto small = compliance::IsSmallDebt(rule, facts);
      if (!small) return Fail(small.error());
      entry.small_debt = *small;
      entry.notices_required = *small ? rule.small_debt_notices_required : rule.notices_required;
      auto earliest = compliance::EarliestCreditReportDate(rule, facts);
      if (earliest) {
        entry.earliest_report_date = *earliest;
        entry.status = query.as_of < *earliest ? "waiting" : "reportable";
      } else if (earliest.error().code == ErrorCode::kConflict) {
        entry.status = "notice_needed";
      } else {
        return Fail(earliest.error());
      }
    }
    if (query.status && *query.status != entry.status) continue;
    result.push_back(std::move(entry));
  }
  std::stable_sort(result.begin(), result.end(), [](const BureauEntry& a, const BureauEntry& b) {
    return a.customer_external_id < b.customer_external_id;
  });
  return result;
}

nlohmann::json BureauEntryJson(const BureauEntry& entry) {
  nlohmann::json notices = nlohmann::json::array();
  for (Date date : entry.notices) notices.push_back(date.ToIso());
  auto date_or_null = [](const std::optional<Date>& date) {
    return date ? nlohmann::json(date->ToIso()) : nlohmann::json(nullptr);
  };
  return {{"customer_external_id", entry.customer_external_id},
          {"name", entry.name},
          {"tax_id", entry.tax_id},
          {"country", entry.country},
          {"overdue", MoneyJson(entry.overdue_minor, entry.currency)},
          {"oldest_due_date", date_or_null(entry.oldest_due_date)},
          {"days_in_default", entry.days_in_default},
          {"notices", notices},
          {"notices_required", entry.notices_required},
          {"small_debt", entry.small_debt},
          {"earliest_report_date", date_or_null(entry.earliest_report_date)},
          {"removal_date", date_or_null(entry.removal_date)},
          {"status", entry.status},
          {"rule", {{"id", entry.rule_id}, {"source", entry.rule_source}}},
          {"note", entry.note}};
}

std::string BureauCsv(const std::vector<BureauEntry>& entries) {
  std::ostringstream out;
  out << "customer,name,tax_id,country,currency,overdue,oldest_due_date,days_in_default,notices,earliest_report_date,"
         "removal_date,status,rule\n";
  for (const BureauEntry& entry : entries) {
    std::string notices;
    for (Date date : entry.notices) notices += (notices.empty() ? "" : " ") + date.ToIso();
    WriteCsvRow(
        out, {entry.customer_external_id, entry.name, entry.tax_id, entry.country, entry.currency,
              Decimal(entry.overdue_minor, entry.currency), entry.oldest_due_date ? entry.oldest_due_date->ToIso() : "",
              std::to_string(entry.days_in_default), notices,
              entry.earliest_report_date ? entry.earliest_report_date->ToIso() : "",
              entry.removal_date ? entry.removal_date->ToIso() : "", entry.status, entry.rule_id});
  }
  return out.str();
}

}  // namespace cartera::escalation
