// The aging report: each customer's open balance per currency split into
// buckets of days past due, as the books stood on the as-of date.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/aging.h"
#include "report/output.h"
#include "store/database.h"

namespace cartera {

struct AgingOptions {
  int64_t tenant_id = 1;
  // A fixed as-of date; without it each customer's "today" in its own zone.
  std::optional<Date> as_of;
  std::optional<std::string> currency;  // only this currency
  AgingBuckets buckets;
};

struct AgingReport {
  AgingBuckets buckets;
  std::vector<AgingLine> lines;   // by customer external id, then currency
  std::vector<AgingLine> totals;  // one per currency
  std::optional<Date> as_of;
};

// Reads open invoices (one stream, in customer order) and buckets them.
Result<AgingReport> BuildAgingReport(Database& database, const AgingOptions& options, const Clock& clock);

// {"as_of" (a date or "customer_today"), "customers": [...], "totals": [...]}:
// the report's one JSON shape.
nlohmann::json AgingReportJson(const AgingReport& report);

// One page of the report for the HTTP API: the lines of at most `limit`
// whole customers (a customer has one line per currency) whose external id
// sorts after `starting_after`, in the report's order (customer external
// id, then currency). The cursor is a position, not a record: a customer
// that has left the report since the last page is no error.
// REQUIRES: limit >= 1.
struct AgingPage {
  size_t first = 0;  // index into report.lines
  size_t count = 0;  // lines on the page
  bool has_more = false;
};
AgingPage PageAgingReport(const AgingReport& report, int64_t limit, const std::optional<std::string>& starting_after);

// {"object": "list", "data": [customer lines as in AgingReportJson],
//  "has_more", "as_of", "buckets": [keys], "totals": [...]}: the API's page.
nlohmann::json AgingPageJson(const AgingReport& report, const AgingPage& page);

void PrintAgingTable(const AgingReport& report, Language language, std::ostream& out, size_t top = 0);
void PrintAgingJson(const AgingReport& report, std::ostream& out);
void PrintAgingCsv(const AgingReport& report, std::ostream& out);

}  // namespace cartera
