// One delivery worker per tenant and database: the restart rule ("an item
// found in `sending` was interrupted") is only true if no other worker is
// sending. SQLite: an exclusive flock on "<database>.deliver.lock" beside
// the database file itself, its path resolved (symbolic links, "..", a
// relative path), so every name for the same file takes the same lock;
// PostgreSQL: a session advisory lock. Both vanish with the process, so a
// killed worker never leaves a stale lock behind.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/language.h"
#include "store/database.h"

namespace cartera::delivery {

class WorkerLock {
 public:
  // Fails with kConflict when another worker holds it, saying so in `language`.
  static Result<std::unique_ptr<WorkerLock>> Acquire(Database& database, const std::string& database_url,
                                                     int64_t tenant_id, Language language);
  // SQLite: the lock file for the database a URL or path names, beside the
  // file it resolves to. kStorage when the database file does not exist.
  static Result<std::string> LockPathFor(const std::string& database_url);
  ~WorkerLock();
  WorkerLock(const WorkerLock&) = delete;
  WorkerLock& operator=(const WorkerLock&) = delete;

 private:
  WorkerLock() = default;
  int file_ = -1;
};

}  // namespace cartera::delivery
