#include "delivery/twilio_webhook.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>

namespace cartera::delivery {
namespace {

// Twilio delivery errors that say the number cannot receive: retrying or
// using it again is pointless (30005 unknown destination, 30006 landline or
// unreachable carrier, 21610 the recipient replied STOP).
bool IsPermanentDeliveryError(std::string_view code) {
  return code == "30005" || code == "30006" || code == "21610" || code == "63024";
}

Result<WebhookOutcome> RecordStatus(Database& database, int64_t tenant_id, const std::map<std::string, std::string>& form,
                                    const AuditContext& audit) {
  DeliveryStatus status;
  status.provider = "Twilio";
  status.provider_message_id = form.contains("MessageSid") ? form.at("MessageSid") : form.at("SmsSid");
  status.provider_status = form.at("MessageStatus");
  status.error_code = form.contains("ErrorCode") ? form.at("ErrorCode") : "";
  status.address_unusable = IsPermanentDeliveryError(status.error_code);
  return RecordDeliveryStatus(database, tenant_id, status, audit);
}

Result<WebhookOutcome> RecordInbound(Database& database, int64_t tenant_id, const std::map<std::string, std::string>& form,
                                     const AuditContext& audit) {
  InboundMessage message;
  message.sender = form.at("From");
  const bool whatsapp = message.sender.starts_with("whatsapp:");
  if (whatsapp) message.sender = message.sender.substr(9);
  message.channel = whatsapp ? "whatsapp" : "sms";
  message.body = form.contains("Body") ? form.at("Body") : "";
  message.provider_message_id = form.contains("MessageSid") ? form.at("MessageSid") : "";
  return RecordInboundMessage(database, tenant_id, message, audit);
}

}  // namespace

std::string TwilioSignature(const std::string& auth_token, const std::string& url,
                            const std::map<std::string, std::string>& parameters) {
  std::string data = url;
  for (const auto& [name, value] : parameters) data += name + value;  // std::map: sorted by name
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), &length);
  std::string encoded(sodium_base64_ENCODED_LEN(length, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), digest.data(), length, sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

Result<WebhookOutcome> IngestTwilioWebhook(Database& database, int64_t tenant_id, const std::string& auth_token,
                                           const std::string& url, const HttpRequest& request,
                                           const AuditContext& audit) {
  const std::map<std::string, std::string> form = ParseForm(request.body);
  const std::string given = request.Header("X-Twilio-Signature");
  const std::string expected = TwilioSignature(auth_token, url, form);
  if (given.empty() || given.size() != expected.size() ||
      sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return Fail(Error::BadInput("X-Twilio-Signature does not match: the request is not from Twilio (or the URL differs)"));
  }
  if (form.contains("MessageStatus") && !form.contains("Body")) return RecordStatus(database, tenant_id, form, audit);
  if (form.contains("From")) return RecordInbound(database, tenant_id, form, audit);
  return WebhookOutcome{"ignored", "neither a status callback nor an inbound message"};
}

}  // namespace cartera::delivery
