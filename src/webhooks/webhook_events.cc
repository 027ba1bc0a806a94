#include "webhooks/webhook_events.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/time_zone.h"

namespace cartera::webhooks {

bool IsEventType(std::string_view type) {
  return std::find(kEventTypes.begin(), kEventTypes.end(), type) != kEventTypes.end();
}

Status CheckEventType(std::string_view type, Language language) {
  if (IsEventType(type)) return {};
  std::string known;
  for (std::string_view each : kEventTypes) {
    if (!known.empty()) known += ", ";
    known += each;
  }
  return Fail(Error::BadInput(TrFormat(language, "evento desconocido '{}'; los eventos son: {}",
                                       "unknown event '{}'; the events are: {}", type, known)));
}

std::string NewEventId() {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  std::string id = "evt_";
  for (int i = 0; i < 24; ++i) {
    id += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return id;
}

std::string EventPayload(std::string_view event_id, std::string_view type, int64_t tenant_id,
                         const nlohmann::json& data, Timestamp at) {
  nlohmann::ordered_json payload;
  payload["id"] = event_id;
  payload["object"] = "event";
  payload["type"] = type;
  payload["created_at"] = FormatUtc(at);
  payload["tenant_id"] = tenant_id;
  payload["data"] = data.is_null() ? nlohmann::json::object() : data;
  return payload.dump();
}

namespace {

// The tenant's enabled endpoints subscribed to `type`, in no given order.
Result<std::vector<int64_t>> SubscribedEndpoints(Database& database, int64_t tenant_id, std::string_view type) {
  auto endpoints =
      database.Prepare("SELECT id, events FROM webhook_endpoints WHERE tenant_id = ? AND disabled_at IS NULL");
  if (!endpoints) return Fail(endpoints.error());
  (*endpoints)->BindInt64(1, tenant_id);
  std::vector<int64_t> subscribed;
  while (true) {
    auto row = (*endpoints)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const auto events = nlohmann::json::parse((*endpoints)->GetText(1), nullptr, false);
    if (!events.is_array()) continue;  // written by RegisterEndpoint only; never a half-parsed list
    for (const auto& event : events) {
      if (event.is_string() && event.get_ref<const std::string&>() == type) {
        subscribed.push_back((*endpoints)->GetInt64(0));
        break;
      }
    }
  }
  return subscribed;
}

}  // namespace

Result<std::string> EmitEvent(Database& database, int64_t tenant_id, std::string_view type,
                              const nlohmann::json& data, Timestamp at) {
  if (auto known = CheckEventType(type, Language::kEnglish); !known) return Fail(known.error());
  auto found = SubscribedEndpoints(database, tenant_id, type);
  if (!found) return Fail(found.error());
  const std::vector<int64_t>& subscribed = *found;
  std::string event_id = NewEventId();
  if (subscribed.empty()) return event_id;
  const std::string payload = EventPayload(event_id, type, tenant_id, data, at);
  const std::string now = FormatUtc(at);
  auto insert = database.Prepare(
      "INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, "
      "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)");
  if (!insert) return Fail(insert.error());
  for (int64_t endpoint_id : subscribed) {
    (*insert)->Reset();
    (*insert)->BindInt64(1, tenant_id);
    (*insert)->BindInt64(2, endpoint_id);
    (*insert)->BindText(3, event_id);
    (*insert)->BindText(4, type);
    (*insert)->BindText(5, payload);
    (*insert)->BindText(6, now);
    (*insert)->BindText(7, now);
    if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  }
  return event_id;
}

// Deliveries buffered before a bulk write: a few MB of payloads at most.
constexpr size_t kBatchDeliveriesMax = 2000;

Result<EventBatch> EventBatch::Begin(Database& database, int64_t tenant_id, std::string_view type, Timestamp at) {
  if (auto known = CheckEventType(type, Language::kEnglish); !known) return Fail(known.error());
  auto subscribed = SubscribedEndpoints(database, tenant_id, type);
  if (!subscribed) return Fail(subscribed.error());
  return EventBatch(database, tenant_id, std::string(type), at, std::move(*subscribed));
}

Status EventBatch::Add(const nlohmann::json& data) {
  if (endpoints_.empty()) return {};
  const std::string event_id = NewEventId();
  const std::string payload = EventPayload(event_id, type_, tenant_id_, data, at_);
  for (int64_t endpoint_id : endpoints_) pending_.push_back({std::to_string(endpoint_id), event_id, payload});
  ++events_;
  if (pending_.size() >= kBatchDeliveriesMax) return Flush();
  return {};
}

Status EventBatch::Finish() { return Flush(); }

Status EventBatch::Flush() {
  if (pending_.empty()) return {};
  auto writer = database_->BulkInsert("webhook_deliveries", {"tenant_id", "endpoint_id", "event_id", "event_type",
                                                             "payload", "status", "attempts", "next_attempt_at",
                                                             "created_at"});
  if (!writer) return Fail(writer.error());
  const std::string tenant = std::to_string(tenant_id_), now = FormatUtc(at_);
  for (const auto& [endpoint, event_id, payload] : pending_) {
    if (auto ok = (*writer)->Add({tenant, endpoint, event_id, type_, payload, "queued", "0", now, now}); !ok) {
      return ok;
    }
  }
  if (auto ok = (*writer)->Finish(); !ok) return ok;
  pending_.clear();
  return {};
}

}  // namespace cartera::webhooks
