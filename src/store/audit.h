// Who changed the ledger, when, and through what: stamped on every audit row.
#pragma once

#include <string>

namespace cartera {

struct AuditContext {
  std::string actor;   // "cli:alice", "import", "system:rebalance"
  std::string at;      // FormatUtc(clock.Now())
  std::string source;  // "invoices.csv", "cartera demo", ...
};

}  // namespace cartera
