// What happened to one message handed to a provider (SMTP, Twilio, Meta),
// in the terms the delivery worker acts on. Shared by every sender.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace cartera::delivery {

// kTransient: nothing was sent (no connection, refused before the request
// left, SMTP 4xx, HTTP 429): worth retrying. kPermanent: refused for good
// (see Refusal for who is to blame). kUnknown: the message had left but no
// verdict came (a timeout, a dropped connection, an HTTP 5xx after the
// request was sent): it may have arrived, so it is never retried blindly,
// like an item a crash leaves in `sending`.
enum class SendResult { kSent = 1, kTransient = 2, kPermanent = 3, kUnknown = 4 };

// Who a kPermanent refusal is about.
enum class Refusal {
  kNone = 0,
  // The address itself: SMTP 5xx to RCPT TO about the mailbox (5.1.x,
  // 5.2.1, or a plain 550/551/553), a number Twilio or Meta says is invalid.
  // The contact point is marked unusable.
  kRecipient = 1,
  // The server refused this message for its own reasons: SMTP 5xx at MAIL
  // FROM or DATA, or a policy refusal at RCPT TO (5.7.x relay, SPF, DMARC,
  // content). The message fails; the address stays usable; refusals in a
  // row pause the channel for the tenant (delivery/channel_pause.h).
  kServer = 2,
};

struct SendOutcome {
  SendOutcome() = default;
  SendOutcome(SendResult given_result, std::string given_detail)
      : result(given_result), detail(std::move(given_detail)) {}

  SendResult result = SendResult::kSent;
  // For the log and the item's last_error: with a server's refusal, the
  // server's own reply ("SMTP 554 5.7.1 ...: Message rejected ..."), not
  // the client library's words.
  std::string detail;
  Refusal refusal = Refusal::kNone;  // with kPermanent
  // The server's last reply, verbatim, when there was one.
  std::string server_reply;
  // With kTransient: the provider said how long to wait (HTTP Retry-After).
  std::optional<std::chrono::seconds> retry_after;

  // REQUIRES nothing. True only when the address is to blame.
  bool AddressUnusable() const { return result == SendResult::kPermanent && refusal != Refusal::kServer; }
  bool RefusedByServer() const { return result == SendResult::kPermanent && refusal == Refusal::kServer; }
};

}  // namespace cartera::delivery
