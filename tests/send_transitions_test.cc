// The send state machine alone (delivery/send_transitions.h), on SQLite and
// PostgreSQL: a claim is taken once; every write names the status it
// expects, so a stale worker (one that lost its claim, or never had it)
// changes nothing; the claim keeps the instant the contact history dates it.
#include "delivery/send_transitions.h"

#include <gtest/gtest.h>

#include "core/time_zone.h"
#include "test_database.h"

namespace cartera::delivery {
namespace {

using testing::Backend;
using testing::TestDatabase;

class SendTransitionsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Database& database = db_->database();
    ASSERT_TRUE(database.Execute(
        "INSERT INTO customers (tenant_id, external_id, name, tax_id, country, kind, time_zone, language, created_at, "
        "updated_at) VALUES (1, 'C-1', 'Ana', '1', 'CO', 'person', 'America/Bogota', 'es', '2026-01-01T00:00:00Z', "
        "'2026-01-01T00:00:00Z')"));
    const int64_t customer = db_->Count("SELECT id FROM customers WHERE external_id = 'C-1'");
    ASSERT_TRUE(database.Execute(
        "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, business_date, "
        "scheduled_at, status, payload, created_at) VALUES (1, 'k1', " +
        std::to_string(customer) +
        ", 'default', 'overdue_7', 'message', 'email', '2026-03-09', '2026-03-09T13:00:00Z', 'queued', '{}', "
        "'2026-03-09T00:00:00Z')"));
    item_.id = db_->Count("SELECT id FROM outbox WHERE idempotency_key = 'k1'");
    item_.customer_id = customer;
    item_.channel = "email";
    options_.audit = {"test", "2026-03-13T17:00:00Z", "send_transitions_test"};
  }

  std::string Status() { return db_->Text("SELECT status FROM outbox WHERE idempotency_key = 'k1'"); }

  std::unique_ptr<TestDatabase> db_;
  DeliveryOptions options_;
  FixedClock clock_{*ParseUtc("2026-03-13T17:00:00Z")};
  DueItem item_;
};

TEST_P(SendTransitionsTest, AClaimIsTakenOnceAndKeepsItsInstant) {
  SendTransitions transitions(db_->database(), options_, clock_);
  auto first = transitions.Claim(item_, "ana@example.co", "<id>", clock_.Now());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(*first);
  EXPECT_TRUE(item_.claimed);
  EXPECT_EQ(Status(), "sending");
  EXPECT_EQ(db_->Text("SELECT attempted_at FROM outbox WHERE idempotency_key = 'k1'"), "2026-03-13T17:00:00Z");
  DueItem other = item_;
  other.claimed = false;
  auto second = transitions.Claim(other, "ana@example.co", "<id>", clock_.Now());
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second) << "a second worker cannot claim what is being sent";
  EXPECT_FALSE(other.claimed);
}

TEST_P(SendTransitionsTest, AStaleWriterChangesNothing) {
  SendTransitions transitions(db_->database(), options_, clock_);
  ASSERT_TRUE(*transitions.Claim(item_, "ana@example.co", "<id>", clock_.Now()));
  ASSERT_TRUE(transitions.Finish(item_, "sent", "<id>", "250 OK", "ana@example.co"));
  EXPECT_EQ(Status(), "sent");
  // A worker that prepared the item before it was claimed still believes it
  // queued: its "blocked" and its requeue must not undo the send.
  DueItem stale = item_;
  stale.claimed = false;
  ASSERT_TRUE(transitions.Finish(stale, "blocked", "", "no_consent", ""));
  ASSERT_TRUE(transitions.Requeue(stale, clock_.Now(), "later", false));
  EXPECT_EQ(Status(), "sent");
  // One that lost its claim (the item was resolved meanwhile) neither.
  ASSERT_TRUE(transitions.Finish(item_, "failed", "", "timeout", "ana@example.co"));
  EXPECT_EQ(Status(), "sent");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'message'"), 1) << "only the real change is audited";
}

TEST_P(SendTransitionsTest, BeforeAnySendAnItemExpiresOrIsRequeued) {
  SendTransitions transitions(db_->database(), options_, clock_);
  ASSERT_TRUE(transitions.Requeue(item_, *ParseUtc("2026-03-14T13:00:00Z"), "co-one-a-day: later", false));
  EXPECT_EQ(Status(), "queued");
  EXPECT_EQ(db_->Text("SELECT next_attempt_at FROM outbox WHERE idempotency_key = 'k1'"), "2026-03-14T13:00:00Z");
  ASSERT_TRUE(transitions.Finish(item_, "expired", "", "expired: its stage ended on 2026-03-12", ""));
  EXPECT_EQ(Status(), "expired");
}

INSTANTIATE_TEST_SUITE_P(Backends, SendTransitionsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera::delivery
