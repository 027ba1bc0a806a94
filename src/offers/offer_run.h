// The daily run's part of offers: fulfil the ones the debtor has paid and
// expire the ones past their date, as the books stood on the business date.
#pragma once

#include <cstdint>
#include <optional>

#include "core/clock.h"
#include "core/date.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::offers {

struct SettleReport {
  int64_t fulfilled = 0;
  int64_t expired = 0;
  int64_t credit_notes = 0;
};

// For every approved or accepted offer of the tenant: when the payments on
// its covered invoices since it was made, dated up to the business date and
// its expiry, reach what is due, posts the forgiven part as credit notes of
// the offer's kind (discount, waiver, settlement; source
// "offer:<id>:invoice:<id>", so never twice), each capped at what the
// invoice still owes, marks it fulfilled and emits offer.fulfilled. An
// offer (also one still pending approval) unpaid after its expiry date is
// expired. The business date is `as_of`, else the tenant's today at `now`.
// Its own transaction, holding the tenant's ledger lock; running it twice
// the same day changes nothing. One query reads every live offer with its
// payments (offers are few beside customers), then only the offers that
// change are touched.
Result<SettleReport> SettleOffers(Database& database, int64_t tenant_id, std::optional<Date> as_of, Timestamp now,
                                  const AuditContext& audit);

}  // namespace cartera::offers
