#include "delivery/message_events.h"

#include <fmt/format.h>

#include "collection/outbox_list.h"
#include "core/time_zone.h"

namespace cartera::delivery {

Result<nlohmann::json> MessageEventData(Database& database, int64_t tenant_id, int64_t message_id) {
  OutboxFilter filter;
  filter.id = message_id;
  filter.limit = 1;
  auto items = ListOutbox(database, tenant_id, filter);
  if (!items) return Fail(items.error());
  if (items->empty()) return Fail(Error::NotFound(fmt::format("no message with id {}", message_id)));
  return nlohmann::json{{"message", OutboxItemJson(items->front())}};
}

Result<std::string> CustomerExternalIdOf(Database& database, int64_t tenant_id, int64_t customer_id) {
  auto query = database.Prepare("SELECT external_id FROM customers WHERE tenant_id = ? AND id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, customer_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no customer with id {}", customer_id)));
  return std::string((*query)->GetText(0));
}

Result<Timestamp> EventTime(const AuditContext& audit) {
  auto at = ParseUtc(audit.at);
  if (!at) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", audit.at)));
  return *at;
}

}  // namespace cartera::delivery
