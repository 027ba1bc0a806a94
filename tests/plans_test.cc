// Payment plans (agreements/payment_plans.h) on SQLite and PostgreSQL:
// propose, accept with its record and the terms' hash, overlap refused,
// cancel, and the run's installment tracking with dates passed in:
// payments to the down payment and installments in order, missed, broken,
// completed, events and audit; the invoices held while a plan is active.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/secrets.h"
#include "agreements/payment_plans.h"
#include "report/customer_list.h"
#include "agreements/plan_tracking.h"
#include "collection/held_invoices.h"
#include "collection/run.h"
#include "core/time_zone.h"
#include "importer/import.h"
#include "pdf/pdf_test_support.h"
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

class PlansTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Import(ImportKind::kCustomers, "customers.csv", kCustomers);
    Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
    ASSERT_TRUE(db_->database().Execute(
        "INSERT INTO webhook_endpoints (tenant_id, url, events, secret_sealed, description, created_at) VALUES (1, "
        "'https://erp.example.com/cartera', '[\"plan.accepted\",\"plan.broken\",\"plan.completed\"]', 'sealed', '', "
        "'2026-11-01T00:00:00Z')"));
    c1_ = *CustomerIdByExternalId(db_->database(), 1, "C1", Language::kEnglish);
    c2_ = *CustomerIdByExternalId(db_->database(), 1, "C2", Language::kEnglish);
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

  void Pay(const char* id, const char* customer, const char* date, const char* amount) {
    Import(ImportKind::kPayments, fmt::format("{}.csv", id),
           fmt::format("external_id,customer_external_id,date,currency,amount,method,reference\n"
                       "{},{},{},COP,{},transfer,R-{}\n",
                       id, customer, date, amount, id));
  }

  static AuditContext At(const char* at, Language language = Language::kEnglish) {
    return {"user:ana@empresa.co", at, "plans_test", language};
  }

  PlanProposal Proposal(int64_t customer, int32_t installments, const char* first) {
    PlanProposal proposal;
    proposal.customer_id = customer;
    proposal.installments = installments;
    proposal.first_date = D(first);
    proposal.frequency = PlanFrequency::kMonthly;
    proposal.missed_to_break = 2;
    return proposal;
  }

  PlanRecord ProposeAndAccept(const PlanProposal& proposal, const char* on = "2026-11-02") {
    const std::string at = fmt::format("{}T15:00:00Z", on);
    auto plan = ProposePlan(db_->database(), 1, proposal, D(on), At(at.c_str()));
    EXPECT_TRUE(plan) << plan.error().message;
    if (!plan) return {};
    PlanAcceptance acceptance{plan->id, "user:ana@empresa.co", "phone", "", "", D(on)};
    auto accepted = AcceptPlan(db_->database(), 1, acceptance, At(at.c_str()));
    EXPECT_TRUE(accepted) << accepted.error().message;
    return accepted ? *accepted : PlanRecord{};
  }

  void RunOn(const char* business_date) {
    const std::string at = fmt::format("{}T15:00:00Z", business_date);
    auto report = RunCollection(db_->database(), RunOptions{1, D(business_date), *ParseUtc(at), false,
                                                             At(at.c_str()), std::nullopt, std::nullopt});
    ASSERT_TRUE(report) << report.error().message;
  }

  PlanRecord Plan(int64_t id) {
    auto plan = GetPlan(db_->database(), 1, id, Language::kEnglish);
    EXPECT_TRUE(plan) << plan.error().message;
    return plan ? *plan : PlanRecord{};
  }

  std::vector<std::string> Statuses(int64_t id) {
    std::vector<std::string> statuses;
    for (const Installment& installment : Plan(id).installments) statuses.push_back(installment.status);
    return statuses;
  }

  int64_t Events(const char* type) {
    return db_->Count(fmt::format("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = '{}'", type));
  }

  // The invoice ids the engine holds from dunning.
  std::set<int64_t> Held() {
    std::set<int64_t> held;
    auto query = db_->database().Prepare(HeldInvoicesSql(""));
    EXPECT_TRUE(query);
    (*query)->BindInt64(1, 1);
    while (*(*query)->Step()) held.insert((*query)->GetInt64(0));
    return held;
  }

  int64_t InvoiceId(const char* external_id) {
    return db_->Count(fmt::format("SELECT id FROM invoices WHERE external_id = '{}'", external_id));
  }

  std::unique_ptr<TestDatabase> db_;
  int64_t c1_ = 0, c2_ = 0;
};

