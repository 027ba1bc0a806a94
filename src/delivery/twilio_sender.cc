#include "delivery/twilio_sender.h"

#include <curl/curl.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cartera::delivery {
namespace {

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string Escaped(CURL* curl, const std::string& text) {
  char* escaped = curl_easy_escape(curl, text.c_str(), static_cast<int>(text.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

bool IsPermanentForTheNumber(int64_t code) {
  return code == 21211 || code == 21214 || code == 21610 || code == 21612 || code == 21614 || code == 63024;
}

}  // namespace

struct TwilioSender::Impl {
  TwilioSettings settings;
  CURL* curl = nullptr;
};

TwilioSender::TwilioSender(TwilioSettings settings) : impl_(std::make_unique<Impl>()) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  impl_->settings = std::move(settings);
  impl_->curl = curl_easy_init();
}

TwilioSender::~TwilioSender() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

TextSendOutcome TwilioSender::Send(TextChannel channel, const std::string& to, const std::string& body) {
  CURL* curl = impl_->curl;
  if (curl == nullptr) return {{SendResult::kTransient, "libcurl could not be initialised"}, ""};
  const TwilioSettings& settings = impl_->settings;
  curl_easy_reset(curl);  // keeps the connection alive for the next message
  const std::string url =
      fmt::format("{}/2010-04-01/Accounts/{}/Messages.json", settings.base_url, settings.account_sid);
  const bool whatsapp = channel == TextChannel::kWhatsapp;
  const std::string from = whatsapp ? "whatsapp:" + settings.whatsapp_from : settings.sms_from;
  const std::string form = fmt::format("To={}&From={}&Body={}", Escaped(curl, whatsapp ? "whatsapp:" + to : to),
                                       Escaped(curl, from), Escaped(curl, body));
  std::string response;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  curl_easy_setopt(curl, CURLOPT_USERNAME, settings.account_sid.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.auth_token.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(settings.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) return {{SendResult::kTransient, curl_easy_strerror(code)}, ""};
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  const nlohmann::json answer = nlohmann::json::parse(response, nullptr, false);
  if (status == 200 || status == 201) {
    if (!answer.is_object() || !answer.contains("sid") || !answer["sid"].is_string()) {
      // Accepted but unreadable: it went out, so it is sent (never retried),
      // with the answer kept for a person to look at.
      return {{SendResult::kSent, fmt::format("HTTP {} without a message sid: {:.200}", status, response)}, ""};
    }
    return {{SendResult::kSent, fmt::format("HTTP {}", status)}, answer["sid"].get<std::string>()};
  }
  const int64_t error_code = answer.is_object() ? answer.value("code", int64_t{0}) : 0;
  const std::string message = answer.is_object() ? answer.value("message", std::string()) : response.substr(0, 200);
  const std::string detail = fmt::format("HTTP {} (Twilio {}): {}", status, error_code, message);
  if (status == 429 || status >= 500) return {{SendResult::kTransient, detail}, ""};
  if (IsPermanentForTheNumber(error_code)) return {{SendResult::kPermanent, detail}, ""};
  // Other 4xx: our request or account is wrong, not the number; retrying
  // later lets a person fix the settings without losing the message.
  return {{SendResult::kTransient, detail}, ""};
}

}  // namespace cartera::delivery
