// Payment-plan limits and the portal's plans (agreements/plan_limits.h,
// agreements/plan_approval.h) on SQLite and PostgreSQL: limits saved,
// loaded, reset and audited; a portal plan within the limits active at once
// with the debtor's acceptance; one outside waiting, approved (active with
// the recorded acceptance) or rejected (cancelled); decisions once only;
// another tenant sees nothing.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agreements/payment_plans.h"
#include "report/customer_list.h"
#include "agreements/plan_approval.h"
#include "agreements/plan_limits.h"
#include "importer/import.h"
#include "store/tenants.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

Date D(const char* iso) { return *Date::ParseIso(iso); }

constexpr const char* kCustomers =
    "external_id,name,tax_id,country,email,phone\n"
    "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,+57 300 123 4567\n"
    "C2,Tienda Dos,900123457-6,CO,pagos@dos.com.co,+57 300 123 4568\n";
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2026-09-01,2026-10-01,COP,600000.00\n"
    "I2,C1,FV-2,2026-09-15,2026-10-15,COP,400000.00\n"
    "I3,C2,FV-3,2026-09-01,2026-10-01,COP,1000000.00\n";

const Date kToday = D("2026-11-02");

class PlanApprovalTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    ImportOptions options;
    for (auto [kind, name, content] : {std::tuple{ImportKind::kCustomers, "customers.csv", kCustomers},
                                       std::tuple{ImportKind::kInvoices, "invoices.csv", kInvoices}}) {
      options.kind = kind;
      options.path = db_->WriteFile(name, content);
      options.tenant_id = 1;
      options.audit = Manager();
      auto report = RunImport(db_->database(), options);
      ASSERT_TRUE(report) << report.error().message;
      ASSERT_TRUE(report->ok());
    }
    c1_ = *CustomerIdByExternalId(db_->database(), 1, "C1", Language::kEnglish);
    c2_ = *CustomerIdByExternalId(db_->database(), 1, "C2", Language::kEnglish);
  }

  static AuditContext Manager() { return {"user:gerente@empresa.co", "2026-11-02T15:00:00Z", "test", Language::kEnglish}; }
  static AuditContext Debtor() { return {"portal", "2026-11-02T14:00:00Z", "portal ip=203.0.113.7", Language::kSpanish}; }

  // C1 owes COP 1,000,000 ("new": no run yet): the default "any" rule, 6 installments, 10% down.
  PortalPlanRequest Request(int64_t customer, int32_t installments, int64_t down_minor) {
    PortalPlanRequest request;
    request.customer_id = customer;
    request.currency = "COP";
    request.installments = installments;
    request.frequency = PlanFrequency::kMonthly;
    request.first_date = D("2026-11-15");
    request.down_payment_minor = down_minor;
    request.terms_accepted = true;
    request.ip = "203.0.113.7";
    request.user_agent = "Phone/1.0";
    return request;
  }

  int64_t AuditRows(std::string_view entity) {
    auto count = db_->database().QueryInt64(fmt::format("SELECT COUNT(*) FROM audit_log WHERE entity = '{}'", entity));
    return count ? count->value_or(0) : -1;
  }

  std::unique_ptr<TestDatabase> db_;
  int64_t c1_ = 0, c2_ = 0;
};

