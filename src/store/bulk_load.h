// Helpers for loading many rows at once: building secondary indexes after
// the load instead of row by row, and auditing the created rows as one range.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct IndexDefinition {
  std::string name;
  std::string sql;  // the CREATE INDEX statement
};

// True when `table` has no rows at all (of any tenant).
Result<bool> TableIsEmpty(Database& database, std::string_view table);

// True when `table` has no rows of any tenant, and then keeps it so until
// the transaction ends. On PostgreSQL an empty table is locked against
// every other session (readers of other tenants wait: there is nothing to
// read yet) and truncated, which lets BulkTarget::kIntoFreshTable write the
// rows frozen. SQLite's write transaction already excludes other writers.
// REQUIRES: inside a transaction.
Result<bool> ClaimEmptyTableForLoad(Database& database, std::string_view table);

// Drops the table's indexes other than constraints and those `kept`, and
// returns how to build them again. A unique index built afterwards fails on
// a duplicate like an insert would. With `primary_key` (PostgreSQL: a btree
// beside the heap) the primary key constraint goes too and comes back first.
// REQUIRES: inside a transaction (a failed load restores them by rollback).
Result<std::vector<IndexDefinition>> DropSecondaryIndexes(Database& database, std::string_view table,
                                                          bool primary_key = false,
                                                          const std::vector<std::string_view>& kept = {});
Status CreateIndexes(Database& database, const std::vector<IndexDefinition>& indexes);

// PostgreSQL, a table claimed by ClaimEmptyTableForLoad: a value every row
// of the load shares becomes its column's default for the transaction, so
// COPY neither carries nor parses it (a third of an invoice row is its
// tenant and two timestamps). Returns the columns it took over; the caller
// leaves them out of the COPY and calls DropColumnDefaults before the
// commit. Columns that already have a default, and every column on SQLite,
// are not taken over.
using ColumnValue = std::pair<std::string, std::string>;
Result<std::vector<std::string>> SetColumnDefaults(Database& database, std::string_view table,
                                                   const std::vector<ColumnValue>& values);
Status DropColumnDefaults(Database& database, std::string_view table, const std::vector<std::string>& columns);

// PostgreSQL, a table claimed by ClaimEmptyTableForLoad: the load numbers
// its rows itself, from the first value its identity sequence hands out,
// instead of a nextval() per row (a sixth of a first load's COPY time).
// The table's lock keeps every other session from drawing on the sequence
// until the commit; AdvanceIdSequence(last id used) then moves it past the
// load. Returns nothing on SQLite, whose rowid costs nothing.
Result<std::optional<int64_t>> TakeIdsForLoad(Database& database, std::string_view table);
Status AdvanceIdSequence(Database& database, std::string_view table, int64_t last_id);

// While alive, an SQLite database writes through a rollback journal instead
// of the write-ahead log: pages a load appends are then written once, not
// to the log first and copied into the file at the checkpoint. Does nothing
// on PostgreSQL, or when another connection keeps the database in WAL mode.
// REQUIRES: no transaction open (SQLite cannot switch inside one).
class RollbackJournalDuringLoad {
 public:
  explicit RollbackJournalDuringLoad(Database& database);
  ~RollbackJournalDuringLoad();
  RollbackJournalDuringLoad(const RollbackJournalDuringLoad&) = delete;
  RollbackJournalDuringLoad& operator=(const RollbackJournalDuringLoad&) = delete;

 private:
  Database& database_;
  bool switched_ = false;
};

// One audit row for the rows of `table` the tenant created after id
// `after_id`: entity_id..entity_id_last, with the count and the source.
// REQUIRES: the tenant's ledger lock, so every such row is this caller's.
Status AuditCreatedRange(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
                         std::string_view table, int64_t after_id, int64_t count);

}  // namespace cartera
