// The contact history (collection/contact_history.h): which outbox rows are
// contacts, of which kind and when, for the run and for the worker; and
// which channels a debtor's contact points and address open. A table of
// cases, then the same facts read from SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "collection/contact_history.h"
#include "core/time_zone.h"
#include "test_database.h"

namespace cartera {
namespace {

struct RowCase {
  const char* name;
  OutboxContactRow row;
  const char* planning;  // "kind@time" or "none"
  const char* sending;
};

std::string Describe(const std::optional<compliance::PastContact>& contact) {
  if (!contact) return "none";
  return fmt::format("{}@{}", compliance::ContactKindName(contact->kind), FormatUtc(contact->at));
}

TEST(ContactHistory, EveryOutboxStateCountsAsTheTableSays) {
  constexpr const char* kPlanned = "2026-03-09T13:00:00Z";
  const RowCase cases[] = {
      {"sent late: at the real send time, not the planned one",
       {"email", "sent", "", "2026-03-13T17:00:00Z", "2026-03-13T17:00:00Z", "", kPlanned, ""},
       "delivered@2026-03-13T17:00:00Z", "delivered@2026-03-13T17:00:00Z"},
      {"being sent: at the claim",
       {"email", "sending", "", "", "2026-03-13T17:00:05Z", "", kPlanned, ""},
       "attempt@2026-03-13T17:00:05Z", "attempt@2026-03-13T17:00:05Z"},
      {"unknown fate: it may have arrived, at the claim",
       {"sms", "unknown", "", "", "2026-03-12T16:00:00Z", "", kPlanned, ""},
       "attempt@2026-03-12T16:00:00Z", "attempt@2026-03-12T16:00:00Z"},
      {"claimed before the claim time was kept: the planned time",
       {"email", "unknown", "", "", "", "", kPlanned, ""}, "attempt@2026-03-09T13:00:00Z",
       "attempt@2026-03-09T13:00:00Z"},
      {"queued: a contact the run promised, none for the worker",
       {"email", "queued", "", "", "", "", kPlanned, ""}, "attempt@2026-03-09T13:00:00Z", "none"},
      {"queued for a retry: no earlier than the retry",
       {"email", "queued", "", "", "", "", kPlanned, "2026-03-10T09:00:00Z"}, "attempt@2026-03-10T09:00:00Z", "none"},
      {"an open call task: planned only", {"call", "open", "", "", "", "", kPlanned, ""},
       "attempt@2026-03-09T13:00:00Z", "none"},
      {"a call that reached the debtor: a conversation when it was recorded",
       {"call", "done", "contacted", "", "", "2026-03-09T20:30:00Z", kPlanned, ""},
       "conversation@2026-03-09T20:30:00Z", "conversation@2026-03-09T20:30:00Z"},
      {"a call nobody answered: an attempt", {"call", "done", "no_answer", "", "", "2026-03-09T20:30:00Z", kPlanned, ""},
       "attempt@2026-03-09T20:30:00Z", "attempt@2026-03-09T20:30:00Z"},
      {"a message the debtor answered: a conversation, when it was sent (not when the reply came)",
       {"whatsapp", "sent", "replied", "2026-03-09T13:00:05Z", "2026-03-09T13:00:00Z", "2026-03-10T14:30:00Z", kPlanned,
        ""},
       "conversation@2026-03-09T13:00:05Z", "conversation@2026-03-09T13:00:05Z"},
      {"failed: no contact", {"email", "failed", "", "", "2026-03-09T13:00:01Z", "", kPlanned, ""}, "none", "none"},
      {"blocked: no contact", {"email", "blocked", "", "", "", "", kPlanned, ""}, "none", "none"},
      {"expired: no contact", {"email", "expired", "", "", "", "", kPlanned, ""}, "none", "none"},
      {"cancelled: no contact", {"call", "cancelled", "", "", "", "", kPlanned, ""}, "none", "none"},
      {"an action without a channel: no contact", {"", "pending", "", "", "", "", kPlanned, ""}, "none", "none"},
  };
  for (const RowCase& test : cases) {
    EXPECT_EQ(Describe(ContactOf(test.row, ContactView::kPlanning)), test.planning) << test.name;
    EXPECT_EQ(Describe(ContactOf(test.row, ContactView::kSending)), test.sending) << test.name;
  }
}

TEST(ContactHistory, ContactPointsOpenChannels) {
  ChannelAccess access;
  OpenContactPoint(access, "phone", "import");
  EXPECT_TRUE(access.Allows(Channel::kSms));
  EXPECT_TRUE(access.Allows(Channel::kCall));
  EXPECT_FALSE(access.Allows(Channel::kEmail));
  EXPECT_FALSE(access.authorised_by_debtor.Has(compliance::Channel::kSms)) << "the business's word is not the debtor's";
  OpenContactPoint(access, "email", "debtor");
  EXPECT_TRUE(access.authorised_by_debtor.Has(compliance::Channel::kEmail));
  EXPECT_FALSE(access.Allows(Channel::kLetter));
  OpenPostalAddress(access);
  EXPECT_TRUE(access.Allows(Channel::kLetter));
  EXPECT_TRUE(access.authorised_by_debtor.Has(compliance::Channel::kLetter)) << "the contract's address is the debtor's";
}

// The debtor's own contact window, as the portal keeps it in the customer's
// attributes; anything malformed is no window (the law's hours alone).
TEST(ContactHistory, DebtorHoursFromTheAttributes) {
  auto hours = DebtorHoursOf(R"({"sector":"x","quiet_hours":{"from":"15:00","to":"17:30"}})");
  ASSERT_TRUE(hours);
  EXPECT_EQ(hours->start_minute, 15 * 60);
  EXPECT_EQ(hours->end_minute, 17 * 60 + 30);
  for (const char* bad : {"", "{}", "not json quiet_hours", R"({"quiet_hours":null})",
                          R"({"quiet_hours":{"from":"17:00","to":"15:00"}})", R"({"quiet_hours":{"from":"7:00","to":"9:00"}})",
                          R"({"quiet_hours":{"from":"15:00"}})", R"({"quiet_hours":{"from":"24:00","to":"24:30"}})"}) {
    EXPECT_FALSE(DebtorHoursOf(bad)) << bad;
  }
  EXPECT_EQ(ParseClockMinute("00:00"), 0);
  EXPECT_EQ(ParseClockMinute("23:59"), 23 * 60 + 59);
  EXPECT_FALSE(ParseClockMinute("23:60"));
}

using testing::Backend;
using testing::TestDatabase;

class ContactHistoryStorage : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }
  std::unique_ptr<TestDatabase> db_;
};

