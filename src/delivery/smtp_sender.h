// Sends email over SMTP through libcurl: plain, STARTTLS or implicit TLS,
// AUTH when a user is set, MIME built with curl_mime (multipart/alternative
// text + HTML, quoted-printable UTF-8). One sender keeps its connection open
// between messages (curl reuses it), which is what makes bulk sending fast.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "delivery/email_message.h"
#include "delivery/send_outcome.h"

namespace cartera::delivery {

enum class SmtpSecurity { kNone = 1, kStartTls = 2, kImplicitTls = 3 };
std::optional<SmtpSecurity> ParseSmtpSecurity(std::string_view text);  // none | starttls | tls
std::string_view SmtpSecurityName(SmtpSecurity security);

struct SmtpSettings {
  std::string host;
  int port = 587;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string user;      // empty: no AUTH
  std::string password;  // a secret: sealed at rest, never printed
  std::string from_address;
  std::string from_name;
  std::string reply_to;
  int timeout_seconds = 30;
  int max_per_minute = 0;  // the tenant's rate limit for email; 0: none
};

class SmtpSender {
 public:
  explicit SmtpSender(SmtpSettings settings);
  ~SmtpSender();
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  // A 5xx says who refused (SendOutcome::refusal, delivery/smtp_reply.h):
  // the recipient at RCPT TO, or the server at MAIL FROM or DATA; the
  // detail carries the server's own reply. 4xx and a connection that
  // failed before the message was written are transient; no verdict after
  // the message was written is unknown.
  SendOutcome Send(const EmailMessage& message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartera::delivery