TEST_P(PlansTest, ProposeStoresTheScheduleAndAcceptRecordsWhoHowAndTheTermsHash) {
  PlanProposal proposal = Proposal(c1_, 3, "2026-11-30");
  proposal.down_payment_minor = 100'000'00;
  auto plan = ProposePlan(db_->database(), 1, proposal, D("2026-11-02"), At("2026-11-02T15:00:00Z"));
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->status, "proposed");
  EXPECT_EQ(plan->currency, "COP");
  EXPECT_EQ(plan->balance_minor, 1'000'000'00);
  EXPECT_EQ(plan->financed_minor, 900'000'00);
  EXPECT_EQ(plan->total_minor, 1'000'000'00);
  ASSERT_EQ(plan->invoices.size(), 2u);
  EXPECT_EQ(plan->invoices[0].number, "FV-1");  // oldest due first
  const PlanRecord stored = Plan(plan->id);
  ASSERT_EQ(stored.installments.size(), 3u);
  EXPECT_EQ(stored.installments[0].due_date, D("2026-11-30"));
  EXPECT_EQ(stored.installments[1].due_date, D("2026-12-30"));
  EXPECT_EQ(stored.installments[2].due_date, D("2027-01-30"));
  for (const Installment& installment : stored.installments) EXPECT_EQ(installment.amount_minor, 300'000'00);
  EXPECT_EQ(stored.created_by, "user:ana@empresa.co");
  EXPECT_FALSE(stored.acceptance);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'payment_plan' AND action = 'create'"), 1);
  EXPECT_TRUE(Held().empty()) << "a proposal holds nothing";

  auto terms = PlanTermsPdf(db_->database(), 1, plan->id, Language::kEnglish);
  ASSERT_TRUE(terms) << terms.error().message;
  EXPECT_EQ(terms->rfind("%PDF-", 0), 0u);

  PlanAcceptance acceptance{plan->id, "user:ana@empresa.co", "phone", "", "", D("2026-11-03")};
  auto accepted = AcceptPlan(db_->database(), 1, acceptance, At("2026-11-03T16:00:00Z"));
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->status, "active");
  const PlanRecord active = Plan(plan->id);
  ASSERT_TRUE(active.acceptance);
  EXPECT_EQ(active.acceptance->channel, "phone");
  EXPECT_EQ(active.acceptance->accepted_by, "user:ana@empresa.co");
  EXPECT_EQ(active.acceptance->accepted_at, "2026-11-03T16:00:00Z");
  EXPECT_EQ(active.accepted_on, D("2026-11-03"));
  // The same terms give the same bytes: the hash recorded is the PDF's.
  auto again = PlanTermsPdf(db_->database(), 1, plan->id, Language::kEnglish);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *terms);
  EXPECT_EQ(active.acceptance->terms_sha256, access::Sha256Hex(*terms));
  EXPECT_EQ(Held(), (std::set<int64_t>{InvoiceId("I1"), InvoiceId("I2")}));
  EXPECT_EQ(Events("plan.accepted"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'payment_plan' AND action = 'update' AND "
                       "after_json LIKE '%\"phone\"%\"active\"%'"),
            1);
  const nlohmann::json json = PlanJson(active);
  EXPECT_EQ(json["object"], "payment_plan");
  EXPECT_EQ(json["total"]["amount"], "1000000.00");
  EXPECT_EQ(json["installments"][2]["due_date"], "2027-01-30");
  EXPECT_EQ(json["acceptance"]["channel"], "phone");

  // Accepting twice is a conflict; another tenant sees nothing.
  auto twice = AcceptPlan(db_->database(), 1, acceptance, At("2026-11-03T16:00:00Z"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto other = GetPlan(db_->database(), 2, plan->id, Language::kSpanish);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(other.error().message, fmt::format("no hay un acuerdo de pago con id {}", plan->id));
}

TEST_P(PlansTest, OneActivePlanPerInvoice) {
  const PlanRecord first = ProposeAndAccept(Proposal(c1_, 2, "2026-11-30"));
  ASSERT_EQ(first.status, "active");
  PlanProposal again = Proposal(c1_, 2, "2026-11-30");
  again.invoice_ids = {InvoiceId("I2")};
  auto refused = ProposePlan(db_->database(), 1, again, D("2026-11-02"), At("2026-11-02T15:00:00Z", Language::kSpanish));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().message, fmt::format("la factura FV-2 ya está en el acuerdo de pago activo {}", first.id));

  // Two proposals on the same invoice: the second acceptance is refused.
  ASSERT_TRUE(CancelPlan(db_->database(), 1, first.id, "renegotiated", At("2026-11-02T16:00:00Z")));
  auto a = ProposePlan(db_->database(), 1, again, D("2026-11-02"), At("2026-11-02T17:00:00Z"));
  auto b = ProposePlan(db_->database(), 1, again, D("2026-11-02"), At("2026-11-02T17:00:00Z"));
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(AcceptPlan(db_->database(), 1, {a->id, "debtor", "portal", "203.0.113.9", "Mozilla/5.0", D("2026-11-02")},
                         At("2026-11-02T18:00:00Z")));
  auto second = AcceptPlan(db_->database(), 1, {b->id, "user:ana", "email", "", "", D("2026-11-02")},
                           At("2026-11-02T18:00:00Z"));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ(second.error().message, fmt::format("invoice FV-2 is already in active payment plan {}", a->id));
  const PlanRecord portal = Plan(a->id);
  ASSERT_TRUE(portal.acceptance);
  EXPECT_EQ(portal.acceptance->ip, "203.0.113.9");
  EXPECT_EQ(portal.acceptance->user_agent, "Mozilla/5.0");
  EXPECT_EQ(Plan(b->id).status, "proposed");
}

