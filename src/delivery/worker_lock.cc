#include "delivery/worker_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

namespace cartera::delivery {

Result<std::unique_ptr<WorkerLock>> WorkerLock::Acquire(Database& database, const std::string& database_url,
                                                        int64_t tenant_id) {
  std::unique_ptr<WorkerLock> lock(new WorkerLock());
  const Error busy = Error::Conflict(
      "another `cartera deliver` is running for this database and tenant; run one delivery worker at a time");
  if (database.dialect() == Dialect::kPostgres) {
    auto taken = database.QueryInt64(
        fmt::format("SELECT CASE WHEN pg_try_advisory_lock(7402, {}) THEN 1 ELSE 0 END", tenant_id));
    if (!taken) return Fail(taken.error());
    if (taken->value_or(0) != 1) return Fail(busy);
    return lock;
  }
  const std::string path =
      fmt::format("{}.deliver.lock", database_url.starts_with("sqlite:") ? database_url.substr(7) : database_url);
  lock->file_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock->file_ < 0) return Fail(Error::Storage(fmt::format("cannot open the worker lock file '{}'", path)));
  if (::flock(lock->file_, LOCK_EX | LOCK_NB) != 0) return Fail(busy);
  return lock;
}

WorkerLock::~WorkerLock() {
  if (file_ >= 0) ::close(file_);
}

}  // namespace cartera::delivery
