// Keeps allocations and the derived balances (invoice open amount, credit
// unapplied amount) in step with the documents, for many customers at once:
// one streamed read of their ledgers, PlanRebalance per customer, and
// set-based writes with an audit row per allocation created or deleted.
#pragma once

#include <cstdint>

#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct RebalanceStats {
  int64_t customers = 0;
  int64_t allocations_created = 0;
  int64_t allocations_dropped = 0;
  int64_t balances_changed = 0;
};

// The temporary table callers fill with the customer ids to rebalance.
inline constexpr const char* kRebalanceCustomersTable = "rebalance_customers";
Status PrepareRebalanceCustomers(Database& database);

enum class RebalanceScope { kListedCustomers = 1, kAllCustomers = 2 };

// REQUIRES: inside a transaction holding the tenant's ledger lock.
Result<RebalanceStats> RebalanceCustomers(Database& database, int64_t tenant_id, const AuditContext& audit,
                                          RebalanceScope scope);

}  // namespace cartera
