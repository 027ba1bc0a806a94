// PostgreSQL implementation of the database port on libpq. Statements are
// prepared once and stream their rows in single-row mode, so a report over
// millions of invoices holds one row at a time; bulk loads use COPY.
#include "store/postgres_database.h"

#include <libpq-fe.h>

#include <array>
#include <deque>

#include <fmt/format.h>

#include "store/postgres_copy.h"

namespace cartera {
namespace {

// Rewrites '?' placeholders as $1, $2, ... outside quotes and comments.
std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      out += c;
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      out.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (c == '?') {
      out += fmt::format("${}", next++);
    } else {
      out += c;
    }
  }
  return out;
}

// A failed result as an Error. A serialization failure (40001), a deadlock
// (40P01) or a lock not available (55P03) lost a race with another
// transaction: kBusy, so the caller may run the transaction again
// (store/retry.h). The SQLSTATE is read, never the message, which follows
// the server's language.
// The server's one-line message, without the "LINE 1: SELECT ..." context
// PQresultErrorMessage adds: error messages reach people, SQL must not.
std::string PrimaryMessage(const PGresult* result) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary != nullptr) return primary;
  std::string whole = PQresultErrorMessage(result);
  return whole.substr(0, whole.find('\n'));
}

Error PostgresError(const PGresult* result, std::string_view what) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string_view code = state != nullptr ? state : "";
  std::string message = fmt::format("PostgreSQL: {}{}", what, PrimaryMessage(result));
  if (code == "40001" || code == "40P01" || code == "55P03") return Error::Busy(std::move(message));
  return Error::Storage(std::move(message));
}

