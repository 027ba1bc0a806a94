#include "delivery/opt_out.h"

#include <nlohmann/json.hpp>

namespace cartera::delivery {

Result<bool> RecordOptOut(Database& database, int64_t tenant_id, int64_t customer_id, std::string_view channel,
                          std::string_view value, std::string_view via, const AuditContext& audit) {
  auto revoke = database.Prepare(
      "UPDATE contact_points SET consent = 'revoked', consent_source = 'debtor', consent_at = ? WHERE "
      "tenant_id = ? AND customer_id = ? AND channel = ? AND value = ? AND consent <> 'revoked'");
  if (!revoke) return Fail(revoke.error());
  (*revoke)->BindText(1, audit.at);
  (*revoke)->BindInt64(2, tenant_id);
  (*revoke)->BindInt64(3, customer_id);
  (*revoke)->BindText(4, channel);
  (*revoke)->BindText(5, value);
  if (auto ok = (*revoke)->Run(); !ok) return Fail(ok.error());
  if ((*revoke)->ChangedRows() == 0) return false;
  const nlohmann::json after = {{"channel", channel}, {"value", value},         {"consent", "revoked"},
                                {"consent_source", "debtor"}, {"via", via}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "contact_point", customer_id, "update",
                           R"({"consent":"granted"})", after.dump());
      !ok) {
    return Fail(ok.error());
  }
  return true;
}

}  // namespace cartera::delivery
