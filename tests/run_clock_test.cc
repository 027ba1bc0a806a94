// The run is a function of the ledger and of the business date at the
// tenant's daily run time, never of the hour it starts; a blocked action is
// retried while its stage's window lasts; a re-run keeps the first run's
// reasons; the simulator counts a contact on the day it goes out. On SQLite
// and PostgreSQL.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>
#include <tuple>

#include "collection/records.h"
#include "collection/run.h"
#include "collection/simulate.h"
#include "core/time_zone.h"
#include "demo/demo_portfolio.h"
#include "importer/import.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

const Date kDay = *Date::ParseIso("2026-11-20");

class RunClockTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }

  AuditContext Audit(Timestamp at) const { return {"test", FormatUtc(at), "run_clock_test"}; }

  void Import(ImportKind kind, const std::string& path) {
    ImportOptions options;
    options.kind = kind;
    options.path = path;
    options.audit = Audit(*ParseUtc("2026-01-01T00:00:00Z"));
    auto report = RunImport(db_->database(), options);
    ASSERT_TRUE(report && report->ok()) << path;
  }

  void LoadDemo(int64_t customers) {
    DemoOptions demo;
    demo.customers = customers;
    demo.seed = 5;
    demo.as_of = kDay;
    demo.directory = db_->WriteFile("marker", "") + ".demo";
    auto files = WriteDemoPortfolio(demo);
    ASSERT_TRUE(files) << files.error().message;
    Import(ImportKind::kCustomers, files->customers);
    Import(ImportKind::kInvoices, files->invoices);
    Import(ImportKind::kCreditNotes, files->credit_notes);
    Import(ImportKind::kPayments, files->payments);
  }

  RunReport Run(std::optional<Date> as_of, const std::string& now, bool dry_run) {
    const Timestamp at = *ParseUtc(now);
    RunOptions options{1, as_of, at, dry_run, Audit(at), std::nullopt, std::nullopt};
    auto report = RunCollection(db_->database(), options);
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? std::move(*report) : RunReport{};
  }

  std::unique_ptr<TestDatabase> db_;
};

using PlanLine = std::tuple<std::string, std::string, std::string>;

std::vector<PlanLine> Lines(const RunReport& report) {
  std::vector<PlanLine> lines;
  for (const PlannedItem& item : report.plan.items) {
    lines.emplace_back(item.idempotency_key, FormatUtc(item.scheduled_at), item.channel ? ChannelName(*item.channel) : "");
  }
  for (const LogItem& item : report.plan.log) {
    lines.emplace_back(report.portfolio.customers[item.customer].external_id + "/" + item.stage + "/" + item.action,
                       std::string(LogKindName(item.kind)), item.code + ": " + item.detail);
  }
  return lines;
}

// The same business date gives the same plan at 02:27 in Bogotá, at 15:00,
// and two weeks later: contact times and legal checks come from the date
// at the run time, not from the real clock.
TEST_P(RunClockTest, TheSameBusinessDateGivesTheSamePlanWhateverTheClock) {
  LoadDemo(300);
  const RunReport early = Run(kDay, "2026-11-20T07:27:00Z", true);
  const RunReport afternoon = Run(kDay, "2026-11-20T20:00:00Z", true);
  const RunReport later = Run(kDay, "2026-12-04T11:00:00Z", true);
  ASSERT_GT(early.plan.items.size(), 50u);
  EXPECT_EQ(Lines(early), Lines(afternoon));
  EXPECT_EQ(Lines(early), Lines(later));
  for (const PlannedItem& item : early.plan.items) {
    const CustomerState& customer = early.portfolio.customers[item.customer];
    EXPECT_EQ(DateIn(customer.time_zone, item.scheduled_at) >= kDay, true) << item.idempotency_key;
  }
}

// Being early in the day is never a reason to skip: a run started at 02:27
// in Bogotá plans what a 10:00 run plans, nothing "outside contact hours".
TEST_P(RunClockTest, AnEarlyRunLosesNothing) {
  LoadDemo(300);
  const RunReport early = Run(std::nullopt, "2026-11-20T07:27:00Z", true);
  const RunReport ten = Run(std::nullopt, "2026-11-20T15:00:00Z", true);
  size_t blocked_for_hours = 0;
  for (const LogItem& item : early.plan.log) {
    blocked_for_hours += item.kind == LogKind::kBlocked && item.code == "outside_hours";
  }
  EXPECT_EQ(blocked_for_hours, 0u);
  std::set<std::string> early_keys, ten_keys;
  size_t letters = 0;
  for (const PlannedItem& item : early.plan.items) {
    early_keys.insert(item.idempotency_key);
    letters += item.channel == Channel::kLetter;
  }
  EXPECT_GT(letters, 0u) << "the demo has legal-stage letters";
  for (const PlannedItem& item : ten.plan.items) ten_keys.insert(item.idempotency_key);
  EXPECT_EQ(early_keys, ten_keys);
}

