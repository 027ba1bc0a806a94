// Outbound webhook events: what happened in a tenant's books that its own
// systems (an ERP, a CRM, a chat bot) asked to hear about. EmitEvent queues
// one delivery per subscribed endpoint in the caller's transaction, so an
// event exists exactly when the change it reports was committed (the
// outbox rule: the side effect is written with the change, sent later by
// webhooks/webhook_sender.h).
//
// Each event has an id ("evt_" + 24 random characters) that every delivery
// and every replay of it carries in Cartera-Event-Id: receivers deduplicate
// on it, which is what makes a retry safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/language.h"
#include "store/database.h"

namespace cartera::webhooks {

// Every event type there is; an endpoint subscribes to some of them.
inline constexpr std::array<std::string_view, 10> kEventTypes = {
    "payment.received",  "promise.created", "promise.broken",  "dispute.opened",     "dispute.resolved",
    "message.sent",      "message.bounced", "message.replied", "customer.opted_out", "run.completed",
};

bool IsEventType(std::string_view type);
// kBadInput naming the type and listing the known ones, in `language`.
Status CheckEventType(std::string_view type, Language language);

// A new event id: "evt_" and 24 characters [A-Za-z0-9] from libsodium's
// random source (143 bits: unique without asking the database).
std::string NewEventId();

// The body every endpoint receives:
//   {"id":"evt_...","object":"event","type":"promise.created",
//    "created_at":"2026-11-20T15:00:00Z","tenant_id":1,"data":{...}}
std::string EventPayload(std::string_view event_id, std::string_view type, int64_t tenant_id,
                         const nlohmann::json& data, Timestamp at);

// Queues the event for every enabled endpoint of the tenant subscribed to
// `type`, due at `at`. Returns the event id (also when no endpoint wants
// it: nothing is written then). kBadInput for an unknown type.
// REQUIRES: inside the caller's transaction (the change the event reports).
Result<std::string> EmitEvent(Database& database, int64_t tenant_id, std::string_view type,
                              const nlohmann::json& data, Timestamp at);

}  // namespace cartera::webhooks
