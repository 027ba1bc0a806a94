#include "delivery/twilio_sender.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "delivery/http_client.h"
#include "delivery/provider_answer.h"

namespace cartera::delivery {
namespace {

bool IsPermanentForTheNumber(int64_t code) {
  return code == 21211 || code == 21214 || code == 21610 || code == 21612 || code == 21614 || code == 63024;
}

}  // namespace

struct TwilioSender::Impl {
  TwilioSettings settings;
  HttpClient http;
};

TwilioSender::TwilioSender(TwilioSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
}

TwilioSender::~TwilioSender() = default;

TextSendOutcome TwilioSender::Send(TextChannel channel, const std::string& to, const std::string& body) {
  const TwilioSettings& settings = impl_->settings;
  HttpClient& http = impl_->http;
  const bool whatsapp = channel == TextChannel::kWhatsapp;
  const std::string from = whatsapp ? "whatsapp:" + settings.whatsapp_from : settings.sms_from;
  HttpPost request;
  request.url = fmt::format("{}/2010-04-01/Accounts/{}/Messages.json", settings.base_url, settings.account_sid);
  request.content_type = "application/x-www-form-urlencoded";
  request.body = fmt::format("To={}&From={}&Body={}", http.Escape(whatsapp ? "whatsapp:" + to : to),
                             http.Escape(from), http.Escape(body));
  request.basic_user = settings.account_sid;
  request.basic_password = settings.auth_token;
  request.timeout_seconds = settings.timeout_seconds;
  const HttpAnswer answer = http.Post(request);
  if (!answer.reached) return {NoAnswerOutcome(answer), ""};
  const nlohmann::json json = nlohmann::json::parse(answer.body, nullptr, false);
  if (answer.status == 200 || answer.status == 201) {
    if (!json.is_object() || !json.contains("sid") || !json["sid"].is_string()) {
      // Accepted but unreadable: it went out, so it is sent (never retried),
      // with the answer kept for a person to look at.
      return {{SendResult::kSent, fmt::format("HTTP {} without a message sid: {:.200}", answer.status, answer.body)},
              ""};
    }
    return {{SendResult::kSent, fmt::format("HTTP {}", answer.status)}, json["sid"].get<std::string>()};
  }
  const int64_t error_code = json.is_object() && json.contains("code") && json["code"].is_number_integer()
                                 ? json["code"].get<int64_t>()
                                 : 0;
  const std::string message = json.is_object() && json.contains("message") && json["message"].is_string()
                                  ? json["message"].get<std::string>()
                                  : answer.body.substr(0, 200);
  const std::string detail = fmt::format("HTTP {} (Twilio {}): {}", answer.status, error_code, message);
  if (auto failed = ServerFailureOutcome(answer, detail)) return {std::move(*failed), ""};
  if (IsPermanentForTheNumber(error_code)) {
    SendOutcome outcome{SendResult::kPermanent, detail};
    outcome.refusal = Refusal::kRecipient;
    return {std::move(outcome), ""};
  }
  // Other 4xx: our request or account is wrong, not the number; retrying
  // later lets a person fix the settings without losing the message.
  return {{SendResult::kTransient, detail}, ""};
}

}  // namespace cartera::delivery