// A second run the same day adds what is new and keeps why the first one
// deferred or blocked an action (the timeline reads these rows).
TEST_P(RunClockTest, ARerunKeepsTheFirstRunsReasons) {
  LoadDemo(300);
  const RunReport first = Run(kDay, "2026-11-20T15:00:00Z", false);
  const int64_t deferred = db_->Count(
      "SELECT COUNT(*) FROM engine_log WHERE tenant_id = 1 AND business_date = '2026-11-20' AND kind = 'deferred'");
  ASSERT_GT(deferred, 0) << "the demo has contacts the law defers";
  const int64_t rows = db_->Count("SELECT COUNT(*) FROM engine_log WHERE tenant_id = 1");
  Run(kDay, "2026-11-20T19:00:00Z", false);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM engine_log WHERE tenant_id = 1 AND business_date = '2026-11-20' AND "
                       "kind = 'deferred'"),
            deferred);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM engine_log WHERE tenant_id = 1"), rows) << "nothing written twice";
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM engine_log l WHERE tenant_id = 1 AND NOT EXISTS (SELECT 1 FROM "
                       "engine_log_texts t WHERE t.tenant_id = l.tenant_id AND t.business_date = l.business_date AND "
                       "t.id = l.detail_id)"),
            0)
      << "every row names a sentence";
  (void)first;
}

// A promise that breaks on a Sunday in Colombia: its follow-up may not go out
// that day, and must not be lost; it is deferred within its window (before,
// the one-day stage dropped it and the next run no longer saw the promise).
TEST_P(RunClockTest, ABrokenPromisesFollowUpSurvivesASunday) {
  Import(ImportKind::kCustomers,
         db_->WriteFile("customers.csv",
                        "external_id,name,tax_id,country,kind,email,consent_email\n"
                        "CO-9,Marta Ruiz,52000111,CO,person,marta@example.co,yes\n"));
  Import(ImportKind::kInvoices, db_->WriteFile("invoices.csv",
                                               "external_id,customer_external_id,number,issue_date,due_date,currency,"
                                               "amount\nF-9,CO-9,F-9,2026-01-10,2026-02-10,COP,800000.00\n"));
  // Promised for Thursday 12 March; with two days of grace it is broken on
  // Sunday 15 March, when Colombia allows no contact.
  auto promise = AddPromise(db_->database(), 1, "CO-9", *Date::ParseIso("2026-03-12"), "800000.00", std::nullopt,
                            "phone", "", Audit(*ParseUtc("2026-03-05T15:00:00Z")));
  ASSERT_TRUE(promise) << promise.error().message;
  Run(*Date::ParseIso("2026-03-15"), "2026-03-15T15:00:00Z", false);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM promises WHERE tenant_id = 1 AND status = 'broken'"), 1);
  Run(*Date::ParseIso("2026-03-16"), "2026-03-16T15:00:00Z", false);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox WHERE tenant_id = 1 AND stage = 'broken_promise' AND channel = "
                       "'email'"),
            1)
      << "the follow-up went out within its window";
}

// simulate's per-day figures count a contact on the local day it goes out.
TEST_P(RunClockTest, SimulateCountsContactsOnTheDayTheyGoOut) {
  LoadDemo(300);
  auto simulated = Simulate(db_->database(), SimulationOptions{1, kDay, 20, false});
  ASSERT_TRUE(simulated) << simulated.error().message;
  size_t moved = 0;
  for (const SimulatedContact& contact : simulated->contacts) {
    EXPECT_EQ(contact.day, DateIn(contact.time_zone, contact.at)) << contact.idempotency_key;
    moved += contact.day != contact.planned_day;
  }
  EXPECT_GT(moved, 0u) << "some contacts were deferred to a later day";
}

// A debtor who owes in pesos and dollars hears once a run per channel: the
// overdue messages of both books are one message naming every invoice, and
// the other book's stage is recorded as merged into it (so it is not planned
// again tomorrow). Before, each currency had its own message.
TEST_P(RunClockTest, OneMessageARunCoversEveryCurrency) {
  Import(ImportKind::kCustomers,
         db_->WriteFile("customers.csv",
                        "external_id,name,tax_id,country,kind,email,consent_email\n"
                        "CO-7,Pedro Díaz,52000777,CO,company,pedro@example.co,yes\n"));
  Import(ImportKind::kInvoices, db_->WriteFile("invoices.csv",
                                               "external_id,customer_external_id,number,issue_date,due_date,currency,"
                                               "amount\nF-7,CO-7,F-7,2026-01-24,2026-02-24,COP,1500000.00\n"
                                               "F-8,CO-7,F-8,2026-01-05,2026-02-05,USD,320.00\n"));
  const RunReport report = Run(*Date::ParseIso("2026-03-09"), "2026-03-09T15:00:00Z", false);
  std::vector<const PlannedItem*> emails, merged;
  for (const PlannedItem& item : report.plan.items) {
    if (item.channel == Channel::kEmail) emails.push_back(&item);
    if (!item.merged_into.empty()) merged.push_back(&item);
  }
  ASSERT_EQ(emails.size(), 1u) << "one e-mail for both currencies";
  EXPECT_EQ(emails[0]->stage, "overdue_30") << "the most advanced stage speaks";
  EXPECT_EQ(emails[0]->invoice_ids.size(), 2u) << "and names every invoice";
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0]->stage, "overdue_7");
  EXPECT_EQ(merged[0]->merged_into, emails[0]->idempotency_key);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox WHERE status = 'merged' AND channel IS NULL"), 1);
  // The next day neither stage is planned again.
  const RunReport next = Run(*Date::ParseIso("2026-03-10"), "2026-03-10T15:00:00Z", true);
  for (const PlannedItem& item : next.plan.items) {
    EXPECT_NE(item.channel, std::optional<Channel>(Channel::kEmail)) << item.idempotency_key;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RunClockTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
