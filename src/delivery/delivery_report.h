// Bounces: the delivery status notifications (DSN, RFC 3464) that mail
// servers send back when a message cannot be delivered. GMime reads the MIME
// structure (multipart/report, transfer encodings, the returned message);
// the report's own fields are header-style blocks read here.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "delivery/inbound_events.h"
#include "delivery/secret_box.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

struct BouncedRecipient {
  std::string address;     // Final-Recipient (or Original-Recipient), without "rfc822;"
  std::string action;      // failed | delayed | delivered | relayed | expanded
  std::string status;      // "5.1.1"
  std::string diagnostic;  // Diagnostic-Code, as the remote server said it
  bool Permanent() const { return action == "failed" && status.starts_with('5'); }
};

struct DeliveryReport {
  bool is_report = false;  // false: an ordinary email (a reply, an auto-reply)
  std::string original_message_id;  // "<...>" of the message that bounced; empty when not returned
  std::vector<BouncedRecipient> recipients;
};

// kBadInput when the text is not an email at all.
Result<DeliveryReport> ParseDeliveryReport(std::string_view raw_email);

// Unsigned Message-IDs (written before ids carried a MAC) are honoured for
// emails sent this recently: mail servers give up retrying within five
// days (Postfix's maximal_queue_lifetime), so no real bounce of an email
// sent before the upgrade is lost, and a week after it no guessable id is
// honoured at all.
inline constexpr std::chrono::days kUnsignedMessageIdBounceWindow{7};

// A permanent failure bounces the message (`sent` -> `bounced`) and marks
// the address unusable, so the next run falls back to another channel; a
// delay changes nothing (the server keeps trying). Anybody can send us a
// report, so it counts only when it returns the Message-ID of an email we
// sent and that id proves it: signed under the tenant's key
// (delivery/message_id.h), or unsigned and sent within
// kUnsignedMessageIdBounceWindow of `now`. A report without our
// Message-ID is ignored, never matched by the recipient alone (issue 14: a
// forged report disabled a debtor's email). Ingesting the same report again
// changes nothing.
Result<std::vector<WebhookOutcome>> IngestDeliveryReport(Database& database, int64_t tenant_id,
                                                         const DeliveryReport& report, const SecretKey& key,
                                                         Timestamp now, const AuditContext& audit);

}  // namespace cartera::delivery
