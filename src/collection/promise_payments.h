// The payments that kept (or partly kept) promises, as the run recorded
// them in promise_payments (collection/promise_settlement.h).
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "collection/records.h"
#include "store/database.h"

namespace cartera {

// Fills each record's `payments`, oldest first: one query for all of them.
Status AttachPromisePayments(Database& database, int64_t tenant_id, std::vector<PromiseRecord>& records);

// [{"id", "external_id", "date", "amount": money}] in the promise's currency.
nlohmann::json PromisePaymentsJson(const PromiseRecord& record);

}  // namespace cartera
