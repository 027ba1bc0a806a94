// Server refusals in a row pause the email channel for the tenant, on
// SQLite and PostgreSQL (issue 14: a 554 5.7.1 policy refusal at DATA
// burned every debtor's address in the pass; now it counts toward a pause
// and touches no contact point).
#include "delivery/channel_pause.h"

#include <gtest/gtest.h>

#include "core/time_zone.h"
#include "test_database.h"

namespace cartera::delivery {
namespace {

using testing::Backend;
using testing::TestDatabase;

using ChannelPauseTest = ::testing::TestWithParam<Backend>;

Timestamp At(const char* text) { return *ParseUtc(text); }

constexpr std::string_view kSpf = "554 5.7.1 Message rejected: SPF check failed for empresa.co";

TEST_P(ChannelPauseTest, RefusalsInARowPauseTheChannelUntilAPersonResumesIt) {
  std::string reason;
  auto db = TestDatabase::Create(GetParam(), reason);
  if (!db) GTEST_SKIP() << reason;
  Database& database = db->database();
  const AuditContext audit{"test", "2026-11-20T15:00:00Z", "deliver"};
  auto refuse = [&](const char* at) {
    auto transaction = Transaction::Begin(database);
    EXPECT_TRUE(transaction);
    auto state = RecordServerRefusal(database, 1, "email", kSpf, At(at), audit);
    EXPECT_TRUE(state) << state.error().message;
    EXPECT_TRUE(transaction->Commit());
    return *state;
  };
  auto accept = [&] {
    auto transaction = Transaction::Begin(database);
    EXPECT_TRUE(transaction);
    EXPECT_TRUE(RecordServerAccepted(database, 1, "email"));
    EXPECT_TRUE(transaction->Commit());
  };

  EXPECT_FALSE(*IsChannelPaused(database, 1, "email"));
  EXPECT_EQ(refuse("2026-11-20T15:00:00Z").refusals_in_row, 1);
  EXPECT_EQ(refuse("2026-11-20T15:00:01Z").refusals_in_row, 2);
  accept();  // an accepted message ends the run
  EXPECT_EQ((*LoadChannelPause(database, 1, "email"))->refusals_in_row, 0);
  EXPECT_FALSE(refuse("2026-11-20T15:01:00Z").paused());
  EXPECT_FALSE(refuse("2026-11-20T15:01:01Z").paused());
  const ChannelPause paused = refuse("2026-11-20T15:01:02Z");
  EXPECT_TRUE(paused.paused());
  EXPECT_EQ(paused.refusals_in_row, kServerRefusalsBeforePause);
  EXPECT_EQ(*paused.paused_at, "2026-11-20T15:01:02Z");
  EXPECT_EQ(paused.last_reply, kSpf);
  EXPECT_TRUE(*IsChannelPaused(database, 1, "email"));
  EXPECT_FALSE(*IsChannelPaused(database, 2, "email")) << "another tenant's channel";
  EXPECT_FALSE(*IsChannelPaused(database, 1, "sms")) << "another channel";
  accept();
  EXPECT_TRUE(*IsChannelPaused(database, 1, "email")) << "only a person resumes it";
  EXPECT_EQ(db->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'channel' AND after_json LIKE '%\"paused\":true%'"), 1);

  const std::string spanish = DescribeChannelPause(paused, Language::kSpanish);
  EXPECT_NE(spanish.find("EN PAUSA desde 2026-11-20T15:01:02Z"), std::string::npos) << spanish;
  EXPECT_NE(spanish.find(std::string(kSpf)), std::string::npos) << spanish;
  EXPECT_NE(spanish.find("cartera channel resume email"), std::string::npos) << spanish;
  const std::string english = DescribeChannelPause(paused, Language::kEnglish);
  EXPECT_NE(english.find("PAUSED since"), std::string::npos) << english;
  EXPECT_NE(english.find("not the debtors' addresses"), std::string::npos) << english;

  ASSERT_TRUE(ResumeChannel(database, 1, "email", audit));
  EXPECT_FALSE(*IsChannelPaused(database, 1, "email"));
  EXPECT_EQ((*LoadChannelPause(database, 1, "email"))->refusals_in_row, 0);
  EXPECT_EQ(ResumeChannel(database, 1, "email", audit).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(db->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'channel' AND after_json LIKE '%\"paused\":false%'"), 1);
}

// The worker's one call per send: what it counts and when it says "paused".
TEST_P(ChannelPauseTest, RecordSendOutcomeCountsOnlyTheServersRefusals) {
  std::string reason;
  auto db = TestDatabase::Create(GetParam(), reason);
  if (!db) GTEST_SKIP() << reason;
  Database& database = db->database();
  const AuditContext audit{"test", "2026-11-20T15:00:00Z", "deliver"};
  SendOutcome by_server(SendResult::kPermanent, "SMTP 554 5.7.1 SPF (at end of DATA)");
  by_server.refusal = Refusal::kServer;
  by_server.server_reply = std::string(kSpf);
  SendOutcome by_recipient(SendResult::kPermanent, "SMTP 550 5.1.1 user unknown (at RCPT TO)");
  by_recipient.refusal = Refusal::kRecipient;
  const SendOutcome sent(SendResult::kSent, "250");
  const SendOutcome busy(SendResult::kTransient, "SMTP 421 4.3.2 busy (at RCPT TO)");
  auto record = [&](const SendOutcome& outcome) {
    auto transaction = Transaction::Begin(database);
    EXPECT_TRUE(transaction);
    auto paused = RecordSendOutcome(database, 1, "email", outcome, At("2026-11-20T15:00:00Z"), audit);
    EXPECT_TRUE(paused) << paused.error().message;
    EXPECT_TRUE(transaction->Commit());
    return paused->has_value();
  };
  EXPECT_FALSE(record(by_server));
  EXPECT_FALSE(record(by_recipient));  // the address's fault: not counted, not a reset either
  EXPECT_FALSE(record(busy));
  EXPECT_EQ((*LoadChannelPause(database, 1, "email"))->refusals_in_row, 1);
  EXPECT_FALSE(record(sent));
  EXPECT_FALSE(record(by_server));
  EXPECT_FALSE(record(by_server));
  EXPECT_TRUE(record(by_server)) << "the third in a row pauses the channel";
  EXPECT_FALSE(record(by_server)) << "already paused: said once";
  EXPECT_TRUE(*IsChannelPaused(database, 1, "email"));
  EXPECT_EQ((*LoadChannelPause(database, 1, "email"))->last_reply, kSpf);
}

INSTANTIATE_TEST_SUITE_P(Backends, ChannelPauseTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera::delivery
