// One delivery worker per tenant and database: the restart rule ("an item
// found in `sending` was interrupted") is only true if no other worker is
// sending. SQLite: an exclusive flock on "<database>.deliver.lock" beside
// the database file itself, its path resolved (symbolic links, "..", a
// relative path), so every name for the same file takes the same lock;
// PostgreSQL: a session advisory lock per tenant. Both vanish with the
// process, so a killed worker never leaves a stale lock behind.
//
// The lock is a per-tenant lease: `cartera serve` processes on one
// PostgreSQL take each tenant's lock without waiting (TryAcquire), deliver
// one pass and let it go, so they split the tenants between them. That is
// the equivalent of claiming rows with FOR UPDATE SKIP LOCKED, one tenant at
// a time: only the holder claims the tenant's items, so no item is sent
// twice, and the restart rule stays true, since an item found in `sending`
// by the next holder was left there by a worker that died mid-send.
// On SQLite the lock is per database file (every tenant): one process
// delivers at a time.
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
  // Without waiting: nullptr (not an error) when another worker holds it;
  // an error only when the database or the lock file failed.
  // REQUIRES: `database` outlives the lock (PostgreSQL releases it on the
  // same connection when the lock is destroyed).
  static Result<std::unique_ptr<WorkerLock>> TryAcquire(Database& database, const std::string& database_url,
                                                        int64_t tenant_id);
  // SQLite: the lock file for the database a URL or path names, beside the
  // file it resolves to. kStorage when the database file does not exist.
  static Result<std::string> LockPathFor(const std::string& database_url);
  ~WorkerLock();
  WorkerLock(const WorkerLock&) = delete;
  WorkerLock& operator=(const WorkerLock&) = delete;

 private:
  WorkerLock() = default;
  int file_ = -1;                  // SQLite
  Database* database_ = nullptr;  // PostgreSQL: the session holding it
  int64_t tenant_id_ = 0;
};

}  // namespace cartera::delivery
