// The database port: a small interface over SQLite and PostgreSQL so the
// repositories above it are written once. SQL is written with '?'
// placeholders; the PostgreSQL implementation numbers them ($1, $2, ...).
//
// Values cross this boundary as int64, text or NULL only: money is int64
// minor units, dates are ISO "YYYY-MM-DD" text, timestamps ISO-8601 UTC text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cartera {

enum class Dialect { kSqlite = 1, kPostgres = 2 };

// A prepared statement. Bind parameters (1-based), then Step() through rows.
// REQUIRES: one statement is stepped at a time per connection when the
// result is large; on PostgreSQL starting another statement first buffers
// the rest of the running one in memory.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void BindInt64(int index, int64_t value) = 0;
  virtual void BindText(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  void BindOptionalText(int index, const std::optional<std::string>& value) {
    value ? BindText(index, *value) : BindNull(index);
  }

  // Executes on first call; true while a row is available.
  virtual Result<bool> Step() = 0;
  // Columns of the row Step() made available.
  virtual int ColumnCount() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t GetInt64(int column) const = 0;
  // Valid until the next Step() or Reset().
  virtual std::string_view GetText(int column) const = 0;
  std::optional<std::string> GetOptionalText(int column) const {
    if (IsNull(column)) return std::nullopt;
    return std::string(GetText(column));
  }
  // Rows changed by the last INSERT/UPDATE/DELETE.
  virtual int64_t ChangedRows() const = 0;
  // Ready to bind and run again.
  virtual void Reset() = 0;

  // Runs a statement that returns no rows.
  Status Run() {
    auto stepped = Step();
    if (!stepped) return Fail(stepped.error());
    return {};
  }
};

// Streams many rows into a table (SQLite: a prepared INSERT; PostgreSQL:
// COPY FROM STDIN). Add() one row's values in column order, then Finish().
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;
  // Values are text or nullopt for NULL; integers are passed as their text.
  virtual Status Add(const std::vector<std::optional<std::string_view>>& values) = 0;
  virtual Status Finish() = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  // Opens "sqlite:PATH", a plain path, or "postgresql://..." / "postgres://...".
  static Result<std::unique_ptr<Database>> Open(const std::string& url);

  virtual Dialect dialect() const = 0;
  // A second connection to the same database, to read beside this one on
  // another thread (its own snapshot).
  virtual Result<std::unique_ptr<Database>> OpenAnother() const = 0;
  virtual Status Execute(std::string_view sql) = 0;  // may hold several statements
  virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;
  // kIntoFreshTable: the table was emptied by this transaction (see
  // ClaimEmptyTableForLoad); PostgreSQL then writes the rows frozen, so no
  // later scan rewrites every page to set hint bits.
  enum class BulkTarget { kAnyTable, kIntoFreshTable };
  virtual Result<std::unique_ptr<BulkWriter>> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                                         BulkTarget target) = 0;
  Result<std::unique_ptr<BulkWriter>> BulkInsert(std::string_view table, const std::vector<std::string>& columns) {
    return BulkInsert(table, columns, BulkTarget::kAnyTable);
  }

  // Runs a parameterless query and calls `row` with each row's values as
  // text (nullopt for NULL), as fast as the database sends them: COPY TO on
  // PostgreSQL, a statement on SQLite. For results read whole into memory
  // (a lookup table); a failed `row` ends the read with its error.
  using RowValues = std::vector<std::optional<std::string_view>>;
  virtual Status ReadAll(std::string_view sql, const std::function<Status(const RowValues&)>& row);

  // What a commit survives. kNormal (the default): a crash of the program
  // never loses a commit, but a crash of the operating system or a power
  // cut may lose the last ones on SQLite (WAL with synchronous=NORMAL syncs
  // at checkpoints, not at each commit). kFull: a commit is on disk when
  // Commit() returns (SQLite synchronous=FULL, one fsync of the WAL per
  // commit, about a millisecond on an SSD and more on a disk; PostgreSQL
  // synchronous_commit=on, its default, set again in case the server says
  // otherwise). For every later commit on this connection: a claim that
  // must not be forgotten before a provider is called (delivery) asks for
  // kFull on the connection that writes it.
  enum class Durability { kNormal = 1, kFull = 2 };
  virtual Status SetDurability(Durability durability) = 0;

  Status Begin() { return Execute("BEGIN"); }
  Status Commit() { return Execute("COMMIT"); }
  Status Rollback() { return Execute("ROLLBACK"); }

  // Runs one parameterless query and returns the first column of the first row.
  Result<std::optional<int64_t>> QueryInt64(std::string_view sql);
};

// Rolls back on scope exit unless committed: every multi-statement change
// is all-or-nothing.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& database);
  Transaction(Transaction&& other) noexcept : database_(other.database_) { other.database_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Database& database) : database_(&database) {}
  Database* database_;
};

}  // namespace cartera
