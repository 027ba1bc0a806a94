// The customer list in three reads, whatever the page size:
//  1. the page: the customers in order (with their sort keys), one more
//     than asked for; in external-id order this walks the unique index
//     (tenant_id, external_id) and stops;
//  2. their rows: the page joined to their open invoices, per currency;
//  3. their credit: unapplied payments and credit notes of those customers
//     (by the partial indexes of waiting credit).
#include "report/customer_list.h"

#include <array>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "core/text_check.h"
#include "report/customer_credit.h"
#include "report/list_page.h"
#include "report/output.h"

namespace cartera {
namespace {

using list_sql::Conditions;
using list_sql::Key;

constexpr std::array<std::pair<std::string_view, CustomerSort>, 4> kSortNames = {{
    {"external_id", CustomerSort::kExternalId},
    {"name", CustomerSort::kName},
    {"balance", CustomerSort::kBalance},
    {"days_past_due", CustomerSort::kDaysPastDue},
}};

constexpr std::string_view kTieBreaker = "c.external_id";
// Credit is read per customer of the page up to this many customers, for
// the whole tenant beyond (an unlimited list).
constexpr size_t kCreditLookupCustomersMax = 1000;

// The customer's sort keys. Balance and days past due read `k`, the
// customer's open invoices summed per currency (SummaryJoin).
std::vector<Key> SortKeys(CustomerSort sort) {
  switch (sort) {
    case CustomerSort::kExternalId:
      return {};
    case CustomerSort::kName:
      return {{"c.name"}};
    case CustomerSort::kBalance:
      return {{"COALESCE(k.top_open, 0)", true, true}};
    case CustomerSort::kDaysPastDue:
      // Debtors first, then the oldest due date first; keys are never NULL
      // (the same order on SQLite and PostgreSQL, and comparable for a page).
      return {{"CASE WHEN COALESCE(k.owes, 0) = 1 THEN 0 ELSE 1 END", false, true},
              {"COALESCE(k.oldest_due, '9999-12-31')"}};
  }
  return {};
}

// `text` with LIKE's wildcards and its escape character escaped (ESCAPE '\'),
// so the person's '%' and '_' match themselves.
std::string EscapeLike(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// The search: external id or tax id by prefix, name by substring, all
// ignoring case (SQLite's LIKE folds ASCII letters; PostgreSQL's ILIKE every
// letter). An OR with a substring cannot use an index: the page query walks
// the customers in its order and stops when the page is full.
void AddSearch(Conditions& where, Dialect dialect, const std::string& text) {
  const std::string_view like = dialect == Dialect::kPostgres ? "ILIKE" : "LIKE";
  const std::string escaped = EscapeLike(text);
  where.Add(fmt::format("(c.external_id {0} ? ESCAPE '\\' OR c.tax_id {0} ? ESCAPE '\\' OR c.name {0} ? ESCAPE '\\')",
                        like));
  where.parameters.emplace_back(escaped + "%");
  where.parameters.emplace_back(escaped + "%");
  where.parameters.emplace_back("%" + escaped + "%");
}

bool NeedsSummary(CustomerSort sort) { return sort == CustomerSort::kBalance || sort == CustomerSort::kDaysPastDue; }

// The invoice filters on open invoices `i`, parameters in order.
Conditions OpenInvoiceConditions(const CustomerListQuery& query) {
  Conditions conditions;
  conditions.Add("i.open_minor <> 0");
  list_sql::AddInvoiceFilters(
      conditions, query.as_of, query.currency ? std::optional<std::string>(query.currency->code()) : std::nullopt,
      query.min_days_past_due, query.min_amount ? std::optional<int64_t>(query.min_amount->minor_units()) : std::nullopt);
  return conditions;
}

bool FiltersInvoices(const CustomerListQuery& query) {
  return query.with_balance || query.currency || query.min_days_past_due || query.min_amount;
}

// LEFT JOIN of `k`: per customer, the largest open sum in one currency,
// whether any currency's sum is owed, and the oldest due date. Appends its
// parameters to `parameters`.
std::string SummaryJoin(int64_t tenant_id, const Conditions& invoices, std::optional<int64_t> only_customer_id,
                        std::vector<list_sql::Value>& parameters) {
  parameters.emplace_back(tenant_id);
  parameters.insert(parameters.end(), invoices.parameters.begin(), invoices.parameters.end());
  std::string one;
  if (only_customer_id) {
    one = " AND i.customer_id = ?";
    parameters.emplace_back(*only_customer_id);
  }
  return fmt::format(
      " LEFT JOIN (SELECT t.customer_id, MAX(t.open_sum) AS top_open, MIN(t.oldest_due) AS oldest_due, "
      "MAX(CASE WHEN t.open_sum > 0 THEN 1 ELSE 0 END) AS owes FROM (SELECT i.customer_id, SUM(i.open_minor) AS "
      "open_sum, MIN(i.due_date) AS oldest_due FROM invoices i WHERE i.tenant_id = ?{}{} GROUP BY i.customer_id, "
      "i.currency) t GROUP BY t.customer_id) k ON k.customer_id = c.id",
      invoices.sql, one);
}

std::string KeyColumns(const std::vector<Key>& keys) {
  std::string columns;
  for (size_t i = 0; i < keys.size(); ++i) columns += fmt::format(", {} AS k{}", keys[i].expression, i + 1);
  return columns;
}

Result<std::optional<int64_t>> FindCustomer(Database& database, int64_t tenant_id, std::string_view external_id) {
  auto found = database.Prepare("SELECT id FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!found) return Fail(found.error());
  (*found)->BindInt64(1, tenant_id);
  (*found)->BindText(2, external_id);
  auto row = (*found)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*found)->GetInt64(0));
}

// The anchor's sort keys (its place in the order even when the filters
// would leave it out), or kNotFound.
Result<std::vector<list_sql::Value>> AnchorKeys(Database& database, int64_t tenant_id, const CustomerListQuery& query,
                                                const std::vector<Key>& keys, const std::string& external_id,
                                                Language language) {
  auto customer_id = CustomerIdByExternalId(database, tenant_id, external_id, language);
  if (!customer_id) return Fail(customer_id.error());
  if (keys.empty()) return std::vector<list_sql::Value>();
  std::vector<list_sql::Value> parameters;
  std::string join;
  if (NeedsSummary(query.sort)) join = SummaryJoin(tenant_id, OpenInvoiceConditions(query), *customer_id, parameters);
  parameters.emplace_back(tenant_id);
  parameters.emplace_back(*customer_id);
  auto anchor = database.Prepare(fmt::format("SELECT c.id{} FROM customers c{} WHERE c.tenant_id = ? AND c.id = ?",
                                             KeyColumns(keys), join));
  if (!anchor) return Fail(anchor.error());
  list_sql::Bind(**anchor, parameters);
  auto row = (*anchor)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(UnknownCustomer(external_id, language));
  return list_sql::ReadKeys(**anchor, keys, 1);
}

// (customer id, currency) -> unapplied credit now.
using CreditMap = std::map<std::pair<int64_t, std::string>, int64_t>;

Result<CreditMap> ReadCredit(Database& database, int64_t tenant_id, const std::vector<int64_t>& customer_ids,
                             const std::optional<Currency>& currency) {
  CreditMap credit;
  if (customer_ids.empty()) return credit;
  const std::optional<std::string> code =
      currency ? std::optional<std::string>(currency->code()) : std::optional<std::string>();
  if (customer_ids.size() > kCreditLookupCustomersMax) {
    auto ok = ReadUnappliedCredits(database, tenant_id, std::nullopt, code, [&](const UnappliedCredit& found) -> Status {
      auto sum = CheckedAdd(credit[{found.customer_id, found.currency}], found.unapplied_minor);
      if (!sum) return Fail(sum.error());
      credit[{found.customer_id, found.currency}] = *sum;
      return {};
    });
    if (!ok) return Fail(ok.error());
    return credit;
  }
  // Placeholders, not inlined ids: the text then depends only on how many,
  // so the prepared statement is reused (one customer's page is the API's
  // hottest read; parsing a new text each time cost most of it).
  std::string ids;
  for (size_t i = 0; i < customer_ids.size(); ++i) ids += i == 0 ? "?" : ", ?";
  const std::string waiting =
      fmt::format("tenant_id = ? AND customer_id IN ({}) AND unapplied_minor > 0{}", ids, code ? " AND currency = ?" : "");
  auto statement = database.Prepare(fmt::format(
      "SELECT x.customer_id, x.currency, CAST(SUM(x.unapplied_minor) AS BIGINT) FROM (SELECT customer_id, currency, "
      "unapplied_minor FROM payments WHERE {0} UNION ALL SELECT customer_id, currency, unapplied_minor FROM "
      "credit_notes WHERE {0}) x GROUP BY x.customer_id, x.currency",
      waiting));
  if (!statement) return Fail(statement.error());
  int parameter = 1;
  for (int table = 0; table < 2; ++table) {
    (*statement)->BindInt64(parameter++, tenant_id);
    for (int64_t id : customer_ids) (*statement)->BindInt64(parameter++, id);
    if (code) (*statement)->BindText(parameter++, *code);
  }
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return credit;
    credit[{(*statement)->GetInt64(0), std::string((*statement)->GetText(1))}] = (*statement)->GetInt64(2);
  }
}

// One customer's rows from the database (debt per currency in currency
// order, or one row without a currency) with its credit: each debt row gets
// the credit in its currency, each other currency of credit a row of its
// own after the first debt row (where the CLI always put them), and the
// row without a currency goes when there is credit.
void AddCustomerRows(std::vector<CustomerListRow> debt, int64_t customer_id, const CreditMap& credit,
                     std::vector<CustomerListRow>& out) {
  std::set<std::string> listed;
  for (const CustomerListRow& row : debt) {
    if (row.currency) listed.insert(*row.currency);
  }
  const CustomerListRow first = debt.front();
  const auto first_credit = credit.lower_bound({customer_id, ""});
  const bool has_credit = first_credit != credit.end() && first_credit->first.first == customer_id;
  for (size_t i = 0; i < debt.size(); ++i) {
    CustomerListRow& row = debt[i];
    if (row.currency) {
      auto found = credit.find({customer_id, *row.currency});
      row.credit_minor = found == credit.end() ? 0 : found->second;
      out.push_back(std::move(row));
    } else if (!has_credit) {
      out.push_back(std::move(row));
    }
    if (i != 0) continue;
    for (auto it = first_credit; it != credit.end() && it->first.first == customer_id; ++it) {
      if (listed.count(it->first.second) != 0) continue;
      CustomerListRow only_credit = first;
      only_credit.currency = it->first.second;
      only_credit.open_minor = 0;
      only_credit.open_invoices = 0;
      only_credit.max_days_past_due = 0;
      only_credit.credit_minor = it->second;
      out.push_back(std::move(only_credit));
    }
  }
}

Result<CustomerList> ReadList(Database& database, int64_t tenant_id, const CustomerListQuery& query,
                              std::optional<int64_t> only_customer_id, Language language) {
  if (auto ok = CheckListQuery(query.limit, query.min_amount, query.currency, language); !ok) return Fail(ok.error());
  const std::vector<Key> keys = SortKeys(query.sort);
  const Conditions invoices = OpenInvoiceConditions(query);

  // 1. The page of customers, in order.
  std::vector<list_sql::Value> parameters;
  std::string join;
  if (NeedsSummary(query.sort)) join = SummaryJoin(tenant_id, invoices, std::nullopt, parameters);
  Conditions where;
  where.Add("c.tenant_id = ?", tenant_id);
  if (only_customer_id) where.Add("c.id = ?", *only_customer_id);
  list_sql::AddCustomerFilters(where, query.segment, query.country);
  if (query.collector) {
    if (query.collector->email) {
      where.Add("c.collector = ?", *query.collector->email);
    } else {
      where.Add("c.collector IS NULL");
    }
  }
  if (query.search) AddSearch(where, database.dialect(), *query.search);
  if (query.on_hold) {
    where.Add(fmt::format("{}EXISTS (SELECT 1 FROM customer_credit h WHERE h.tenant_id = c.tenant_id AND "
                          "h.customer_id = c.id AND h.on_hold = 1)",
                          *query.on_hold ? "" : "NOT "));
  }
  if (FiltersInvoices(query)) {
    if (NeedsSummary(query.sort)) {
      where.Add("k.customer_id IS NOT NULL");
    } else {
      where.Add("EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id" +
                invoices.sql + ")");
      where.parameters.insert(where.parameters.end(), invoices.parameters.begin(), invoices.parameters.end());
    }
  }
  if (query.starting_after) {
    auto anchor = AnchorKeys(database, tenant_id, query, keys, *query.starting_after, language);
    if (!anchor) return Fail(anchor.error());
    list_sql::AddAfter(where, keys, *anchor, kTieBreaker, list_sql::Value(*query.starting_after));
  }
  parameters.insert(parameters.end(), where.parameters.begin(), where.parameters.end());
  // One customer more than the page tells whether another page follows.
  const std::string page = fmt::format(
      "SELECT c.id AS id, c.external_id AS external_id{} FROM customers c{} WHERE 1 = 1{} ORDER BY {}{}",
      KeyColumns(keys), join, where.sql, list_sql::OrderBy(keys, kTieBreaker),
      query.limit ? fmt::format(" LIMIT {}", *query.limit + 1) : "");

  // 2. Their open invoices per currency.
  std::vector<Key> page_keys;
  std::string page_columns;
  for (size_t i = 0; i < keys.size(); ++i) {
    page_keys.push_back({fmt::format("page.k{}", i + 1), keys[i].descending, keys[i].integer});
    page_columns += fmt::format(", page.k{}", i + 1);
  }
  parameters.emplace_back(tenant_id);
  parameters.insert(parameters.end(), invoices.parameters.begin(), invoices.parameters.end());
  auto statement = database.Prepare(fmt::format(
      "WITH page AS ({0}) SELECT page.id, c.external_id, c.name, c.tax_id, c.country, c.kind, "
      "COALESCE(s.behaviour_segment, c.segment), i.currency, CAST(COALESCE(SUM(i.open_minor), 0) AS BIGINT), "
      "COUNT(i.id), MIN(i.due_date), COALESCE(h.on_hold, 0), COALESCE(h.hold_reasons, '') FROM page JOIN "
      "customers c ON c.tenant_id = ? AND c.id = page.id "
      // The credit hold the last run left (credit/credit_hold.h).
      "LEFT JOIN customer_credit h ON h.tenant_id = c.tenant_id AND h.customer_id = c.id "
      // The engine's segment from the last run, else the imported one.
      "LEFT JOIN customer_segments s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id "
      "LEFT JOIN invoices i ON i.tenant_id = c.tenant_id AND i.customer_id = c.id{1} "
      "GROUP BY page.id{2}, c.external_id, c.name, c.tax_id, c.country, c.kind, c.segment, s.behaviour_segment, "
      "h.on_hold, h.hold_reasons, i.currency ORDER BY {3}, i.currency",
      page, invoices.sql, page_columns, list_sql::OrderBy(page_keys, "c.external_id")));
  if (!statement) return Fail(statement.error());
  list_sql::Bind(**statement, parameters);
  std::vector<std::pair<int64_t, std::vector<CustomerListRow>>> customers;
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const Statement& row = **statement;
    const int64_t customer_id = row.GetInt64(0);
    if (customers.empty() || customers.back().first != customer_id) customers.emplace_back(customer_id, std::vector<CustomerListRow>());
    CustomerListRow out;
    out.external_id = row.GetText(1);
    out.name = row.GetText(2);
    out.tax_id = row.GetText(3);
    out.country = row.GetText(4);
    out.kind = row.GetText(5);
    out.segment = row.GetOptionalText(6);
    out.currency = row.GetOptionalText(7);
    out.on_hold = row.GetInt64(11) != 0;
    out.hold_reasons = row.GetText(12);
    if (out.currency) {
      out.open_minor = row.GetInt64(8);
      out.open_invoices = row.GetInt64(9);
      auto oldest_due = Date::ParseIso(row.GetText(10));
      const int32_t late = oldest_due ? DaysBetween(*oldest_due, query.as_of) : 0;
      out.max_days_past_due = late > 0 ? late : 0;
    }
    customers.back().second.push_back(std::move(out));
  }
  CustomerList list;
  if (query.limit && static_cast<int64_t>(customers.size()) > *query.limit) {
    customers.pop_back();
    list.has_more = true;
  }