TEST_P(PlanApprovalTest, LimitsSavedLoadedResetAndAudited) {
  auto defaults = LoadPlanLimits(db_->database(), 1);
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_TRUE(defaults->is_default);
  EXPECT_EQ(defaults->rules.size(), DefaultPlanLimitRules().size());

  PlanLimitRule rule;
  rule.currency = "COP";
  rule.balance_min_minor = 1;
  rule.balance_max_minor = 5'000'000'00;
  rule.max_installments = 3;
  rule.min_down_payment_percent = 25;
  rule.min_installment_minor = 10'000'00;
  PlanLimitRule open_ended = rule;
  open_ended.segment = "high_risk";
  open_ended.balance_max_minor.reset();
  auto saved = SavePlanLimits(db_->database(), 1, {open_ended, rule}, Manager());
  ASSERT_TRUE(saved) << saved.error().message;
  auto loaded = LoadPlanLimits(db_->database(), 1);
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->is_default);
  EXPECT_EQ(loaded->updated_by, "user:gerente@empresa.co");
  ASSERT_EQ(loaded->rules.size(), 2u);
  EXPECT_EQ(PlanLimitRuleJson(loaded->rules[0]), PlanLimitRuleJson(open_ended));
  EXPECT_EQ(PlanLimitRuleJson(loaded->rules[1]), PlanLimitRuleJson(rule));
  // Another tenant still has the defaults.
  auto beta = CreateTenant(db_->database(), NewTenant{"Beta", "beta", "CO", "COP", "America/Bogota"}, Manager());
  ASSERT_TRUE(beta) << beta.error().message;
  EXPECT_TRUE(LoadPlanLimits(db_->database(), beta->id)->is_default);
  // An empty list is a choice too: every portal plan waits for approval.
  ASSERT_TRUE(SavePlanLimits(db_->database(), 1, {}, Manager()));
  EXPECT_TRUE(LoadPlanLimits(db_->database(), 1)->rules.empty());
  EXPECT_FALSE(LoadPlanLimits(db_->database(), 1)->is_default);
  ASSERT_TRUE(ResetPlanLimits(db_->database(), 1, Manager()));
  EXPECT_TRUE(LoadPlanLimits(db_->database(), 1)->is_default);
  EXPECT_EQ(AuditRows("plan_limits"), 3);
}

TEST_P(PlanApprovalTest, WithinTheLimitsIsActiveAtOnceWithTheDebtorsAcceptance) {
  auto outcome = SubmitPortalPlan(db_->database(), 1, Request(c1_, 3, 100'000'00), kToday, Debtor());
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->within_limits);
  EXPECT_TRUE(outcome->violations.empty());
  const PlanRecord& plan = outcome->plan;
  EXPECT_EQ(plan.status, kPlanActive);
  EXPECT_EQ(plan.source, "portal");
  EXPECT_EQ(plan.balance_minor, 1'000'000'00);
  ASSERT_TRUE(plan.acceptance);
  EXPECT_EQ(plan.acceptance->accepted_by, "debtor");
  EXPECT_EQ(plan.acceptance->channel, "portal");
  EXPECT_EQ(plan.acceptance->ip, "203.0.113.7");
  EXPECT_EQ(plan.acceptance->user_agent, "Phone/1.0");
  EXPECT_EQ(AuditRows("plan_approval"), 0);
  // One plan per invoice; the options now show it.
  auto again = SubmitPortalPlan(db_->database(), 1, Request(c1_, 3, 100'000'00), kToday, Debtor());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto options = PortalPlanOptions(db_->database(), 1, c1_, "", kToday, Language::kEnglish);
  ASSERT_TRUE(options);
  EXPECT_FALSE((*options)["available"]);
  EXPECT_EQ((*options)["current_plan"]["id"], plan.id);
}

TEST_P(PlanApprovalTest, TermsMustBeAcceptedAndNothingIsStoredOtherwise) {
  PortalPlanRequest request = Request(c1_, 3, 100'000'00);
  request.terms_accepted = false;
  auto refused = SubmitPortalPlan(db_->database(), 1, request, kToday, Debtor());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(refused.error().message.starts_with("terms_accepted: ")) << refused.error().message;
  EXPECT_EQ(db_->database().QueryInt64("SELECT COUNT(*) FROM payment_plans")->value_or(-1), 0);
}

