// The values a script is rendered with, read from the ledger for one
// customer: the preview command and the delivery worker use the same code,
// so what a person previews is what the debtor receives.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "store/database.h"
#include "templates/message_renderer.h"

namespace cartera::delivery {

// Its open, undisputed invoices in the first open currency, or only those
// in `invoice_ids` when given (an outbox item names its invoices), overdue
// or not: a caller that renders a stage's script keeps the stage's with
// templates::KeepInvoicesForStage. `as_of` defaults to today in the
// customer's zone at `now`. The collector name is the company profile's, or
// templates::DefaultCollectorName in the customer's language.
Result<templates::MessageContext> BuildMessageContext(Database& database, int64_t tenant_id, int64_t customer_id,
                                                      const std::vector<int64_t>& invoice_ids,
                                                      std::optional<Date> as_of, Timestamp now);

}  // namespace cartera::delivery
