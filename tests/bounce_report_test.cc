// Which delivery reports may change anything, on SQLite and PostgreSQL
// (issue 14: reports were matched by an unkeyed Message-ID hash or by the
// recipient alone, so a forged one disabled a debtor's email). A report
// counts only when it returns a Message-ID we sent that proves it: signed
// under the tenant's key, or unsigned and recent.
#include <gtest/gtest.h>

#include "core/time_zone.h"
#include "delivery/delivery_report.h"
#include "delivery/email_message.h"
#include "delivery/message_id.h"
#include "test_database.h"

namespace cartera::delivery {
namespace {

using testing::Backend;
using testing::TestDatabase;

constexpr const char* kAddress = "ana.perez@correo.com.co";

class BounceReportTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    key_.fill(7);
    ASSERT_TRUE(db_->database().Execute(
        "INSERT INTO customers (tenant_id, external_id, name, tax_id, country, kind, time_zone, language, created_at, "
        "updated_at) VALUES (1, 'C-1', 'Ana Pérez', '52.123.456', 'CO', 'person', 'America/Bogota', 'es', "
        "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')"));
    customer_ = *db_->database().QueryInt64("SELECT id FROM customers WHERE external_id = 'C-1'");
    ASSERT_TRUE(db_->database().Execute(fmt::format(
        "INSERT INTO contact_points (tenant_id, customer_id, channel, value, is_primary, source, created_at) "
        "VALUES (1, {}, 'email', '{}', 1, 'import', '2026-11-01T00:00:00Z')",
        *customer_, kAddress)));
  }

  // An email we sent to the customer on `sent_at`, with `message_id`.
  void Sent(const std::string& key, const std::string& message_id, const std::string& sent_at) {
    ASSERT_TRUE(db_->database().Execute(fmt::format(
        "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, template, "
        "business_date, scheduled_at, status, payload, created_at, recipient, provider_message_id, sent_at, attempts) "
        "VALUES (1, '{0}', {1}, 'default', 'overdue_7', 'message', 'email', 'overdue_7', '2026-11-20', "
        "'2026-11-20T15:00:00Z', 'sent', '{{}}', '2026-11-20T15:00:00Z', '{2}', '{3}', '{4}', 1)",
        key, *customer_, kAddress, message_id, sent_at)));
  }

  // What a mail server sends back for `message_id` ("" : none returned).
  DeliveryReport HardBounce(const std::string& message_id) const {
    DeliveryReport report;
    report.is_report = true;
    report.original_message_id = message_id;
    report.recipients.push_back({kAddress, "failed", "5.1.1", "smtp; 550 5.1.1 user unknown"});
    return report;
  }

  std::vector<WebhookOutcome> Ingest(const DeliveryReport& report, const char* now) {
    auto outcomes = IngestDeliveryReport(db_->database(), 1, report, key_, *ParseUtc(now),
                                         AuditContext{"test", now, "bounce test.eml"});
    EXPECT_TRUE(outcomes) << outcomes.error().message;
    return outcomes ? *outcomes : std::vector<WebhookOutcome>{};
  }

  int64_t Usable() { return db_->Count(fmt::format("SELECT usable FROM contact_points WHERE value = '{}'", kAddress)); }
  std::string StatusOf(const std::string& message_id) {
    auto query = db_->database().Prepare("SELECT status FROM outbox WHERE provider_message_id = ?");
    (*query)->BindText(1, message_id);
    EXPECT_TRUE(*(*query)->Step());
    return std::string((*query)->GetText(0));
  }

  std::unique_ptr<TestDatabase> db_;
  SecretKey key_{};
  std::optional<int64_t> customer_;
};

TEST_P(BounceReportTest, AGenuineReportAboutASignedIdBouncesTheMessageAndTheAddress) {
  const std::string id = SignedMessageIdFor(key_, 1, "1:1:default:overdue_7:COP:2026-11-20:0", "cobranza@ferreteria.co");
  Sent("1:1:default:overdue_7:COP:2026-11-20:0", id, "2026-11-20T15:05:00Z");
  auto outcomes = Ingest(HardBounce(id), "2026-12-25T00:00:00Z");  // a signed id counts whenever it comes
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].kind, "status") << outcomes[0].detail;
  EXPECT_EQ(StatusOf(id), "bounced");
  EXPECT_EQ(Usable(), 0);
}

TEST_P(BounceReportTest, AReportWithoutOurMessageIdIsNeverMatchedByItsRecipient) {
  const std::string id = SignedMessageIdFor(key_, 1, "k1", "cobranza@ferreteria.co");
  Sent("k1", id, "2026-11-20T15:05:00Z");
  auto outcomes = Ingest(HardBounce(""), "2026-11-20T16:00:00Z");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].kind, "ignored");
  EXPECT_NE(outcomes[0].detail.find("never matched by its recipient"), std::string::npos) << outcomes[0].detail;
  EXPECT_EQ(StatusOf(id), "sent");
  EXPECT_EQ(Usable(), 1);
}

TEST_P(BounceReportTest, AForgedSignatureIsIgnored) {
  const std::string id = SignedMessageIdFor(key_, 1, "k1", "cobranza@ferreteria.co");
  Sent("k1", id, "2026-11-20T15:05:00Z");
  SecretKey other{};
  other.fill(8);
  const std::string forged = SignedMessageIdFor(other, 1, "k1", "cobranza@ferreteria.co");
  auto outcomes = Ingest(HardBounce(forged), "2026-11-20T16:00:00Z");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].kind, "ignored");
  EXPECT_NE(outcomes[0].detail.find("not one of ours"), std::string::npos) << outcomes[0].detail;
  EXPECT_EQ(Usable(), 1);
}

TEST_P(BounceReportTest, AnUnsignedIdCountsOnlyForAnEmailSentInTheLastSevenDays) {
  const std::string old_id = MessageIdFor("k-old", "cobranza@ferreteria.co");
  Sent("k-old", old_id, "2026-11-01T15:05:00Z");
  auto late = Ingest(HardBounce(old_id), "2026-11-20T16:00:00Z");
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].kind, "ignored");
  EXPECT_EQ(StatusOf(old_id), "sent");
  EXPECT_EQ(Usable(), 1);
  const std::string recent_id = MessageIdFor("k-recent", "cobranza@ferreteria.co");
  Sent("k-recent", recent_id, "2026-11-18T15:05:00Z");
  auto recent = Ingest(HardBounce(recent_id), "2026-11-20T16:00:00Z");
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].kind, "status") << recent[0].detail;
  EXPECT_EQ(Usable(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BounceReportTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera::delivery
