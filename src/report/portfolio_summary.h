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

struct PortfolioSummary {
  int64_t customers = 0;
  int64_t invoices = 0;
  int64_t open_balances = 0;  // aging lines (customer and currency) with an open invoice: credit alone owes nothing
  AgingReport aging;                   // each customer's today; every line
  Date business_date;                  // today in the tenant's zone
  std::vector<PlanCount> plan;         // the outbox of that business date, by channel, action and status
};

// Reads every open invoice (the aging report) and today's outbox.
Result<PortfolioSummary> BuildPortfolioSummary(Database& database, int64_t tenant_id, const Clock& clock);

// {"customers", "invoices", "open_balances", "aging": {"as_of",
//  "totals"}, "top_debtors": [aging lines, at most `top`, largest first],
//  "plan": {"business_date", "items": [{"channel", "action", "status",
//  "count"}]}}: the summary's one JSON shape.
nlohmann::json PortfolioSummaryJson(const PortfolioSummary& summary, size_t top = 10);

// The largest debts first: who to call today (not who is owed money).
std::vector<const AgingLine*> TopDebtors(const AgingReport& report, size_t top);

}  // namespace cartera
