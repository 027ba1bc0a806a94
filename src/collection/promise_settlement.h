// The run settles promises to pay: each open promise whose payments cover
// it is kept, each whose date plus the strategy's grace has passed is
// partially kept or broken (engine/promise_outcome.h has the rule), as the
// books stood on the run's business date. Set-based: two reads, a bulk
// write and a few statements however many promises are open.
//
// Stored (docs/promises.md): promises.status 'kept' or 'broken' (a
// partially kept promise is 'broken' there, so the follow-up stage and the
// high-risk count treat it as broken), promises.outcome with the
// distinction, promises.covered_minor, and promise_payments (which
// payments kept it, and how much of each). Every settled promise writes an
// audit row and a webhook event (promise.kept, or promise.broken for
// broken and partially kept alike).
#pragma once

#include <cstdint>
#include <optional>

#include "collection/run.h"
#include "core/clock.h"
#include "core/date.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct PromiseSettlement {
  int64_t kept = 0;
  int64_t partially_kept = 0;
  int64_t broken = 0;
};

// Settles the tenant's open promises on `as_of` (unset: each customer's
// today at `now` in its zone), in one transaction of its own.
Result<PromiseSettlement> SettlePromises(Database& database, int64_t tenant_id, std::optional<Date> as_of,
                                         Timestamp now, const AuditContext& audit);

// What the collection run calls before it reads the portfolio, so the plan
// sees kept promises as kept (no follow-up, no hold) and the ones just
// broken as broken. Nothing for a dry run.
Status SettlePromisesForRun(Database& database, const RunOptions& options);

}  // namespace cartera
