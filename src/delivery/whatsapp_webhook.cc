#include "delivery/whatsapp_webhook.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cartera::delivery {
namespace {

std::string StringAt(const nlohmann::json& object, const char* name) {
  return object.is_object() && object.contains(name) && object[name].is_string() ? object[name].get<std::string>()
                                                                                : std::string();
}

const nlohmann::json& ArrayAt(const nlohmann::json& object, const char* name) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return object.is_object() && object.contains(name) && object[name].is_array() ? object[name] : kEmpty;
}

// The text a debtor wrote: a typed message, or the label of a quick-reply
// button they tapped. Other kinds (images, audio) are noted by their type.
std::string BodyOf(const nlohmann::json& message) {
  const std::string type = StringAt(message, "type");
  if (type == "text" && message.contains("text")) return StringAt(message["text"], "body");
  if (type == "button" && message.contains("button")) return StringAt(message["button"], "text");
  if (type == "interactive" && message.contains("interactive")) {
    const nlohmann::json& interactive = message["interactive"];
    for (const char* kind : {"button_reply", "list_reply"}) {
      if (interactive.is_object() && interactive.contains(kind)) return StringAt(interactive[kind], "title");
    }
  }
  return fmt::format("[{}]", type.empty() ? "unknown" : type);
}

}  // namespace

std::string HubSignature256(const std::string& app_secret, const std::string& body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), app_secret.data(), static_cast<int>(app_secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &length);
  std::string hex(length * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), length);
  hex.pop_back();
  return "sha256=" + hex;
}

Result<std::vector<WebhookOutcome>> IngestWhatsappWebhook(Database& database, int64_t tenant_id,
                                                          const std::string& app_secret, const HttpRequest& request,
                                                          const AuditContext& audit) {
  const std::string given = request.Header("X-Hub-Signature-256");
  const std::string expected = HubSignature256(app_secret, request.body);
  if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return Fail(Error::BadInput(
        "X-Hub-Signature-256 does not match: the request is not from Meta (or the app secret differs)"));
  }
  const nlohmann::json payload = nlohmann::json::parse(request.body, nullptr, false);
  if (!payload.is_object() || StringAt(payload, "object") != "whatsapp_business_account") {
    return Fail(Error::BadInput("the body is not a WhatsApp Business Account notification"));
  }
  std::vector<WebhookOutcome> outcomes;
  for (const nlohmann::json& entry : ArrayAt(payload, "entry")) {
    for (const nlohmann::json& change : ArrayAt(entry, "changes")) {
      if (!change.is_object() || !change.contains("value")) continue;
      const nlohmann::json& value = change["value"];
      for (const nlohmann::json& status : ArrayAt(value, "statuses")) {
        DeliveryStatus event;
        event.provider = "WhatsApp";
        event.provider_message_id = StringAt(status, "id");
        event.provider_status = StringAt(status, "status");
        const nlohmann::json& errors = ArrayAt(status, "errors");
        if (!errors.empty() && errors[0].is_object() && errors[0].contains("code") &&
            errors[0]["code"].is_number_integer()) {
          const int64_t code = errors[0]["code"].get<int64_t>();
          event.error_code = std::to_string(code);
          event.address_unusable = code == 131026;  // not a WhatsApp number
        }
        auto recorded = RecordDeliveryStatus(database, tenant_id, event, audit);
        if (!recorded) return Fail(recorded.error());
        outcomes.push_back(std::move(*recorded));
      }
      for (const nlohmann::json& message : ArrayAt(value, "messages")) {
        InboundMessage event;
        event.channel = "whatsapp";
        const std::string from = StringAt(message, "from");
        event.sender = from.starts_with('+') ? from : "+" + from;
        event.body = BodyOf(message);
        event.provider_message_id = StringAt(message, "id");
        auto recorded = RecordInboundMessage(database, tenant_id, event, audit);
        if (!recorded) return Fail(recorded.error());
        outcomes.push_back(std::move(*recorded));
      }
    }
  }
  if (outcomes.empty()) outcomes.push_back({"ignored", "no status and no message in the notification"});
  return outcomes;
}

}  // namespace cartera::delivery
