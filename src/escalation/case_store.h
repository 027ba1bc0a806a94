// Pieces the escalation use cases share: private to cartera_escalation.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::escalation::internal {

// The largest id of `table` for the tenant: the row just inserted inside
// the caller's transaction.
Result<int64_t> LastId(Database& database, std::string_view table, int64_t tenant_id);

// One audit row with JSON texts (null: none).
Status AuditChange(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
                   int64_t entity_id, std::string_view action, const nlohmann::json& before,
                   const nlohmann::json& after);

struct CaseHeader {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string kind;
  std::string status;
  std::string stage;
  std::optional<int64_t> commission_basis_points;
};
// kNotFound, worded in `language`, for a case the tenant does not have.
Result<CaseHeader> LoadCaseHeader(Database& database, int64_t tenant_id, int64_t case_id, Language language);

// Ends a case: its status, ended_at and its invoices released from the hold.
// REQUIRES: inside the caller's transaction.
Status EndCase(Database& database, int64_t tenant_id, int64_t case_id, std::string_view status,
               const AuditContext& audit);

// "case 12 not found" in `language`.
Error CaseNotFound(int64_t case_id, Language language);

}  // namespace cartera::escalation::internal
