#include "store/bulk_load.h"

#include <algorithm>

#include <fmt/format.h>

#include "store/sql_dialect.h"

namespace cartera {

Result<bool> TableIsEmpty(Database& database, std::string_view table) {
  auto any = database.QueryInt64(fmt::format("SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) probe", table));
  if (!any) return Fail(any.error());
  return any->value_or(0) == 0;
}

Result<bool> ClaimEmptyTableForLoad(Database& database, std::string_view table) {
  auto empty = TableIsEmpty(database, table);
  if (!empty || !*empty || database.dialect() != Dialect::kPostgres) return empty;
  // Only a table that looks empty is locked: a load next to other tenants'
  // rows must not stop their readers for its whole length. Locked before
  // looking again: a session that committed rows while we waited is seen
  // (each statement a new snapshot), so TRUNCATE never drops anyone's rows.
  if (auto locked = database.Execute(fmt::format("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", table)); !locked) {
    return Fail(locked.error());
  }
  empty = TableIsEmpty(database, table);
  if (!empty || !*empty) return empty;
  if (auto truncated = database.Execute(fmt::format("TRUNCATE {}", table)); !truncated) return Fail(truncated.error());
  return true;
}

namespace {

// PostgreSQL: the primary key as a constraint to add back, or nothing.
Result<std::optional<IndexDefinition>> DropPrimaryKey(Database& database, std::string_view table) {
  auto query = database.Prepare(
      "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.contype = 'p' AND "
      "c.conrelid = to_regclass(?)");
  if (!query) return Fail(query.error());
  (*query)->BindText(1, table);
  auto has_row = (*query)->Step();
  if (!has_row) return Fail(has_row.error());
  if (!*has_row) return std::optional<IndexDefinition>();
  IndexDefinition key{std::string((*query)->GetText(0)), ""};
  key.sql = fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", table, key.name, (*query)->GetText(1));
  query->reset();
  if (auto dropped = database.Execute(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", table, key.name)); !dropped) {
    return Fail(dropped.error());
  }
  return std::optional<IndexDefinition>(std::move(key));
}

}  // namespace

Result<std::vector<IndexDefinition>> DropSecondaryIndexes(Database& database, std::string_view table,
                                                          bool primary_key, const std::vector<std::string_view>& kept) {
  std::vector<IndexDefinition> indexes;
  if (primary_key && database.dialect() == Dialect::kPostgres) {
    auto key = DropPrimaryKey(database, table);
    if (!key) return Fail(key.error());
    if (*key) indexes.push_back(std::move(**key));
  }
  // Indexes behind constraints (primary key, UNIQUE in the table) have no
  // SQL on SQLite and a pg_constraint row on PostgreSQL: they stay.
  auto query = database.Prepare(
      database.dialect() == Dialect::kSqlite
          ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "ORDER BY name"
          : "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND "
            "i.tablename = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
            "ORDER BY i.indexname");
  if (!query) return Fail(query.error());
  (*query)->BindText(1, table);
  const size_t kept_first = indexes.size();
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    if (std::find(kept.begin(), kept.end(), (*query)->GetText(0)) != kept.end()) continue;
    indexes.push_back({std::string((*query)->GetText(0)), std::string((*query)->GetText(1))});
  }
  query->reset();
  for (size_t i = kept_first; i < indexes.size(); ++i) {
    const IndexDefinition& index = indexes[i];
    if (auto dropped = database.Execute(fmt::format("DROP INDEX {}", index.name)); !dropped) {
      return Fail(dropped.error());
    }
  }
  return indexes;
}

Status CreateIndexes(Database& database, const std::vector<IndexDefinition>& indexes) {
  // PostgreSQL sorts in memory up to maintenance_work_mem (64 MB by
  // default); a bigger budget for this transaction saves merge passes. One
  // worker beside the leader: the leader's final merge and the writing of
  // the index are serial, and on two cores two workers measured slower
  // than one (three processes on two cores), none slowest.
  if (database.dialect() == Dialect::kPostgres && !indexes.empty()) {
    if (auto set = database.Execute("SET LOCAL maintenance_work_mem = '256MB'"); !set) return set;
    if (auto set = database.Execute(
            "SELECT set_config('max_parallel_maintenance_workers', "
            "LEAST(current_setting('max_parallel_maintenance_workers')::int, 1)::text, true)");
        !set) {
      return set;
    }
  }
  for (const IndexDefinition& index : indexes) {
    if (auto created = database.Execute(index.sql); !created) return created;
  }
  return {};
}

Result<std::optional<int64_t>> TakeIdsForLoad(Database& database, std::string_view table) {
  if (database.dialect() != Dialect::kPostgres) return std::optional<int64_t>();
  auto first = database.QueryInt64(fmt::format("SELECT nextval(pg_get_serial_sequence('{}', 'id'))", table));
  if (!first) return Fail(first.error());
  return *first;
}

Status AdvanceIdSequence(Database& database, std::string_view table, int64_t last_id) {
  return database.Execute(fmt::format("SELECT setval(pg_get_serial_sequence('{}', 'id'), {})", table, last_id));
}

namespace {

std::string SqlTextLiteral(std::string_view text) {
  std::string literal = "'";
  for (char c : text) {
    if (c == '\'') literal += '\'';
    literal += c;
  }
  return literal + "'";
}

}  // namespace

Result<std::vector<std::string>> SetColumnDefaults(Database& database, std::string_view table,
                                                   const std::vector<ColumnValue>& values) {
  std::vector<std::string> taken;
  if (database.dialect() != Dialect::kPostgres || values.empty()) return taken;
  auto query = database.Prepare(
      "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND "
      "NOT a.attisdropped AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = ''");
  if (!query) return Fail(query.error());
  (*query)->BindText(1, table);
  std::vector<std::string> without_default;
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    without_default.emplace_back((*query)->GetText(0));
  }
  query->reset();
  std::string clauses;
  for (const auto& [column, value] : values) {
    if (std::find(without_default.begin(), without_default.end(), column) == without_default.end()) continue;
    clauses += fmt::format("{}ALTER COLUMN {} SET DEFAULT {}", clauses.empty() ? "" : ", ", column,
                           SqlTextLiteral(value));
    taken.push_back(column);
  }
  if (taken.empty()) return taken;
  if (auto set = database.Execute(fmt::format("ALTER TABLE {} {}", table, clauses)); !set) return Fail(set.error());
  return taken;
}

