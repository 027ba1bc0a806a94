// What providers tell us after a send, whoever the provider is: a delivery
// status for one of our messages, or a message from a debtor (a reply, or an
// opt-out word). The Twilio and WhatsApp Cloud webhooks verify and parse
// their own formats, then record through these.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// Words that opt the sender out of the channel they wrote on (Twilio's own
// list, and the Spanish ones our debtors use). Case, spaces and a final
// period or exclamation mark are ignored.
bool IsOptOutWord(std::string_view body);

struct WebhookOutcome {
  std::string kind;    // "status" | "opt_out" | "reply" | "ignored"
  std::string detail;  // for the operator
};

struct DeliveryStatus {
  std::string provider_message_id;
  std::string provider_status;  // as the provider says it: "delivered", "read", "undelivered", ...
  std::string error_code;       // the provider's, empty when none
  std::string provider;         // "Twilio", "WhatsApp", "SMTP": named in last_error
  std::string description;      // the provider's words about the error, if any
  // The address cannot receive (unknown number, not on WhatsApp, a hard
  // bounce): it is marked unusable, audited, so the next run falls back to
  // another channel.
  bool address_unusable = false;
};

// delivered/read turn a `sent` message into `delivered`; failed/undelivered
// into `failed`; bounced (an email's DSN) into `bounced`. Statuses for messages no longer `sent` are ignored: they
// arrive out of order. One transaction, audited.
Result<WebhookOutcome> RecordDeliveryStatus(Database& database, int64_t tenant_id, const DeliveryStatus& status,
                                            const AuditContext& audit);

struct InboundMessage {
  std::string channel;  // outbox channel: "sms" | "whatsapp"
  std::string sender;   // "+573001234567"
  std::string body;
  std::string provider_message_id;
};

// Stored for every customer reachable at the sender's number. An opt-out
// word revokes that number's consent on that channel (the debtor's own
// decision); any other text marks the customer's latest message on that
// channel `replied`. One transaction, audited.
Result<WebhookOutcome> RecordInboundMessage(Database& database, int64_t tenant_id, const InboundMessage& message,
                                            const AuditContext& audit);

}  // namespace cartera::delivery
