// Delivery as a use case (delivery/delivery_service.h) on SQLite and
// PostgreSQL: the worker lock taken without waiting, the server's pass over
// tenants that skips one another process holds, and a person settling an
// item whose fate is unknown.
#include "delivery/delivery_service.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "core/time_zone.h"
#include "delivery/channel_settings.h"
#include "test_database.h"

namespace cartera::delivery {
namespace {

using cartera::testing::Backend;
using cartera::testing::TestDatabase;

constexpr const char* kNow = "2026-11-20T15:00:00Z";

class DeliveryService : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    for (size_t i = 0; i < key_.size(); ++i) key_[i] = static_cast<unsigned char>(i + 3);
  }

  // Another process's connection: on PostgreSQL a session lock is the session's.
  std::unique_ptr<Database> OtherConnection() {
    auto other = Database::Open(db_->url());
    EXPECT_TRUE(other) << other.error().message;
    return other ? std::move(*other) : nullptr;
  }

  int64_t AddItem(const char* key, const char* status) {
    Database& database = db_->database();
    if (db_->Count("SELECT COUNT(*) FROM customers WHERE external_id = 'C-1'") == 0) {
      EXPECT_TRUE(database.Execute(
          "INSERT INTO customers (tenant_id, external_id, name, tax_id, country, kind, time_zone, language, address, "
          "created_at, updated_at) VALUES (1, 'C-1', 'Ana', '1', 'CO', 'person', 'America/Bogota', 'es', 'Calle 1', "
          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"));
    }
    const int64_t customer = db_->Count("SELECT id FROM customers WHERE external_id = 'C-1'");
    EXPECT_TRUE(database.Execute(fmt::format(
        "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, "
        "business_date, scheduled_at, status, payload, created_at, attempted_at) VALUES (1, '{}', {}, 'default', "
        "'overdue_7', 'message', 'email', '2026-11-20', '2026-11-21T13:00:00Z', '{}', '{{}}', "
        "'2026-11-20T00:00:00Z', '2026-11-20T14:00:00Z')",
        key, customer, status)));
    return db_->Count(fmt::format("SELECT id FROM outbox WHERE idempotency_key = '{}'", key));
  }

  AuditContext Audit(Language language = Language::kEnglish) const { return {"test", kNow, "test", language}; }

  std::unique_ptr<TestDatabase> db_;
  SecretKey key_{};
  FixedClock clock_{*ParseUtc(kNow)};
};

TEST_P(DeliveryService, TheLockIsTakenWithoutWaitingAndGivenBack) {
  auto other = OtherConnection();
  ASSERT_TRUE(other);
  auto first = WorkerLock::TryAcquire(db_->database(), db_->url(), 1);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_NE(*first, nullptr);
  auto second = WorkerLock::TryAcquire(*other, db_->url(), 1);
  ASSERT_TRUE(second) << "held by another is no error";
  EXPECT_EQ(*second, nullptr);
  auto refused = WorkerLock::Acquire(*other, db_->url(), 1, Language::kEnglish);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  first->reset();
  auto third = WorkerLock::TryAcquire(*other, db_->url(), 1);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_NE(*third, nullptr) << "free once the first is destroyed";
}

TEST_P(DeliveryService, TheServerSkipsATenantAnotherProcessHoldsAndFindsWhatADeadOneLeft) {
  SmtpSettings smtp;
  smtp.host = "127.0.0.1";
  smtp.port = 1;
  smtp.from_address = "cobranza@example.co";
  ASSERT_TRUE(SaveSmtpSettings(db_->database(), 1, smtp, key_, clock_.Now()));
  const int64_t cut_off = AddItem("cut-off", "sending");
  TenantDeliveryOptions options;
  options.audit = Audit();
  AllTenantsDelivery server(db_->url(), key_, options);
  std::atomic<bool> stop{false};
  {
    auto other = OtherConnection();
    ASSERT_TRUE(other);
    auto held = WorkerLock::TryAcquire(*other, db_->url(), 1);
    ASSERT_TRUE(held && *held);
    auto pass = server.Pass(db_->database(), clock_, stop);
    ASSERT_TRUE(pass) << pass.error().message;
    EXPECT_EQ(pass->tenants_held_elsewhere, 1);
    EXPECT_EQ(pass->tenants_delivered, 0);
    EXPECT_EQ(db_->Text(fmt::format("SELECT status FROM outbox WHERE id = {}", cut_off)), "sending")
        << "a live worker's item is left alone";
  }
  auto pass = server.Pass(db_->database(), clock_, stop);
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_TRUE(pass->failures.empty()) << pass->failures[0].error.message;
  EXPECT_EQ(pass->tenants_delivered, 1);
  EXPECT_EQ(pass->interrupted, 1);
  EXPECT_EQ(db_->Text(fmt::format("SELECT status FROM outbox WHERE id = {}", cut_off)), "unknown");
  stop = true;
  auto stopped = server.Pass(db_->database(), clock_, stop);
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->tenants_delivered, 0) << "a stop before a tenant starts nothing";
}

TEST_P(DeliveryService, APersonSettlesAnUnknownItem) {
  const int64_t unknown = AddItem("unknown", "unknown");
  const int64_t queued = AddItem("queued", "queued");
  ASSERT_TRUE(ResolveUnknownItem(db_->database(), 1, unknown, Resolution::kSent, Audit()));
  EXPECT_EQ(db_->Text(fmt::format("SELECT status FROM outbox WHERE id = {}", unknown)), "sent");
  EXPECT_EQ(db_->Count(fmt::format("SELECT COUNT(*) FROM audit_log WHERE entity = 'message' AND entity_id = {}", unknown)),
            1);
  auto again = ResolveUnknownItem(db_->database(), 1, unknown, Resolution::kResend, Audit(Language::kSpanish));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("no está en estado 'unknown'"), std::string::npos) << again.error().message;
  auto not_unknown = ResolveUnknownItem(db_->database(), 1, queued, Resolution::kSent, Audit());
  ASSERT_FALSE(not_unknown);
  EXPECT_EQ(not_unknown.error().code, ErrorCode::kConflict);
  auto other_tenant = ResolveUnknownItem(db_->database(), 2, queued, Resolution::kSent, Audit());
  ASSERT_FALSE(other_tenant);
  EXPECT_EQ(other_tenant.error().code, ErrorCode::kNotFound);
  const int64_t resend = AddItem("resend", "unknown");
  ASSERT_TRUE(ResolveUnknownItem(db_->database(), 1, resend, Resolution::kResend, Audit()));
  EXPECT_EQ(db_->Text(fmt::format("SELECT status || ' ' || next_attempt_at FROM outbox WHERE id = {}", resend)),
            std::string("queued ") + kNow);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryService, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         cartera::testing::BackendName);

}  // namespace
}  // namespace cartera::delivery
