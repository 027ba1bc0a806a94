// A tenant's webhook endpoints and the deliveries queued for them: register
// (the signing secret is shown once, sealed at rest), list, disable, see
// the deliveries and replay one. One function per use case and one JSON
// shape per record for the CLI and the HTTP API.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "delivery/secret_box.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::webhooks {

struct WebhookEndpoint {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string url;
  std::vector<std::string> events;  // each one of kEventTypes, no repeats
  std::string description;
  std::string created_at;
  std::optional<std::string> disabled_at;  // set: removed; nothing more is queued or sent to it
};

struct RegisteredEndpoint {
  WebhookEndpoint endpoint;
  std::string secret;  // "whsec_...": shown once, never again
};

// Limits on what a tenant registers.
inline constexpr size_t kUrlLengthMax = 2048;
inline constexpr size_t kDescriptionLengthMax = 200;
inline constexpr int64_t kEndpointsPerTenantMax = 20;

// kBadInput unless `url` is https://HOST..., or http:// to this machine
// (127.0.0.1, localhost, [::1]). Payloads carry debtors' names and what
// they owe, and the signature proves who sent them but hides nothing: over
// plain HTTP anyone on the way reads them. Loopback never leaves the
// machine, so a receiver beside Cartera (and the tests) may use it. A URL
// with user information (https://user@host) is refused: it hides the real
// host from a person reading it.
Status CheckEndpointUrl(std::string_view url, Language language);

// Checks the URL, the events (at least one, each known; repeats dropped)
// and the description; makes the secret, seals it with `key`, audits.
// Its own transaction.
Result<RegisteredEndpoint> RegisterEndpoint(Database& database, int64_t tenant_id, const std::string& url,
                                            const std::vector<std::string>& events, const std::string& description,
                                            const delivery::SecretKey& key, const AuditContext& audit);
// Enabled and disabled, in id order.
Result<std::vector<WebhookEndpoint>> ListEndpoints(Database& database, int64_t tenant_id);
// `cartera webhook-endpoint remove`: disabled, not deleted, so its
// deliveries stay readable; deliveries still queued for it are cancelled.
// kNotFound unless it is the tenant's; disabling twice changes nothing.
Result<WebhookEndpoint> DisableEndpoint(Database& database, int64_t tenant_id, int64_t endpoint_id,
                                        const AuditContext& audit);
// The endpoint's signing secret, unsealed (for the sender).
Result<std::string> EndpointSecret(Database& database, int64_t tenant_id, int64_t endpoint_id,
                                   const delivery::SecretKey& key);

nlohmann::json WebhookEndpointJson(const WebhookEndpoint& endpoint);

// A delivery's life: queued -> sending -> delivered | queued (a retry,
// later) | failed (out of attempts); cancelled when its endpoint was
// removed first. A person replays a failed or delivered one: queued again,
// same event id, attempts from zero.
struct WebhookDelivery {
  int64_t id = 0;
  int64_t tenant_id = 0;
  int64_t endpoint_id = 0;
  std::string event_id, event_type, status;
  int64_t attempts = 0;
  std::string next_attempt_at, created_at;
  std::optional<std::string> attempted_at, delivered_at, last_error;
};

inline constexpr std::array<std::string_view, 5> kDeliveryStatuses = {"queued", "sending", "delivered", "failed",
                                                                     "cancelled"};

struct DeliveryFilter {
  std::optional<int64_t> endpoint_id;
  std::optional<std::string> status;  // one of kDeliveryStatuses (kBadInput else)
  int64_t limit = 100;                // 1 to 1000
};

// Newest first (then id).
Result<std::vector<WebhookDelivery>> ListDeliveries(Database& database, int64_t tenant_id,
                                                    const DeliveryFilter& filter, Language language);
// kNotFound unless it is the tenant's; kConflict while it is queued or
// being sent, or when its endpoint was removed. Audited.
Result<WebhookDelivery> ReplayDelivery(Database& database, int64_t tenant_id, int64_t delivery_id,
                                       const AuditContext& audit);

// The payload is not in it (it is the event; `cartera webhook-endpoint
// deliveries` lists many).
nlohmann::json WebhookDeliveryJson(const WebhookDelivery& delivery);

}  // namespace cartera::webhooks
