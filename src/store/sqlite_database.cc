// SQLite implementation of the database port, straight on the C API:
// prepared statements and one transaction per import give the bulk speed
// the benchmarks ask for, which a generic wrapper would cost.
#include "store/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

namespace cartera {
namespace {

// SQLITE_BUSY ("database is locked": another connection writes, past the
// busy timeout, or a read snapshot went stale before its first write) and
// SQLITE_LOCKED are kBusy: the same transaction may succeed if run again
// (store/retry.h).
bool IsBusyCode(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// `what` says what failed in words ("running a statement"), never the
// statement's SQL: error messages reach the people who use the program.
Error SqliteError(sqlite3* db, std::string_view what) {
  std::string message = fmt::format("SQLite: {}: {}", what, sqlite3_errmsg(db));
  if (IsBusyCode(sqlite3_extended_errcode(db))) return Error::Busy(std::move(message));
  return Error::Storage(std::move(message));
}

// Prepared statements kept for the next Prepare of the same SQL: parsing
// and planning a statement costs more than running a small one, and the
// delivery worker prepares the same dozen statements for every message.
// Shared by the database and its statements, so either may go first.
class StatementPool {
 public:
  ~StatementPool() {
    for (auto& [sql, statements] : idle_) {
      for (sqlite3_stmt* statement : statements) sqlite3_finalize(statement);
    }
  }
  sqlite3_stmt* Take(std::string_view sql) {
    auto found = idle_.find(std::string(sql));
    if (found == idle_.end() || found->second.empty()) return nullptr;
    sqlite3_stmt* statement = found->second.back();
    found->second.pop_back();
    return statement;
  }
  // The statement is reset; kept unless the pool is full.
  void Give(sqlite3_stmt* statement) {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    auto& kept = idle_[sqlite3_sql(statement)];
    if (kept.size() >= kPerSql || idle_.size() > kMaxSql) {
      sqlite3_finalize(statement);
      return;
    }
    kept.push_back(statement);
  }

 private:
  static constexpr size_t kPerSql = 4;
  static constexpr size_t kMaxSql = 256;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
};

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement, std::shared_ptr<StatementPool> pool)
      : db_(db), statement_(statement), pool_(std::move(pool)) {}
  ~SqliteStatement() override { pool_->Give(statement_); }

  void BindInt64(int index, int64_t value) override { sqlite3_bind_int64(statement_, index, value); }
  void BindText(int index, std::string_view value) override {
    sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void BindNull(int index) override { sqlite3_bind_null(statement_, index); }

  Result<bool> Step() override {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      changed_rows_ = sqlite3_changes64(db_);
      return false;
    }
    return Fail(SqliteError(db_, "running a statement"));
  }
  int ColumnCount() const override { return sqlite3_column_count(statement_); }
  bool IsNull(int column) const override { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  int64_t GetInt64(int column) const override { return sqlite3_column_int64(statement_, column); }
  std::string_view GetText(int column) const override {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    if (text == nullptr) return {};
    return std::string_view(reinterpret_cast<const char*>(text),
                            static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
  }
  int64_t ChangedRows() const override { return changed_rows_; }
  void Reset() override {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
  std::shared_ptr<StatementPool> pool_;
  int64_t changed_rows_ = 0;
};

// Straight on the statement: text bound without a copy (the values outlive
// the step), and integer columns bound as integers so SQLite does not parse
// the text back into a number for each row.
class SqliteBulkWriter final : public BulkWriter {
 public:
  SqliteBulkWriter(sqlite3* db, sqlite3_stmt* insert, std::vector<bool> integer_columns)
      : db_(db), insert_(insert), integer_columns_(std::move(integer_columns)) {}
  ~SqliteBulkWriter() override { sqlite3_finalize(insert_); }

  Status Add(const std::vector<std::optional<std::string_view>>& values) override {
    for (size_t i = 0; i < values.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (!values[i]) {
        sqlite3_bind_null(insert_, index);
        continue;
      }
      const std::string_view text = *values[i];
      int64_t number = 0;
      if (i < integer_columns_.size() && integer_columns_[i] && !text.empty()) {
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error == std::errc() && end == text.data() + text.size()) {
          sqlite3_bind_int64(insert_, index, number);
          continue;
        }
      }
      sqlite3_bind_text(insert_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    }
    const int rc = sqlite3_step(insert_);
    sqlite3_reset(insert_);
    if (rc != SQLITE_DONE) return Fail(SqliteError(db_, "inserting a row"));
    return {};
  }
  Status Finish() override { return {}; }

 private:
  sqlite3* db_;
  sqlite3_stmt* insert_;
  std::vector<bool> integer_columns_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db), pool_(std::make_shared<StatementPool>()) {}
  ~SqliteDatabase() override {
    pool_.reset();  // finalizes the idle statements unless a live statement still holds the pool
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<std::unique_ptr<Database>> OpenAnother() const override {
    const char* file = sqlite3_db_filename(db_, "main");
    if (file == nullptr || *file == '\0') return Fail(Error::Storage("an in-memory SQLite database has no second connection"));
    return OpenSqlite(file);
  }

  Status Execute(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    if (const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message); code != SQLITE_OK) {
      std::string text_of_error = fmt::format("SQLite: {}", message != nullptr ? message : "error");
      Error error = IsBusyCode(code) ? Error::Busy(std::move(text_of_error)) : Error::Storage(std::move(text_of_error));
      sqlite3_free(message);
      return Fail(std::move(error));
    }
    return {};
  }

  Status SetDurability(Durability durability) override {
    return Execute(durability == Durability::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    if (sqlite3_stmt* kept = pool_->Take(sql)) return std::unique_ptr<Statement>(new SqliteStatement(db_, kept, pool_));
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
      return Fail(SqliteError(db_, "cannot prepare a statement"));
    }
    return std::unique_ptr<Statement>(new SqliteStatement(db_, statement, pool_));
  }

  using Database::BulkInsert;
  Result<std::unique_ptr<BulkWriter>> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                                 BulkTarget /*target*/) override {
    auto integer_affinity = IntegerColumns(table);
    if (!integer_affinity) return Fail(integer_affinity.error());
    std::vector<bool> integer_columns;
    std::string placeholders;
    for (size_t i = 0; i < columns.size(); ++i) {
      placeholders += i == 0 ? "?" : ",?";
      integer_columns.push_back(integer_affinity->contains(columns[i]));
    }
    const std::string sql =
        fmt::format("INSERT INTO {} ({}) VALUES ({})", table, fmt::join(columns, ","), placeholders);
    sqlite3_stmt* insert = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &insert, nullptr) != SQLITE_OK) {
      return Fail(SqliteError(db_, "cannot prepare a statement"));
    }
    return std::unique_ptr<BulkWriter>(new SqliteBulkWriter(db_, insert, std::move(integer_columns)));
  }