TEST_P(PlansTest, BadProposalsAreRefusedNamingTheField) {
  auto refuse = [&](PlanProposal proposal, const std::string& starts, Language language = Language::kEnglish) {
    auto plan = ProposePlan(db_->database(), 1, proposal, D("2026-11-02"), At("2026-11-02T15:00:00Z", language));
    ASSERT_FALSE(plan) << starts;
    EXPECT_EQ(plan.error().message.rfind(starts, 0), 0u) << plan.error().message;
  };
  refuse(Proposal(c1_, 3, "2026-11-01"), "first_date: 2026-11-01 is in the past");
  refuse(Proposal(c1_, 0, "2026-11-30"), "installments:");
  PlanProposal whole = Proposal(c1_, 3, "2026-11-30");
  whole.down_payment_minor = 1'000'000'00;  // the whole balance
  refuse(whole, "down_payment: debe ser menor", Language::kSpanish);
  PlanProposal foreign = Proposal(c1_, 3, "2026-11-30");
  foreign.invoice_ids = {InvoiceId("I1"), InvoiceId("I3")};  // I3 is C2's
  refuse(foreign, "invoice_ids/1: the customer has no invoice with id");
  PlanProposal dollars = Proposal(c1_, 3, "2026-11-30");
  dollars.currency = "USD";
  refuse(dollars, "invoice_ids: the customer has no open, undisputed invoices in USD");
  PlanProposal unknown = Proposal(999, 3, "2026-11-30");
  refuse(unknown, "customer_id: no customer with id 999");
  PlanProposal portal = Proposal(c1_, 3, "2026-11-30");
  portal.source = "fax";
  refuse(portal, "source:");
  // A disputed invoice is left out of "every open invoice", and refused by name.
  ASSERT_TRUE(db_->database().Execute(fmt::format(
      "INSERT INTO disputes (tenant_id, customer_id, invoice_id, reason, status, opened_at) VALUES (1, {}, {}, "
      "'wrong_amount', 'open', '2026-11-01T00:00:00Z')",
      c1_, InvoiceId("I2"))));
  auto all = ProposePlan(db_->database(), 1, Proposal(c1_, 3, "2026-11-30"), D("2026-11-02"), At("2026-11-02T15:00:00Z"));
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->balance_minor, 600'000'00);
  PlanProposal disputed = Proposal(c1_, 3, "2026-11-30");
  disputed.invoice_ids = {InvoiceId("I2")};
  refuse(disputed, "invoice_ids/0: invoice FV-2 has an open dispute");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM payment_plans"), 1) << "nothing half written";
}

