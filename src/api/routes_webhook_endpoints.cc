// Outbound webhooks: the admin's endpoints (the URLs of the tenant's own
// systems that receive Cartera's events) and the deliveries queued for
// them. Every route calls the use case `cartera webhook-endpoint` calls
// (webhooks/webhook_endpoints.h) and answers its records' one JSON shape.
// The server's delivery loop sends the deliveries (webhooks/webhook_sender.h).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/route_helpers.h"
#include "api/server_key.h"
#include "api/routes.h"
#include "delivery/secret_box.h"
#include "webhooks/webhook_endpoints.h"
#include "webhooks/webhook_events.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

// The deliveries route answers at most this many, newest first.
constexpr int64_t kDeliveriesPageMax = 100;

HandlerResult ListEndpoints(ApiCall& call) {
  auto endpoints = webhooks::ListEndpoints(call.database(), call.tenant_id());
  if (!endpoints) return std::unexpected(Problem(endpoints.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const auto& endpoint : *endpoints) data.push_back(webhooks::WebhookEndpointJson(endpoint));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult RegisterEndpoint(ApiCall& call) {
  struct Wanted {
    std::string url;
    std::vector<std::string> events;
    std::string description;
  };
  const Language language = call.language();
  auto wanted = ReadBody(call, [language](JsonFields& fields) {
    Wanted read{fields.Text("url", Need::kRequired, webhooks::kUrlLengthMax).value_or(""),
                fields.TextList("events", Need::kRequired, webhooks::kEventTypes.size() * 2).value_or(
                    std::vector<std::string>{}),
                fields.Text("description", Need::kOptional, webhooks::kDescriptionLengthMax * 4).value_or("")};
    // The use case's own checks, here only to name the bad field; it checks again.
    if (fields.Has("url") && !read.url.empty()) {
      if (auto ok = webhooks::CheckEndpointUrl(read.url, language); !ok) {
        fields.Reject("url", ProblemCode::kInvalidRequest, ok.error().message);
      }
    }
    for (const std::string& event : read.events) {
      if (auto ok = webhooks::CheckEventType(event, language); !ok) {
        fields.Reject("events", ProblemCode::kInvalidRequest, ok.error().message);
      }
    }
    return read;
  });
  if (!wanted) return std::unexpected(wanted.error());
  // The secret is sealed with the server's key, as `cartera webhook-endpoint add` does.
  auto key = ServerSecretKey(call.language());
  if (!key) return std::unexpected(key.error());
  auto registered = webhooks::RegisterEndpoint(call.database(), call.tenant_id(), wanted->url, wanted->events,
                                               wanted->description, *key, call.Audit());
  if (!registered) return std::unexpected(Problem(registered.error()));
  nlohmann::json body = webhooks::WebhookEndpointJson(registered->endpoint);
  body["secret"] = registered->secret;  // shown once, never again
  return ApiResponse::Json(201, body).Header("Cache-Control", "no-store");
}

HandlerResult DisableEndpoint(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto disabled = webhooks::DisableEndpoint(call.database(), call.tenant_id(), *id, call.Audit());
  if (!disabled) return std::unexpected(Problem(disabled.error()));
  return ApiResponse::Json(200, webhooks::WebhookEndpointJson(*disabled));
}

HandlerResult ListDeliveries(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  webhooks::DeliveryFilter filter;
  filter.endpoint_id = *id;
  if (auto status = call.Query("status")) {
    if (std::ranges::find(webhooks::kDeliveryStatuses, *status) == webhooks::kDeliveryStatuses.end()) {
      return std::unexpected(Problem::Field(
          ProblemCode::kBadParameter, "?status",
          std::string(Tr(call.language(), "es queued, sending, delivered, failed o cancelled",
                         "is queued, sending, delivered, failed or cancelled"))));
    }
    filter.status = *status;
  }
  auto limit = call.QueryInt("limit", 1, kDeliveriesPageMax);
  if (!limit) return std::unexpected(limit.error());
  const int64_t wanted = limit->value_or(kDeliveriesPageMax);
  filter.limit = wanted + 1;  // one more tells whether there are more
  // Another tenant's endpoint (or none) is a 404, not an empty list.
  auto endpoints = webhooks::ListEndpoints(call.database(), call.tenant_id());
  if (!endpoints) return std::unexpected(Problem(endpoints.error()));
  if (std::ranges::none_of(*endpoints, [&](const auto& endpoint) { return endpoint.id == *id; })) {
    return std::unexpected(NotFoundProblem(call.language()));
  }
  auto deliveries = webhooks::ListDeliveries(call.database(), call.tenant_id(), filter, call.language());
  if (!deliveries) return std::unexpected(Problem(deliveries.error()));
  const bool has_more = static_cast<int64_t>(deliveries->size()) > wanted;
  if (has_more) deliveries->resize(static_cast<size_t>(wanted));
  nlohmann::json data = nlohmann::json::array();
  for (const auto& delivery : *deliveries) data.push_back(webhooks::WebhookDeliveryJson(delivery));
  return ApiResponse::Json(200, ListPage(std::move(data), has_more));
}

HandlerResult ReplayDelivery(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto replayed = webhooks::ReplayDelivery(call.database(), call.tenant_id(), *id, call.Audit());
  if (!replayed) return std::unexpected(Problem(replayed.error()));
  return ApiResponse::Json(200, webhooks::WebhookDeliveryJson(*replayed));
}

}  // namespace

void AddWebhookEndpointRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/webhook-endpoints", Role::kAdmin, BodyKind::kNone, ListEndpoints));
  routes.push_back(RoleRoute("POST", "/api/v1/webhook-endpoints", Role::kAdmin, BodyKind::kJson, RegisterEndpoint));
  routes.push_back(RoleRoute("DELETE", "/api/v1/webhook-endpoints/{id}", Role::kAdmin, BodyKind::kNone, DisableEndpoint));
  routes.push_back(RoleRoute("GET", "/api/v1/webhook-endpoints/{id}/deliveries", Role::kAdmin, BodyKind::kNone, ListDeliveries));
  routes.push_back(RoleRoute("POST", "/api/v1/webhook-deliveries/{id}/replay", Role::kAdmin, BodyKind::kNone, ReplayDelivery));
}

}  // namespace cartera::api
