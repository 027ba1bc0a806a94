#include "delivery/worker_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include <filesystem>

#include <fmt/format.h>

namespace cartera::delivery {

Result<std::string> WorkerLock::LockPathFor(const std::string& database_url) {
  std::string path = database_url;
  if (path.starts_with("sqlite:")) path = path.substr(7);
  if (path.starts_with("//")) path = path.substr(2);  // sqlite:///abs/path, as Database::Open reads it
  std::error_code error;
  const std::filesystem::path file = std::filesystem::canonical(path, error);
  if (error) {
    return Fail(Error::Storage(fmt::format("cannot resolve the database file '{}': {}", path, error.message())));
  }
  return file.string() + ".deliver.lock";
}

Result<std::unique_ptr<WorkerLock>> WorkerLock::TryAcquire(Database& database, const std::string& database_url,
                                                           int64_t tenant_id) {
  std::unique_ptr<WorkerLock> lock(new WorkerLock());
  if (database.dialect() == Dialect::kPostgres) {
    auto taken = database.QueryInt64(
        fmt::format("SELECT CASE WHEN pg_try_advisory_lock(7402, {}) THEN 1 ELSE 0 END", tenant_id));
    if (!taken) return Fail(taken.error());
    if (taken->value_or(0) != 1) return std::unique_ptr<WorkerLock>();
    lock->database_ = &database;
    lock->tenant_id_ = tenant_id;
    return lock;
  }
  auto path = LockPathFor(database_url);
  if (!path) return Fail(path.error());
  lock->file_ = ::open(path->c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock->file_ < 0) return Fail(Error::Storage(fmt::format("cannot open the worker lock file '{}'", *path)));
  if (::flock(lock->file_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return std::unique_ptr<WorkerLock>();
    return Fail(Error::Storage(fmt::format("cannot lock the worker lock file '{}'", *path)));
  }
  return lock;
}

Result<std::unique_ptr<WorkerLock>> WorkerLock::Acquire(Database& database, const std::string& database_url,
                                                        int64_t tenant_id, Language language) {
  auto lock = TryAcquire(database, database_url, tenant_id);
  if (!lock) return Fail(lock.error());
  if (*lock == nullptr) {
    return Fail(Error::Conflict(std::string(
        Tr(language,
           "ya hay otro `cartera deliver` en marcha para esta base de datos y este inquilino (con cualquier nombre o "
           "enlace con que se haya abierto); ejecute un solo proceso de entrega a la vez",
           "another `cartera deliver` is running for this database and tenant (whatever name or link it was opened "
           "by); run one delivery worker at a time"))));
  }
  return lock;
}

WorkerLock::~WorkerLock() {
  if (file_ >= 0) ::close(file_);
  // A session lock outlives a transaction: given back on the connection
  // that took it, so the next pass (this process's or another's) can take it.
  if (database_ != nullptr) {
    (void)database_->QueryInt64(fmt::format("SELECT CASE WHEN pg_advisory_unlock(7402, {}) THEN 1 ELSE 0 END", tenant_id_));
  }
}

}  // namespace cartera::delivery
