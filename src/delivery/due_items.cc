#include "delivery/due_items.h"

#include <algorithm>

#include <fmt/format.h>

#include "templates/default_templates.h"

namespace cartera::delivery {

Result<std::vector<DueItem>> LoadDue(Database& database, const DeliveryOptions& options, const std::string& now,
                                     const std::vector<std::string_view>& channels) {
  std::string listed;
  for (std::string_view channel : channels) listed += fmt::format("{}'{}'", listed.empty() ? "" : ", ", channel);
  auto query = database.Prepare(fmt::format(
      "SELECT id, idempotency_key, customer_id, stage, template, tone, payload, attempts, channel FROM outbox "
      "WHERE tenant_id = ? AND status = 'queued' AND channel IN ({}) AND scheduled_at <= ? AND "
      "(next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY scheduled_at, id LIMIT {}",
      listed, std::max<int64_t>(options.limit, 1)));
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, options.tenant_id);
  (*query)->BindText(2, now);
  (*query)->BindText(3, now);
  std::vector<DueItem> items;
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const Statement& row = **query;
    DueItem item;
    item.id = row.GetInt64(0);
    item.key = row.GetText(1);
    item.customer_id = row.GetInt64(2);
    item.stage = row.GetText(3);
    item.template_name = row.IsNull(4) ? item.stage : std::string(row.GetText(4));
    item.tone = row.IsNull(5) ? std::string(templates::kDefaultTone) : std::string(row.GetText(5));
    item.payload = nlohmann::json::parse(row.GetText(6), nullptr, false);
    item.attempts = static_cast<int32_t>(row.GetInt64(7));
    item.channel = row.GetText(8);
    items.push_back(std::move(item));
  }
  return items;
}

Result<Recipient> LoadRecipient(Database& database, int64_t tenant_id, int64_t customer_id) {
  Recipient recipient;
  auto customer = database.Prepare(
      "SELECT name, language, country, time_zone, kind, external_id FROM customers WHERE tenant_id = ? AND id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindInt64(2, customer_id);
  auto row = (*customer)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no customer with id {}", customer_id)));
  recipient.name = (*customer)->GetText(0);
  recipient.language = (*customer)->GetText(1);
  recipient.country = (*customer)->GetText(2);
  recipient.time_zone = (*customer)->GetText(3);
  recipient.consumer = (*customer)->GetText(4) == "person";
  recipient.external_id = (*customer)->GetText(5);
  customer->reset();
  // Consent is read again now: an opt-out since the run must win.
  auto reach = LoadReach(database, tenant_id, customer_id);
  if (!reach) return Fail(reach.error());
  recipient.reach = std::move(*reach);
  return recipient;
}

std::optional<Date> WindowEnd(const nlohmann::json& payload) {
  if (!payload.is_object() || !payload.contains("window_ends") || !payload["window_ends"].is_string()) {
    return std::nullopt;
  }
  auto date = Date::ParseIso(payload["window_ends"].get<std::string>());
  return date ? std::optional<Date>(*date) : std::nullopt;
}

}  // namespace cartera::delivery
