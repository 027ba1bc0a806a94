// The portfolio at a glance: how many customers and invoices, who owes,
// the aging totals and the largest debtors, and what today's run planned
// per channel. One use case for `cartera summary` and the HTTP API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/date.h"
#include "report/aging_report.h"
#include "store/database.h"

namespace cartera {

struct PlanCount {
  std::string channel;  // "email", "sms", ...; "" for actions without one (calls to make, letters)
  std::string action;
  std::string status;   // the outbox status
  int64_t count = 0;
};

// Why the day's runs held actions back: the engine log's code
// ("outside_hours", "frequency_cap", ...) and how many actions.
struct ReasonCount {
  std::string reason;
  int64_t count = 0;
};

// A channel the delivery worker stopped using (delivery/channel_pause.h).
struct PausedChannel {
  std::string channel;
  std::string since;       // paused_at, ISO-8601 UTC
  int32_t refusals_in_row = 0;
  std::string last_reply;  // the server's words at the last refusal
};

// The statuses a message or letter of the outbox can be in on its way out.
const std::vector<std::string>& DeliveryStatuses();

struct PortfolioSummary {
  int64_t customers = 0;
  int64_t invoices = 0;
  int64_t open_balances = 0;  // aging lines (customer and currency) with an open invoice: credit alone owes nothing
  AgingReport aging;                   // each customer's today; every line
  Date business_date;                  // today in the tenant's zone
  std::vector<PlanCount> plan;         // the outbox of that business date, by channel, action and status
  // The engine log of that business date: actions deferred (the law or a
  // cap allows them later) and blocked, by reason, most first.
  std::vector<ReasonCount> deferred;
  std::vector<ReasonCount> blocked;
  std::vector<PausedChannel> paused_channels;  // by channel name
};

// Reads every open invoice (the aging report), today's outbox, today's
// engine log (deferred and blocked only, by the engine_log_by_day index)
// and the paused channels.
Result<PortfolioSummary> BuildPortfolioSummary(Database& database, int64_t tenant_id, const Clock& clock);

// {"customers", "invoices", "open_balances", "aging": {"as_of",
//  "totals"}, "top_debtors": [aging lines, at most `top`, largest first],
//  "plan": {"business_date", "items": [{"channel", "action", "status",
//  "count"}], "deferred": [{"reason", "count"}], "blocked": [...]},
//  "delivery": {"statuses": {each of DeliveryStatuses(): the business
//  date's messages and letters in it}, "paused_channels": [{"channel",
//  "since", "reason", "refusals_in_row", "last_reply"}]}}: the summary's
//  one JSON shape.
nlohmann::json PortfolioSummaryJson(const PortfolioSummary& summary, size_t top = 10);

// The largest debts first: who to call today (not who is owed money).
std::vector<const AgingLine*> TopDebtors(const AgingReport& report, size_t top);

}  // namespace cartera
