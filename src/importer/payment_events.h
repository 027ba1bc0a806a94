// payment.received for the payments an import created (webhooks/
// webhook_events.h): one event per payment row, queued in the import's
// transaction in bulk, so they exist exactly when the import is committed
// (a dry run or a refused file queues none).
#pragma once

#include <cstdint>

#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// The tenant's payments with ids above `after_id` (the import's created
// range), read a chunk at a time; nothing is read when no endpoint of the
// tenant subscribes to payment.received. Returns how many events.
// REQUIRES: inside the import's transaction, after its rows are written.
Result<int64_t> EmitPaymentsReceived(Database& database, int64_t tenant_id, int64_t after_id,
                                     const AuditContext& audit);

}  // namespace cartera
