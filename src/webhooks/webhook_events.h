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
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/language.h"
#include "store/database.h"

namespace cartera::webhooks {

// Every event type there is; an endpoint subscribes to some of them.
inline constexpr std::array<std::string_view, 16> kEventTypes = {
    "payment.received",  "promise.created", "promise.broken",  "dispute.opened",     "dispute.resolved",
    "message.sent",      "message.bounced", "message.replied", "customer.opted_out", "run.completed",
    "promise.kept",      "customer.credit_hold_changed", "offer.fulfilled",
    "plan.accepted",     "plan.broken",     "plan.completed",
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

// Many events of one type at once, for a change that makes many records in
// one transaction (an import's payments): the subscribed endpoints are read
// once, and the deliveries are written in bulk (COPY on PostgreSQL) a few
// thousand at a time, each event with its own id, as EmitEvent would.
// REQUIRES: inside the caller's transaction; no other statement of the
// caller is reading while Add or Finish writes (read in chunks, then Add).
class EventBatch {
 public:
  // kBadInput for an unknown type.
  static Result<EventBatch> Begin(Database& database, int64_t tenant_id, std::string_view type, Timestamp at);
  // Some endpoint wants the type: when not, Add writes nothing and a caller
  // may skip building the events' data at all.
  bool wanted() const { return !endpoints_.empty(); }
  Status Add(const nlohmann::json& data);
  // Writes what is still buffered. REQUIRES: called once, after the last Add.
  Status Finish();
  int64_t events() const { return events_; }

 private:
  EventBatch(Database& database, int64_t tenant_id, std::string type, Timestamp at, std::vector<int64_t> endpoints)
      : database_(&database), tenant_id_(tenant_id), type_(std::move(type)), at_(at),
        endpoints_(std::move(endpoints)) {}
  Status Flush();

  Database* database_;
  int64_t tenant_id_;
  std::string type_;
  Timestamp at_;
  std::vector<int64_t> endpoints_;
  std::vector<std::array<std::string, 3>> pending_;  // endpoint id, event id, payload
  int64_t events_ = 0;
};

}  // namespace cartera::webhooks
