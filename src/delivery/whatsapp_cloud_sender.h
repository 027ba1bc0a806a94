// WhatsApp through Meta's WhatsApp Business Cloud API: a JSON POST to
// {base}/{version}/{phone_number_id}/messages with a bearer token, over one
// kept-alive connection. Outside the 24-hour customer-service window
// WhatsApp only delivers approved templates, so a message is either a
// template with parameters or (inside the window) free-form text.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "delivery/twilio_sender.h"

namespace cartera::delivery {

struct WhatsappCloudSettings {
  std::string base_url = "https://graph.facebook.com";
  std::string api_version = "v21.0";
  std::string phone_number_id;  // the business number's id in Meta
  std::string access_token;     // a secret: sealed at rest, never printed
  std::string app_secret;       // a secret: verifies X-Hub-Signature-256 on webhooks
  // A secret: what Meta echoes as hub.verify_token when the webhook is
  // subscribed (GET /webhooks/{tenant}/whatsapp). Empty: subscribing is refused.
  std::string verify_token;
  std::string template_prefix = "cartera_";  // approved template = prefix + stage
  int timeout_seconds = 30;
  int max_per_minute = 0;
};

struct WhatsappTemplate {
  std::string name;           // "cartera_overdue_7"
  std::string language_code;  // Meta's: "es", "en_US", ...
  std::vector<std::string> body_parameters;  // {{1}}, {{2}}, ... in order; never empty strings
  std::string url_button_suffix;  // the dynamic part of the template's URL button; empty: none
};

struct WhatsappMessage {
  std::string to;  // "+573001234567"
  // Exactly one of them: a template, or text (only inside the window).
  std::optional<WhatsappTemplate> template_message;
  std::string text;
};

// The request body Meta expects ("to" without the "+").
nlohmann::json WhatsappRequestBody(const WhatsappMessage& message);

class WhatsappCloudSender {
 public:
  explicit WhatsappCloudSender(WhatsappCloudSettings settings);
  ~WhatsappCloudSender();
  WhatsappCloudSender(const WhatsappCloudSender&) = delete;
  WhatsappCloudSender& operator=(const WhatsappCloudSender&) = delete;

  // The message id ("wamid....") when accepted. 429 and Meta's throttling
  // codes on a 4xx are transient; a 5xx or no answer after the request
  // left is unknown (delivery/provider_answer.h); a number that is not on
  // WhatsApp (131026) is permanent for that number (Refusal::kRecipient).
  TextSendOutcome Send(const WhatsappMessage& message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartera::delivery
