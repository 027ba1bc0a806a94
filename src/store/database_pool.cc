#include "store/database_pool.h"

namespace cartera {

DatabasePool::Lease::~Lease() {
  if (pool_ != nullptr && database_) pool_->GiveBack(std::move(database_));
}

Result<DatabasePool::Lease> DatabasePool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Database> database = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(database));
    }
  }
  auto opened = Database::Open(url_);
  if (!opened) return Fail(opened.error());
  return Lease(this, std::move(*opened));
}

void DatabasePool::GiveBack(std::unique_ptr<Database> database) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(database));
}

}  // namespace cartera
