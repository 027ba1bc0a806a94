// Transactions under contention and crashes, on SQLite and PostgreSQL: a
// lock held by a second connection, or a snapshot another connection made
// stale, fails a transaction as kBusy, and RetryTransient runs it again
// until it succeeds; a connection asked for durable commits syncs each one.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "store/retry.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;
using std::chrono::milliseconds;

class TransactionsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    ASSERT_TRUE(db_->database().Execute("CREATE TABLE retry_probe (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); "
                                        "INSERT INTO retry_probe (id, n) VALUES (1, 0)"));
    auto other = db_->database().OpenAnother();
    ASSERT_TRUE(other) << other.error().message;
    other_ = std::move(*other);
  }

  bool postgres() const { return GetParam() == Backend::kPostgres; }

  // One transaction adding one to the probe, as a worker's would.
  Status AddOne() {
    auto transaction = Transaction::Begin(db_->database());
    if (!transaction) return Fail(transaction.error());
    if (auto done = db_->database().Execute("UPDATE retry_probe SET n = n + 1 WHERE id = 1"); !done) return done;
    return transaction->Commit();
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Database> other_;
};

TEST_P(TransactionsTest, AWriteLockHeldByASecondConnectionIsBusyAndTheRetrySucceedsOnceItIsReleased) {
  // Short waits for the lock, so the test does not sit out the 5 s default.
  ASSERT_TRUE(db_->database().Execute(postgres() ? "SET lock_timeout = '50ms'" : "PRAGMA busy_timeout = 50"));
  ASSERT_TRUE(other_->Execute(postgres() ? "BEGIN" : "BEGIN IMMEDIATE"));
  ASSERT_TRUE(other_->Execute("UPDATE retry_probe SET n = n + 10 WHERE id = 1"));

  auto first = AddOne();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kBusy) << first.error().message;

  std::vector<milliseconds> waits;
  auto retried = RetryTransient(RetryPolicy{}, [&](milliseconds wait) {
    waits.push_back(wait);
    if (waits.size() == 2) {
      ASSERT_TRUE(other_->Execute("COMMIT"));  // the other writer finishes
    }
  }, [&] { return AddOne(); });
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(waits, (std::vector<milliseconds>{milliseconds(50), milliseconds(100)}));
  EXPECT_EQ(db_->Count("SELECT n FROM retry_probe WHERE id = 1"), 11);
}

TEST_P(TransactionsTest, ASnapshotMadeStaleByASecondConnectionIsBusyAndTheTransactionRunsAgain) {
  int tries = 0;
  std::vector<milliseconds> waits;
  auto retried = RetryTransient(RetryPolicy{}, [&](milliseconds wait) { waits.push_back(wait); }, [&]() -> Result<int64_t> {
    ++tries;
    Database& database = db_->database();
    if (auto begun = database.Execute(postgres() ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN"); !begun) {
      return Fail(begun.error());
    }
    auto read = database.QueryInt64("SELECT n FROM retry_probe WHERE id = 1");
    if (!read) return Fail(read.error());
    // The first time, another connection writes between our read and our write.
    if (tries == 1) {
      EXPECT_TRUE(other_->Execute("UPDATE retry_probe SET n = n + 10 WHERE id = 1"));
    }
    auto written = database.Execute(fmt::format("UPDATE retry_probe SET n = {} WHERE id = 1", read->value_or(0) + 1));
    if (!written) {
      (void)database.Rollback();
      return Fail(written.error());
    }
    if (auto done = database.Commit(); !done) return Fail(done.error());
    return read->value_or(0) + 1;
  });
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(tries, 2);
  EXPECT_EQ(waits.size(), 1u);
  EXPECT_EQ(*retried, 11);  // the other connection's ten are kept, not overwritten
  EXPECT_EQ(db_->Count("SELECT n FROM retry_probe WHERE id = 1"), 11);
}

TEST_P(TransactionsTest, ADurableConnectionSyncsEveryCommit) {
  Database& database = db_->database();
  auto setting = [&]() -> std::string {
    auto query = database.Prepare(postgres() ? "SHOW synchronous_commit" : "PRAGMA synchronous");
    EXPECT_TRUE(query);
    auto row = (*query)->Step();
    EXPECT_TRUE(row && *row);
    return std::string((*query)->GetText(0));
  };
  if (!postgres()) {
    EXPECT_EQ(setting(), "1");  // NORMAL, the default
  }
  ASSERT_TRUE(database.SetDurability(Database::Durability::kFull));
  EXPECT_EQ(setting(), postgres() ? "on" : "2");  // FULL
  ASSERT_TRUE(AddOne());
  ASSERT_TRUE(database.SetDurability(Database::Durability::kNormal));
  if (!postgres()) {
    EXPECT_EQ(setting(), "1");
  }
}

// An SQLite database whose first COMMIT is refused as SQLite refuses one
// (SQLITE_BUSY), leaving the transaction open. WAL, which Cartera uses,
// rarely refuses a COMMIT, so the refusal is played here.
class FirstCommitRefused final : public Database {
 public:
  explicit FirstCommitRefused(std::unique_ptr<Database> real) : real_(std::move(real)) {}
  Dialect dialect() const override { return real_->dialect(); }
  Result<std::unique_ptr<Database>> OpenAnother() const override { return real_->OpenAnother(); }
  Status Execute(std::string_view sql) override {
    if (sql == "COMMIT" && !refused_) {
      refused_ = true;
      return Fail(Error::Busy("SQLite: database is locked"));
    }
    return real_->Execute(sql);
  }
  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override { return real_->Prepare(sql); }
  using Database::BulkInsert;
  Result<std::unique_ptr<BulkWriter>> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                                 BulkTarget target) override {
    return real_->BulkInsert(table, columns, target);
  }
  Status SetDurability(Durability durability) override { return real_->SetDurability(durability); }

 private:
  std::unique_ptr<Database> real_;
  bool refused_ = false;
};

