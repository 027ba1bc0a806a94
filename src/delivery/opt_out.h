// The debtor's own opt-out of one address on one channel, however it came
// (an unsubscribe link, a STOP or BAJA reply): consent revoked with source
// "debtor", and an audit row that says how.
#pragma once

#include <cstdint>
#include <string_view>

#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// False when that consent was already revoked (nothing written).
// REQUIRES: inside the caller's transaction.
Result<bool> RecordOptOut(Database& database, int64_t tenant_id, int64_t customer_id, std::string_view channel,
                          std::string_view value, std::string_view via, const AuditContext& audit);

}  // namespace cartera::delivery