 private:
  // Columns of INTEGER affinity (the declared type contains "INT"); a TEMP
  // table's are found too, since pragma_table_info searches every schema.
  Result<std::set<std::string>> IntegerColumns(std::string_view table) {
    auto query = Prepare("SELECT name, type FROM pragma_table_info(?)");
    if (!query) return Fail(query.error());
    (*query)->BindText(1, table);
    std::set<std::string> names;
    while (true) {
      auto has_row = (*query)->Step();
      if (!has_row) return Fail(has_row.error());
      if (!*has_row) break;
      std::string type((*query)->GetText(1));
      std::transform(type.begin(), type.end(), type.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (type.find("INT") != std::string::npos) names.emplace((*query)->GetText(0));
    }
    return names;
  }

  sqlite3* db_;
  std::shared_ptr<StatementPool> pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path) {
  // Memory statistics take a global mutex on every allocation: a tenth of
  // a bulk load's time. Only possible before SQLite initialises.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (each worker opens
  // its own), so SQLite's per-call locking is pure overhead.
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    Error error = Error::Storage(fmt::format("cannot open SQLite database '{}': {}", path, sqlite3_errmsg(db)));
    sqlite3_close_v2(db);
    return Fail(std::move(error));
  }
  sqlite3_busy_timeout(db, 5000);
  // CARTERA_SQL_TRACE_MS=N prints every statement slower than N ms to stderr:
  // the first tool when an import or report is slow.
  if (const char* trace = std::getenv("CARTERA_SQL_TRACE_MS"); trace != nullptr && *trace != '\0') {
    static double threshold_ms = 0;
    threshold_ms = std::atof(trace);
    sqlite3_trace_v2(
        db, SQLITE_TRACE_PROFILE,
        [](unsigned, void*, void* statement, void* nanoseconds) -> int {
          const double ms = static_cast<double>(*static_cast<sqlite3_int64*>(nanoseconds)) / 1e6;
          if (ms >= threshold_ms) {
            std::fprintf(stderr, "[sql %9.1f ms] %.300s\n", ms, sqlite3_sql(static_cast<sqlite3_stmt*>(statement)));
          }
          return 0;
        },
        nullptr);
  }
  auto database = std::make_unique<SqliteDatabase>(db);
  // WAL lets readers run beside the one writer; NORMAL sync is durable at
  // each checkpoint and is SQLite's recommended pairing with WAL.
  // temp_store=FILE: the import staging tables are TEMP tables holding the
  // whole file; in memory they made an import's RSS grow with the file size
  // (about 125 MB per 1,000,000 invoices). In a temporary file only the page
  // cache stays resident and memory stays flat (bench/README.md).
  // threads=2: large sorts (CREATE INDEX after a first load) use both cores.
  if (auto set = database->Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                                   "PRAGMA temp_store=FILE; PRAGMA cache_size=-65536; PRAGMA threads=2;");
      !set) {
    return Fail(set.error());
  }
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace cartera
