#include "delivery/opt_out.h"

#include <nlohmann/json.hpp>

#include "delivery/message_events.h"
#include "webhooks/webhook_events.h"

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
  // customer.opted_out, in this transaction. A failure here fails the
  // opt-out, on purpose: EmitEvent only writes rows to this same database
  // (nothing is sent now; an endpoint that is down, refuses or has a bad
  // URL is the sender's business, later, and never reaches this), so it
  // fails only when the database does, and then the opt-out's own writes
  // are lost with it anyway (PostgreSQL aborts the whole transaction on
  // any error, and there is no savepoint to fall back to). Ignoring it would
  // commit an opt-out without its event, or not commit at all on PostgreSQL
  // while claiming success. Failing says so, and every caller can retry: a
  // provider re-posts its webhook, a person clicks or runs it again.
  auto external_id = CustomerExternalIdOf(database, tenant_id, customer_id);
  if (!external_id) return Fail(external_id.error());
  auto at = EventTime(audit);
  if (!at) return Fail(at.error());
  auto emitted = webhooks::EmitEvent(database, tenant_id, "customer.opted_out",
                                     {{"opt_out",
                                       {{"customer_external_id", *external_id},
                                        {"channel", channel},
                                        {"value", value},
                                        {"via", via},
                                        {"at", audit.at}}}},
                                     *at);
  if (!emitted) return Fail(emitted.error());
  return true;
}

}  // namespace cartera::delivery
