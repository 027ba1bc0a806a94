// An email as Cartera sends it, and the header texts RFC 5322 and RFC 2047
// ask for. Pure functions: the SMTP sender turns the result into MIME.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace cartera::delivery {

struct EmailAttachment {
  std::string filename;      // "estado-de-cuenta-C-0042.pdf"
  std::string content_type;  // "application/pdf"
  std::string data;          // the bytes; sent base64-encoded
};

struct EmailMessage {
  std::string from_address;
  std::string from_name;
  std::string reply_to;  // empty: none
  std::string to_address;
  std::string to_name;
  std::string subject;  // UTF-8, one line
  std::string text;     // text/plain part
  std::string html;     // text/html part
  std::string message_id;       // "<...@...>"
  Timestamp date;
  std::string unsubscribe_url;  // empty: no List-Unsubscribe header
  std::vector<EmailAttachment> attachments;
};

// ASCII stays as it is; anything else becomes RFC 2047 encoded words
// ("=?UTF-8?B?...?="), each at most 75 characters and never splitting a
// UTF-8 sequence.
std::string EncodeHeaderText(std::string_view utf8);
// "Name <address>" with the name quoted or encoded as needed.
std::string FormatMailbox(std::string_view name, std::string_view address);
// "Sun, 22 Nov 2026 08:05:00 +0000".
std::string FormatRfc5322Date(Timestamp at);
// The same outbox item always gets the same Message-ID, so a receiving
// system can recognise a resend as the same message.
std::string MessageIdFor(std::string_view idempotency_key, std::string_view from_address);
// The header lines (without CRLF) for everything but the MIME structure.
std::vector<std::string> HeaderLines(const EmailMessage& message);

// A readable plain-text version of the HTML scripts: paragraphs and line
// breaks kept, table cells separated, links written out, entities decoded.
std::string HtmlToText(std::string_view html);

}  // namespace cartera::delivery
