// Plays the strategy forward over the current portfolio with a simulated
// clock: nothing is sent or written, every planned contact is assumed
// delivered, and (optionally) customers pay as their segment suggests. The
// same PlanDay as the real run decides each day.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "collection/day_plan.h"

namespace cartera {

struct SimulationOptions {
  int64_t tenant_id = 1;
  Date from;
  int32_t days = 90;
  bool with_payments = false;
  // Simulate this strategy instead of the tenant's stored one (a proposed
  // strategy's preview; it passed CheckStrategyDocument). Nothing is stored.
  const Strategy* strategy = nullptr;
};

struct SimulatedContact {
  Date day;          // the local day it goes out
  Date planned_day;  // the business day whose run planned it
  std::string customer_external_id;
  std::string country;
  std::string time_zone;
  std::string stage;
  std::string action;
  Channel channel = Channel::kEmail;
  Timestamp at;
  std::vector<int64_t> invoice_ids;
  std::string idempotency_key;
};

struct SimulationReport {
  std::vector<SimulatedContact> contacts;
  std::vector<LogItem> blocked_or_deferred;  // with customer index into `portfolio`
  int64_t other_actions = 0;  // late fees, credit holds, escalations
  Portfolio portfolio;        // the state after the last day
};

// Each simulated day is planned at the tenant's daily run time in each
// debtor's zone (08:00 by default), as the real run plans it.
Result<SimulationReport> Simulate(Database& database, const SimulationOptions& options);

// A simulated contact's one JSON shape, every value text: {"day",
// "customer_external_id", "country", "channel", "stage", "action", "utc",
// "local"}; the CSV writes the same keys in this order.
nlohmann::json SimulatedContactJson(const SimulatedContact& contact);
const std::vector<std::string>& SimulatedContactKeys();

// What a simulation adds up to, one JSON shape:
//   "strategy_name": the strategy simulated,
//   "per_day": [{"day", "contacts": {"email", "sms", "whatsapp", "call",
//     "letter"}, "blocked": {"count", "by_reason": {code: n}}, "deferred":
//     {...}}] for every simulated day from `from` (and any later day a
//     deferral moved a contact to), in order,
//   "totals": {"contacts": {...}, "blocked": {...}, "deferred": {...}}.
// Contacts count on the day they go out in the debtor's zone; what the
// compliance rules blocked or deferred on the business day that planned it
// (as `cartera simulate`'s table), by reason code ("outside_hours", ...).
// The per-day counts add up to the totals.
nlohmann::json SimulationSummaryJson(const SimulationReport& report, Date from, int32_t days);

}  // namespace cartera