TEST_P(PlanApprovalTest, OutsideTheLimitsWaitsAndAnApprovalActivatesIt) {
  auto options = PortalPlanOptions(db_->database(), 1, c1_, "", kToday, Language::kEnglish);
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ((*options)["balance"]["amount"], "1000000.00");
  EXPECT_EQ((*options)["segment"], "new");
  EXPECT_EQ((*options)["limits"]["max_installments"], 6);
  EXPECT_EQ((*options)["limits"]["min_down_payment"]["amount"], "100000.00");

  PortalPlanRequest request = Request(c1_, 8, 0);
  request.frequency = PlanFrequency::kWeekly;  // eight weeks: within the duration
  auto outcome = SubmitPortalPlan(db_->database(), 1, request, kToday, Debtor());
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->within_limits);
  ASSERT_EQ(outcome->violations.size(), 2u);
  EXPECT_EQ(outcome->violations[0].code, "installments_above_max");
  EXPECT_EQ(outcome->violations[1].code, "down_payment_below_min");
  const int64_t id = outcome->plan.id;
  EXPECT_EQ(outcome->plan.status, kPlanProposed);

  PlanApprovalFilter pending;
  pending.status = std::string(kApprovalPending);
  auto queue = ListPlanApprovals(db_->database(), 1, pending);
  ASSERT_TRUE(queue) << queue.error().message;
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].plan_id, id);
  EXPECT_EQ((*queue)[0].requested_ip, "203.0.113.7");
  EXPECT_EQ((*queue)[0].requested_user_agent, "Phone/1.0");
  EXPECT_EQ((*queue)[0].violations.size(), 2u);
  // The debtor's language is kept with what they were told.
  EXPECT_NE((*queue)[0].violations[0].message.find("cuotas"), std::string::npos);
  // Another tenant sees no queue and cannot decide it.
  EXPECT_TRUE(ListPlanApprovals(db_->database(), 2, pending)->empty());
  auto foreign = ApprovePlan(db_->database(), 2, id, "", kToday, Manager());
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);

  auto approved = ApprovePlan(db_->database(), 1, id, "cliente de años", D("2026-11-03"), Manager());
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->status, kApprovalApproved);
  EXPECT_EQ(approved->decided_by, "user:gerente@empresa.co");
  EXPECT_EQ(approved->decision_reason, "cliente de años");
  EXPECT_EQ(approved->plan.status, kPlanActive);
  ASSERT_TRUE(approved->plan.acceptance);
  EXPECT_EQ(approved->plan.acceptance->accepted_by, "debtor");
  EXPECT_EQ(approved->plan.acceptance->channel, "portal");
  EXPECT_EQ(approved->plan.acceptance->user_agent, "Phone/1.0");
  EXPECT_EQ(approved->plan.accepted_on, D("2026-11-03"));
  EXPECT_TRUE(ListPlanApprovals(db_->database(), 1, pending)->empty());
  auto twice = ApprovePlan(db_->database(), 1, id, "", kToday, Manager());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto rejected_after = RejectPlan(db_->database(), 1, id, "no", Manager());
  ASSERT_FALSE(rejected_after);
  EXPECT_EQ(rejected_after.error().code, ErrorCode::kConflict);
  EXPECT_EQ(AuditRows("plan_approval"), 2);  // the request and the decision
}

TEST_P(PlanApprovalTest, ARejectionCancelsThePlanAndFreesTheInvoices) {
  auto outcome = SubmitPortalPlan(db_->database(), 1, Request(c2_, 12, 0), kToday, Debtor());
  ASSERT_TRUE(outcome) << outcome.error().message;
  const int64_t id = outcome->plan.id;
  auto empty = RejectPlan(db_->database(), 1, id, "  ", Manager());
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kBadInput);
  auto rejected = RejectPlan(db_->database(), 1, id, "sin cuota inicial", Manager());
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->status, kApprovalRejected);
  EXPECT_EQ(rejected->plan.status, kPlanCancelled);
  // The debtor may build another one now, within the limits.
  auto next = SubmitPortalPlan(db_->database(), 1, Request(c2_, 2, 100'000'00), kToday, Debtor());
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->plan.status, kPlanActive);
  PlanApprovalFilter decided;
  decided.status = std::string(kApprovalRejected);
  EXPECT_EQ(ListPlanApprovals(db_->database(), 1, decided)->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanApprovalTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
