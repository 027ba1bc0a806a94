// The promise-kept rate: promises by promised date over a period, per
// collector (the user the customer is assigned to) or per customer, with
// how many were kept, partially kept, broken or are still open, the rate
// kept / (kept + partially kept + broken), and what was promised against
// what arrived. Cancelled promises count nowhere. One use case for
// `cartera promises report` and GET /api/v1/reports/promises.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/language.h"
#include "store/database.h"

namespace cartera {

enum class PromiseReportBy { kCollector = 1, kCustomer = 2 };

// "collector" or "customer"; kBadInput naming `field` (in `language`) otherwise.
Result<PromiseReportBy> ParsePromiseReportBy(std::string_view text, std::string_view field, Language language);

inline constexpr int32_t kPromiseReportDefaultDays = 90;

struct PromiseReportOptions {
  // Promised dates, both included. Unset: `to` is today and `from` the
  // kPromiseReportDefaultDays days up to it.
  std::optional<Date> from;
  std::optional<Date> to;
  PromiseReportBy by = PromiseReportBy::kCollector;
  // Only this customer's promises (the customer 360); kNotFound when the
  // tenant has no such customer.
  std::optional<std::string> customer_external_id;
};

struct PromiseCounts {
  int64_t kept = 0;
  int64_t partially_kept = 0;
  int64_t broken = 0;
  int64_t open = 0;
  int64_t settled() const { return kept + partially_kept + broken; }
};

// Kept / settled in basis points (6667 = 66.67 %), rounded half up; nullopt
// when nothing is settled yet.
std::optional<int64_t> KeptRateBasisPoints(const PromiseCounts& counts);

// One currency's amounts: `promised` and `received` over the settled
// promises (what the payments covered, at most the promised amount each),
// `open` what the open promises are for.
struct PromiseAmounts {
  std::string currency;
  int64_t promised_minor = 0;
  int64_t received_minor = 0;
  int64_t open_minor = 0;
};

struct PromiseReportRow {
  // The collector's e-mail (empty: customers assigned to no one), or the
  // customer's external id.
  std::string key;
  std::string customer_name;               // by customer
  std::optional<std::string> collector;    // by customer: its collector
  PromiseCounts counts;
  std::vector<PromiseAmounts> amounts;     // by currency code
};

struct PromiseReport {
  Date from;
  Date to;
  PromiseReportBy by = PromiseReportBy::kCollector;
  std::vector<PromiseReportRow> rows;  // by collector: unassigned last; by customer: external id order
  PromiseReportRow total;
};

// kBadInput (naming "from"/"to", in `language`) when from is after to.
Result<PromiseReport> BuildPromiseReport(Database& database, int64_t tenant_id, const PromiseReportOptions& options,
                                         Date today, Language language);

// {"object":"promise_report","from","to","by","rows":[row],"total":row};
// row: {"collector"|"customer", ("name", "collector"), "kept",
// "partially_kept", "broken", "open", "kept_rate": 0.6667 or null,
// "amounts":[{"currency","promised":money,"received":money,"open":money}]}.
nlohmann::json PromiseReportJson(const PromiseReport& report);
// The rate as JSON: basis points / 10000 (0.6667), or null.
nlohmann::json KeptRateJson(const PromiseCounts& counts);

}  // namespace cartera