// Regression: a refused COMMIT left the transaction open (Transaction had
// already let go of it), so running it again failed at BEGIN.
TEST_P(TransactionsTest, ARefusedCommitEndsTheTransactionSoItCanRunAgain) {
  if (postgres()) GTEST_SKIP() << "PostgreSQL ends a transaction whose COMMIT failed";
  auto real = db_->database().OpenAnother();
  ASSERT_TRUE(real) << real.error().message;
  FirstCommitRefused database(std::move(*real));
  int tries = 0;
  auto retried = RetryTransient(RetryPolicy{}, [](milliseconds) {}, [&]() -> Status {
    ++tries;
    auto transaction = Transaction::Begin(database);
    if (!transaction) return Fail(transaction.error());
    if (auto done = database.Execute("UPDATE retry_probe SET n = n + 1 WHERE id = 1"); !done) return done;
    return transaction->Commit();
  });
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(tries, 2);
  EXPECT_EQ(db_->Count("SELECT n FROM retry_probe WHERE id = 1"), 1) << "the refused try was rolled back";
}

INSTANTIATE_TEST_SUITE_P(Backends, TransactionsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

TEST(RetryTransient, ReturnsOtherErrorsAtOnceAndGivesUpAfterTheLastTry) {
  int tries = 0;
  auto never_sleeps = [](milliseconds) { FAIL() << "a storage error is not retried"; };
  Status broken = RetryTransient(RetryPolicy{}, never_sleeps, [&]() -> Status {
    ++tries;
    return Fail(Error::Storage("no such table"));
  });
  EXPECT_EQ(tries, 1);
  EXPECT_EQ(broken.error().code, ErrorCode::kStorage);

  tries = 0;
  std::vector<milliseconds> waits;
  Status busy = RetryTransient(RetryPolicy{.attempts_max = 4, .first_wait = milliseconds(100), .wait_max = milliseconds(300)},
                               [&](milliseconds wait) { waits.push_back(wait); }, [&]() -> Status {
                                 ++tries;
                                 return Fail(Error::Busy("database is locked"));
                               });
  EXPECT_EQ(tries, 4);
  EXPECT_EQ(waits, (std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(300)}));
  EXPECT_EQ(busy.error().code, ErrorCode::kBusy);
  EXPECT_EQ(busy.error().message, "database is locked (tried 4 times)");
}

}  // namespace
}  // namespace cartera
