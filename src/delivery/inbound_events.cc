#include "delivery/inbound_events.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "delivery/message_events.h"
#include "delivery/opt_out.h"
#include "webhooks/webhook_events.h"

namespace cartera::delivery {
namespace {

std::string WordOf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '.' && c != '!') {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// The contact point kind an outbox channel is sent to.
std::string_view ContactPointOf(std::string_view channel) { return channel == "sms" ? "phone" : channel; }

}  // namespace

bool IsOptOutWord(std::string_view body) {
  static const std::array<std::string_view, 13> kWords = {"STOP",     "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
                                                          "QUIT",     "BAJA",    "ALTO",        "PARAR",  "CANCELAR",
                                                          "DETENER", "NOMAS",   "SALIR"};
  const std::string word = WordOf(body);
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

Result<WebhookOutcome> RecordDeliveryStatus(Database& database, int64_t tenant_id, const DeliveryStatus& status,
                                            const AuditContext& audit) {
  const std::string& said = status.provider_status;
  std::string ours;
  if (said == "delivered" || said == "read") ours = "delivered";
  if (said == "failed" || said == "undelivered") ours = "failed";
  if (said == "bounced") ours = "bounced";
  if (ours.empty()) return WebhookOutcome{"ignored", fmt::format("status '{}' changes nothing", said)};
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto item = database.Prepare(
      "SELECT id, customer_id, channel, recipient, status FROM outbox WHERE tenant_id = ? AND provider_message_id = ?");
  if (!item) return Fail(item.error());
  (*item)->BindInt64(1, tenant_id);
  (*item)->BindText(2, status.provider_message_id);
  auto row = (*item)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return WebhookOutcome{"ignored", fmt::format("no message with id {}", status.provider_message_id)};
  const int64_t id = (*item)->GetInt64(0), customer_id = (*item)->GetInt64(1);
  const std::string channel((*item)->GetText(2)), recipient((*item)->IsNull(3) ? "" : (*item)->GetText(3)),
      before((*item)->GetText(4));
  item->reset();
  // Statuses can arrive out of order: only a sent message moves on.
  if (before != "sent") {
    return WebhookOutcome{"ignored", fmt::format("message {} is already {}", id, before)};
  }
  auto update = database.Prepare("UPDATE outbox SET status = ?, last_error = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, ours);
  status.error_code.empty()
      ? (*update)->BindNull(2)
      : (*update)->BindText(2, fmt::format("{} {}: {}", status.provider, status.error_code,
                                           status.description.empty() ? said : status.description));
  (*update)->BindInt64(3, tenant_id);
  (*update)->BindInt64(4, id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  nlohmann::json after = {{"status", ours}, {"provider_status", said}};
  if (!status.error_code.empty()) after["error_code"] = status.error_code;
  if (auto ok = WriteAudit(database, tenant_id, audit, "message", id, "update",
                           nlohmann::json({{"status", before}}).dump(), after.dump());
      !ok) {
    return Fail(ok.error());
  }
  // message.bounced, in this transaction (a provider's "failed" after sending has no event type).
  if (ours == "bounced") {
    auto data = MessageEventData(database, tenant_id, id);
    if (!data) return Fail(data.error());
    (*data)["provider"] = status.provider;
    (*data)["provider_status"] = said;
    (*data)["error_code"] = status.error_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(status.error_code);
    auto at = EventTime(audit);
    if (!at) return Fail(at.error());
    auto emitted = webhooks::EmitEvent(database, tenant_id, "message.bounced", *data, *at);
    if (!emitted) return Fail(emitted.error());
  }
  if (ours != "delivered" && status.address_unusable && !recipient.empty()) {
    auto unusable = database.Prepare(
        "UPDATE contact_points SET usable = 0 WHERE tenant_id = ? AND customer_id = ? AND channel = ? AND value = ? "
        "AND usable = 1");
    if (!unusable) return Fail(unusable.error());
    (*unusable)->BindInt64(1, tenant_id);
    (*unusable)->BindInt64(2, customer_id);
    (*unusable)->BindText(3, ContactPointOf(channel));
    (*unusable)->BindText(4, recipient);
    if (auto ok = (*unusable)->Run(); !ok) return Fail(ok.error());
    if ((*unusable)->ChangedRows() > 0) {
      const nlohmann::json marked = {{"channel", ContactPointOf(channel)},
                                     {"value", recipient},
                                     {"usable", 0},
                                     {"reason", fmt::format("{} {}", status.provider, status.error_code)}};
      if (auto ok = WriteAudit(database, tenant_id, audit, "contact_point", customer_id, "update",
                               R"({"usable":1})", marked.dump());
          !ok) {
        return Fail(ok.error());
      }
    }
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return WebhookOutcome{"status", fmt::format("message {}: {} ({})", id, ours, said)};
}

Result<WebhookOutcome> RecordInboundMessage(Database& database, int64_t tenant_id, const InboundMessage& message,
                                            const AuditContext& audit) {
  const std::string_view point = ContactPointOf(message.channel);
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  // Providers retry a webhook they think failed: the same message is
  // recorded once.
  if (!message.provider_message_id.empty()) {
    auto seen = database.Prepare("SELECT 1 FROM inbound_messages WHERE tenant_id = ? AND provider_message_id = ?");
    if (!seen) return Fail(seen.error());
    (*seen)->BindInt64(1, tenant_id);
    (*seen)->BindText(2, message.provider_message_id);
    auto row = (*seen)->Step();
    if (!row) return Fail(row.error());
    if (*row) return WebhookOutcome{"ignored", fmt::format("message {} was already recorded", message.provider_message_id)};
  }
  // Every customer reachable at that number (a shared phone is possible).
  auto owners = database.Prepare(
      "SELECT DISTINCT customer_id FROM contact_points WHERE tenant_id = ? AND channel = ? AND value = ?");
  if (!owners) return Fail(owners.error());
  (*owners)->BindInt64(1, tenant_id);
  (*owners)->BindText(2, point);
  (*owners)->BindText(3, message.sender);
  std::vector<int64_t> customers;
  while (true) {
    auto row = (*owners)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    customers.push_back((*owners)->GetInt64(0));
  }
  owners->reset();
  if (customers.empty()) return WebhookOutcome{"ignored", fmt::format("no customer has {} {}", point, message.sender)};
  const bool opt_out = IsOptOutWord(message.body);
  for (int64_t customer_id : customers) {
    if (opt_out) {
      auto recorded = RecordOptOut(database, tenant_id, customer_id, point, message.sender,
                                   fmt::format("reply '{}'", message.body), audit);
      if (!recorded) return Fail(recorded.error());
    }
    auto insert = database.Prepare(
        "INSERT INTO inbound_messages (tenant_id, customer_id, channel, sender, body, provider_message_id, "
        "received_at, opt_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return Fail(insert.error());
    (*insert)->BindInt64(1, tenant_id);
    (*insert)->BindInt64(2, customer_id);
    (*insert)->BindText(3, message.channel);
    (*insert)->BindText(4, message.sender);
    (*insert)->BindText(5, message.body);
    (*insert)->BindText(6, message.provider_message_id);
    (*insert)->BindText(7, audit.at);
    (*insert)->BindInt64(8, opt_out ? 1 : 0);
    if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
    if (!opt_out) {
      // A reply answers the customer's latest message on that channel: the
      // engine then counts the customer as responsive.
      auto latest = database.Prepare(
          "SELECT MAX(id) FROM outbox WHERE tenant_id = ? AND customer_id = ? AND channel = ? AND status IN ('sent', "
          "'delivered') AND outcome IS NULL");
      if (!latest) return Fail(latest.error());
      (*latest)->BindInt64(1, tenant_id);
      (*latest)->BindInt64(2, customer_id);
      (*latest)->BindText(3, message.channel);
      auto latest_row = (*latest)->Step();
      if (!latest_row) return Fail(latest_row.error());
      std::optional<int64_t> answered_id;
      if (*latest_row && !(*latest)->IsNull(0)) answered_id = (*latest)->GetInt64(0);
      latest->reset();
      if (answered_id) {
        auto answered = database.Prepare(
            "UPDATE outbox SET outcome = 'replied', outcome_at = ? WHERE tenant_id = ? AND id = ? AND outcome IS NULL");
        if (!answered) return Fail(answered.error());
        (*answered)->BindText(1, audit.at);
        (*answered)->BindInt64(2, tenant_id);
        (*answered)->BindInt64(3, *answered_id);
        if (auto ok = (*answered)->Run(); !ok) return Fail(ok.error());
      }
      // message.replied, in this transaction: every reply that is not an
      // opt-out, with the message it answers (null when none is waiting
      // for an answer: a second reply, or a debtor writing first).
      nlohmann::json data = {{"message", nullptr}};
      if (answered_id) {
        auto item = MessageEventData(database, tenant_id, *answered_id);
        if (!item) return Fail(item.error());
        data = std::move(*item);
      }
      auto external_id = CustomerExternalIdOf(database, tenant_id, customer_id);
      if (!external_id) return Fail(external_id.error());
      data["reply"] = {{"customer_external_id", *external_id}, {"channel", message.channel},
                       {"from", message.sender},                {"body", message.body},
                       {"received_at", audit.at}};
      auto at = EventTime(audit);
      if (!at) return Fail(at.error());
      auto emitted = webhooks::EmitEvent(database, tenant_id, "message.replied", data, *at);
      if (!emitted) return Fail(emitted.error());
    }
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return WebhookOutcome{opt_out ? "opt_out" : "reply",
                        fmt::format("{} from {} ({} customer{})", opt_out ? "opt-out" : "reply", message.sender,
                                    customers.size(), customers.size() == 1 ? "" : "s")};
}

}  // namespace cartera::delivery
