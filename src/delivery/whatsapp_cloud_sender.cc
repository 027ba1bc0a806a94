#include "delivery/whatsapp_cloud_sender.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "delivery/http_client.h"
#include "delivery/provider_answer.h"

namespace cartera::delivery {
namespace {

// Meta's error codes (Cloud API error reference) that mean "later":
// throttling and temporary failures on their side.
bool IsTransientCode(int64_t code) {
  static constexpr std::array<int64_t, 9> kCodes = {1, 2, 4, 80007, 130429, 131000, 131048, 131056, 133004};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

// The number cannot receive WhatsApp messages (not a WhatsApp user, or an
// old app): using it again is pointless.
bool IsPermanentForTheNumber(int64_t code) { return code == 131026; }

}  // namespace

nlohmann::json WhatsappRequestBody(const WhatsappMessage& message) {
  nlohmann::json body = {{"messaging_product", "whatsapp"},
                         {"recipient_type", "individual"},
                         {"to", message.to.starts_with('+') ? message.to.substr(1) : message.to}};
  if (!message.template_message) {
    body["type"] = "text";
    body["text"] = {{"preview_url", false}, {"body", message.text}};
    return body;
  }
  const WhatsappTemplate& chosen = *message.template_message;
  nlohmann::json parameters = nlohmann::json::array();
  for (const std::string& value : chosen.body_parameters) parameters.push_back({{"type", "text"}, {"text", value}});
  nlohmann::json components = nlohmann::json::array();
  components.push_back({{"type", "body"}, {"parameters", parameters}});
  if (!chosen.url_button_suffix.empty()) {
    components.push_back({{"type", "button"},
                          {"sub_type", "url"},
                          {"index", "0"},
                          {"parameters", {{{"type", "text"}, {"text", chosen.url_button_suffix}}}}});
  }
  body["type"] = "template";
  body["template"] = {
      {"name", chosen.name}, {"language", {{"code", chosen.language_code}}}, {"components", components}};
  return body;
}

struct WhatsappCloudSender::Impl {
  WhatsappCloudSettings settings;
  HttpClient http;
};

WhatsappCloudSender::WhatsappCloudSender(WhatsappCloudSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
}

WhatsappCloudSender::~WhatsappCloudSender() = default;

TextSendOutcome WhatsappCloudSender::Send(const WhatsappMessage& message) {
  const WhatsappCloudSettings& settings = impl_->settings;
  HttpPost request;
  request.url = fmt::format("{}/{}/{}/messages", settings.base_url, settings.api_version, settings.phone_number_id);
  request.content_type = "application/json";
  request.body = WhatsappRequestBody(message).dump();
  request.headers.push_back("Authorization: Bearer " + settings.access_token);
  request.timeout_seconds = settings.timeout_seconds;
  const HttpAnswer answer = impl_->http.Post(request);
  if (!answer.reached) return {NoAnswerOutcome(answer), ""};
  const nlohmann::json json = nlohmann::json::parse(answer.body, nullptr, false);
  if (answer.status == 200) {
    const nlohmann::json* id = nullptr;
    if (json.is_object() && json.contains("messages") && json["messages"].is_array() && !json["messages"].empty() &&
        json["messages"][0].is_object() && json["messages"][0].contains("id") &&
        json["messages"][0]["id"].is_string()) {
      id = &json["messages"][0]["id"];
    }
    if (id == nullptr) {
      // Accepted but unreadable: it went out, so it is sent (never retried).
      return {{SendResult::kSent, fmt::format("HTTP 200 without a message id: {:.200}", answer.body)}, ""};
    }
    return {{SendResult::kSent, "HTTP 200"}, id->get<std::string>()};
  }
  int64_t code = 0;
  std::string text = answer.body.substr(0, 200);
  if (json.is_object() && json.contains("error") && json["error"].is_object()) {
    const nlohmann::json& error = json["error"];
    if (error.contains("code") && error["code"].is_number_integer()) code = error["code"].get<int64_t>();
    if (error.contains("message") && error["message"].is_string()) text = error["message"].get<std::string>();
    if (error.contains("error_data") && error["error_data"].is_object() && error["error_data"].contains("details") &&
        error["error_data"]["details"].is_string()) {
      text += ": " + error["error_data"]["details"].get<std::string>();
    }
  }
  const std::string detail = fmt::format("HTTP {} (WhatsApp {}): {}", answer.status, code, text);
  if (auto failed = ServerFailureOutcome(answer, detail)) return {std::move(*failed), ""};
  // Meta's throttling codes on a 4xx: the request was refused, not taken.
  if (IsTransientCode(code)) return {{SendResult::kTransient, detail}, ""};
  if (IsPermanentForTheNumber(code)) {
    SendOutcome outcome{SendResult::kPermanent, detail};
    outcome.refusal = Refusal::kRecipient;
    return {std::move(outcome), ""};
  }
  // A missing or unapproved template, a wrong token or id: our settings,
  // not the number. Retried later so a person can fix them.
  return {{SendResult::kTransient, detail}, ""};
}

}  // namespace cartera::delivery
