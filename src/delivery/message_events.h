// What the outbound webhook events about a debtor's messages and consent
// carry (webhooks/webhook_events.h): the message in the outbox's one JSON
// shape (collection/outbox_list.h) and the customer by external id. The
// callers queue the event with webhooks::EmitEvent in the transaction of
// the change it reports.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// {"message": <OutboxItemJson of the item as it is now>}. kNotFound unless
// it is the tenant's.
Result<nlohmann::json> MessageEventData(Database& database, int64_t tenant_id, int64_t message_id);

// The customer's external id (what every event names a customer by).
Result<std::string> CustomerExternalIdOf(Database& database, int64_t tenant_id, int64_t customer_id);

// The time an audited change happened, as an event's time.
Result<Timestamp> EventTime(const AuditContext& audit);

}  // namespace cartera::delivery
