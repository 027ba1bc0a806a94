#include "report/credit_list.h"

#include <fmt/format.h>

#include "report/customer_list.h"
#include "report/list_page.h"
#include "report/output.h"

namespace cartera {
namespace {

using list_sql::Conditions;

// The rows with their customer; the WHERE clause that follows starts with
// the join's condition. CROSS JOIN keeps the credit table outermost on
// SQLite (PostgreSQL plans it as an inner join): otherwise SQLite walks the
// tenant's customers, gathers all their credits and sorts them in a temp
// B-tree (1M payments: 3.3 s for a first page) instead of keeping the top N
// while it reads the table once.
std::string Select(const credit_list::Table& table) {
  return fmt::format(
      "SELECT k.id, k.customer_id, k.external_id, c.external_id, c.name, k.date, k.currency, k.amount_minor, "
      "k.unapplied_minor, {} FROM {} k CROSS JOIN customers c{} WHERE c.tenant_id = k.tenant_id AND c.id = "
      "k.customer_id",
      table.own_columns, table.name, table.joins);
}

}  // namespace

nlohmann::json CreditApplicationJson(const CreditApplication& application, std::string_view currency) {
  return {{"invoice_external_id", application.invoice_external_id},
          {"invoice_number", application.invoice_number},
          {"date", application.date},
          {"amount", MoneyJson(application.amount_minor, currency)}};
}

namespace credit_list {

Common ReadCommon(const Statement& row) {
  Common common;
  common.id = row.GetInt64(0);
  common.customer_id = row.GetInt64(1);
  common.external_id = row.GetText(2);
  common.customer_external_id = row.GetText(3);
  common.customer_name = row.GetText(4);
  common.date = row.GetText(5);
  common.currency = row.GetText(6);
  common.amount_minor = row.GetInt64(7);
  common.unapplied_minor = row.GetInt64(8);
  return common;
}

Result<bool> List(Database& database, int64_t tenant_id, const Table& table, const CreditListQuery& query,
                  Language language, const std::function<void(const Statement&)>& read) {
  if (auto ok = CheckListQuery(query.limit, std::nullopt, query.currency, language); !ok) return Fail(ok.error());
  Conditions where;
  where.Add("k.tenant_id = ?", tenant_id);
  if (query.customer) {
    // By internal id: the (tenant_id, customer_id, date) index then serves the order.
    auto customer_id = CustomerIdByExternalId(database, tenant_id, *query.customer, language);
    if (!customer_id) return Fail(customer_id.error());
    where.Add("k.customer_id = ?", *customer_id);
  }
  if (query.from) where.Add("k.date >= ?", query.from->ToIso());
  if (query.to) where.Add("k.date <= ?", query.to->ToIso());
  if (query.currency) where.Add("k.currency = ?", std::string(query.currency->code()));
  if (query.starting_after) {
    auto anchor = database.Prepare(
        fmt::format("SELECT date, id FROM {} WHERE tenant_id = ? AND external_id = ?", table.name));
    if (!anchor) return Fail(anchor.error());
    (*anchor)->BindInt64(1, tenant_id);
    (*anchor)->BindText(2, *query.starting_after);
    auto found = (*anchor)->Step();
    if (!found) return Fail(found.error());
    if (!*found) return Fail(table.unknown(*query.starting_after, language));
    const std::string date((*anchor)->GetText(0));
    const int64_t id = (*anchor)->GetInt64(1);
    // The range on the date can use the index; the rest filters its edge.
    where.Add("k.date <= ?", date);
    where.Add("(k.date < ?", date);
    where.sql += " OR k.id < ?)";
    where.parameters.emplace_back(id);
  }
  // One row more than the page tells whether another page follows.
  auto statement =
      database.Prepare(fmt::format("{}{} ORDER BY k.date DESC, k.id DESC{}", Select(table), where.sql,
                                   query.limit ? fmt::format(" LIMIT {}", *query.limit + 1) : ""));
  if (!statement) return Fail(statement.error());
  list_sql::Bind(**statement, where.parameters);
  int64_t rows = 0;
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return false;
    if (query.limit && rows == *query.limit) return true;
    read(**statement);
    ++rows;
  }
}

Status LoadOne(Database& database, int64_t tenant_id, const Table& table, std::string_view external_id,
               Language language, const std::function<void(const Statement&)>& read) {
  auto statement = database.Prepare(fmt::format("{} AND k.tenant_id = ? AND k.external_id = ?", Select(table)));
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, tenant_id);
  (*statement)->BindText(2, external_id);
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(table.unknown(external_id, language));
  read(**statement);
  return {};
}

Result<std::vector<std::vector<CreditApplication>>> Applications(
    Database& database, int64_t tenant_id, const Table& table,
    const std::vector<std::pair<int64_t, int64_t>>& customer_and_credit_ids) {
  std::vector<std::vector<CreditApplication>> applications(customer_and_credit_ids.size());
  if (customer_and_credit_ids.empty()) return applications;
  auto statement = database.Prepare(fmt::format(
      "SELECT i.external_id, i.number, a.date, a.amount_minor FROM allocations a JOIN invoices i ON i.tenant_id = "
      "a.tenant_id AND i.id = a.invoice_id WHERE a.tenant_id = ? AND a.customer_id = ? AND a.{} = ? ORDER BY a.id",
      table.allocation_column));
  if (!statement) return Fail(statement.error());
  for (size_t n = 0; n < customer_and_credit_ids.size(); ++n) {
    (*statement)->Reset();
    (*statement)->BindInt64(1, tenant_id);
    (*statement)->BindInt64(2, customer_and_credit_ids[n].first);
    (*statement)->BindInt64(3, customer_and_credit_ids[n].second);
    while (true) {
      auto has_row = (*statement)->Step();
      if (!has_row) return Fail(has_row.error());
      if (!*has_row) break;
      applications[n].push_back(CreditApplication{std::string((*statement)->GetText(0)),
                                                  std::string((*statement)->GetText(1)),
                                                  std::string((*statement)->GetText(2)), (*statement)->GetInt64(3)});
    }
  }
  return applications;
}

}  // namespace credit_list
}  // namespace cartera
