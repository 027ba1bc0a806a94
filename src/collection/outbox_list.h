// The outbox as people and scripts read it: what the engine decided, when
// it goes in UTC and in the debtor's local time, and how it went (with the
// provider's or the law's last word). One function and one JSON shape for
// the CLI and the HTTP API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "store/database.h"

namespace cartera {

struct OutboxListItem {
  int64_t id = 0;
  std::string idempotency_key, customer_external_id, action, channel, stage, template_name;
  std::string scheduled_utc, scheduled_local;  // "2026-11-20T13:00:00Z", "2026-11-20 08:00 -05"
  std::string status, business_date;
  std::string last_error;  // why it failed, was blocked, deferred or expired; the server's reply
};

// Every status an outbox item can be in (docs/delivery.md): messages move
// queued -> sending -> sent/failed/blocked/unknown -> delivered/bounced;
// call tasks are open or done; other actions are pending.
const std::vector<std::string>& OutboxStatuses();
// The channels an item goes by: email, sms, whatsapp, call, letter.
const std::vector<std::string>& OutboxChannels();

struct OutboxFilter {
  std::optional<std::string> status;
  std::optional<std::string> channel;
  std::optional<std::string> customer_external_id;
  std::optional<int64_t> id;  // just this item
  // Items whose business date (the run's date) is within these, both
  // included.
  std::optional<Date> business_date_from;
  std::optional<Date> business_date_to;
  // Keyset pagination: the items after this one (an item id) in the list's
  // order; none when it is not one of the tenant's items.
  std::optional<int64_t> starting_after;
  int64_t limit = 200;  // at least 1
};

// In scheduled order (then id): a stable order.
Result<std::vector<OutboxListItem>> ListOutbox(Database& database, int64_t tenant_id, const OutboxFilter& filter);

// The record's one JSON shape (every field above, `template` for
// template_name); the CSV writes the same keys in this order.
nlohmann::json OutboxItemJson(const OutboxListItem& item);
const std::vector<std::string>& OutboxItemKeys();

}  // namespace cartera
