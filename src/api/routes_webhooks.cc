// Inbound webhooks: what Twilio, Meta and mail servers send back. Public
// routes (providers hold no API key); each request is proven by its
// signature instead, through the use case `cartera webhook ingest` calls
// (delivery/webhook_intake.h). A signature that does not match is a 401
// and nothing is recorded.
//
// The tenant comes from the URL (/webhooks/{tenant}/twilio, by slug or id):
// a signature can only be checked once the tenant's secret is known, and
// neither Twilio's nor Meta's requests name the tenant in a way we could
// trust before checking it (the account SID or phone number id would have
// to be looked up across every tenant's sealed settings, before the request
// is proven). Each tenant gives its provider its own URL, so the URL says
// whose secret to check with. An unknown tenant is a 404.
#include <nlohmann/json.hpp>

#include "api/route_helpers.h"
#include "api/server_key.h"
#include "api/routes.h"
#include "core/time_zone.h"
#include "delivery/secret_box.h"
#include "delivery/webhook_intake.h"
#include "store/tenants.h"

namespace cartera::api {
namespace {

// Providers post small bodies; a forwarded bounce carries the returned message.
constexpr size_t kProviderBodyBytesMax = 256 * 1024;
constexpr size_t kBounceBodyBytesMax = 2 * 1024 * 1024;

Result<Tenant> TenantOfUrl(ApiCall& call) { return FindTenant(call.database(), call.Param("tenant"), call.language()); }

// Who acts in the audit log: the provider, through the server.
AuditContext ProviderAudit(ApiCall& call, std::string actor, std::string source) {
  return AuditContext{std::move(actor), FormatUtc(call.clock().Now()), std::move(source), call.language()};
}

std::expected<delivery::SecretKey, Problem> ServerKey(ApiCall& call) { return ServerSecretKey(call.language()); }

// The request as delivery/http_request.h has it (the saved-file form
// `cartera webhook ingest` reads): the headers the providers sign with.
delivery::HttpRequest ProviderRequest(ApiCall& call) {
  delivery::HttpRequest request;
  request.method = call.method();
  request.target = call.path();
  for (const char* name : {"x-twilio-signature", "x-hub-signature-256", "content-type"}) {
    if (auto value = call.Header(name)) request.headers.emplace(name, *value);
  }
  request.body = call.body();
  return request;
}

Problem SignatureProblem(Language language, std::string_view header) {
  return Problem::Of(ProblemCode::kUnauthenticated,
                     TrFormat(language, "la firma {} no coincide: no se registró nada",
                              "the {} signature does not match: nothing was recorded", header));
}

nlohmann::json OutcomesJson(const std::vector<delivery::WebhookOutcome>& outcomes) {
  nlohmann::json data = nlohmann::json::array();
  for (const delivery::WebhookOutcome& outcome : outcomes) {
    data.push_back({{"kind", outcome.kind}, {"detail", outcome.detail}});
  }
  return {{"outcomes", std::move(data)}};
}

HandlerResult TwilioWebhook(ApiCall& call) {
  auto tenant = TenantOfUrl(call);
  if (!tenant) return std::unexpected(Problem(tenant.error()));
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  // Twilio signs the URL it called: the tenant's public base URL (its
  // portal's) + this path. Query strings are not rebuilt: configure the
  // webhook URL without one.
  auto intake = delivery::IngestTwilioRequest(call.database(), tenant->id, *key, ProviderRequest(call), "",
                                              ProviderAudit(call, "twilio", "webhook twilio"));
  if (!intake) return std::unexpected(Problem(intake.error()));
  if (!intake->verified) return std::unexpected(SignatureProblem(call.language(), "X-Twilio-Signature"));
  return ApiResponse::Json(200, OutcomesJson(intake->outcomes));
}

HandlerResult WhatsappSubscribe(ApiCall& call) {
  auto tenant = TenantOfUrl(call);
  if (!tenant) return std::unexpected(Problem(tenant.error()));
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  auto challenge = delivery::AnswerWhatsappSubscription(
      call.database(), tenant->id, *key, call.Query("hub.mode").value_or(""),
      call.Query("hub.verify_token").value_or(""), call.Query("hub.challenge").value_or(""), call.language());
  if (!challenge) return std::unexpected(Problem(challenge.error()));
  if (!*challenge) {
    return std::unexpected(Problem::Of(
        ProblemCode::kForbidden, std::string(Tr(call.language(),
                                                "hub.verify_token no es el token de verificación de este tenant",
                                                "hub.verify_token is not this tenant's verify token"))));
  }
  ApiResponse response;
  response.content_type = "text/plain";
  response.body = **challenge;
  return response;
}

HandlerResult WhatsappWebhook(ApiCall& call) {
  auto tenant = TenantOfUrl(call);
  if (!tenant) return std::unexpected(Problem(tenant.error()));
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  auto intake = delivery::IngestWhatsappRequest(call.database(), tenant->id, *key, ProviderRequest(call),
                                                ProviderAudit(call, "meta", "webhook whatsapp"));
  if (!intake) return std::unexpected(Problem(intake.error()));
  if (!intake->verified) return std::unexpected(SignatureProblem(call.language(), "X-Hub-Signature-256"));
  return ApiResponse::Json(200, OutcomesJson(intake->outcomes));
}

HandlerResult BounceWebhook(ApiCall& call) {
  auto tenant = TenantOfUrl(call);
  if (!tenant) return std::unexpected(Problem(tenant.error()));
  const std::string type = call.Header("Content-Type").value_or("");
  if (!type.starts_with("message/rfc822") && !type.starts_with("text/plain") &&
      !type.starts_with("multipart/report")) {
    return std::unexpected(Problem::Of(ProblemCode::kUnsupportedMediaType,
                                       std::string(Tr(call.language(),
                                                      "envíe el rebote como message/rfc822 o text/plain",
                                                      "send the bounce as message/rfc822 or text/plain"))));
  }
  auto key = ServerKey(call);  // the Message-IDs we sent are signed with it
  if (!key) return std::unexpected(key.error());
  auto outcomes = delivery::IngestForwardedBounce(call.database(), tenant->id, *key, call.body(), call.clock().Now(),
                                                  ProviderAudit(call, "bounce", "bounce webhook"));
  if (!outcomes) return std::unexpected(Problem(outcomes.error()));
  return ApiResponse::Json(200, OutcomesJson(*outcomes));
}

Route Public(std::string method, std::string pattern, HandlerResult (*handler)(ApiCall&), size_t max_body_bytes) {
  Route route{std::move(method), std::move(pattern), Access::kPublic, access::Role::kViewer, BodyKind::kRaw, handler};
  route.max_body_bytes = max_body_bytes;
  return route;
}

}  // namespace

void AddWebhookRoutes(std::vector<Route>& routes) {
  routes.push_back(Public("POST", "/webhooks/{tenant}/twilio", TwilioWebhook, kProviderBodyBytesMax));
  Route subscribe = Public("GET", "/webhooks/{tenant}/whatsapp", WhatsappSubscribe, kProviderBodyBytesMax);
  subscribe.body = BodyKind::kNone;
  routes.push_back(std::move(subscribe));
  routes.push_back(Public("POST", "/webhooks/{tenant}/whatsapp", WhatsappWebhook, kProviderBodyBytesMax));
  routes.push_back(Public("POST", "/webhooks/{tenant}/bounces", BounceWebhook, kBounceBodyBytesMax));
}

}  // namespace cartera::api
