// The audit log as people and scripts read it: who changed what, newest
// first, with before and after. One function and one JSON shape for the CLI
// and the HTTP API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace cartera {

struct AuditEvent {
  std::string at, actor, entity, action, source;
  int64_t entity_id = 0;
  std::optional<int64_t> entity_id_last;  // rows an import created, audited as one id range
  nlohmann::json before, after;           // null when absent
};

struct AuditFilter {
  std::optional<std::string> entity;       // "invoice", "customer", ...
  std::optional<std::string> external_id;  // one document (customers, invoices, payments, credit notes)
  int64_t limit = 50;                      // at least 1
};

// kBadInput for an external id without an entity, or for an entity that
// has no external ids.
Result<std::vector<AuditEvent>> ListAuditEvents(Database& database, int64_t tenant_id, const AuditFilter& filter);

// {"at", "actor", "entity", "entity_id", "entity_id_last", "action",
//  "before", "after", "source"}: the record's one JSON shape.
nlohmann::json AuditEventJson(const AuditEvent& event);

// "status: \"queued\" -> \"sent\"; ..." (or the values, shortened): a table cell.
std::string DescribeAuditChange(const AuditEvent& event);

}  // namespace cartera
