// Customers with what they owe, filtered, sorted and paged: one use case
// and one JSON shape for `cartera customers` and the HTTP API's customer
// list.
//
// A customer has one row per currency of open debt or credit (or one row
// without a currency when it owes nothing and has no credit). A page holds
// whole customers: the sort keys are the customer's, so its rows are
// together (its first currency of debt, its currencies of credit only, its
// other currencies of debt, each in currency order); `limit` counts
// customers and `starting_after` names one.
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

enum class CustomerSort {
  kExternalId = 1,   // the default; read in index order, fast at any size
  kName = 2,
  kBalance = 3,      // the largest open amount in one currency first
  kDaysPastDue = 4,  // debtors first, the longest overdue first
};
// "external_id", "name", "balance", "days_past_due".
std::optional<CustomerSort> CustomerSortFromName(std::string_view name);

struct CustomerListQuery {
  Date as_of;  // days past due are counted on this date (TenantToday by default)
  bool with_balance = false;            // only customers with open invoices
  std::optional<std::string> segment;   // the engine's segment from the last run, else the imported one
  std::optional<std::string> country;
  // The invoice filters: a customer is listed when one of its open
  // invoices passes them, and its rows sum only those.
  std::optional<Currency> currency;     // also limits the credit shown
  std::optional<int32_t> min_days_past_due;
  std::optional<Money> min_amount;  // an open invoice's least open amount; REQUIRES: currency, in that currency
  // The collector the customer is assigned to (customers.collector, a
  // user's e-mail in lower case; access/customer_assignment.h): with
  // `email`, only that collector's customers; without, only customers
  // assigned to no one.
  struct CollectorFilter {
    std::optional<std::string> email;
  };
  std::optional<CollectorFilter> collector;
  // Search text as CustomerSearchText returns it: a customer is listed
  // when its external id or tax id starts with it, or its name contains
  // it, ignoring case (ASCII on SQLite; every letter on PostgreSQL; accents
  // are not ignored). '%' and '_' in it are plain characters. The search
  // reads the tenant's customers in the list's order until the page is
  // full: cheap when many match, a scan of every customer when few do.
  std::optional<std::string> search;
  // true: only customers on credit hold (credit/credit_hold.h, as the last
  // run left them); false: only those not on hold.
  std::optional<bool> on_hold;
  CustomerSort sort = CustomerSort::kExternalId;
  std::optional<int64_t> limit;               // customers; nullopt: every one
  std::optional<std::string> starting_after;  // a customer's external id
};

struct CustomerListRow {
  std::string external_id, name, tax_id, country, kind;
  std::optional<std::string> segment;
  // nullopt: the customer owes nothing and has no credit (open, credit and
  // balance are then null in JSON).
  std::optional<std::string> currency;
  int64_t open_minor = 0;    // open invoices
  int64_t credit_minor = 0;  // unapplied payments and credit notes, in the customer's favour, now
  int64_t open_invoices = 0;
  int32_t max_days_past_due = 0;
  bool on_hold = false;      // credit hold, as the last run left it
  std::string hold_reasons;  // "over_limit,days_past_due" (credit/credit_rules.h), "" when not on hold
  int64_t balance_minor() const { return open_minor - credit_minor; }  // both non-negative sums: no overflow
};

struct CustomerList {
  std::vector<CustomerListRow> rows;
  bool has_more = false;  // customers follow the last one
};

// The longest search text, in characters (code points).
inline constexpr size_t kCustomerSearchCharsMax = 100;

// `text` without the white space around it, for CustomerListQuery::search;
// kBadInput (worded in `language`) when nothing is left, when it is longer
// than kCustomerSearchCharsMax characters, or when it is not clean text
// (invalid UTF-8, control characters).
Result<std::string> CustomerSearchText(std::string_view text, Language language);

// kNotFound (worded in `language`) for an unknown `starting_after`;
// kBadInput for a limit below 1 or a minimum amount without its currency.
Result<CustomerList> ListCustomers(Database& database, int64_t tenant_id, const CustomerListQuery& query,
                                   Language language);

// One customer's rows as ListCustomers gives them with the same filters
// (every currency, nothing filtered when `query` is default but for as_of).
// kNotFound (worded in `language`) when the tenant has no such customer.
Result<std::vector<CustomerListRow>> ListCustomerRows(Database& database, int64_t tenant_id,
                                                      std::string_view external_id, const CustomerListQuery& query,
                                                      Language language);
// The same for a customer whose id the caller has already read.
Result<std::vector<CustomerListRow>> ListCustomerRowsById(Database& database, int64_t tenant_id, int64_t customer_id,
                                                          const CustomerListQuery& query, Language language);

// {"external_id", "name", "tax_id", "country", "kind", "segment",
//  "currency", "open", "open_invoices", "max_days_past_due", "credit",
//  "balance", "on_hold", "hold_reasons": [...]}, money as money objects:
//  the row's one JSON shape.
nlohmann::json CustomerListRowJson(const CustomerListRow& row);

// kNotFound, worded in `language`, naming the external id.
Error UnknownCustomer(std::string_view external_id, Language language);

// The customer's internal id, for use cases that take one (the message
// context of a template preview); UnknownCustomer when there is none.
Result<int64_t> CustomerIdByExternalId(Database& database, int64_t tenant_id, std::string_view external_id,
                                       Language language);

}  // namespace cartera
