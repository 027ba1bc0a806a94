// Credit policy over a real database, on SQLite and PostgreSQL
// (docs/credit-policy.md): the daily run puts a customer on hold for
// exposure over its limit and for days past due, releases it when paid,
// emits customer.credit_hold_changed once per change and audits it; a
// recorded review restarts the review timer (and may change the limit); a
// broken promise after it makes the next review due at once.
#include <gtest/gtest.h>

#include <algorithm>

#include "collection/run.h"
#include "collection/worklist.h"
#include "core/time_zone.h"
#include "credit/credit_policy.h"
#include "credit/credit_reviews.h"
#include "importer/import.h"
#include "report/customer_list.h"
#include "report/customer_record.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

// C1: limit 1,000,000 COP, owes 1,500,000 not yet due (over the limit).
// C2: limit 5,000,000 COP, owes 200,000 due 2026-09-01 (80 days late on
//     2026-11-20: all its balance over 60 days, segment "high_risk", held
//     past 30 days and reviewed every 3 months).
// C3: no limit, owes 100,000 due 2026-11-10 (10 days late).
constexpr const char* kCustomers =
    "external_id,name,tax_id,country,email,credit_limit,currency\n"
    "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,1000000.00,COP\n"
    "C2,Distribuidora Sol,900222333-1,CO,cartera@sol.com.co,5000000.00,COP\n"
    "C3,Tienda Luna,900444555-2,CO,luna@luna.com.co,,COP\n";
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2026-10-01,2026-11-30,COP,1500000.00\n"
    "I2,C2,FV-2,2026-08-01,2026-09-01,COP,200000.00\n"
    "I3,C3,FV-3,2026-10-10,2026-11-10,COP,100000.00\n";

const Timestamp kNow = *ParseUtc("2026-11-20T15:00:00Z");

class CreditPolicyTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Import(ImportKind::kCustomers, "customers.csv", kCustomers);
    Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
    // An endpoint that wants the event: each change queues one delivery.
    ASSERT_TRUE(db_->database().Execute(
        "INSERT INTO webhook_endpoints (tenant_id, url, events, secret_sealed, description, created_at) VALUES "
        "(1, 'https://erp.example.co/hooks', '[\"customer.credit_hold_changed\"]', 'x', NULL, "
        "'2026-01-01T00:00:00Z')"));
  }

  void Import(ImportKind kind, const std::string& name, const std::string& content) {
    ImportOptions options;
    options.kind = kind;
    options.path = db_->WriteFile(name, content);
    options.tenant_id = 1;
    options.audit = {"test", "2026-01-10T12:00:00Z", name};
    auto report = RunImport(db_->database(), options);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->ok());
  }

  AuditContext At(const std::string& at) const { return {"user:ana@example.com", at, "test", Language::kEnglish}; }

  void RunOn(const std::string& day, const std::string& at) {
    auto report = RunCollection(db_->database(), RunOptions{1, *Date::ParseIso(day), *ParseUtc(at), false,
                                                            At(at), std::nullopt, std::nullopt});
    ASSERT_TRUE(report) << report.error().message;
  }

  std::string Hold(const std::string& customer) {
    return db_->Text(
        "SELECT CAST(h.on_hold AS TEXT) || ':' || h.hold_reasons || ':' || COALESCE(h.hold_since, '') FROM "
        "customer_credit h JOIN customers c ON c.id = h.customer_id WHERE c.external_id = '" + customer + "'");
  }

  int64_t Events() {
    return db_->Count("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'customer.credit_hold_changed'");
  }
  int64_t HoldAudits() { return db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer_credit_hold'"); }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(CreditPolicyTest, RunHoldsOverLimitAndLateCustomersAndReleasesWhenPaid) {
  RunOn("2026-11-20", "2026-11-20T13:00:00Z");
  EXPECT_EQ(Hold("C1"), "1:over_limit:2026-11-20");
  EXPECT_EQ(Hold("C2"), "1:days_past_due:2026-11-20");
  EXPECT_EQ(Hold("C3"), "0::");  // never on hold (its row holds its review)
  EXPECT_EQ(Events(), 2);
  EXPECT_EQ(HoldAudits(), 2);
  const std::string payload = db_->Text(
      "SELECT payload FROM webhook_deliveries WHERE event_type = 'customer.credit_hold_changed' AND payload LIKE "
      "'%\"C1\"%'");
  auto event = nlohmann::json::parse(payload);
  EXPECT_EQ(event["data"]["customer"]["external_id"], "C1");
  EXPECT_EQ(event["data"]["on_hold"], true);
  EXPECT_EQ(event["data"]["reasons"], nlohmann::json::array({"over_limit"}));
  EXPECT_EQ(event["data"]["exposure"], (nlohmann::json{{"amount", "1500000.00"}, {"currency", "COP"}}));
  EXPECT_EQ(event["data"]["limit"], (nlohmann::json{{"amount", "1000000.00"}, {"currency", "COP"}}));

  // The same day again: nothing changed, nothing emitted or audited.
  RunOn("2026-11-20", "2026-11-20T14:00:00Z");
  EXPECT_EQ(Events(), 2);
  EXPECT_EQ(HoldAudits(), 2);

  // Visible in the list (?on_hold) and on the customer.
  CustomerListQuery held;
  held.as_of = *Date::ParseIso("2026-11-20");
  held.on_hold = true;
  auto list = ListCustomers(db_->database(), 1, held, Language::kEnglish);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->rows.size(), 2u);
  EXPECT_EQ(list->rows[0].external_id, "C1");
  EXPECT_EQ(list->rows[1].hold_reasons, "days_past_due");
  EXPECT_EQ(CustomerListRowJson(list->rows[0])["hold_reasons"], nlohmann::json::array({"over_limit"}));
  held.on_hold = false;
  list = ListCustomers(db_->database(), 1, held, Language::kEnglish);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->rows.size(), 1u);
  EXPECT_EQ(list->rows[0].external_id, "C3");
  auto record = LoadCustomerRecord(db_->database(), 1, "C1", *Date::ParseIso("2026-11-20"), Language::kEnglish);
  ASSERT_TRUE(record) << record.error().message;
  const nlohmann::json credit = CustomerRecordJson(*record)["credit"];
  EXPECT_EQ(credit["on_hold"], true);
  EXPECT_EQ(credit["exposure"]["amount"], "1500000.00");
  EXPECT_EQ(credit["limit"]["amount"], "1000000.00");

  // C1 pays 600,000: exposure 900,000 is within the limit, so it is released.
  Import(ImportKind::kPayments, "payments.csv",
         "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
         "P1,C1,2026-11-21,COP,600000.00,transferencia,REF1,I1\n");
  RunOn("2026-11-21", "2026-11-21T13:00:00Z");
  EXPECT_EQ(Hold("C1"), "0::2026-11-21");
  EXPECT_EQ(Hold("C2"), "1:days_past_due:2026-11-20");  // still held: since stays
  EXPECT_EQ(Events(), 3);
  EXPECT_EQ(HoldAudits(), 3);
  const auto after = nlohmann::json::parse(
      db_->Text("SELECT after_json FROM audit_log WHERE entity = 'customer_credit_hold' ORDER BY id DESC LIMIT 1"));
  EXPECT_EQ(after["on_hold"], false);
  EXPECT_EQ(after["reasons"], nlohmann::json::array());
  EXPECT_EQ(after["exposure"]["amount"], "900000.00");
}

