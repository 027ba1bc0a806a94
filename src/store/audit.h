// Who changed the ledger, when, and through what: stamped on every audit row.
#pragma once

#include "core/language.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "store/database.h"

namespace cartera {

struct AuditContext {
  std::string actor;   // "cli:alice", "import", "system:rebalance"
  std::string at;      // FormatUtc(clock.Now())
  std::string source;  // "invoices.csv", "cartera demo", ...
  // The language of whoever acts: what a refusal says to them is worded in it.
  Language language = Language::kEnglish;
};

// One audit row. Empty JSON texts are stored as NULL.
Status WriteAudit(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
                  int64_t entity_id, std::string_view action, std::string_view before_json,
                  std::string_view after_json);

}  // namespace cartera
