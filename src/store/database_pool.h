// Connections for a server's threads: each request borrows one and gives it
// back. A connection that failed at the database level is dropped, not
// returned, so a restarted PostgreSQL heals the pool by itself.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.h"

namespace cartera {

class DatabasePool {
 public:
  explicit DatabasePool(std::string url) : url_(std::move(url)) {}

  class Lease {
   public:
    Lease(DatabasePool* pool, std::unique_ptr<Database> database) : pool_(pool), database_(std::move(database)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Database& operator*() { return *database_; }
    Database* operator->() { return database_.get(); }
    // The connection is not given back (it failed).
    void Discard() { database_.reset(); }

   private:
    DatabasePool* pool_;
    std::unique_ptr<Database> database_;
  };

  // An idle connection, or a new one (migrations are the caller's, once).
  Result<Lease> Acquire();
  const std::string& url() const { return url_; }

 private:
  void GiveBack(std::unique_ptr<Database> database);

  std::string url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace cartera
