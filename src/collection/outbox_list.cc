#include "collection/outbox_list.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/time_zone.h"

namespace cartera {

Result<std::vector<OutboxListItem>> ListOutbox(Database& database, int64_t tenant_id, const OutboxFilter& filter) {
  std::string where = "o.tenant_id = ?";
  if (filter.status) where += " AND o.status = ?";
  if (filter.channel) where += " AND o.channel = ?";
  if (filter.customer_external_id) where += " AND c.external_id = ?";
  if (filter.id) where += " AND o.id = ?";
  if (filter.business_date_from) where += " AND o.business_date >= ?";
  if (filter.business_date_to) where += " AND o.business_date <= ?";
  if (filter.starting_after) {
    where +=
        " AND EXISTS (SELECT 1 FROM outbox a WHERE a.tenant_id = o.tenant_id AND a.id = ? AND (o.scheduled_at > "
        "a.scheduled_at OR (o.scheduled_at = a.scheduled_at AND o.id > a.id)))";
  }
  auto query = database.Prepare(fmt::format(
      "SELECT o.id, o.idempotency_key, c.external_id, o.action, o.channel, o.stage, o.template, o.scheduled_at, "
      "o.status, o.business_date, c.time_zone, o.last_error FROM outbox o JOIN customers c ON c.tenant_id = "
      "o.tenant_id AND c.id = o.customer_id WHERE {} ORDER BY o.scheduled_at, o.id LIMIT {}",
      where, std::max<int64_t>(1, filter.limit)));
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (filter.status) (*query)->BindText(parameter++, *filter.status);
  if (filter.channel) (*query)->BindText(parameter++, *filter.channel);
  if (filter.customer_external_id) (*query)->BindText(parameter++, *filter.customer_external_id);
  if (filter.id) (*query)->BindInt64(parameter++, *filter.id);
  if (filter.business_date_from) (*query)->BindText(parameter++, filter.business_date_from->ToIso());
  if (filter.business_date_to) (*query)->BindText(parameter++, filter.business_date_to->ToIso());
  if (filter.starting_after) (*query)->BindInt64(parameter++, *filter.starting_after);
  auto text = [&](int column) { return (*query)->IsNull(column) ? std::string() : std::string((*query)->GetText(column)); };
  std::vector<OutboxListItem> items;
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return items;
    OutboxListItem item;
    item.id = (*query)->GetInt64(0);
    item.idempotency_key = text(1);
    item.customer_external_id = text(2);
    item.action = text(3);
    item.channel = text(4);
    item.stage = text(5);
    item.template_name = text(6);
    item.scheduled_utc = text(7);
    const std::string zone = text(10);
    if (auto at = ParseUtc(item.scheduled_utc); at && IsKnownTimeZone(zone)) item.scheduled_local = FormatLocalTime(zone, *at);
    item.status = text(8);
    item.business_date = text(9);
    item.last_error = text(11);
    items.push_back(std::move(item));
  }
}

const std::vector<std::string>& OutboxStatuses() {
  static const std::vector<std::string> statuses = {"queued",  "sending", "sent",    "delivered", "failed",
                                                    "bounced", "blocked", "unknown", "expired",   "merged",
                                                    "pending", "open",    "done"};
  return statuses;
}

const std::vector<std::string>& OutboxChannels() {
  static const std::vector<std::string> channels = {"email", "sms", "whatsapp", "call", "letter"};
  return channels;
}

const std::vector<std::string>& OutboxItemKeys() {
  static const std::vector<std::string> keys{"id",       "idempotency_key", "customer_external_id", "action",
                                             "channel",  "stage",           "template",             "scheduled_utc",
                                             "scheduled_local", "status",   "business_date",        "last_error"};
  return keys;
}

nlohmann::json OutboxItemJson(const OutboxListItem& item) {
  // The id is text, as the CLI has always printed it (scripts parse it).
  return {{"id", std::to_string(item.id)},
          {"idempotency_key", item.idempotency_key},
          {"customer_external_id", item.customer_external_id},
          {"action", item.action},
          {"channel", item.channel},
          {"stage", item.stage},
          {"template", item.template_name},
          {"scheduled_utc", item.scheduled_utc},
          {"scheduled_local", item.scheduled_local},
          {"status", item.status},
          {"business_date", item.business_date},
          {"last_error", item.last_error}};
}

}  // namespace cartera
