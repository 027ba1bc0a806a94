// The few places where SQLite and PostgreSQL spell the same thing
// differently, in one file.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "store/database.h"

namespace cartera {

// A JSON object text built by the database from column expressions:
// SQLite json_object(...), PostgreSQL json_build_object(...)::text.
inline std::string SqlJsonObject(Dialect dialect, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string args;
  for (const auto& [key, expression] : fields) {
    if (!args.empty()) args += ", ";
    args += fmt::format("'{}', {}", key, expression);
  }
  return dialect == Dialect::kSqlite ? fmt::format("json_object({})", args)
                                     : fmt::format("json_build_object({})::text", args);
}

// "a differs from b" where NULL equals NULL.
inline std::string SqlDistinct(Dialect dialect, std::string_view a, std::string_view b) {
  return dialect == Dialect::kSqlite ? fmt::format("{} IS NOT {}", a, b) : fmt::format("{} IS DISTINCT FROM {}", a, b);
}

// The largest id of a table before rows are added. SQLite ids are one rowid
// sequence per table (MAX is a single lookup; a tenant filter would scan);
// PostgreSQL keys start with the tenant, so its maximum walks the key.
inline std::string SqlMaxId(Dialect dialect, std::string_view table, int64_t tenant_id) {
  return dialect == Dialect::kSqlite ? fmt::format("SELECT COALESCE(MAX(id), 0) FROM {}", table)
                                     : fmt::format("SELECT COALESCE(MAX(id), 0) FROM {} WHERE tenant_id = {}", table,
                                                   tenant_id);
}

// "<alias>.tenant_id = ? AND <alias>.id > after": the rows a statement just
// added. On SQLite the unary + keeps the planner on the rowid range instead
// of an index on the tenant (which would walk all the tenant's rows).
inline std::string SqlRowsAfter(Dialect dialect, std::string_view alias, int64_t after) {
  return fmt::format("{}{}.tenant_id = ? AND {}.id > {}", dialect == Dialect::kSqlite ? "+" : "", alias, alias, after);
}

// The calendar date of an ISO timestamp text ("2026-11-20T15:00:00Z"), plus
// `days`, as a value comparable with DATE columns on both databases.
inline std::string SqlDateOfTimestampPlusDays(Dialect dialect, std::string_view timestamp, int days) {
  return dialect == Dialect::kSqlite
             ? fmt::format("date(substr({}, 1, 10), '{:+d} days')", timestamp, days)
             : fmt::format("(CAST(substr({}, 1, 10) AS DATE) + {})", timestamp, days);
}

// Whole days from one DATE column or expression to another (negative when
// `to` is earlier).
inline std::string SqlDaysBetween(Dialect dialect, std::string_view from, std::string_view to) {
  return dialect == Dialect::kSqlite ? fmt::format("CAST(julianday({}) - julianday({}) AS INTEGER)", to, from)
                                     : fmt::format("({} - {})", to, from);
}

// Serialises writers of one tenant's ledger for the rest of the transaction
// (SQLite already allows a single writer per file).
inline Status LockTenantLedger(Database& database, int64_t tenant_id) {
  if (database.dialect() == Dialect::kSqlite) return {};
  return database.Execute(fmt::format("SELECT pg_advisory_xact_lock(7401, {})", tenant_id));
}

// A temporary work table, created on first use and emptied on each use.
inline Status PrepareWorkTable(Database& database, std::string_view name, std::string_view columns) {
  if (auto created = database.Execute(fmt::format("CREATE TEMP TABLE IF NOT EXISTS {} ({})", name, columns)); !created) {
    return created;
  }
  return database.Execute(fmt::format("DELETE FROM {}", name));
}

}  // namespace cartera
