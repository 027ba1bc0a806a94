#include "store/audit.h"

namespace cartera {

Status WriteAudit(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
                  int64_t entity_id, std::string_view action, std::string_view before_json,
                  std::string_view after_json) {
  auto insert = database.Prepare(
      "INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, action, before_json, after_json, source) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, audit.at);
  (*insert)->BindText(3, audit.actor);
  (*insert)->BindText(4, entity);
  (*insert)->BindInt64(5, entity_id);
  (*insert)->BindText(6, action);
  before_json.empty() ? (*insert)->BindNull(7) : (*insert)->BindText(7, before_json);
  after_json.empty() ? (*insert)->BindNull(8) : (*insert)->BindText(8, after_json);
  (*insert)->BindText(9, audit.source);
  return (*insert)->Run();
}

}  // namespace cartera
