// What Meta's WhatsApp Cloud API posts to the tenant's webhook: message
// statuses (sent, delivered, read, failed) and the debtors' messages, in one
// JSON body that may carry many of each. Verified first: X-Hub-Signature-256
// is "sha256=" + hex(HMAC-SHA256(app secret, the raw body)).
#pragma once

#include <string>
#include <vector>

#include "delivery/http_request.h"
#include "delivery/inbound_events.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

std::string HubSignature256(const std::string& app_secret, const std::string& body);

// One outcome per status and message in the body. Fails with kBadInput when
// the signature does not match or the body is not Meta's JSON: nothing
// changes. Each event is its own transaction, so Meta's retry of a body
// that half failed only repeats what is idempotent.
Result<std::vector<WebhookOutcome>> IngestWhatsappWebhook(Database& database, int64_t tenant_id,
                                                          const std::string& app_secret, const HttpRequest& request,
                                                          const AuditContext& audit);

}  // namespace cartera::delivery
