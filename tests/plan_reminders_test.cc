// Installment reminders through the daily run (engine payment_plan stages,
// docs/payment-plans.md) on SQLite and PostgreSQL: a run before, on and
// after an installment's date queues the right template with the
// installment in its payload, through the same contact rules as any message
// (a Sunday in Colombia defers it to Monday); a paid installment gets no
// reminder; the held reason is logged when nothing is due; a broken plan's
// follow-up goes out once.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agreements/payment_plans.h"
#include "report/customer_list.h"
#include "collection/run.h"
#include "core/time_zone.h"
#include "importer/import.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

Date D(const char* iso) { return *Date::ParseIso(iso); }

constexpr const char* kCustomers =
    "external_id,name,tax_id,country,email,phone\n"
    "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,+57 300 123 4567\n";
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2026-09-01,2026-10-01,COP,600000.00\n"
    "I2,C1,FV-2,2026-09-15,2026-10-15,COP,400000.00\n";

struct OutboxRow {
  std::string stage, template_name, channel, business_date, scheduled_at, status;
  nlohmann::json payload;
};

class PlanRemindersTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Import(ImportKind::kCustomers, "customers.csv", kCustomers);
    Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
    c1_ = *CustomerIdByExternalId(db_->database(), 1, "C1", Language::kEnglish);
  }

  void Import(ImportKind kind, const std::string& name, const std::string& content) {
    ImportOptions options;
    options.kind = kind;
    options.path = db_->WriteFile(name, content);
    options.tenant_id = 1;
    options.audit = At("2026-11-02T12:00:00Z");
    auto report = RunImport(db_->database(), options);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->ok());
  }

  void Pay(const char* id, const char* date, const char* amount) {
    Import(ImportKind::kPayments, fmt::format("{}.csv", id),
           fmt::format("external_id,customer_external_id,date,currency,amount,method,reference\n"
                       "{},C1,{},COP,{},transfer,R-{}\n",
                       id, date, amount, id));
  }

  static AuditContext At(const char* at) { return {"user:ana@empresa.co", at, "plan_reminders_test", Language::kEnglish}; }

  // 1,000,000 in two monthly installments of 500,000: 2 Dec 2026 (a
  // Wednesday; its -3 falls on Sunday 29 Nov) and 2 Jan 2027.
  int64_t ActivePlan() {
    PlanProposal proposal;
    proposal.customer_id = c1_;
    proposal.installments = 2;
    proposal.first_date = D("2026-12-02");
    proposal.missed_to_break = 1;
    auto plan = ProposePlan(db_->database(), 1, proposal, D("2026-11-02"), At("2026-11-02T15:00:00Z"));
    EXPECT_TRUE(plan) << plan.error().message;
    if (!plan) return 0;
    PlanAcceptance acceptance{plan->id, "user:ana@empresa.co", "phone", "", "", D("2026-11-02")};
    auto accepted = AcceptPlan(db_->database(), 1, acceptance, At("2026-11-02T15:00:00Z"));
    EXPECT_TRUE(accepted) << accepted.error().message;
    return plan->id;
  }

  RunReport RunOn(const char* business_date) {
    const std::string at = fmt::format("{}T23:00:00Z", business_date);
    auto report = RunCollection(db_->database(), RunOptions{1, D(business_date), *ParseUtc(at), false,
                                                             At(at.c_str()), std::nullopt, std::nullopt});
    EXPECT_TRUE(report) << report.error().message;
    return report ? std::move(*report) : RunReport{};
  }

  // Message outbox rows of a business date (call tasks apart).
  std::vector<OutboxRow> Messages(const char* business_date) {
    std::vector<OutboxRow> rows;
    auto query = db_->database().Prepare(
        "SELECT stage, template, channel, business_date, scheduled_at, status, payload FROM outbox WHERE tenant_id = 1 "
        "AND action = 'message' AND business_date = ? ORDER BY id");
    EXPECT_TRUE(query);
    (*query)->BindText(1, business_date);
    while (*(*query)->Step()) {
      const Statement& row = **query;
      rows.push_back({std::string(row.GetText(0)), std::string(row.GetText(1)), std::string(row.GetText(2)),
                      std::string(row.GetText(3)), std::string(row.GetText(4)), std::string(row.GetText(5)),
                      nlohmann::json::parse(row.GetText(6))});
    }
    return rows;
  }

  int64_t LogCount(const char* business_date, const char* code) {
    return db_->Count(fmt::format("SELECT COUNT(*) FROM engine_log WHERE tenant_id = 1 AND business_date = '{}' AND "
                                  "code = '{}'",
                                  business_date, code));
  }

  std::unique_ptr<TestDatabase> db_;
  int64_t c1_ = 0;
};