class PostgresDatabase;

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PostgresDatabase* database, std::string name, int parameter_count)
      : database_(database), name_(std::move(name)), values_(static_cast<size_t>(parameter_count)),
        is_null_(static_cast<size_t>(parameter_count), true) {}
  ~PostgresStatement() override;

  void BindInt64(int index, int64_t value) override { Set(index, std::to_string(value)); }
  void BindText(int index, std::string_view value) override { Set(index, std::string(value)); }
  void BindNull(int index) override { is_null_[static_cast<size_t>(index - 1)] = true; }

  Result<bool> Step() override;
  int ColumnCount() const override { return PQnfields(current_); }
  bool IsNull(int column) const override { return PQgetisnull(current_, 0, column) != 0; }
  int64_t GetInt64(int column) const override {
    return std::strtoll(PQgetvalue(current_, 0, column), nullptr, 10);
  }
  std::string_view GetText(int column) const override {
    return std::string_view(PQgetvalue(current_, 0, column), static_cast<size_t>(PQgetlength(current_, 0, column)));
  }
  int64_t ChangedRows() const override { return changed_rows_; }
  void Reset() override;

  // Reads the rest of a running result into memory so the connection is free.
  void BufferRest();

 private:
  void Set(int index, std::string value) {
    values_[static_cast<size_t>(index - 1)] = std::move(value);
    is_null_[static_cast<size_t>(index - 1)] = false;
  }
  void ClearCurrent() {
    if (current_ != nullptr) PQclear(current_);
    current_ = nullptr;
  }
  Result<PGresult*> NextResult();

  PostgresDatabase* database_;
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> is_null_;
  bool started_ = false;
  bool finished_ = false;
  bool streaming_ = false;  // results still on the connection
  std::deque<PGresult*> buffered_;
  PGresult* current_ = nullptr;
  int64_t changed_rows_ = 0;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PGconn* connection, std::string url) : connection_(connection), url_(std::move(url)) {}
  ~PostgresDatabase() override { PQfinish(connection_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  Result<std::unique_ptr<Database>> OpenAnother() const override;
  PGconn* connection() { return connection_; }

  // Called before any use of the connection: a statement still streaming
  // rows is read to its end into memory first.
  void FreeConnection() {
    if (active_ != nullptr) {
      PostgresStatement* active = active_;
      active_ = nullptr;
      active->BufferRest();
    }
  }
  void SetActive(PostgresStatement* statement) { active_ = statement; }
  void ForgetActive(PostgresStatement* statement) {
    if (active_ == statement) active_ = nullptr;
  }

  Status Execute(std::string_view sql) override {
    FreeConnection();
    PGresult* result = PQexec(connection_, std::string(sql).c_str());
    ExecStatusType status = PQresultStatus(result);
    Status outcome;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      outcome = Fail(PostgresError(result, ""));
    }
    PQclear(result);
    return outcome;
  }

  Status SetDurability(Durability durability) override {
    // `local` and `off` let a commit return before its WAL is flushed.
    return Execute(durability == Durability::kFull ? "SET synchronous_commit = on" : "RESET synchronous_commit");
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    FreeConnection();
    std::string numbered = NumberPlaceholders(sql);
    std::string name = fmt::format("cartera_{}", ++statement_counter_);
    PGresult* result = PQprepare(connection_, name.c_str(), numbered.c_str(), 0, nullptr);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      // The statement's text stays out of the message: people read it.
      Error error = Error::Storage(fmt::format("PostgreSQL: cannot prepare a statement: {}", PrimaryMessage(result)));
      PQclear(result);
      return Fail(std::move(error));
    }
    PQclear(result);
    PGresult* description = PQdescribePrepared(connection_, name.c_str());
    int parameter_count = PQnparams(description);
    PQclear(description);
    return std::unique_ptr<Statement>(new PostgresStatement(this, std::move(name), parameter_count));
  }

  Status ReadAll(std::string_view sql, const std::function<Status(const RowValues&)>& row) override {
    FreeConnection();
    return ReadCopyOut(connection_, sql, row);
  }

  using Database::BulkInsert;
  Result<std::unique_ptr<BulkWriter>> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                                 BulkTarget target) override {
    FreeConnection();
    auto binary = BinaryColumns(table, columns);
    if (!binary) return Fail(binary.error());
    std::vector<std::string> options;
    if (*binary) options.emplace_back("FORMAT binary");
    if (target == BulkTarget::kIntoFreshTable) options.emplace_back("FREEZE");
    std::string sql = fmt::format("COPY {} ({}) FROM STDIN", table, fmt::join(columns, ","));
    if (!options.empty()) sql += fmt::format(" WITH ({})", fmt::join(options, ", "));
    if (auto started = StartCopy(connection_, sql, PGRES_COPY_IN); !started) return Fail(started.error());
    if (*binary) return MakeBinaryCopyWriter(connection_, std::string(table), std::move(**binary));
    return MakeTextCopyWriter(connection_);
  }

 private:
  // The columns with the form binary COPY sends them in, or nothing when
  // one of them has a type without one here.
  Result<std::optional<std::vector<CopyColumn>>> BinaryColumns(std::string_view table,
                                                                const std::vector<std::string>& columns) {
    const std::string table_name(table);
    const char* parameters[] = {table_name.c_str()};
    PGresult* result = PQexecParams(connection_,
                                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = $1::regclass "
                                    "AND attnum > 0 AND NOT attisdropped",
                                    1, nullptr, parameters, nullptr, nullptr, 0);
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
      Error error = Error::Storage(fmt::format("PostgreSQL: {}", PrimaryMessage(result)));
      PQclear(result);
      return Fail(std::move(error));
    }
    std::vector<CopyColumn> typed;
    for (const std::string& column : columns) {
      std::optional<CopyFieldType> type;
      for (int row = 0; row < PQntuples(result); ++row) {
        if (column != PQgetvalue(result, row, 0)) continue;
        type = CopyFieldTypeFor(static_cast<Oid>(std::strtoul(PQgetvalue(result, row, 1), nullptr, 10)));
        break;
      }
      if (!type) {
        PQclear(result);
        return std::optional<std::vector<CopyColumn>>();
      }
      typed.push_back({column, *type});
    }
    PQclear(result);
    return std::optional<std::vector<CopyColumn>>(std::move(typed));
  }

  PGconn* connection_;
  std::string url_;
  PostgresStatement* active_ = nullptr;
  int64_t statement_counter_ = 0;
};

