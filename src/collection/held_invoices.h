// Invoices held out of dunning: the engine neither mentions them nor lets
// them drive a stage (OpenInvoice::disputed). Each reason a business holds
// an invoice — an open dispute, an active payment plan, an agency or a
// court holding the case, a write-off — adds one SELECT here, so the run,
// simulate and explain all hold the same invoices.
#pragma once

#include <string>
#include <string_view>

namespace cartera {

// One SQL query with a single parameter (the tenant id, bound as the first
// `?`) answering the invoice ids held today, one or more rows each.
// `customer_filter` is appended to every arm (" AND customer_id = 7" or "").
std::string HeldInvoicesSql(std::string_view customer_filter);

}  // namespace cartera
