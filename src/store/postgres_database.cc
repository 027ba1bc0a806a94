// PostgreSQL implementation of the database port on libpq. Statements are
// prepared once and stream their rows in single-row mode, so a report over
// millions of invoices holds one row at a time; bulk loads use COPY.
#include "store/postgres_database.h"

#include <libpq-fe.h>

#include <array>
#include <deque>

#include <fmt/format.h>

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

class PostgresBulkWriter final : public BulkWriter {
 public:
  explicit PostgresBulkWriter(PGconn* connection) : connection_(connection) {}
  ~PostgresBulkWriter() override {
    if (!finished_) {
      PQputCopyEnd(connection_, "aborted");
      while (PGresult* result = PQgetResult(connection_)) PQclear(result);
    }
  }
  Status Add(const std::vector<std::optional<std::string_view>>& values) override {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) buffer_ += '\t';
      if (!values[i]) {
        buffer_ += "\\N";
        continue;
      }
      AppendEscaped(*values[i]);
    }
    buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) return Flush();
    return {};
  }
  Status Finish() override {
    if (auto flushed = Flush(); !flushed) return flushed;
    finished_ = true;
    if (PQputCopyEnd(connection_, nullptr) != 1) return Fail(Error::Storage(PQerrorMessage(connection_)));
    Status status;
    while (PGresult* result = PQgetResult(connection_)) {
      if (PQresultStatus(result) != PGRES_COMMAND_OK && status) {
        status = Fail(Error::Storage(fmt::format("PostgreSQL COPY: {}", PQresultErrorMessage(result))));
      }
      PQclear(result);
    }
    return status;
  }

 private:
  // Sent in pieces small enough that the server parses one while the next
  // is formatted: with 1 MiB pieces it waited for data (measured).
  static constexpr size_t kFlushBytes = 64 << 10;
  // COPY's text format: backslash escapes for the four special bytes, the
  // runs between them appended whole (a byte table: find_first_of would
  // call memchr once per byte).
  void AppendEscaped(std::string_view value) {
    static constexpr auto kSpecial = [] {
      std::array<bool, 256> special{};
      special['\\'] = special['\t'] = special['\n'] = special['\r'] = true;
      return special;
    }();
    size_t run = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      const char c = value[i];
      if (!kSpecial[static_cast<unsigned char>(c)]) continue;
      buffer_.append(value.substr(run, i - run));
      buffer_ += '\\';
      buffer_ += c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
      run = i + 1;
    }
    buffer_.append(value.substr(run));
  }
  Status Flush() {
    if (buffer_.empty()) return {};
    if (PQputCopyData(connection_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      return Fail(Error::Storage(fmt::format("PostgreSQL COPY: {}", PQerrorMessage(connection_))));
    }
    buffer_.clear();
    return {};
  }
  PGconn* connection_;
  std::string buffer_;
  bool finished_ = false;
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
      outcome = Fail(Error::Storage(fmt::format("PostgreSQL: {}", PQresultErrorMessage(result))));
    }
    PQclear(result);
    return outcome;
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    FreeConnection();
    std::string numbered = NumberPlaceholders(sql);
    std::string name = fmt::format("cartera_{}", ++statement_counter_);
    PGresult* result = PQprepare(connection_, name.c_str(), numbered.c_str(), 0, nullptr);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      Error error = Error::Storage(fmt::format("PostgreSQL: cannot prepare {}: {}", sql, PQresultErrorMessage(result)));
      PQclear(result);
      return Fail(std::move(error));
    }
    PQclear(result);
    PGresult* description = PQdescribePrepared(connection_, name.c_str());
    int parameter_count = PQnparams(description);
    PQclear(description);
    return std::unique_ptr<Statement>(new PostgresStatement(this, std::move(name), parameter_count));
  }

  using Database::BulkInsert;
  Result<std::unique_ptr<BulkWriter>> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                                 BulkTarget target) override {
    FreeConnection();
    std::string sql = fmt::format("COPY {} ({}) FROM STDIN{}", table, fmt::join(columns, ","),
                                  target == BulkTarget::kIntoFreshTable ? " WITH (FREEZE)" : "");
    PGresult* result = PQexec(connection_, sql.c_str());
    if (PQresultStatus(result) != PGRES_COPY_IN) {
      Error error = Error::Storage(fmt::format("PostgreSQL: {}", PQresultErrorMessage(result)));
      PQclear(result);
      return Fail(std::move(error));
    }
    PQclear(result);
    return std::unique_ptr<BulkWriter>(new PostgresBulkWriter(connection_));
  }

 private:
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
        Error error = Error::Storage(fmt::format("PostgreSQL: {}", PQresultErrorMessage(result)));
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
