// Promises settled by the run (collection/promise_settlement.h), on SQLite
// and PostgreSQL: kept early, partially kept, broken, payments dated after
// the business date or before the promise ignored, a second run the same
// day changing nothing; the promise JSON with its payments, and the
// promise-kept report (collection/promise_report.h).
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "collection/promise_report.h"
#include "collection/promise_settlement.h"
#include "collection/records.h"
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
    "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,+57 300 123 4567\n"
    "C2,Tienda Dos,900123457-6,CO,pagos@dos.com.co,+57 300 123 4568\n"
    "C3,Tienda Tres,900123458-4,CO,pagos@tres.com.co,+57 300 123 4569\n"
    "C4,Tienda Cuatro,900123459-2,CO,pagos@cuatro.com.co,+57 300 123 4570\n";
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2026-09-01,2026-10-01,COP,1000000.00\n"
    "I2,C2,FV-2,2026-09-01,2026-10-01,COP,1000000.00\n"
    "I3,C3,FV-3,2026-09-01,2026-10-01,COP,1000000.00\n"
    "I4,C4,FV-4,2026-09-01,2026-10-01,COP,1000000.00\n";
// C1 pays its promise in full early; C2 a part within the grace; C3 the
// day before it promised anything; C4 on 11-09, which a run on 11-08 must
// not see yet.
constexpr const char* kPayments =
    "external_id,customer_external_id,date,currency,amount,method,reference\n"
    "P1,C1,2026-11-05,COP,500000.00,transfer,R1\n"
    "P2,C2,2026-11-11,COP,200000.00,transfer,R2\n"
    "P3,C3,2026-11-01,COP,300000.00,transfer,R3\n"
    "P4,C4,2026-11-09,COP,400000.00,transfer,R4\n";

class PromiseOutcomesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Import(ImportKind::kCustomers, "customers.csv", kCustomers);
    Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
    // Promises made on 2026-11-02 for 11-10 (the default strategy's grace
    // is 2 days: payments count through 11-12).
    for (auto [customer, amount] : {std::pair{"C1", "500000.00"}, std::pair{"C2", "500000.00"},
                                    std::pair{"C3", "300000.00"}, std::pair{"C4", "400000.00"}}) {
      auto id = AddPromise(db_->database(), 1, customer, D("2026-11-10"), amount, std::nullopt, "test", "",
                           At("2026-11-02T15:00:00Z"));
      ASSERT_TRUE(id) << id.error().message;
    }
    Import(ImportKind::kPayments, "payments.csv", kPayments);
    ASSERT_TRUE(db_->database().Execute(
        "INSERT INTO webhook_endpoints (tenant_id, url, events, secret_sealed, description, created_at) VALUES (1, "
        "'https://erp.example.com/cartera', '[\"promise.kept\",\"promise.broken\"]', 'sealed', '', "
        "'2026-11-01T00:00:00Z')"));
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

  static AuditContext At(const char* at) { return {"test", at, "promise_outcomes_test"}; }

  void RunOn(const char* business_date) {
    const std::string at = fmt::format("{}T15:00:00Z", business_date);
    auto report = RunCollection(db_->database(), RunOptions{1, D(business_date), *ParseUtc(at), false,
                                                             At(at.c_str()), std::nullopt, std::nullopt});
    ASSERT_TRUE(report) << report.error().message;
  }

  std::string Field(const char* customer, const char* column) {
    return db_->Text(fmt::format("SELECT {} FROM promises p JOIN customers c ON c.id = p.customer_id WHERE "
                                 "c.external_id = '{}'",
                                 column, customer));
  }

  int64_t Events(const char* type) {
    return db_->Count(fmt::format("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = '{}'", type));
  }

  int64_t SettledAudits() {
    return db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'promise' AND action = 'update'");
  }

  PromiseRecord Promise(const char* customer) {
    auto records = ListPromises(db_->database(), 1, std::string(customer), std::nullopt);
    EXPECT_TRUE(records && records->size() == 1u);
    return records && !records->empty() ? records->front() : PromiseRecord{};
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(PromiseOutcomesTest, KeptAsSoonAsPaidAndOnlyWithWhatTheBooksShowedThatDay) {
  RunOn("2026-11-06");
  EXPECT_EQ(Field("C1", "status"), "kept");
  EXPECT_EQ(Field("C1", "outcome"), "kept");
  EXPECT_EQ(Field("C1", "covered_minor"), "50000000");
  EXPECT_EQ(Field("C1", "resolved_at"), "2026-11-06T15:00:00Z");
  for (const char* open : {"C2", "C3", "C4"}) EXPECT_EQ(Field(open, "status"), "open") << open;
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM promise_payments"), 1);
  EXPECT_EQ(Events("promise.kept"), 1);
  EXPECT_EQ(SettledAudits(), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'promise' AND action = 'update' AND actor = "
                       "'test' AND after_json LIKE '%kept%'"),
            1);
  // C4's payment is dated 11-09: a run on 11-08 does not see it.
  RunOn("2026-11-08");
  EXPECT_EQ(Field("C4", "status"), "open");

  const PromiseRecord kept = Promise("C1");
  ASSERT_TRUE(kept.outcome);
  EXPECT_EQ(*kept.outcome, "kept");
  ASSERT_EQ(kept.payments.size(), 1u);
  EXPECT_EQ(kept.payments[0].external_id, "P1");
  EXPECT_EQ(kept.payments[0].date, D("2026-11-05"));
  EXPECT_EQ(kept.payments[0].amount_minor, 50000000);
  const nlohmann::json json = PromiseJson(kept);
  EXPECT_EQ(json["outcome"], "kept");
  EXPECT_EQ(json["covered"]["amount"], "500000.00");
  EXPECT_EQ(json["payments"][0]["external_id"], "P1");
  EXPECT_EQ(json["payments"][0]["amount"]["amount"], "500000.00");
  const nlohmann::json open = PromiseJson(Promise("C2"));
  EXPECT_TRUE(open["outcome"].is_null());
  EXPECT_TRUE(open["covered"].is_null());
  EXPECT_TRUE(open["payments"].empty());
}

