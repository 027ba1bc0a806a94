// Credit in the customer's favour: payments and credit notes not applied
// to any invoice (a payment larger than every invoice, a payment a credit
// note displaced). Aging and the customer list show it beside what the
// customer owes, so an overpayment never vanishes from view.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

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

// How much of invoice `invoice_id` (in its currency) was paid after `as_of`
// by credits dated on or before it: credit the customer still had then.
// REQUIRES: called for invoices whose last allocation is after `as_of`.
Result<int64_t> CreditAppliedAfter(Database& database, int64_t tenant_id, int64_t invoice_id, Date as_of);

}  // namespace cartera
