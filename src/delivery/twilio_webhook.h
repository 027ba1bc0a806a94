// What Twilio tells us after a send: status callbacks (delivered, failed,
// read) and inbound messages (a reply, or STOP / BAJA). Every request is
// verified first: X-Twilio-Signature is base64(HMAC-SHA1(auth token, URL +
// the POST parameters sorted by name, each name followed by its value)).
#pragma once

#include <map>
#include <string>

#include "core/clock.h"
#include "delivery/http_request.h"
#include "delivery/inbound_events.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

std::string TwilioSignature(const std::string& auth_token, const std::string& url,
                            const std::map<std::string, std::string>& parameters);

// `url` is the URL Twilio called (it is part of the signature).
// Fails with kBadInput when the signature does not match: nothing changes.
Result<WebhookOutcome> IngestTwilioWebhook(Database& database, int64_t tenant_id, const std::string& auth_token,
                                           const std::string& url, const HttpRequest& request,
                                           const AuditContext& audit);

}  // namespace cartera::delivery
