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

#include "store/database.h"

namespace cartera {

struct OutboxListItem {
  int64_t id = 0;
  std::string idempotency_key, customer_external_id, action, channel, stage, template_name;
  std::string scheduled_utc, scheduled_local;  // "2026-11-20T13:00:00Z", "2026-11-20 08:00 -05"
  std::string status, business_date;
  std::string last_error;  // why it failed, was blocked, deferred or expired; the server's reply
};

struct OutboxFilter {
  std::optional<std::string> status;
  std::optional<std::string> customer_external_id;
  int64_t limit = 200;  // at least 1
};

// In scheduled order (then id): a stable order.
Result<std::vector<OutboxListItem>> ListOutbox(Database& database, int64_t tenant_id, const OutboxFilter& filter);

// The record's one JSON shape (every field above, `template` for
// template_name); the CSV writes the same keys in this order.
nlohmann::json OutboxItemJson(const OutboxListItem& item);
const std::vector<std::string>& OutboxItemKeys();

}  // namespace cartera
