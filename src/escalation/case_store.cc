#include "escalation/case_store.h"

#include <fmt/format.h>

namespace cartera::escalation::internal {

Result<int64_t> LastId(Database& database, std::string_view table, int64_t tenant_id) {
  auto id = database.QueryInt64(fmt::format("SELECT MAX(id) FROM {} WHERE tenant_id = {}", table, tenant_id));
  if (!id) return Fail(id.error());
  return id->value_or(0);
}

Status AuditChange(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
                   int64_t entity_id, std::string_view action, const nlohmann::json& before,
                   const nlohmann::json& after) {
  return WriteAudit(database, tenant_id, audit, entity, entity_id, action, before.is_null() ? "" : before.dump(),
                    after.is_null() ? "" : after.dump());
}

Error CaseNotFound(int64_t case_id, Language language) {
  return Error::NotFound(TrFormat(language, "no hay un caso de escalamiento {}", "no escalation case {}", case_id));
}

Result<CaseHeader> LoadCaseHeader(Database& database, int64_t tenant_id, int64_t case_id, Language language) {
  auto query = database.Prepare(
      "SELECT id, customer_id, kind, status, COALESCE(stage, ''), commission_basis_points FROM escalation_cases "
      "WHERE tenant_id = ? AND id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, case_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(CaseNotFound(case_id, language));
  const Statement& r = **query;
  CaseHeader header{
      r.GetInt64(0), r.GetInt64(1), std::string(r.GetText(2)), std::string(r.GetText(3)), std::string(r.GetText(4)),
      std::nullopt};
  if (!r.IsNull(5)) header.commission_basis_points = r.GetInt64(5);
  return header;
}

Status EndCase(Database& database, int64_t tenant_id, int64_t case_id, std::string_view status,
               const AuditContext& audit) {
  auto update = database.Prepare(
      "UPDATE escalation_cases SET status = ?, ended_at = ? WHERE tenant_id = ? AND id = ? AND status = 'open'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, status);
  (*update)->BindText(2, audit.at);
  (*update)->BindInt64(3, tenant_id);
  (*update)->BindInt64(4, case_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if ((*update)->ChangedRows() != 1) {
    return Fail(Error::Conflict(
        TrFormat(audit.language, "el caso {} ya no está abierto", "case {} is no longer open", case_id)));
  }
  auto release = database.Prepare("UPDATE escalation_invoices SET held = 0 WHERE tenant_id = ? AND case_id = ?");
  if (!release) return Fail(release.error());
  (*release)->BindInt64(1, tenant_id);
  (*release)->BindInt64(2, case_id);
  if (auto ok = (*release)->Run(); !ok) return ok;
  return AuditChange(database, tenant_id, audit, "escalation_case", case_id, "update", {{"status", "open"}},
                     {{"status", status}, {"ended_at", audit.at}});
}

}  // namespace cartera::escalation::internal