  // 3. Their credit.
  std::vector<int64_t> customer_ids;
  for (const auto& [id, rows] : customers) customer_ids.push_back(id);
  auto credit = ReadCredit(database, tenant_id, customer_ids, query.currency);
  if (!credit) return Fail(credit.error());
  for (auto& [id, rows] : customers) AddCustomerRows(std::move(rows), id, *credit, list.rows);
  return list;
}

}  // namespace

std::optional<CustomerSort> CustomerSortFromName(std::string_view name) { return FindByName(kSortNames, name); }

Result<std::string> CustomerSearchText(std::string_view text, Language language) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "la búsqueda está vacía: escriba parte del nombre, del id externo o del NIT",
           "the search is empty: type part of the name, the external id or the tax id"))));
  }
  const std::string_view trimmed = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  if (!IsCleanText(trimmed)) {
    return Fail(Error::BadInput(std::string(Tr(language, "la búsqueda tiene caracteres de control o no es UTF-8",
                                               "the search has control characters or is not UTF-8"))));
  }
  size_t characters = 0;
  for (char c : trimmed) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++characters;  // not a continuation byte
  }
  if (characters > kCustomerSearchCharsMax) {
    return Fail(Error::BadInput(TrFormat(language, "la búsqueda tiene {} caracteres; el máximo es {}",
                                         "the search has {} characters; at most {}", characters,
                                         kCustomerSearchCharsMax)));
  }
  return std::string(trimmed);
}

