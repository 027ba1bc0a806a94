// An SMTP server's reply and what a refusal means, by the command it
// answered: only a recipient-level refusal says the address is bad. A
// server that refuses our MAIL FROM or the message at DATA (an SPF, DMARC
// or relay policy, content filters) refuses every message alike, whatever
// the recipient, and must not burn the debtors' addresses.
#pragma once

#include <string>
#include <string_view>

#include "delivery/send_outcome.h"

namespace cartera::delivery {

// The command a reply answered, in the order of a conversation.
enum class SmtpStage {
  kSession = 1,    // greeting, EHLO, STARTTLS, AUTH
  kMailFrom = 2,   // MAIL FROM
  kRecipient = 3,  // RCPT TO
  kData = 4,       // the DATA command itself
  kContent = 5,    // the message after DATA, up to the final "."
};

struct SmtpReply {
  int code = 0;            // 554; 0 when no reply was read
  std::string enhanced;    // "5.7.1" (RFC 3463), empty when the server gives none
  std::string text;        // the whole reply, lines joined by " / ", trimmed
};

// Reads "554-5.7.1 first line\r\n554 5.7.1 last line" (one or more lines).
SmtpReply ParseSmtpReply(std::string_view reply);

// Who a 5xx at `stage` is about. At RCPT TO the enhanced code decides:
// 5.1.x (bad mailbox, domain or syntax) and 5.2.1 (mailbox disabled) are
// the recipient's, as is a plain 550, 551 or 553 without one; a 5.7.x
// (relay denied, policy) or any other class is the server's. Every other
// stage is the server's.
// REQUIRES: reply.code is 5xx.
Refusal RefusalFor(SmtpStage stage, const SmtpReply& reply);

std::string_view SmtpStageName(SmtpStage stage);  // "MAIL FROM", "RCPT TO", "DATA", "end of DATA", "session"

}  // namespace cartera::delivery