TEST_P(CreditPolicyTest, PolicyChangesAreAuditedAndDecideTheNextRun) {
  RunOn("2026-11-20", "2026-11-20T13:00:00Z");
  ASSERT_EQ(Hold("C2"), "1:days_past_due:2026-11-20");
  credit::CreditRuleChange longer;
  longer.segment = "high_risk";
  longer.hold_days_past_due = std::optional<int32_t>(100);
  auto changed = credit::ChangeCreditPolicy(db_->database(), 1, {longer}, At("2026-11-20T16:00:00Z"));
  ASSERT_TRUE(changed) << changed.error().error.message;
  EXPECT_EQ(changed->For("high_risk").hold_days_past_due, 100);
  EXPECT_FALSE(changed->is_default[2]);
  EXPECT_TRUE(changed->is_default[3]);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'credit_policy'"), 1);
  RunOn("2026-11-20", "2026-11-20T17:00:00Z");
  EXPECT_EQ(Hold("C2"), "0::2026-11-20");

  credit::CreditRuleChange bad;
  bad.segment = "new";
  bad.review_months = 0;
  auto refused = credit::ChangeCreditPolicy(db_->database(), 1, {bad}, At("2026-11-20T18:00:00Z"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "review_months");
  bad.segment = "vip";
  refused = credit::ChangeCreditPolicy(db_->database(), 1, {bad}, At("2026-11-20T18:00:00Z"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "segment");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'credit_policy'"), 1);
}

TEST_P(CreditPolicyTest, AReviewRestartsTheTimerAndABrokenPromiseMakesItDueAgain) {
  // Created 2026-01-10; "new" reviews every 6 months, high_risk every 3: due.
  RunOn("2026-11-20", "2026-11-20T13:00:00Z");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM customer_credit WHERE review_due = 1"), 3);
  auto worklist = LoadWorklist(db_->database(), 1, std::nullopt, 50);
  ASSERT_TRUE(worklist) << worklist.error().message;
  const auto reviews = std::count_if(worklist->begin(), worklist->end(),
                                     [](const WorklistTask& task) { return task.kind == "credit_review"; });
  EXPECT_EQ(reviews, 3);
  for (const WorklistTask& task : *worklist) {
    if (task.kind != "credit_review") continue;
    EXPECT_EQ(task.review_reason, "periodic");
    EXPECT_EQ(task.review_due_on, task.customer_external_id == "C2" ? "2026-04-10" : "2026-07-10")
        << task.customer_external_id;
    EXPECT_EQ(WorklistTaskJson(task)["credit_review"]["reason"], "periodic");
  }

  credit::CreditReviewRequest request{"C2", std::string("7500000.00"), "Pays late but small amounts; raise", *Date::ParseIso("2026-11-20")};
  auto review = credit::RecordCreditReview(db_->database(), 1, request, At("2026-11-20T16:00:00Z"));
  ASSERT_TRUE(review) << review.error().error.message;
  EXPECT_EQ(review->limit_before_minor, 500000000);
  EXPECT_EQ(review->limit_after_minor, 750000000);
  EXPECT_EQ(db_->Count("SELECT credit_limit_minor FROM customers WHERE external_id = 'C2'"), 750000000);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'credit_review'"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND after_json LIKE "
                       "'%7500000.00%'"),
            1);
  // The next run: C2 is not due (reviewed today, next in 3 months).
  RunOn("2026-11-21", "2026-11-21T13:00:00Z");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM customer_credit h JOIN customers c ON c.id = h.customer_id WHERE "
                       "c.external_id = 'C2' AND h.review_due = 0 AND h.last_reviewed_on = '2026-11-20'"),
            1);
  auto record = LoadCustomerRecord(db_->database(), 1, "C2", *Date::ParseIso("2026-11-21"), Language::kEnglish);
  ASSERT_TRUE(record);
  EXPECT_EQ(CustomerRecordJson(*record)["credit"]["review_due_on"], "2027-02-20");

  // A promise broken after the review: due at once.
  ASSERT_TRUE(db_->database().Execute(
      "INSERT INTO promises (tenant_id, customer_id, promised_date, currency, amount_minor, status, source, "
      "created_at, resolved_at) SELECT 1, id, '2026-11-22', 'COP', 1000, 'broken', 'test', "
      "'2026-11-21T10:00:00Z', '2026-11-23T13:00:00Z' FROM customers WHERE external_id = 'C2'"));
  RunOn("2026-11-23", "2026-11-23T14:00:00Z");
  EXPECT_EQ(db_->Text("SELECT h.review_reason || ':' || h.review_since FROM customer_credit h JOIN customers c ON "
                      "c.id = h.customer_id WHERE c.external_id = 'C2' AND h.review_due = 1"),
            "broken_promise:2026-11-23");

  // Bad input names its field; another tenant's customer is not found.
  request.note = "";
  auto refused = credit::RecordCreditReview(db_->database(), 1, request, At("2026-11-23T15:00:00Z"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "note");
  request.note = "ok";
  request.new_limit = "12.345";
  refused = credit::RecordCreditReview(db_->database(), 1, request, At("2026-11-23T15:00:00Z"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "limit");
  refused = credit::RecordCreditReview(db_->database(), 2, request, At("2026-11-23T15:00:00Z"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().error.code, ErrorCode::kNotFound);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_reviews"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CreditPolicyTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