TEST_P(PromiseOutcomesTest, AfterTheGracePartlyKeptAndBrokenPromisesCountAsBroken) {
  RunOn("2026-11-06");
  RunOn("2026-11-13");
  EXPECT_EQ(Field("C2", "status"), "broken");
  EXPECT_EQ(Field("C2", "outcome"), "partially_kept");
  EXPECT_EQ(Field("C2", "covered_minor"), "20000000");
  // C3 paid the day before the promise: that money does not keep it.
  EXPECT_EQ(Field("C3", "status"), "broken");
  EXPECT_EQ(Field("C3", "outcome"), "broken");
  EXPECT_EQ(Field("C3", "covered_minor"), "0");
  EXPECT_EQ(Field("C4", "status"), "kept");
  EXPECT_EQ(Field("C4", "covered_minor"), "40000000");
  EXPECT_EQ(Events("promise.kept"), 2);
  EXPECT_EQ(Events("promise.broken"), 2);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'promise.broken' AND payload "
                       "LIKE '%partially_kept%'"),
            1);
  // A partially kept promise is a broken one for the segments and the
  // follow-up stage; a kept one is neither.
  for (const char* broken : {"C2", "C3"}) {
    EXPECT_EQ(db_->Text(fmt::format("SELECT s.segment_reason FROM customer_segments s JOIN customers c ON c.id = "
                                    "s.customer_id WHERE c.external_id = '{}'",
                                    broken))
                  .ends_with("broken_promises=1"),
              true)
        << broken;
    EXPECT_GT(db_->Count(fmt::format("SELECT COUNT(*) FROM engine_log l JOIN customers c ON c.id = l.customer_id "
                                     "WHERE c.external_id = '{}' AND l.stage = 'broken_promise'",
                                     broken)) +
                  db_->Count(fmt::format("SELECT COUNT(*) FROM outbox o JOIN customers c ON c.id = o.customer_id "
                                         "WHERE c.external_id = '{}' AND o.stage = 'broken_promise'",
                                         broken)),
              0)
        << broken;
  }
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE c.external_id "
                       "IN ('C1', 'C4') AND o.stage = 'broken_promise'"),
            0);

  // The same day again: nothing changes, nothing is written twice.
  const int64_t audits = SettledAudits(), links = db_->Count("SELECT COUNT(*) FROM promise_payments"),
                deliveries = db_->Count("SELECT COUNT(*) FROM webhook_deliveries");
  RunOn("2026-11-13");
  EXPECT_EQ(SettledAudits(), audits);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM promise_payments"), links);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries"), deliveries);
  EXPECT_EQ(audits, 4);
  EXPECT_EQ(links, 3);
}

