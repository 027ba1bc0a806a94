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

// What happened to one message. Transient failures (no connection, 4xx,
// 429) are worth retrying; permanent ones (5xx for the recipient) are not,
// and say the address is bad. Unknown: the message had left but no answer
// came (a timeout while the server was slow): it may have arrived, so it is
// not retried, like an item a crash leaves in `sending`.
enum class SendResult { kSent = 1, kTransient = 2, kPermanent = 3, kUnknown = 4 };

struct SendOutcome {
  SendResult result = SendResult::kSent;
  std::string detail;  // the server's code or curl's error, for the log
};

class SmtpSender {
 public:
  explicit SmtpSender(SmtpSettings settings);
  ~SmtpSender();
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  SendOutcome Send(const EmailMessage& message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartera::delivery