Status DropColumnDefaults(Database& database, std::string_view table, const std::vector<std::string>& columns) {
  if (columns.empty()) return {};
  std::string clauses;
  for (const std::string& column : columns) {
    clauses += fmt::format("{}ALTER COLUMN {} DROP DEFAULT", clauses.empty() ? "" : ", ", column);
  }
  return database.Execute(fmt::format("ALTER TABLE {} {}", table, clauses));
}

namespace {

std::string SetJournalMode(Database& database, std::string_view mode) {
  auto pragma = database.Prepare(fmt::format("PRAGMA journal_mode={}", mode));
  if (!pragma) return "";
  auto stepped = (*pragma)->Step();
  return stepped && *stepped ? std::string((*pragma)->GetText(0)) : "";
}

}  // namespace

RollbackJournalDuringLoad::RollbackJournalDuringLoad(Database& database) : database_(database) {
  if (database_.dialect() != Dialect::kSqlite) return;
  switched_ = SetJournalMode(database_, "DELETE") == "delete";
}

RollbackJournalDuringLoad::~RollbackJournalDuringLoad() {
  if (switched_) SetJournalMode(database_, "WAL");
}

Status AuditCreatedRange(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
                         std::string_view table, int64_t after_id, int64_t count) {
  if (count == 0) return {};
  // Both ends through the primary key: cheap whatever the count.
  auto first_query = database.Prepare(
      fmt::format("SELECT t.id FROM {} t WHERE {} ORDER BY t.id LIMIT 1", table,
                  SqlRowsAfter(database.dialect(), "t", after_id)));
  if (!first_query) return Fail(first_query.error());
  (*first_query)->BindInt64(1, tenant_id);
  auto stepped = (*first_query)->Step();
  if (!stepped) return Fail(stepped.error());
  Result<std::optional<int64_t>> first =
      *stepped && !(*first_query)->IsNull(0) ? std::optional<int64_t>((*first_query)->GetInt64(0)) : std::nullopt;
  first_query->reset();
  if (!first) return Fail(first.error());
  auto last = database.QueryInt64(SqlMaxId(database.dialect(), table, tenant_id));
  if (!last) return Fail(last.error());
  if (!first->has_value() || !last->has_value()) {
    return Fail(Error::Internal(fmt::format("audit: no {} rows after id {}", table, after_id)));
  }
  auto insert = database.Prepare(
      "INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, entity_id_last, action, after_json, source) "
      "VALUES (?, ?, ?, ?, ?, ?, 'create', ?, ?)");
  if (!insert) return Fail(insert.error());
  const std::string after = fmt::format(R"({{"created":{},"first_id":{},"last_id":{}}})", count, **first, **last);
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, audit.at);
  (*insert)->BindText(3, audit.actor);
  (*insert)->BindText(4, entity);
  (*insert)->BindInt64(5, **first);
  (*insert)->BindInt64(6, **last);
  (*insert)->BindText(7, after);
  (*insert)->BindText(8, audit.source);
  return (*insert)->Run();
}

}  // namespace cartera
