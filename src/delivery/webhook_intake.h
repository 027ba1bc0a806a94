// What providers send back, as one use case for `cartera webhook ingest`
// (a saved request) and the server's /webhooks/{tenant}/... routes (the
// live one): the tenant's settings are loaded and unsealed here, the
// signature is checked before anything is read, and only then is the
// request recorded (twilio_webhook.h, whatsapp_webhook.h,
// delivery_report.h). A request whose signature does not match changes
// nothing and says so (`verified` false), so the server can answer 401.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/language.h"
#include "delivery/http_request.h"
#include "delivery/inbound_events.h"
#include "delivery/secret_box.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

struct WebhookIntake {
  bool verified = false;  // false: the signature did not match; nothing was recorded
  std::vector<WebhookOutcome> outcomes;
};

// Twilio signs the URL it called: `url`, or when empty the tenant's portal
// base URL + request.target (the public URL the server is reached at).
// kBadInput (in audit.language) when Twilio is not configured, or no URL
// can be made.
Result<WebhookIntake> IngestTwilioRequest(Database& database, int64_t tenant_id, const SecretKey& key,
                                          const HttpRequest& request, const std::string& url,
                                          const AuditContext& audit);

// X-Hub-Signature-256 under the app secret. kBadInput when WhatsApp Cloud
// is not configured, or the (verified) body is not Meta's notification.
Result<WebhookIntake> IngestWhatsappRequest(Database& database, int64_t tenant_id, const SecretKey& key,
                                            const HttpRequest& request, const AuditContext& audit);

// Meta's subscription handshake (GET ...?hub.mode=subscribe&
// hub.verify_token=...&hub.challenge=...): the challenge to echo when the
// mode is "subscribe" and the token equals the tenant's verify token (compared
// in constant time); nullopt otherwise, and when no verify token is set.
// kNotFound (in `language`) when the tenant has no WhatsApp Cloud channel:
// for it the endpoint does not exist.
Result<std::optional<std::string>> AnswerWhatsappSubscription(Database& database, int64_t tenant_id,
                                                              const SecretKey& key, const std::string& mode,
                                                              const std::string& verify_token,
                                                              const std::string& challenge, Language language);

// A delivery report (DSN) forwarded as one email (message/rfc822 or the
// raw text): read and ingested as `cartera bounces ingest` does a file.
// Only a report returning a Message-ID we signed counts
// (delivery_report.h), so no signature is needed. kBadInput (in
// audit.language) when the text is not an email.
Result<std::vector<WebhookOutcome>> IngestForwardedBounce(Database& database, int64_t tenant_id, const SecretKey& key,
                                                          const std::string& raw_email, Timestamp now,
                                                          const AuditContext& audit);

}  // namespace cartera::delivery
