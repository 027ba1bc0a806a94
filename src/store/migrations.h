// Versioned schema migrations, applied in order on first use of a database.
// One schema text serves both dialects; a handful of tokens expand to each
// dialect's spelling (see migrations.cc).
#pragma once

#include "store/database.h"

namespace cartera {

// The id of the tenant the CLI works on when none is named.
inline constexpr int64_t kDefaultTenantId = 1;

// Brings the schema up to the latest version (or `up_to`, for tests of a
// migration's data path) inside one transaction per migration. Safe to
// call on every start.
Status ApplyMigrations(Database& database, int up_to = 0);

// The latest schema version this build knows.
int LatestSchemaVersion();

}  // namespace cartera
