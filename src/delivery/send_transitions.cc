#include "delivery/send_transitions.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"
#include "delivery/message_events.h"
#include "store/retry.h"
#include "webhooks/webhook_events.h"

namespace cartera::delivery {

// Each own-transaction step is tried again while the database is busy
// (store/retry.h): a worker that runs for days must not die on a lock.
Result<bool> SendTransitions::Claim(DueItem& item, const std::string& address, const std::string& message_id,
                                    Timestamp now) {
  return RetryTransient(RetryPolicy{}, RealSleep(), [&]() -> Result<bool> {
    item.claimed = false;
    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    auto claimed = ClaimIn(item, address, message_id, now);
    if (!claimed || !*claimed) return claimed;
    if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
    return true;
  });
}

Result<bool> SendTransitions::ClaimIn(DueItem& item, const std::string& email, const std::string& message_id, Timestamp now) {
  auto update = database_.Prepare(
      "UPDATE outbox SET status = 'sending', attempts = attempts + 1, recipient = ?, provider_message_id = ?, "
      "attempted_at = ? WHERE tenant_id = ? AND id = ? AND status = 'queued'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, email);
  (*update)->BindText(2, message_id);
  (*update)->BindText(3, FormatUtc(now));
  (*update)->BindInt64(4, options_.tenant_id);
  (*update)->BindInt64(5, item.id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  if ((*update)->ChangedRows() != 1) return false;
  item.claimed = true;
  auto attempt = database_.Prepare(
      "INSERT INTO delivery_attempts (tenant_id, outbox_id, attempt, channel, recipient, status, started_at) "
      "VALUES (?, ?, ?, ?, ?, 'sending', ?)");
  if (!attempt) return Fail(attempt.error());
  (*attempt)->BindInt64(1, options_.tenant_id);
  (*attempt)->BindInt64(2, item.id);
  (*attempt)->BindInt64(3, item.attempts + 1);
  (*attempt)->BindText(4, item.channel);
  (*attempt)->BindText(5, email);
  (*attempt)->BindText(6, FormatUtc(now));
  if (auto ok = (*attempt)->Run(); !ok) return Fail(ok.error());
  return true;
}

Status SendTransitions::Finish(const DueItem& item, std::string_view status, const std::string& message_id,
                               const std::string& detail, const std::string& recipient) {
  return RetryTransient(RetryPolicy{}, RealSleep(), [&]() -> Status {
    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    if (auto ok = WriteFinish(item, status, message_id, detail, recipient); !ok) return ok;
    return transaction->Commit();
  });
}

Status SendTransitions::WriteFinish(const DueItem& item, std::string_view status, const std::string& message_id,
                   const std::string& detail, const std::string& recipient) {
  const std::string now = FormatUtc(clock_.Now());
  auto update = database_.Prepare(
      "UPDATE outbox SET status = ?, last_error = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
      "provider_message_id = COALESCE(?, provider_message_id) WHERE tenant_id = ? AND id = ? AND status = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, status);
  status == "sent" ? (*update)->BindNull(2) : (*update)->BindText(2, detail);
  (*update)->BindText(3, status);
  (*update)->BindText(4, now);
  message_id.empty() ? (*update)->BindNull(5) : (*update)->BindText(5, message_id);
  (*update)->BindInt64(6, options_.tenant_id);
  (*update)->BindInt64(7, item.id);
  (*update)->BindText(8, item.expected_status());
  if (auto ok = (*update)->Run(); !ok) return ok;
  if ((*update)->ChangedRows() == 0) return {};  // someone else settled it: theirs stands
  if (auto ok = EndAttempt(item, status, message_id, detail, now); !ok) return ok;
  nlohmann::json after = {{"status", status}};
  if (!recipient.empty()) after["recipient"] = recipient;
  if (!message_id.empty()) after["message_id"] = message_id;
  if (status != "sent") after["reason"] = detail;
  if (auto ok = WriteAudit(database_, options_.tenant_id, Stamped(), "message", item.id, "update",
                           fmt::format(R"({{"status":"{}"}})", item.expected_status()), after.dump());
      !ok) {
    return ok;
  }
  // message.sent, in this transaction: the event exists exactly when `sent` was committed.
  if (status == "sent") {
    auto data = MessageEventData(database_, options_.tenant_id, item.id);
    if (!data) return Fail(data.error());
    if (!recipient.empty()) (*data)["recipient"] = recipient;
    auto at = ParseUtc(now);  // sent_at's instant
    if (!at) return Fail(at.error());
    auto emitted = webhooks::EmitEvent(database_, options_.tenant_id, "message.sent", *data, *at);
    if (!emitted) return Fail(emitted.error());
  }
  return {};
}

Status SendTransitions::Requeue(const DueItem& item, Timestamp at, const std::string& detail, bool attempted) {
  return RetryTransient(RetryPolicy{}, RealSleep(), [&]() -> Status {
    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    if (auto ok = WriteRequeue(item, at, detail, attempted); !ok) return ok;
    return transaction->Commit();
  });
}

Status SendTransitions::WriteRequeue(const DueItem& item, Timestamp at, const std::string& detail, bool attempted) {
  auto update = database_.Prepare(
      "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ? WHERE tenant_id = ? AND id = ? AND "
      "status = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, FormatUtc(at));
  (*update)->BindText(2, detail);
  (*update)->BindInt64(3, options_.tenant_id);
  (*update)->BindInt64(4, item.id);
  (*update)->BindText(5, item.expected_status());
  if (auto ok = (*update)->Run(); !ok) return ok;
  if ((*update)->ChangedRows() == 0) return {};
  if (attempted) {
    if (auto ok = EndAttempt(item, "transient", "", detail, FormatUtc(clock_.Now())); !ok) return ok;
  }
  return {};
}

Status SendTransitions::EndAttempt(const DueItem& item, std::string_view status, const std::string& message_id,
                  const std::string& detail, const std::string& now) {
  auto update = database_.Prepare(
      "UPDATE delivery_attempts SET status = ?, provider_message_id = ?, detail = ?, finished_at = ? "
      "WHERE tenant_id = ? AND outbox_id = ? AND status = 'sending'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, status);
  message_id.empty() ? (*update)->BindNull(2) : (*update)->BindText(2, message_id);
  (*update)->BindText(3, detail);
  (*update)->BindText(4, now);
  (*update)->BindInt64(5, options_.tenant_id);
  (*update)->BindInt64(6, item.id);
  return (*update)->Run();
}

Status SendTransitions::WriteAddressBad(const DueItem& item, const std::string& address, const std::string& detail) {
  auto update = database_.Prepare(
      "UPDATE contact_points SET usable = 0 WHERE tenant_id = ? AND customer_id = ? AND channel = ? AND "
      "value = ? AND usable = 1");
  if (!update) return Fail(update.error());
  (*update)->BindInt64(1, options_.tenant_id);
  (*update)->BindInt64(2, item.customer_id);
  (*update)->BindText(3, ContactPointChannel(item.channel));
  (*update)->BindText(4, address);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if ((*update)->ChangedRows() > 0) {
    const nlohmann::json after = {
        {"channel", ContactPointChannel(item.channel)}, {"value", address}, {"usable", 0}, {"reason", detail}};
    if (auto ok = WriteAudit(database_, options_.tenant_id, Stamped(), "contact_point", item.customer_id, "update",
                             R"({"usable":1})", after.dump());
        !ok) {
      return ok;
    }
  }
  return {};
}

AuditContext SendTransitions::Stamped() const {
  AuditContext audit = options_.audit;
  audit.at = FormatUtc(clock_.Now());
  return audit;
}

Result<int64_t> MarkInterruptedUnknown(Database& database, const DeliveryOptions& options, Timestamp now) {
  return RetryTransient(RetryPolicy{}, RealSleep(), [&]() -> Result<int64_t> {
    auto transaction = Transaction::Begin(database);
    if (!transaction) return Fail(transaction.error());
    auto outbox = database.Prepare(
        "UPDATE outbox SET status = 'unknown', last_error = 'the delivery worker stopped while sending: check whether "
        "it arrived, then `cartera outbox resolve`' WHERE tenant_id = ? AND status = 'sending'");
    if (!outbox) return Fail(outbox.error());
    (*outbox)->BindInt64(1, options.tenant_id);
    if (auto ok = (*outbox)->Run(); !ok) return Fail(ok.error());
    const int64_t marked = (*outbox)->ChangedRows();
    auto attempts = database.Prepare(
        "UPDATE delivery_attempts SET status = 'unknown', finished_at = ? WHERE tenant_id = ? AND status = 'sending'");
    if (!attempts) return Fail(attempts.error());
    (*attempts)->BindText(1, FormatUtc(now));
    (*attempts)->BindInt64(2, options.tenant_id);
    if (auto ok = (*attempts)->Run(); !ok) return Fail(ok.error());
    if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
    return marked;
  });
}

}  // namespace cartera::delivery
