#include "delivery/worker_lock.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace cartera::delivery {
namespace {

// Regression (issue 14): the lock was keyed on the path as typed, so a
// second worker opened through a symbolic link ran beside the first.
TEST(WorkerLock, ASecondWorkerThroughALinkOrAnotherSpellingIsRefused) {
  const std::filesystem::path directory = std::filesystem::temp_directory_path() / "cartera_worker_lock_test";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory / "sub");
  const std::string file = (directory / "cartera.db").string();
  auto database = Database::Open(file);
  ASSERT_TRUE(database) << database.error().message;
  ASSERT_TRUE((*database)->Execute("CREATE TABLE t (x INTEGER)"));
  std::filesystem::create_symlink(file, directory / "link.db");

  auto first = WorkerLock::Acquire(**database, "sqlite:" + file, 1, Language::kEnglish);
  ASSERT_TRUE(first) << first.error().message;
  for (const std::string& other : {(directory / "link.db").string(), (directory / "sub" / ".." / "cartera.db").string(),
                                   "sqlite://" + (directory / "link.db").string()}) {
    auto second = WorkerLock::Acquire(**database, other, 1, Language::kEnglish);
    ASSERT_FALSE(second) << other;
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    EXPECT_NE(second.error().message.find("another `cartera deliver` is running"), std::string::npos);
  }
  EXPECT_EQ(*WorkerLock::LockPathFor((directory / "link.db").string()),
            std::filesystem::canonical(file).string() + ".deliver.lock");
  first->reset();
  EXPECT_TRUE(WorkerLock::Acquire(**database, (directory / "link.db").string(), 1, Language::kSpanish)) << "free again once the first ends";
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace cartera::delivery
