#include "store/database.h"

#include "store/postgres_database.h"
#include "store/sqlite_database.h"

namespace cartera {

Result<std::unique_ptr<Database>> Database::Open(const std::string& url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return OpenPostgres(url);
  std::string path = url;
  if (path.starts_with("sqlite:")) path = path.substr(7);
  if (path.starts_with("//")) path = path.substr(2);  // sqlite:///abs/path
  if (path.empty()) return Fail(Error::BadInput("database URL names no file"));
  return OpenSqlite(path);
}

Result<std::optional<int64_t>> Database::QueryInt64(std::string_view sql) {
  auto statement = Prepare(sql);
  if (!statement) return Fail(statement.error());
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row || (*statement)->IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>((*statement)->GetInt64(0));
}

Status Database::ReadAll(std::string_view sql, const std::function<Status(const RowValues&)>& row) {
  auto statement = Prepare(sql);
  if (!statement) return Fail(statement.error());
  RowValues values;
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return {};
    values.resize(static_cast<size_t>((*statement)->ColumnCount()));
    for (size_t i = 0; i < values.size(); ++i) {
      const int column = static_cast<int>(i);
      values[i] = (*statement)->IsNull(column) ? std::nullopt
                                                : std::optional<std::string_view>((*statement)->GetText(column));
    }
    if (auto taken = row(values); !taken) return taken;
  }
}

Result<Transaction> Transaction::Begin(Database& database) {
  if (auto begun = database.Begin(); !begun) return Fail(begun.error());
  return Transaction(database);
}

Transaction::~Transaction() {
  if (database_ != nullptr) (void)database_->Rollback();
}

Status Transaction::Commit() {
  Database* database = database_;
  database_ = nullptr;
  auto committed = database->Commit();
  // A COMMIT SQLite refused (SQLITE_BUSY: a reader held the lock past the
  // busy timeout) leaves the transaction open; end it, so the caller can
  // run the transaction again (store/retry.h). PostgreSQL has already
  // ended a transaction whose COMMIT failed.
  if (!committed && database->dialect() == Dialect::kSqlite) (void)database->Rollback();
  return committed;
}

}  // namespace cartera