// What the run and the worker read for one debtor: the same rows, each
// view as the table above says; consent as it stands now.
TEST_P(ContactHistoryStorage, BothViewsReadTheSameRows) {
  Database& database = db_->database();
  ASSERT_TRUE(database.Execute(
      "INSERT INTO customers (tenant_id, external_id, name, tax_id, country, kind, time_zone, language, address, "
      "created_at, updated_at) VALUES (1, 'C-1', 'Ana', '1', 'CO', 'person', 'America/Bogota', 'es', 'Calle 1', "
      "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"));
  const int64_t customer = db_->Count("SELECT id FROM customers WHERE external_id = 'C-1'");
  ASSERT_TRUE(database.Execute(fmt::format(
      "INSERT INTO contact_points (tenant_id, customer_id, channel, value, is_primary, source, created_at, consent, "
      "consent_source, usable) VALUES (1, {0}, 'email', 'ana@example.co', 1, 'import', '2026-01-01T00:00:00Z', "
      "'granted', 'debtor', 1), (1, {0}, 'phone', '+573001112233', 1, 'import', '2026-01-01T00:00:00Z', 'revoked', "
      "'debtor', 1)",
      customer)));
  auto add = [&](const char* key, const char* status, const char* scheduled, const char* attempted, const char* sent) {
    auto text = [](const char* value) { return *value ? fmt::format("'{}'", value) : std::string("NULL"); };
    ASSERT_TRUE(database.Execute(fmt::format(
        "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, "
        "business_date, scheduled_at, status, payload, created_at, attempted_at, sent_at) VALUES (1, '{}', {}, "
        "'default', 'overdue_7', 'message', 'email', '2026-03-09', '{}', '{}', '{{}}', '2026-03-09T00:00:00Z', {}, {})",
        key, customer, scheduled, status, text(attempted), text(sent))));
  };
  add("a", "sent", "2026-03-09T13:00:00Z", "2026-03-13T17:00:00Z", "2026-03-13T17:00:00Z");
  add("b", "sending", "2026-03-10T13:00:00Z", "2026-03-13T17:00:01Z", "");
  add("c", "queued", "2026-03-11T13:00:00Z", "", "");
  add("d", "expired", "2026-03-01T13:00:00Z", "", "");
  auto read = [&](ContactView view) {
    std::vector<std::string> seen;
    auto ok = ForEachContact(database, 1, customer, *ParseUtc("2026-02-01T00:00:00Z"), view,
                             [&](int64_t id, const compliance::PastContact& contact, std::string_view) {
                               EXPECT_EQ(id, customer);
                               seen.push_back(Describe(contact));
                             });
    EXPECT_TRUE(ok) << (ok ? "" : ok.error().message);
    return seen;
  };
  EXPECT_EQ(read(ContactView::kSending),
            (std::vector<std::string>{"delivered@2026-03-13T17:00:00Z", "attempt@2026-03-13T17:00:01Z"}));
  EXPECT_EQ(read(ContactView::kPlanning),
            (std::vector<std::string>{"attempt@2026-03-11T13:00:00Z", "delivered@2026-03-13T17:00:00Z",
                                      "attempt@2026-03-13T17:00:01Z"}));
  auto reach = LoadReach(database, 1, customer);
  ASSERT_TRUE(reach) << reach.error().message;
  EXPECT_EQ(reach->email, "ana@example.co");
  EXPECT_EQ(reach->phone, "") << "a revoked consent opens nothing";
  EXPECT_EQ(reach->postal, "Calle 1");
  EXPECT_TRUE(reach->access.Allows(Channel::kLetter));
  EXPECT_FALSE(reach->access.Allows(Channel::kSms));
  EXPECT_FALSE(reach->access.debtor_hours);
  // The window the debtor chose in the portal reaches the worker's send check.
  ASSERT_TRUE(database.Execute(fmt::format(
      R"(UPDATE customers SET attributes = '{{"quiet_hours":{{"from":"09:00","to":"12:00"}}}}' WHERE id = {})",
      customer)));
  reach = LoadReach(database, 1, customer);
  ASSERT_TRUE(reach) << reach.error().message;
  ASSERT_TRUE(reach->access.debtor_hours);
  EXPECT_EQ(reach->access.debtor_hours->start_minute, 9 * 60);
  EXPECT_EQ(reach->access.debtor_hours->end_minute, 12 * 60);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContactHistoryStorage, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
