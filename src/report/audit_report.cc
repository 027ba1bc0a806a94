#include "report/audit_report.h"

#include <algorithm>

#include <fmt/format.h>

namespace cartera {
namespace {

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<std::vector<AuditEvent>> ListAuditEvents(Database& database, int64_t tenant_id, const AuditFilter& filter) {
  // SQLite: without an entity, walk the log newest first by rowid and stop
  // at the limit ("+" keeps the planner off the (tenant, entity) index,
  // which would sort every row of the tenant: seconds at millions of rows).
  // PostgreSQL's key (tenant_id, id) serves the order as it is.
  const bool by_rowid = database.dialect() == Dialect::kSqlite && !filter.entity;
  std::string where = by_rowid ? "+a.tenant_id = ?" : "a.tenant_id = ?";
  std::string from = "audit_log a";
  if (filter.entity) where += " AND a.entity = ?";
  if (filter.external_id) {
    if (!filter.entity) return Fail(Error::BadInput("an external id needs its entity"));
    const std::string& entity = *filter.entity;
    if (entity != "customer" && entity != "invoice" && entity != "payment" && entity != "credit_note") {
      return Fail(Error::BadInput("only customers, invoices, payments and credit notes have external ids"));
    }
    const std::string table = entity == "credit_note" ? "credit_notes" : entity + "s";
    // Rows created by an import are audited as one id range.
    where += " AND a.entity_id <= d.id AND (a.entity_id = d.id OR a.entity_id_last >= d.id)";
    from = fmt::format("audit_log a JOIN {} d ON d.tenant_id = a.tenant_id AND d.external_id = ?", table);
  }
  auto query = database.Prepare(fmt::format(
      "SELECT a.at, a.actor, a.entity, a.entity_id, a.action, a.before_json, a.after_json, a.source, "
      "a.entity_id_last FROM {} WHERE {} ORDER BY a.id DESC LIMIT {}",
      from, where, std::max<int64_t>(filter.limit, 1)));
  if (!query) return Fail(query.error());
  int parameter = 1;
  if (filter.external_id) (*query)->BindText(parameter++, *filter.external_id);
  (*query)->BindInt64(parameter++, tenant_id);
  if (filter.entity) (*query)->BindText(parameter++, *filter.entity);
  std::vector<AuditEvent> events;
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return events;
    const Statement& row = **query;
    auto parse = [&](int column) {
      return row.IsNull(column) ? nlohmann::json(nullptr) : nlohmann::json::parse(row.GetText(column), nullptr, false);
    };
    AuditEvent event;
    event.at = row.GetText(0);
    event.actor = row.GetText(1);
    event.entity = row.GetText(2);
    event.entity_id = row.GetInt64(3);
    event.action = row.GetText(4);
    event.before = parse(5);
    event.after = parse(6);
    event.source = row.IsNull(7) ? "" : std::string(row.GetText(7));
    if (!row.IsNull(8)) event.entity_id_last = row.GetInt64(8);
    events.push_back(std::move(event));
  }
}

nlohmann::json AuditEventJson(const AuditEvent& event) {
  return {{"at", event.at},
          {"actor", event.actor},
          {"entity", event.entity},
          {"entity_id", event.entity_id},
          {"entity_id_last", event.entity_id_last ? nlohmann::json(*event.entity_id_last) : nlohmann::json(nullptr)},
          {"action", event.action},
          {"before", event.before},
          {"after", event.after},
          {"source", event.source}};
}

std::string DescribeAuditChange(const AuditEvent& event) {
  std::string change;
  if (event.before.is_object() && event.after.is_object()) {
    for (const auto& [key, value] : event.after.items()) {
      if (event.before.contains(key) && event.before[key] != value) {
        change += fmt::format("{}{}: {} -> {}", change.empty() ? "" : "; ", key, Dump(event.before[key]), Dump(value));
      }
    }
    return change;
  }
  const nlohmann::json& shown = event.after.is_object() ? event.after : event.before;
  change = shown.is_null() ? "" : Dump(shown);
  if (change.size() > 80) change = change.substr(0, 77) + "...";
  return change;
}

}  // namespace cartera
