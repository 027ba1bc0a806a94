// The portfolio as the engine sees it: every customer with open debt, with
// what the decision and the rulebooks need, loaded in a few streamed queries.
// The run plans one day over it; the simulator plays many days over a copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  std::array<bool, kChannelCount> channel_allowed{};
  compliance::ChannelSet authorised_by_debtor;
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

// Loads the tenant's strategy (the stored default, else the built-in one)
// and every customer with open invoices. `as_of` fixes the business date
// used for segments; without it, each customer's today at `now`.
// The segments read the ledger's payment history (store/payment_history.h);
// when it was summed with another grace than the strategy's, it is rebuilt
// first if `rebuild_history` (a real run), else summed on the fly.
// With `only_customer` (an external id), just that customer, its size
// segment still ranked among all debtors: what `explain` needs.
Result<Portfolio> LoadPortfolio(Database& database, int64_t tenant_id, Timestamp now, bool rebuild_history = false,
                                std::optional<std::string_view> only_customer = std::nullopt);

// The strategy the tenant uses: the stored one marked default, else the
// built-in default.
Result<std::pair<std::string, Strategy>> LoadActiveStrategy(Database& database, int64_t tenant_id);

}  // namespace cartera
