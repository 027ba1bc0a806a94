// Invoices held out of dunning: the engine neither mentions them nor lets
// them drive a stage (OpenInvoice::disputed). Each reason a business holds
// an invoice — an open dispute, an active payment plan, an agency or a
// court holding the case, a write-off — adds one SELECT here, so the run,
// simulate and explain all hold the same invoices.
#pragma once

#include <string>
#include <string_view>

#include "engine/decision.h"

namespace cartera {

// One SQL query with a single parameter (the tenant id, bound as the first
// `?`) answering the invoices held today, one or more rows each: every arm
// selects (invoice_id, reason, plan_id) with reason 'dispute', 'escalation'
// or 'payment_plan' (HeldReasonOf) and plan_id the active plan (else 0).
// `customer_filter` is appended to every arm (" AND customer_id = 7" or "").
std::string HeldInvoicesSql(std::string_view customer_filter);

// The reason column's value as the engine's HeldReason (engine/decision.h).
HeldReason HeldReasonOf(std::string_view reason);

}  // namespace cartera