TEST_P(PlanRemindersTest, BeforeOnAndAfterTheInstallmentThroughTheContactRules) {
  const int64_t plan = ActivePlan();
  ASSERT_GT(plan, 0);
  // D-4: the plan's invoices (overdue since October) are held and no plan
  // stage has begun: nothing goes out, and the log says why.
  RunOn("2026-11-28");
  EXPECT_TRUE(Messages("2026-11-28").empty());
  EXPECT_EQ(LogCount("2026-11-28", "all_in_payment_plan"), 1);
  EXPECT_EQ(LogCount("2026-11-28", "all_disputed"), 0);

  // D-3 is a Sunday: Colombia allows no collection contact on Sundays, so
  // the reminder is deferred to Monday like any message (its window runs
  // until the installment's date).
  RunOn("2026-11-29");
  auto before = Messages("2026-11-29");
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].stage, "plan_installment_before_3");
  EXPECT_EQ(before[0].template_name, "plan_installment_due");
  EXPECT_EQ(before[0].status, "queued");
  EXPECT_EQ(before[0].scheduled_at.substr(0, 10), "2026-11-30") << before[0].scheduled_at;
  EXPECT_EQ(before[0].payload["plan"]["id"], plan);
  EXPECT_EQ(before[0].payload["plan"]["installment"], 1);
  EXPECT_EQ(before[0].payload["plan"]["installment_due_date"], "2026-12-02");
  EXPECT_EQ(before[0].payload["plan"]["installment_minor"], 50000000);
  EXPECT_EQ(before[0].payload["total_minor"], 100000000);  // the plan's remaining balance
  EXPECT_EQ(before[0].payload["invoice_ids"].size(), 2u);
  EXPECT_GE(LogCount("2026-11-29", "closed_day"), 1);

  // D-1: the stage already fired; nothing new.
  RunOn("2026-12-01");
  EXPECT_TRUE(Messages("2026-12-01").empty());

  // D: due today.
  RunOn("2026-12-02");
  auto due = Messages("2026-12-02");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].stage, "plan_installment_due");
  EXPECT_EQ(due[0].template_name, "plan_installment_due");
  EXPECT_EQ(due[0].payload["plan"]["installment"], 1);

  // D+3 (a Saturday: contacts allowed in the morning): the missed follow-up.
  RunOn("2026-12-05");
  auto missed = Messages("2026-12-05");
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0].stage, "plan_installment_missed_3");
  EXPECT_EQ(missed[0].template_name, "plan_installment_missed");
  EXPECT_EQ(missed[0].payload["plan"]["installment"], 1);
  // No regular overdue stage ever ran for the plan's invoices.
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox WHERE tenant_id = 1 AND stage LIKE 'overdue%'"), 0);
}

TEST_P(PlanRemindersTest, APaidInstallmentGetsNoReminder) {
  ASSERT_GT(ActivePlan(), 0);
  RunOn("2026-11-29");
  ASSERT_EQ(Messages("2026-11-29").size(), 1u);
  // Paid on 1 Dec, after that day's run: the run on the 2nd plans before it
  // marks the installment paid, and still sends nothing about it.
  Pay("P1", "2026-12-01", "500000.00");
  RunOn("2026-12-02");
  EXPECT_TRUE(Messages("2026-12-02").empty());
  // The next installment's reminder comes on its own -3 (Wednesday 30 Dec).
  RunOn("2026-12-30");
  auto next = Messages("2026-12-30");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].stage, "plan_installment_before_3");
  EXPECT_EQ(next[0].payload["plan"]["installment"], 2);
  EXPECT_EQ(next[0].payload["total_minor"], 50000000);
}

TEST_P(PlanRemindersTest, ABrokenPlanGetsItsFollowUpOnceThenTheRegularStages) {
  const int64_t plan = ActivePlan();  // one missed installment breaks it
  ASSERT_GT(plan, 0);
  // Grace 2 days: installment 1 is missed after 4 Dec; the run that day
  // breaks the plan (its day already planned with the invoices held).
  RunOn("2026-12-05");
  auto status = db_->database().Prepare("SELECT status, ended_on FROM payment_plans WHERE tenant_id = 1 AND id = ?");
  ASSERT_TRUE(status);
  (*status)->BindInt64(1, plan);
  ASSERT_TRUE(*(*status)->Step());
  EXPECT_EQ((*status)->GetText(0), "broken");
  EXPECT_EQ((*status)->GetText(1), "2026-12-05");
  status->reset();
  // The next run (Monday): the broken-plan stage, about the plan's invoices.
  RunOn("2026-12-07");
  auto follow_up = Messages("2026-12-07");
  ASSERT_EQ(follow_up.size(), 1u);
  EXPECT_EQ(follow_up[0].stage, "broken_plan");
  EXPECT_EQ(follow_up[0].template_name, "plan_broken");
  EXPECT_EQ(follow_up[0].payload["plan"]["id"], plan);
  EXPECT_EQ(follow_up[0].payload["plan"]["broken_on"], "2026-12-05");
  // Once: a later run in its window sends nothing more...
  RunOn("2026-12-09");
  EXPECT_TRUE(Messages("2026-12-09").empty());
  // ...and after it (7 days) the regular overdue stages take over: FV-1 is
  // 74 days late, overdue_60 (a letter, a call task, a credit hold).
  RunOn("2026-12-14");
  EXPECT_GE(db_->Count("SELECT COUNT(*) FROM outbox WHERE tenant_id = 1 AND business_date = '2026-12-14' AND stage = "
                       "'overdue_60'"),
            1);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanRemindersTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
