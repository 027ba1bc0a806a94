// Installment tracking, called once by the daily run (collection/run.cc) in
// its transaction: payments allocated to a plan's invoices since its
// acceptance apply to the down payment and then to the installments in
// order; an installment (or the down payment) still unpaid `grace_days`
// after its date is missed; `missed_to_break` missed break the plan (its
// invoices are collectible again); all covered invoices paid complete it.
// Set-based: four reads over all active plans of the tenant (no query per
// plan), then one prepared UPDATE per changed row. Audited; webhook events
// plan.broken and plan.completed.
#pragma once

#include <cstdint>
#include <optional>

#include "core/clock.h"
#include "core/date.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct PlanTrackingReport {
  int64_t active = 0;        // plans tracked
  int64_t installments_changed = 0;
  int64_t broken = 0;
  int64_t completed = 0;
};

// `as_of`: the business date of every plan; nullopt: each customer's today
// at `now` in its zone. Payments dated after the business date are ignored.
// REQUIRES: inside the caller's transaction.
Result<PlanTrackingReport> TrackPaymentPlans(Database& database, int64_t tenant_id, std::optional<Date> as_of,
                                             Timestamp now, int32_t grace_days, const AuditContext& audit);

}  // namespace cartera
