// What Twilio tells us after a send: status callbacks (delivered, failed,
// read) and inbound messages (a reply, or STOP / BAJA). Every request is
// verified first: X-Twilio-Signature is base64(HMAC-SHA1(auth token, URL +
// the POST parameters sorted by name, each name followed by its value)).
#pragma once

#include <map>
#include <string>

#include "core/clock.h"
#include "delivery/http_request.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

std::string TwilioSignature(const std::string& auth_token, const std::string& url,
                            const std::map<std::string, std::string>& parameters);

// Words that opt the sender out of the channel they wrote on (Twilio's own
// list, and the Spanish ones our debtors use). Case and spaces ignored.
bool IsOptOutWord(std::string_view body);

struct WebhookOutcome {
  std::string kind;    // "status" | "opt_out" | "reply" | "ignored"
  std::string detail;  // for the operator
};

// `url` is the URL Twilio called (it is part of the signature).
// Fails with kBadInput when the signature does not match: nothing changes.
Result<WebhookOutcome> IngestTwilioWebhook(Database& database, int64_t tenant_id, const std::string& auth_token,
                                           const std::string& url, const HttpRequest& request,
                                           const AuditContext& audit);

}  // namespace cartera::delivery