Error UnknownCustomer(std::string_view external_id, Language language) {
  return Error::NotFound(
      TrFormat(language, "no hay un cliente con el id externo '{}'", "no customer with external id '{}'", external_id));
}

Result<int64_t> CustomerIdByExternalId(Database& database, int64_t tenant_id, std::string_view external_id,
                                       Language language) {
  auto customer_id = FindCustomer(database, tenant_id, external_id);
  if (!customer_id) return Fail(customer_id.error());
  if (!*customer_id) return Fail(UnknownCustomer(external_id, language));
  return **customer_id;
}

Result<CustomerList> ListCustomers(Database& database, int64_t tenant_id, const CustomerListQuery& query,
                                   Language language) {
  return ReadList(database, tenant_id, query, std::nullopt, language);
}

Result<std::vector<CustomerListRow>> ListCustomerRows(Database& database, int64_t tenant_id,
                                                      std::string_view external_id, const CustomerListQuery& query,
                                                      Language language) {
  auto customer_id = CustomerIdByExternalId(database, tenant_id, external_id, language);
  if (!customer_id) return Fail(customer_id.error());
  return ListCustomerRowsById(database, tenant_id, *customer_id, query, language);
}

Result<std::vector<CustomerListRow>> ListCustomerRowsById(Database& database, int64_t tenant_id, int64_t customer_id,
                                                          const CustomerListQuery& query, Language language) {
  CustomerListQuery one = query;
  one.limit.reset();
  one.starting_after.reset();
  auto list = ReadList(database, tenant_id, one, customer_id, language);
  if (!list) return Fail(list.error());
  return std::move(list->rows);
}

nlohmann::json CustomerListRowJson(const CustomerListRow& row) {
  auto optional = [](const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
  };
  auto money = [&](int64_t minor_units) {
    return row.currency ? MoneyJson(minor_units, *row.currency) : nlohmann::json(nullptr);
  };
  nlohmann::json reasons = nlohmann::json::array();
  for (std::string_view rest = row.hold_reasons; !rest.empty();) {
    const size_t comma = rest.find(',');
    reasons.push_back(std::string(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return {{"external_id", row.external_id},
          {"name", row.name},
          {"tax_id", row.tax_id},
          {"country", row.country},
          {"kind", row.kind},
          {"segment", optional(row.segment)},
          {"currency", optional(row.currency)},
          {"open", money(row.open_minor)},
          {"open_invoices", row.open_invoices},
          {"max_days_past_due", row.max_days_past_due},
          {"credit", money(row.credit_minor)},
          {"balance", money(row.balance_minor())},
          {"on_hold", row.on_hold},
          {"hold_reasons", std::move(reasons)}};
}

}  // namespace cartera
