// Invoices, filtered, sorted and paged: one use case and one JSON shape for
// `cartera invoices` and the HTTP API's invoice routes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/currency.h"
#include "core/date.h"
#include "core/language.h"
#include "core/money.h"
#include "store/database.h"

namespace cartera {

enum class InvoiceSort {
  kDueDate = 1,    // the default
  kIssueDate = 2,
  kAmount = 3,     // the invoice's amount, largest first
  kOpen = 4,       // what is left of it, largest first
  kDaysPastDue = 5,  // unpaid invoices first, the longest overdue first
  kNumber = 6,
};
// "due_date", "issue_date", "amount", "open", "days_past_due", "number".
std::optional<InvoiceSort> InvoiceSortFromName(std::string_view name);

enum class InvoiceStatus {
  kOpen = 1,           // nothing paid yet
  kPartiallyPaid = 2,
  kPaid = 3,
  kUnpaid = 4,         // open or partially paid
};
// "open", "partially_paid", "paid", "unpaid".
std::optional<InvoiceStatus> InvoiceStatusFromName(std::string_view name);

struct InvoiceListQuery {
  Date as_of;  // days past due are counted on this date (TenantToday by default)
  std::optional<InvoiceStatus> status;
  std::optional<std::string> customer;  // a customer's external id
  std::optional<std::string> segment;   // the engine's segment, else the imported one
  std::optional<std::string> country;
  std::optional<Currency> currency;
  std::optional<int32_t> min_days_past_due;
  std::optional<Money> min_amount;  // of the open amount; REQUIRES: currency, in that currency
  InvoiceSort sort = InvoiceSort::kDueDate;
  std::optional<int64_t> limit;               // rows; nullopt: every row
  std::optional<std::string> starting_after;  // an invoice's external id
};

struct InvoiceRow {
  std::string external_id, number, customer_external_id, customer_name;
  std::string issue_date, due_date;  // ISO dates
  std::string currency;
  int64_t amount_minor = 0, open_minor = 0;
  std::string status;  // "open" | "partially_paid" | "paid"
  int32_t days_past_due = 0;  // 0 when paid or not yet due
};

struct InvoiceList {
  std::vector<InvoiceRow> rows;
  bool has_more = false;  // rows follow the last one
};

// In the sort's order, ties in the order the invoices were recorded. kNotFound (worded in
// `language`) for an unknown `customer` or `starting_after`; kBadInput for
// a limit below 1 or a minimum amount without its currency.
Result<InvoiceList> ListInvoices(Database& database, int64_t tenant_id, const InvoiceListQuery& query,
                                 Language language);

// One invoice by external id; kNotFound (worded in `language`) when the
// tenant has none.
Result<InvoiceRow> LoadInvoice(Database& database, int64_t tenant_id, std::string_view external_id, Date as_of,
                               Language language);

// {"external_id", "number", "customer_external_id", "customer_name",
//  "issue_date", "due_date", "currency", "amount", "open", "status",
//  "days_past_due"}, amount and open as money objects: the record's one
// JSON shape.
nlohmann::json InvoiceRowJson(const InvoiceRow& row);

}  // namespace cartera
