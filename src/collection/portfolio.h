// The portfolio as the engine sees it: every customer with open debt, with
// what the decision and the rulebooks need, loaded in a few streamed queries.
// The run plans one day over it; the simulator plays many days over a copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collection/contact_history.h"
#include "compliance/contact_check.h"
#include "core/clock.h"
#include "engine/decision.h"
#include "engine/segments.h"
#include "engine/strategy.h"
#include "store/database.h"

namespace cartera {

// One currency's open invoices of a customer: the unit the decision works on.
struct CurrencyBook {
  std::string currency;
  std::vector<OpenInvoice> invoices;
  int64_t average_invoice_minor = 0;
};

struct CustomerState {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string country;
  std::string time_zone;
  std::string language;
  bool consumer = false;
  std::vector<CurrencyBook> books;
  BehaviourSegment segment;
  std::string size_segment = "C";
  std::optional<PromiseState> promise;
  int64_t promise_id = 0;
  // Unpaid installments of active payment plans near the business date,
  // by due date, and the latest plan broken within its follow-up's window.
  std::vector<PlanInstallment> installments;
  std::optional<BrokenPlan> broken_plan;
  ChannelAccess access;  // consented channels (collection/contact_history.h)
  bool answered_last_contact = false;
  // Per channel, the share (x100) of the last year's contacts the customer
  // answered or paid within a week of; what `best` picks by.
  std::array<int32_t, kChannelCount> responsiveness_percent{};
  // (stage key, business date) of the last time each stage fired.
  std::vector<std::pair<std::string, Date>> last_fired;
  std::vector<compliance::PastContact> contacts;
};

struct Portfolio {
  int64_t tenant_id = 1;
  std::string strategy_name;
  Strategy strategy;
  std::vector<CustomerState> customers;  // by customer id
};

struct PortfolioOptions {
  // The instant the day is planned for: contacts are read up to it and
  // back kContactLookbackDays from it.
  Timestamp now;
  // The business date: the ledger as it stood on it (open amounts, what was
  // issued), segments and promises. Unset: each customer's today at `now`.
  std::optional<Date> as_of;
  // A real run rebuilds the payment history's sums when the strategy's grace
  // changed (store/payment_history.h); a dry run sums on the fly.
  bool rebuild_history = false;
  // Just this customer (an external id), its size segment still ranked
  // among all debtors: what `explain` needs.
  std::optional<std::string> only_customer;
  // Plan with this strategy instead of the tenant's stored one (a proposed
  // strategy's simulation); not stored. Must outlive the call.
  const Strategy* strategy = nullptr;
};

// The instant a plan for business date D reads contacts and history up to:
// the end of D (UTC), so D's plan is the same whenever it is made.
Timestamp EndOfBusinessDate(Date business_date);

// Loads the tenant's strategy (the stored default, else the built-in one)
// and every customer with open debt on the business date.
Result<Portfolio> LoadPortfolio(Database& database, int64_t tenant_id, const PortfolioOptions& options);
inline Result<Portfolio> LoadPortfolio(Database& database, int64_t tenant_id, Timestamp now) {
  return LoadPortfolio(database, tenant_id, PortfolioOptions{now, std::nullopt, false, std::nullopt});
}

// The strategy the tenant uses: the stored one marked default, else the
// built-in default.
Result<std::pair<std::string, Strategy>> LoadActiveStrategy(Database& database, int64_t tenant_id);

}  // namespace cartera
