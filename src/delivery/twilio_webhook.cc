#include "delivery/twilio_webhook.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "delivery/opt_out.h"

namespace cartera::delivery {
namespace {

// Twilio delivery errors that say the number cannot receive: retrying or
// using it again is pointless (30005 unknown destination, 30006 landline or
// unreachable carrier, 21610 the recipient replied STOP).
bool IsPermanentDeliveryError(std::string_view code) {
  return code == "30005" || code == "30006" || code == "21610" || code == "63024";
}

std::string Upper(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '.' && c != '!') {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

Result<WebhookOutcome> RecordStatus(Database& database, int64_t tenant_id, const std::map<std::string, std::string>& form,
                                    const AuditContext& audit) {
  const std::string sid = form.contains("MessageSid") ? form.at("MessageSid") : form.at("SmsSid");
  const std::string status = form.at("MessageStatus");
  const std::string error = form.contains("ErrorCode") ? form.at("ErrorCode") : "";
  std::string ours;
  if (status == "delivered" || status == "read") ours = "delivered";
  if (status == "failed" || status == "undelivered") ours = "failed";
  if (ours.empty()) return WebhookOutcome{"ignored", fmt::format("status '{}' changes nothing", status)};
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto item = database.Prepare(
      "SELECT id, customer_id, channel, recipient, status FROM outbox WHERE tenant_id = ? AND provider_message_id = ?");
  if (!item) return Fail(item.error());
  (*item)->BindInt64(1, tenant_id);
  (*item)->BindText(2, sid);
  auto row = (*item)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return WebhookOutcome{"ignored", fmt::format("no message with sid {}", sid)};
  const int64_t id = (*item)->GetInt64(0), customer_id = (*item)->GetInt64(1);
  const std::string channel((*item)->GetText(2)), recipient((*item)->IsNull(3) ? "" : (*item)->GetText(3)),
      before((*item)->GetText(4));
  item->reset();
  // Callbacks can arrive out of order: only a sent message moves on.
  if (before != "sent") {
    return WebhookOutcome{"ignored", fmt::format("message {} is already {}", id, before)};
  }
  auto update = database.Prepare("UPDATE outbox SET status = ?, last_error = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, ours);
  error.empty() ? (*update)->BindNull(2) : (*update)->BindText(2, fmt::format("Twilio {}: {}", error, status));
  (*update)->BindInt64(3, tenant_id);
  (*update)->BindInt64(4, id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  nlohmann::json after = {{"status", ours}, {"provider_status", status}};
  if (!error.empty()) after["error_code"] = error;
  if (auto ok = WriteAudit(database, tenant_id, audit, "message", id, "update",
                           nlohmann::json({{"status", before}}).dump(), after.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (ours == "failed" && IsPermanentDeliveryError(error) && !recipient.empty()) {
    auto unusable = database.Prepare(
        "UPDATE contact_points SET usable = 0 WHERE tenant_id = ? AND customer_id = ? AND channel = ? AND value = ?");
    if (!unusable) return Fail(unusable.error());
    (*unusable)->BindInt64(1, tenant_id);
    (*unusable)->BindInt64(2, customer_id);
    (*unusable)->BindText(3, channel == "sms" ? "phone" : channel);
    (*unusable)->BindText(4, recipient);
    if (auto ok = (*unusable)->Run(); !ok) return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return WebhookOutcome{"status", fmt::format("message {}: {} ({})", id, ours, status)};
}

Result<WebhookOutcome> RecordInbound(Database& database, int64_t tenant_id, const std::map<std::string, std::string>& form,
                                     const AuditContext& audit) {
  std::string from = form.at("From");
  const bool whatsapp = from.starts_with("whatsapp:");
  if (whatsapp) from = from.substr(9);
  const std::string channel = whatsapp ? "whatsapp" : "phone";
  const std::string outbox_channel = whatsapp ? "whatsapp" : "sms";
  const std::string body = form.contains("Body") ? form.at("Body") : "";
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  // Every customer reachable at that number (a shared phone is possible).
  auto owners = database.Prepare(
      "SELECT DISTINCT customer_id FROM contact_points WHERE tenant_id = ? AND channel = ? AND value = ?");
  if (!owners) return Fail(owners.error());
  (*owners)->BindInt64(1, tenant_id);
  (*owners)->BindText(2, channel);
  (*owners)->BindText(3, from);
  std::vector<int64_t> customers;
  while (true) {
    auto row = (*owners)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    customers.push_back((*owners)->GetInt64(0));
  }
  owners->reset();
  if (customers.empty()) return WebhookOutcome{"ignored", fmt::format("no customer has {} {}", channel, from)};
  const bool opt_out = IsOptOutWord(body);
  for (int64_t customer_id : customers) {
    if (opt_out) {
      auto recorded = RecordOptOut(database, tenant_id, customer_id, channel, from, fmt::format("reply '{}'", body), audit);
      if (!recorded) return Fail(recorded.error());
    }
    auto insert = database.Prepare(
        "INSERT INTO inbound_messages (tenant_id, customer_id, channel, sender, body, provider_message_id, "
        "received_at, opt_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return Fail(insert.error());
    (*insert)->BindInt64(1, tenant_id);
    (*insert)->BindInt64(2, customer_id);
    (*insert)->BindText(3, outbox_channel);
    (*insert)->BindText(4, from);
    (*insert)->BindText(5, body);
    (*insert)->BindText(6, form.contains("MessageSid") ? form.at("MessageSid") : "");
    (*insert)->BindText(7, audit.at);
    (*insert)->BindInt64(8, opt_out ? 1 : 0);
    if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
    if (!opt_out) {
      // A reply answers the customer's latest message on that channel: the
      // engine then counts the customer as responsive.
      auto answered = database.Prepare(
          "UPDATE outbox SET outcome = 'replied', outcome_at = ? WHERE tenant_id = ? AND id = (SELECT MAX(id) FROM "
          "outbox WHERE tenant_id = ? AND customer_id = ? AND channel = ? AND status IN ('sent', 'delivered') AND "
          "outcome IS NULL)");
      if (!answered) return Fail(answered.error());
      (*answered)->BindText(1, audit.at);
      (*answered)->BindInt64(2, tenant_id);
      (*answered)->BindInt64(3, tenant_id);
      (*answered)->BindInt64(4, customer_id);
      (*answered)->BindText(5, outbox_channel);
      if (auto ok = (*answered)->Run(); !ok) return Fail(ok.error());
    }
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return WebhookOutcome{opt_out ? "opt_out" : "reply",
                        fmt::format("{} from {} ({} customer{})", opt_out ? "opt-out" : "reply", from,
                                    customers.size(), customers.size() == 1 ? "" : "s")};
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

bool IsOptOutWord(std::string_view body) {
  static const std::array<std::string_view, 13> kWords = {"STOP",     "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
                                                          "QUIT",     "BAJA",    "ALTO",        "PARAR",  "CANCELAR",
                                                          "DETENER", "NOMAS",   "SALIR"};
  const std::string word = Upper(body);
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
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