TEST_P(PlansTest, PaymentsApplyToTheDownPaymentThenInstallmentsInOrderUntilCompleted) {
  PlanProposal proposal = Proposal(c1_, 3, "2026-11-30");
  proposal.down_payment_minor = 100'000'00;
  const PlanRecord plan = ProposeAndAccept(proposal, "2026-11-02");
  ASSERT_EQ(plan.status, "active");
  Pay("P1", "C1", "2026-11-03", "100000.00");
  RunOn("2026-11-05");
  EXPECT_EQ(Plan(plan.id).paid_minor, 100'000'00);
  EXPECT_EQ(Statuses(plan.id), (std::vector<std::string>{"pending", "pending", "pending"}));
  Pay("P2", "C1", "2026-11-29", "450000.00");
  // A payment dated after the business date is not seen yet.
  RunOn("2026-11-28");
  EXPECT_EQ(Plan(plan.id).paid_minor, 100'000'00);
  RunOn("2026-12-01");
  PlanRecord tracked = Plan(plan.id);
  EXPECT_EQ(tracked.paid_minor, 550'000'00);
  EXPECT_EQ(Statuses(plan.id), (std::vector<std::string>{"paid", "partially_paid", "pending"}));
  EXPECT_EQ(tracked.installments[0].paid_minor, 300'000'00);
  EXPECT_EQ(tracked.installments[1].paid_minor, 150'000'00);
  EXPECT_EQ(tracked.missed_count, 0);
  EXPECT_EQ(Held().size(), 2u);
  // The rest: the invoices are paid, the plan is completed and holds nothing.
  Pay("P3", "C1", "2026-12-28", "450000.00");
  RunOn("2026-12-29");
  tracked = Plan(plan.id);
  EXPECT_EQ(tracked.status, "completed");
  EXPECT_EQ(tracked.ended_on, D("2026-12-29"));
  EXPECT_EQ(Statuses(plan.id), (std::vector<std::string>{"paid", "paid", "paid"}));
  EXPECT_TRUE(Held().empty());
  EXPECT_EQ(Events("plan.completed"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'payment_plan' AND action = 'update' AND after_json LIKE '%\"completed\"%'"), 1);
  // A later run changes nothing.
  RunOn("2026-12-30");
  EXPECT_EQ(Events("plan.completed"), 1);
}

TEST_P(PlansTest, MissedInstallmentsBreakThePlanAndTheBalanceIsCollectibleAgain) {
  const PlanRecord plan = ProposeAndAccept(Proposal(c2_, 3, "2026-11-10"), "2026-11-02");
  ASSERT_EQ(plan.status, "active");
  EXPECT_EQ(Held(), (std::set<int64_t>{InvoiceId("I3")}));
  // Due 11-10 with the default 2 days of grace: not missed on 11-12.
  RunOn("2026-11-12");
  EXPECT_EQ(Statuses(plan.id), (std::vector<std::string>{"pending", "pending", "pending"}));
  RunOn("2026-11-13");
  EXPECT_EQ(Statuses(plan.id), (std::vector<std::string>{"missed", "pending", "pending"}));
  EXPECT_EQ(Plan(plan.id).missed_count, 1);
  EXPECT_EQ(Plan(plan.id).status, "active");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'payment_plan' AND action = 'update' AND after_json LIKE '%missed_count\":1%'"), 1);
  // A partial payment after the date does not cure the first installment fully.
  Pay("P1", "C2", "2026-11-20", "100000.00");
  RunOn("2026-11-21");
  PlanRecord tracked = Plan(plan.id);
  EXPECT_EQ(tracked.installments[0].paid_minor, 100'000'00);
  EXPECT_EQ(tracked.installments[0].status, "missed");
  // The second installment (12-10) missed too: broken.
  RunOn("2026-12-13");
  tracked = Plan(plan.id);
  EXPECT_EQ(tracked.status, "broken");
  EXPECT_EQ(tracked.missed_count, 2);
  EXPECT_EQ(tracked.ended_on, D("2026-12-13"));
  EXPECT_TRUE(Held().empty()) << "the balance is collectible again";
  EXPECT_EQ(Events("plan.broken"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'payment_plan' AND action = 'update' AND after_json LIKE '%\"broken\"%'"), 1);
  // A broken plan is no longer tracked or cancellable.
  RunOn("2027-01-13");
  EXPECT_EQ(Plan(plan.id).missed_count, 2);
  auto cancel = CancelPlan(db_->database(), 1, plan.id, "late", At("2027-01-13T15:00:00Z"));
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().code, ErrorCode::kConflict);
}

TEST_P(PlansTest, AnUnpaidDownPaymentCountsAsMissed) {
  PlanProposal proposal = Proposal(c2_, 2, "2026-12-02");
  proposal.down_payment_minor = 200'000'00;
  proposal.missed_to_break = 1;
  const PlanRecord plan = ProposeAndAccept(proposal, "2026-11-02");
  RunOn("2026-11-04");
  EXPECT_EQ(Plan(plan.id).status, "active");
  RunOn("2026-11-05");
  EXPECT_EQ(Plan(plan.id).status, "broken");
}

TEST_P(PlansTest, CancelReleasesTheInvoicesAndListFilters) {
  const PlanRecord plan = ProposeAndAccept(Proposal(c1_, 2, "2026-11-30"));
  auto empty = CancelPlan(db_->database(), 1, plan.id, "", At("2026-11-04T15:00:00Z"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "reason: give the reason");
  auto cancelled = CancelPlan(db_->database(), 1, plan.id, "the debtor asked", At("2026-11-04T15:00:00Z"));
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(Plan(plan.id).cancel_reason, "the debtor asked");
  EXPECT_TRUE(Held().empty());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'payment_plan' AND action = 'update' AND after_json LIKE '%\"cancelled\"%'"), 1);
  auto missing = CancelPlan(db_->database(), 2, plan.id, "x", At("2026-11-04T15:00:00Z"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  ProposeAndAccept(Proposal(c2_, 2, "2026-11-30"));
  PlanFilter filter;
  auto all = ListPlans(db_->database(), 1, filter);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  filter.status = "active";
  auto active = ListPlans(db_->database(), 1, filter);
  ASSERT_TRUE(active);
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ(active->front().customer_external_id, "C2");
  EXPECT_EQ(active->front().installments.size(), 2u);
  filter.status.reset();
  filter.customer_id = c1_;
  auto mine = ListPlans(db_->database(), 1, filter);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().status, "cancelled");
  filter.customer_id.reset();
  filter.status = "open";
  EXPECT_FALSE(ListPlans(db_->database(), 1, filter));
  EXPECT_TRUE(ListPlans(db_->database(), 2, PlanFilter{})->empty());
}

// The terms say what the debtor agrees to, in their language: the invoices,
// the schedule, the interest and what a missed installment means.
TEST_P(PlansTest, TheTermsPdfSaysTheScheduleAndTheConsequencesInTheDebtorsLanguage) {
  SKIP_WITHOUT_POPPLER();
  PlanProposal proposal = Proposal(c1_, 3, "2027-01-31");
  proposal.down_payment_minor = 100'000'00;
  proposal.annual_interest = *compliance::Rate::ParsePercent("24");
  proposal.interest_cap = *compliance::Rate::ParsePercent("28.04");
  proposal.missed_to_break = 3;
  auto plan = ProposePlan(db_->database(), 1, proposal, D("2026-11-02"), At("2026-11-02T15:00:00Z"));
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_GT(plan->interest_minor, 0);
  auto spanish = PlanTermsPdf(db_->database(), 1, plan->id, Language::kEnglish);
  ASSERT_TRUE(spanish) << spanish.error().message;
  const std::string text = pdf::testing::PdfText(*spanish);
  for (const char* expected : {"ACUERDO DE PAGO", "Ferretería Ñandú S.A.S.", "FV-1", "FV-2", "31/01/2027",
                               "28/02/2027", "31/03/2027", "Cuota inicial", "24,00% efectivo anual",
                               "Si 3 cuota(s) quedan incumplidas", "el saldo pendiente de las facturas vuelve a ser"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  ASSERT_TRUE(db_->database().Execute(fmt::format("UPDATE customers SET language = 'en' WHERE id = {}", c1_)));
  auto english = PlanTermsPdf(db_->database(), 1, plan->id, Language::kSpanish);
  ASSERT_TRUE(english);
  const std::string words = pdf::testing::PdfText(*english);
  for (const char* expected : {"PAYMENT PLAN", "Down payment", "24.00% effective annual",
                               "If 3 installment(s) are missed", "due again"}) {
    EXPECT_NE(words.find(expected), std::string::npos) << expected << "\n" << words;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, PlansTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
