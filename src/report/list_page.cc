#include "report/list_page.h"

#include <fmt/format.h>

#include "core/time_zone.h"

namespace cartera {

Result<Date> TenantToday(Database& database, int64_t tenant_id, Timestamp now) {
  auto zone = database.Prepare("SELECT time_zone FROM tenants WHERE id = ?");
  if (!zone) return Fail(zone.error());
  (*zone)->BindInt64(1, tenant_id);
  auto row = (*zone)->Step();
  if (!row) return Fail(row.error());
  return DateIn(*row ? std::string((*zone)->GetText(0)) : std::string("UTC"), now);
}

Status CheckListQuery(const std::optional<int64_t>& limit, const std::optional<Money>& min_amount,
                      const std::optional<Currency>& currency, Language language) {
  if (limit && *limit < 1) {
    return Fail(Error::BadInput(TrFormat(language, "limit {}: debe ser 1 o más", "limit {}: must be 1 or more", *limit)));
  }
  if (min_amount && !(currency && min_amount->currency() == *currency)) {
    return Fail(Error::BadInput(std::string(Tr(language, "el valor mínimo necesita su moneda (los valores son por moneda)",
                                               "a minimum amount needs its currency (amounts are per currency)"))));
  }
  return {};
}

namespace list_sql {

std::string OrderBy(const std::vector<Key>& keys, std::string_view tie_breaker) {
  std::string order;
  for (const Key& key : keys) order += fmt::format("{}{}, ", key.expression, key.descending ? " DESC" : "");
  return order + std::string(tie_breaker);
}

void AddAfter(Conditions& conditions, const std::vector<Key>& keys, const std::vector<Value>& anchor,
              std::string_view tie_breaker, const Value& anchor_tie) {
  std::string any;  // one alternative per key, then the tie breaker
  std::vector<Value> parameters;
  for (size_t position = 0; position <= keys.size(); ++position) {
    std::string all;
    for (size_t equal = 0; equal < position; ++equal) {
      all += fmt::format("{} = ? AND ", keys[equal].expression);
      parameters.push_back(anchor[equal]);
    }
    if (position < keys.size()) {
      all += fmt::format("{} {} ?", keys[position].expression, keys[position].descending ? "<" : ">");
      parameters.push_back(anchor[position]);
    } else {
      all += fmt::format("{} > ?", tie_breaker);
      parameters.push_back(anchor_tie);
    }
    any += fmt::format("{}({})", any.empty() ? "" : " OR ", all);
  }
  conditions.Add("(" + any + ")");
  for (Value& value : parameters) conditions.parameters.push_back(std::move(value));
}

void AddCustomerFilters(Conditions& conditions, const std::optional<std::string>& segment,
                        const std::optional<std::string>& country) {
  if (segment) {
    conditions.Add("COALESCE((SELECT s.behaviour_segment FROM customer_segments s WHERE s.tenant_id = c.tenant_id AND "
                   "s.customer_id = c.id), c.segment) = ?",
                   *segment);
  }
  if (country) conditions.Add("c.country = ?", *country);
}

void AddInvoiceFilters(Conditions& conditions, Date as_of, const std::optional<std::string>& currency,
                       const std::optional<int32_t>& min_days_past_due, const std::optional<int64_t>& min_open_minor) {
  if (currency) conditions.Add("i.currency = ?", *currency);
  if (min_days_past_due) conditions.Add("i.due_date <= ?", as_of.PlusDays(-*min_days_past_due).ToIso());
  if (min_open_minor) conditions.Add("i.open_minor >= ?", *min_open_minor);
}

int Bind(Statement& statement, const std::vector<Value>& parameters, int first) {
  for (const Value& value : parameters) {
    if (const int64_t* number = std::get_if<int64_t>(&value)) {
      statement.BindInt64(first++, *number);
    } else {
      statement.BindText(first++, std::get<std::string>(value));
    }
  }
  return first;
}

std::vector<Value> ReadKeys(const Statement& row, const std::vector<Key>& keys, int first) {
  std::vector<Value> values;
  for (size_t i = 0; i < keys.size(); ++i) {
    const int column = first + static_cast<int>(i);
    if (keys[i].integer) {
      values.emplace_back(row.GetInt64(column));
    } else {
      values.emplace_back(std::string(row.GetText(column)));
    }
  }
  return values;
}

}  // namespace list_sql
}  // namespace cartera
