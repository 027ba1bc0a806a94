// A fresh database per test, on SQLite (a temp file) or PostgreSQL (a new
// database in the cluster named by CARTERA_TEST_POSTGRES_URL, dropped after
// the test). Storage tests are parameterised over both.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "store/database.h"
#include "store/migrations.h"

namespace cartera::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

class TestDatabase {
 public:
  // Returns nullptr (and sets skip_reason) when PostgreSQL is not available.
  // The schema is the latest, or `schema_version` when a test needs an
  // older one to migrate.
  static std::unique_ptr<TestDatabase> Create(Backend backend, std::string& skip_reason, int schema_version = 0) {
    auto test = std::unique_ptr<TestDatabase>(new TestDatabase());
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = fmt::format("cartera_{}_{}_{}", info->test_suite_name(), info->name(), ::getpid());
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name.size() > 60) name = name.substr(name.size() - 60);
    test->directory_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(test->directory_);
    if (backend == Backend::kSqlite) {
      test->url_ = (test->directory_ / "test.db").string();
      std::filesystem::remove(test->url_);
    } else {
      const char* server = std::getenv("CARTERA_TEST_POSTGRES_URL");
      if (server == nullptr || *server == '\0') {
        skip_reason = "CARTERA_TEST_POSTGRES_URL is not set: PostgreSQL tests need the cluster scripts/test.sh starts";
        return nullptr;
      }
      auto admin = Database::Open(server);
      if (!admin) {
        skip_reason = "cannot reach PostgreSQL: " + admin.error().message;
        return nullptr;
      }
      (void)(*admin)->Execute(fmt::format("DROP DATABASE IF EXISTS {}", name));
      auto created = (*admin)->Execute(fmt::format("CREATE DATABASE {}", name));
      EXPECT_TRUE(created) << created.error().message;
      test->admin_ = std::move(*admin);
      test->postgres_name_ = name;
      // Same cluster, the new database: libpq takes the last dbname given.
      std::string base(server);
      test->url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "dbname=" + name;
    }
    auto opened = Database::Open(test->url_);
    EXPECT_TRUE(opened) << opened.error().message;
    if (!opened) return nullptr;
    test->database_ = std::move(*opened);
    auto migrated = ApplyMigrations(*test->database_, schema_version);
    EXPECT_TRUE(migrated) << migrated.error().message;
    return test;
  }

  ~TestDatabase() {
    database_.reset();
    if (admin_) (void)admin_->Execute(fmt::format("DROP DATABASE IF EXISTS {}", postgres_name_));
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  Database& database() { return *database_; }
  const std::string& url() const { return url_; }

  // Writes a file in the test's directory and returns its path.
  std::string WriteFile(const std::string& name, const std::string& content) const {
    const std::string path = (directory_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  int64_t Count(const std::string& sql) {
    auto count = database_->QueryInt64(sql);
    EXPECT_TRUE(count) << (count ? "" : count.error().message);
    return count && *count ? **count : -1;
  }

  // The first column of the first row as text ("" for none or NULL).
  std::string Text(const std::string& sql) {
    auto query = database_->Prepare(sql);
    EXPECT_TRUE(query) << (query ? "" : query.error().message);
    if (!query) return "";
    auto row = (*query)->Step();
    EXPECT_TRUE(row) << (row ? "" : row.error().message);
    return row && *row && !(*query)->IsNull(0) ? std::string((*query)->GetText(0)) : std::string();
  }

 private:
  TestDatabase() = default;
  std::filesystem::path directory_;
  std::string url_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<Database> admin_;
  std::string postgres_name_;
};

}  // namespace cartera::testing