PostgresStatement::~PostgresStatement() {
  Reset();
  database_->FreeConnection();
  PQclear(PQexec(database_->connection(), fmt::format("DEALLOCATE {}", name_).c_str()));
}

void PostgresStatement::Reset() {
  if (streaming_) {
    database_->ForgetActive(this);
    PGconn* connection = database_->connection();
    // Drop the rest of the result: cancel a long stream, then drain.
    while (PGresult* result = PQgetResult(connection)) PQclear(result);
    streaming_ = false;
  }
  for (PGresult* result : buffered_) PQclear(result);
  buffered_.clear();
  ClearCurrent();
  started_ = false;
  finished_ = false;
}

void PostgresStatement::BufferRest() {
  if (!streaming_) return;
  PGconn* connection = database_->connection();
  while (PGresult* result = PQgetResult(connection)) buffered_.push_back(result);
  streaming_ = false;
}

Result<PGresult*> PostgresStatement::NextResult() {
  if (!buffered_.empty()) {
    PGresult* result = buffered_.front();
    buffered_.pop_front();
    return result;
  }
  if (!streaming_) return static_cast<PGresult*>(nullptr);
  PGresult* result = PQgetResult(database_->connection());
  if (result == nullptr) {
    streaming_ = false;
    database_->ForgetActive(this);
  }
  return result;
}

Result<bool> PostgresStatement::Step() {
  ClearCurrent();
  if (finished_) return false;
  if (!started_) {
    database_->FreeConnection();
    std::vector<const char*> pointers(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) pointers[i] = is_null_[i] ? nullptr : values_[i].c_str();
    PGconn* connection = database_->connection();
    if (PQsendQueryPrepared(connection, name_.c_str(), static_cast<int>(values_.size()), pointers.data(), nullptr,
                            nullptr, 0) != 1) {
      return Fail(Error::Storage(fmt::format("PostgreSQL: {}", PQerrorMessage(connection))));
    }
    PQsetSingleRowMode(connection);
    started_ = true;
    streaming_ = true;
    database_->SetActive(this);
  }
  while (true) {
    auto next = NextResult();
    if (!next) return Fail(next.error());
    PGresult* result = *next;
    if (result == nullptr) {
      finished_ = true;
      return false;
    }
    switch (PQresultStatus(result)) {
      case PGRES_SINGLE_TUPLE:
        current_ = result;
        return true;
      case PGRES_TUPLES_OK:
        PQclear(result);
        continue;
      case PGRES_COMMAND_OK: {
        const char* tuples = PQcmdTuples(result);
        changed_rows_ = (tuples != nullptr && *tuples != '\0') ? std::strtoll(tuples, nullptr, 10) : 0;
        PQclear(result);
        continue;
      }
      default: {
        Error error = PostgresError(result, "");
        PQclear(result);
        // Drain what is left so the connection is usable again.
        while (auto rest = NextResult()) {
          if (*rest == nullptr) break;
          PQclear(*rest);
        }
        finished_ = true;
        return Fail(std::move(error));
      }
    }
  }
}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    Error error = Error::Storage(fmt::format("cannot connect to PostgreSQL: {}", PQerrorMessage(connection)));
    PQfinish(connection);
    return Fail(std::move(error));
  }
  auto database = std::make_unique<PostgresDatabase>(connection, url);
  if (auto set = database->Execute("SET client_min_messages = warning; SET TIME ZONE 'UTC'"); !set) return Fail(set.error());
  return std::unique_ptr<Database>(std::move(database));
}

Result<std::unique_ptr<Database>> PostgresDatabase::OpenAnother() const { return OpenPostgres(url_); }

}  // namespace cartera
