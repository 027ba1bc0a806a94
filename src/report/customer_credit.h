// Credit in the customer's favour: payments and credit notes not applied
// to any invoice (a payment larger than every invoice, a payment a credit
// note displaced). Aging and the customer list show it beside what the
// customer owes, so an overpayment never vanishes from view.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "store/database.h"

namespace cartera {

struct UnappliedCredit {
  int64_t customer_id = 0;
  std::string customer_external_id, customer_name, customer_time_zone;
  std::string currency;
  Date date;  // the payment's or credit note's date
  int64_t unapplied_minor = 0;
};

// Calls `on_credit` for every payment and credit note of the tenant with an
// unapplied amount now, dated on or before `up_to` (all when nullopt), in
// `currency` only when given. Reads the partial indexes of waiting credit.
Status ReadUnappliedCredits(Database& database, int64_t tenant_id, std::optional<Date> up_to,
                            const std::optional<std::string>& currency,
                            const std::function<Status(const UnappliedCredit&)>& on_credit);

// An invoice issued after the date it is looked at on, with a later
// allocation.
struct InvoiceOnDate {
  int64_t invoice_id = 0;
  int64_t customer_id = 0;
  Date as_of;
};

// Credit a customer still had on a date that invoices issued later used up.
struct CreditUsedLater {
  int64_t customer_id = 0;
  std::string customer_external_id, customer_name, currency;
  int64_t amount_minor = 0;
};

// For each invoice, how much of it was paid after its `as_of` by credits
// dated on or before that day (an allocation is dated the later of its
// credit's and its invoice's date, so that is credit the customer had then).
// Calls `on_credit` once per invoice with any. One set-based read over a
// temporary table, whatever the number of invoices.
Status ReadCreditUsedLater(Database& database, int64_t tenant_id, const std::vector<InvoiceOnDate>& invoices,
                           const std::function<Status(const CreditUsedLater&)>& on_credit);

}  // namespace cartera
