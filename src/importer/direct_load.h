// The fast path for a first load: when the tenant has no rows of this kind
// yet there is nothing to compare or update, so rows go from the parser
// straight into the table (prepared INSERTs on SQLite, COPY on PostgreSQL)
// while a second thread parses ahead, and the table's unique index catches
// duplicate ids.
#pragma once

#include <optional>

#include "importer/import.h"

namespace cartera {

// Returns nullopt when the fast path does not apply (rows exist already, a
// dry run, a kind whose references need SQL to resolve) or gave up on a
// database error such as a duplicate id; nothing was written then, and the
// staged import runs instead and reports precisely.
Result<std::optional<ImportReport>> TryDirectLoad(Database& database, const ImportOptions& options);

}  // namespace cartera
