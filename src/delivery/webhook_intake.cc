#include "delivery/webhook_intake.h"

#include <sodium.h>

#include "delivery/channel_settings.h"
#include "delivery/delivery_report.h"
#include "delivery/twilio_webhook.h"
#include "delivery/whatsapp_webhook.h"

namespace cartera::delivery {
namespace {

bool SameText(const std::string& given, const std::string& expected) {
  return !given.empty() && given.size() == expected.size() &&
         sodium_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

Result<WebhookIntake> IngestTwilioRequest(Database& database, int64_t tenant_id, const SecretKey& key,
                                          const HttpRequest& request, const std::string& url,
                                          const AuditContext& audit) {
  const Language language = audit.language;
  auto settings = LoadTwilioSettings(database, tenant_id, &key);
  if (!settings) return Fail(settings.error());
  if (!*settings) {
    return Fail(Error::BadInput(std::string(Tr(language, "Twilio no está configurado en los canales de la empresa",
                                               "Twilio is not configured in the tenant's channel settings"))));
  }
  std::string called = url;
  if (called.empty()) {
    auto portal = LoadPortalBaseUrl(database, tenant_id);
    if (!portal) return Fail(portal.error());
    if (portal->empty()) {
      return Fail(
          Error::BadInput(std::string(Tr(language, "indique la URL del webhook, o configure antes la URL del portal",
                                         "give the webhook's URL, or set the portal base URL first"))));
    }
    called = *portal + request.target;
  }
  WebhookIntake intake;
  if (!SameText(request.Header("X-Twilio-Signature"),
                TwilioSignature((*settings)->auth_token, called, ParseForm(request.body)))) {
    return intake;
  }
  auto outcome = IngestTwilioWebhook(database, tenant_id, (*settings)->auth_token, called, request, audit);
  if (!outcome) return Fail(outcome.error());
  intake.verified = true;
  intake.outcomes.push_back(std::move(*outcome));
  return intake;
}

Result<WebhookIntake> IngestWhatsappRequest(Database& database, int64_t tenant_id, const SecretKey& key,
                                            const HttpRequest& request, const AuditContext& audit) {
  auto settings = LoadWhatsappCloudSettings(database, tenant_id, &key);
  if (!settings) return Fail(settings.error());
  if (!*settings) {
    return Fail(Error::BadInput(std::string(Tr(audit.language,
                                               "WhatsApp Cloud no está configurado: use `cartera channel set-whatsapp ...`",
                                               "WhatsApp Cloud is not configured: run `cartera channel set-whatsapp ...`"))));
  }
  WebhookIntake intake;
  if (!SameText(request.Header("X-Hub-Signature-256"), HubSignature256((*settings)->app_secret, request.body))) {
    return intake;
  }
  auto outcomes = IngestWhatsappWebhook(database, tenant_id, (*settings)->app_secret, request, audit);
  if (!outcomes) return Fail(outcomes.error());
  intake.verified = true;
  intake.outcomes = std::move(*outcomes);
  return intake;
}

Result<std::optional<std::string>> AnswerWhatsappSubscription(Database& database, int64_t tenant_id,
                                                              const SecretKey& key, const std::string& mode,
                                                              const std::string& verify_token,
                                                              const std::string& challenge, Language language) {
  auto settings = LoadWhatsappCloudSettings(database, tenant_id, &key);
  if (!settings) return Fail(settings.error());
  if (!*settings) {
    return Fail(Error::NotFound(std::string(Tr(language, "WhatsApp Cloud no está configurado para esta empresa",
                                               "WhatsApp Cloud is not configured for this tenant"))));
  }
  if ((*settings)->verify_token.empty() || mode != "subscribe" || challenge.empty() ||
      !SameText(verify_token, (*settings)->verify_token)) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(challenge);
}

Result<std::vector<WebhookOutcome>> IngestForwardedBounce(Database& database, int64_t tenant_id, const SecretKey& key,
                                                          const std::string& raw_email, Timestamp now,
                                                          const AuditContext& audit) {
  auto report = ParseDeliveryReport(raw_email);
  if (!report) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "no es un correo", "not an email message"))));
  }
  return IngestDeliveryReport(database, tenant_id, *report, key, now, audit);
}

}  // namespace cartera::delivery
