// A collector's notes on a customer: free text that says what happened
// ("called, the accountant is on leave until Monday"), who wrote it and
// when. Notes change nothing the engine decides; they are in the
// customer's timeline (collection/timeline.h) and in the audit log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// The longest note, in bytes of UTF-8.
inline constexpr size_t kNoteBytesMax = 2000;

struct NoteRecord {
  int64_t id = 0;
  std::string customer_external_id;
  std::string text;
  std::string author;      // the audit actor: "user:ana@empresa.co", "key:crm", "cli:alice"
  std::string created_at;  // UTC, ...Z
};

// Adds a note to the customer, written by audit.actor at audit.at, and
// audits it (entity "note", action "create"). kNotFound (worded in
// audit.language) when the tenant has no such customer; kBadInput for an
// empty text, one over kNoteBytesMax, or one with a line break or another
// control character or invalid UTF-8. The caller checks the collector
// rule (access::MayActOnCustomer) first.
Result<NoteRecord> AddNote(Database& database, int64_t tenant_id, std::string_view customer_external_id,
                           std::string_view text, const AuditContext& audit);

// {"id", "customer_external_id", "text", "author", "created_at"}: the
// record's one JSON shape.
nlohmann::json NoteJson(const NoteRecord& note);

}  // namespace cartera
