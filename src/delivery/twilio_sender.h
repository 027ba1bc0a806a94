// SMS and WhatsApp through Twilio's Messages REST API: a form-encoded POST
// to {base}/2010-04-01/Accounts/{sid}/Messages.json with basic auth, over one
// kept-alive connection. The base URL is configurable so tests point it at a
// local server that answers like Twilio.
#pragma once

#include <memory>
#include <string>

#include "delivery/send_outcome.h"
#include "delivery/smtp_sender.h"

namespace cartera::delivery {

struct TwilioSettings {
  std::string base_url = "https://api.twilio.com";
  std::string account_sid;
  std::string auth_token;  // a secret: sealed at rest, never printed
  std::string sms_from;       // "+15005550006" or a messaging service's number
  std::string whatsapp_from;  // "+14155238886"; empty: no WhatsApp
  int timeout_seconds = 30;
  int max_per_minute = 0;  // per channel (SMS, WhatsApp); 0: none
};

enum class TextChannel { kSms = 1, kWhatsapp = 2 };

struct TextSendOutcome {
  SendOutcome outcome;
  std::string provider_id;  // Twilio's message SID when accepted
};

class TwilioSender {
 public:
  explicit TwilioSender(TwilioSettings settings);
  ~TwilioSender();
  TwilioSender(const TwilioSender&) = delete;
  TwilioSender& operator=(const TwilioSender&) = delete;

  // `to` is "+digits". 429 is transient (after its Retry-After); a 5xx or
  // no answer after the request left is unknown (delivery/provider_answer.h);
  // an invalid or unsubscribed number (Twilio errors 21211, 21214, 21610,
  // 21612, 21614, 63024) is permanent for that number (Refusal::kRecipient).
  TextSendOutcome Send(TextChannel channel, const std::string& to, const std::string& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartera::delivery
