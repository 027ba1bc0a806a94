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

}  // namespace cartera