TEST_P(PromiseOutcomesTest, OnePaymentKeepsOnlyOnePromiseForTheSameMoney) {
  // A second promise of C1, later: P1 (500,000.00) already kept the first.
  ASSERT_TRUE(AddPromise(db_->database(), 1, "C1", D("2026-11-10"), "100000.00", std::nullopt, "test", "",
                         At("2026-11-03T15:00:00Z")));
  RunOn("2026-11-13");
  auto records = ListPromises(db_->database(), 1, std::string("C1"), std::nullopt);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].status, "kept");
  EXPECT_EQ((*records)[1].status, "broken");
  EXPECT_EQ((*records)[1].outcome, "broken");
  EXPECT_EQ(db_->Count("SELECT COALESCE(SUM(amount_minor), 0) FROM promise_payments"), 50000000 + 20000000 + 40000000);
}

TEST_P(PromiseOutcomesTest, TheReportCountsByCollectorAndByCustomer) {
  RunOn("2026-11-13");
  ASSERT_TRUE(db_->database().Execute(
      "UPDATE customers SET collector = 'ana@example.com' WHERE external_id IN ('C1', 'C2', 'C4')"));
  PromiseReportOptions options;
  options.from = D("2026-11-01");
  options.to = D("2026-11-30");
  auto by_collector = BuildPromiseReport(db_->database(), 1, options, D("2026-11-20"), Language::kEnglish);
  ASSERT_TRUE(by_collector) << by_collector.error().message;
  ASSERT_EQ(by_collector->rows.size(), 2u);
  const PromiseReportRow& ana = by_collector->rows[0];
  EXPECT_EQ(ana.key, "ana@example.com");
  EXPECT_EQ(ana.counts.kept, 2);
  EXPECT_EQ(ana.counts.partially_kept, 1);
  EXPECT_EQ(ana.counts.broken, 0);
  EXPECT_EQ(KeptRateBasisPoints(ana.counts), 6667);
  ASSERT_EQ(ana.amounts.size(), 1u);
  EXPECT_EQ(ana.amounts[0].promised_minor, 140000000);
  EXPECT_EQ(ana.amounts[0].received_minor, 110000000);
  EXPECT_EQ(by_collector->rows[1].key, "");  // unassigned, last
  EXPECT_EQ(KeptRateBasisPoints(by_collector->rows[1].counts), 0);
  EXPECT_EQ(by_collector->total.counts.settled(), 4);
  const nlohmann::json json = PromiseReportJson(*by_collector);
  EXPECT_EQ(json["rows"][0]["kept_rate"], 0.6667);
  EXPECT_TRUE(json["rows"][1]["collector"].is_null());
  EXPECT_EQ(json["total"]["kept_rate"], 0.5);
  EXPECT_EQ(json["total"]["amounts"][0]["received"]["amount"], "1100000.00");

  options.by = PromiseReportBy::kCustomer;
  options.customer_external_id = "C2";
  auto one = BuildPromiseReport(db_->database(), 1, options, D("2026-11-20"), Language::kEnglish);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->rows.size(), 1u);
  EXPECT_EQ(one->rows[0].key, "C2");
  EXPECT_EQ(one->rows[0].customer_name, "Tienda Dos");
  EXPECT_EQ(one->rows[0].counts.partially_kept, 1);
  EXPECT_EQ(one->rows[0].collector, "ana@example.com");

  // Outside the period: nothing. The default period is the 90 days to today.
  PromiseReportOptions later;
  auto none = BuildPromiseReport(db_->database(), 1, later, D("2027-03-01"), Language::kEnglish);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->from, D("2026-12-02"));
  EXPECT_TRUE(none->rows.empty());
  // Bad input names the field; an unknown customer is not found.
  options.from = D("2026-12-01");
  auto reversed = BuildPromiseReport(db_->database(), 1, options, D("2026-11-20"), Language::kSpanish);
  ASSERT_FALSE(reversed);
  EXPECT_EQ(reversed.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(reversed.error().message.starts_with("from:")) << reversed.error().message;
  options.from = D("2026-11-01");
  options.customer_external_id = "NOPE";
  auto unknown = BuildPromiseReport(db_->database(), 1, options, D("2026-11-20"), Language::kEnglish);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, PromiseOutcomesTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
