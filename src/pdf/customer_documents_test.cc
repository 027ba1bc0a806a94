// The company profile (migration 9) and a customer's documents read from
// the database, on SQLite and on PostgreSQL when scripts/test.sh started one.
#include "pdf/customer_documents.h"

#include <gtest/gtest.h>

#include "core/time_zone.h"
#include "delivery/message_context.h"
#include "importer/import.h"
#include "pdf/pdf_test_support.h"
#include "store/company_profile.h"
#include "test_database.h"

namespace cartera::pdf {
namespace {

using cartera::testing::Backend;
using cartera::testing::TestDatabase;

constexpr const char* kCustomers =
    "external_id,name,tax_id,country,kind,language,address\n"
    "C1,Ferretería Pérez S.A.S.,900555111-2,CO,company,es,\"Calle 12 # 34-56, Medellín\"\n"
    "C2,Acme Inc,12-3456789,US,company,en,\"1 Main St, Springfield\"\n"
    "C3,Nadie Debe,1234,CO,person,es,\n";
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2026-09-01,2026-10-01,COP,1250000.00\n"
    "I2,C1,FV-2,2026-10-01,2026-10-31,COP,980500.00\n"
    "I3,C2,INV-3,2026-09-15,2026-10-15,USD,1250000.00\n";

const AuditContext kAudit{"test", "2026-11-20T15:00:00Z", "customer_documents_test"};

class CustomerDocumentsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    for (auto [kind, name, content] : {std::tuple{ImportKind::kCustomers, "customers.csv", kCustomers},
                                       std::tuple{ImportKind::kInvoices, "invoices.csv", kInvoices}}) {
      ImportOptions options;
      options.kind = kind;
      options.path = db_->WriteFile(name, content);
      options.audit = kAudit;
      auto report = RunImport(db_->database(), options);
      ASSERT_TRUE(report && report->ok()) << (report ? "" : report.error().message);
    }
  }

  Database& database() { return db_->database(); }
  int64_t Customer(const std::string& external_id) {
    auto id = FindCustomerId(database(), 1, external_id);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  const Timestamp now_ = *ParseUtc("2026-11-20T15:00:00Z");
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(CustomerDocumentsTest, CompanyProfileDefaultsThenChangesWithOneAuditRowPerChange) {
  auto profile = LoadCompanyProfile(database(), 1);
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_EQ(profile->name, "Mi empresa");
  EXPECT_EQ(profile->country, "CO");
  EXPECT_EQ(profile->tax_id, "");
  EXPECT_EQ(profile->payment_instructions, "");

  CompanyProfileChange change;
  change.name = "Ferretería Ñandú S.A.S.";
  change.tax_id = "900.123.456-7";
  change.city = "Bogotá D.C.";
  change.payment_instructions = "Cuenta de ahorros 123.\nReferencia: su número de cliente.";
  auto updated = UpdateCompanyProfile(database(), 1, change, kAudit);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->city, "Bogotá D.C.");
  auto loaded = LoadCompanyProfile(database(), 1);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->name, "Ferretería Ñandú S.A.S.");
  EXPECT_EQ(loaded->payment_instructions, "Cuenta de ahorros 123.\nReferencia: su número de cliente.");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant' AND entity_id = 1 AND "
                       "action = 'update' AND before_json LIKE '%\"tax_id\":\"\"%' AND "
                       "after_json LIKE '%\"tax_id\":\"900.123.456-7\"%'"),
            1);

  // The same values again change nothing; clearing a field stores NULL.
  ASSERT_TRUE(UpdateCompanyProfile(database(), 1, change, kAudit));
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant'"), 1);
  CompanyProfileChange clear;
  clear.city = "";
  ASSERT_TRUE(UpdateCompanyProfile(database(), 1, clear, kAudit));
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM tenants WHERE id = 1 AND city IS NULL"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant'"), 2);
}

TEST_P(CustomerDocumentsTest, CompanyProfileRejectsBadValuesAndChangesNothing) {
  CompanyProfileChange empty_name;
  empty_name.name = "";
  CompanyProfileChange two_line_city;
  two_line_city.city = "Bogotá\nD.C.";
  CompanyProfileChange too_long;
  too_long.tax_id = "900123456-7";
  too_long.payment_instructions = std::string(kPaymentInstructionsBytesMax + 1, 'x');
  for (const CompanyProfileChange& change : {empty_name, two_line_city, too_long}) {
    auto updated = UpdateCompanyProfile(database(), 1, change, kAudit);
    ASSERT_FALSE(updated);
    EXPECT_EQ(updated.error().code, ErrorCode::kBadInput) << updated.error().message;
  }
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM tenants WHERE tax_id IS NULL AND city IS NULL AND name = 'Mi empresa'"),
            1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant'"), 0);
  auto missing = UpdateCompanyProfile(database(), 99, CompanyProfileChange{}, kAudit);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(CustomerDocumentsTest, StatementCarriesTheProfileAndTheDebtorsAddressOnTheCountrysPaper) {
  SKIP_WITHOUT_POPPLER();
  CompanyProfileChange change;
  change.tax_id = "900.123.456-7";
  change.payment_instructions = "Consignación en Bancolombia, cuenta 123.";
  ASSERT_TRUE(UpdateCompanyProfile(database(), 1, change, kAudit));
  auto pdf = StatementPdfForCustomer(database(), 1, Customer("C1"), std::nullopt, std::nullopt, now_);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = testing::PdfText(*pdf);
  for (const char* expected :
       {"Mi empresa", "NIT 900.123.456-7", "Señores", "Ferretería Pérez S.A.S.", "Calle 12 # 34-56, Medellín",
        "Fecha de corte: 20 de noviembre de 2026", "Consignación en Bancolombia", "FV-1", "FV-2", "$ 2.230.500"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << text;
  }
  EXPECT_NE(testing::PdfInfo(*pdf).find("(letter)"), std::string::npos) << "Colombia prints on carta";
  auto a4 = StatementPdfForCustomer(database(), 1, Customer("C2"), Date::FromYmd(2026, 11, 1), Paper::kA4, now_);
  ASSERT_TRUE(a4) << a4.error().message;
  const std::string english = testing::PdfText(*a4);
  EXPECT_NE(english.find("As of: November 1, 2026"), std::string::npos) << english;
  EXPECT_NE(english.find("$1,250,000.00"), std::string::npos) << english;
  EXPECT_NE(testing::PdfInfo(*a4).find("(A4)"), std::string::npos);
}

TEST_P(CustomerDocumentsTest, LetterFromTheDeliveryContext) {
  SKIP_WITHOUT_POPPLER();
  const int64_t customer = Customer("C1");
  auto context = delivery::BuildMessageContext(database(), 1, customer, {}, std::nullopt, now_);
  ASSERT_TRUE(context) << context.error().message;
  const int32_t days = context->invoices.front().days_late;
  EXPECT_EQ(StageForDaysPastDue(days), templates::Stage::kOverdue30);
  auto pdf =
      LetterPdfForCustomer(database(), 1, customer, StageForDaysPastDue(days), "cordial", *context, std::nullopt);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = testing::PdfText(*pdf);
  for (const char* expected : {"Señores", "Ferretería Pérez S.A.S.", "Asunto: Propuesta de acuerdo de pago",
                               "20 de noviembre de 2026", "FV-1", "$ 2.230.500", "comuníquese con Mi empresa"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << text;
  }
  auto unknown_tone =
      LetterPdfForCustomer(database(), 1, customer, templates::Stage::kOverdue30, "sarcastic", *context, std::nullopt);
  ASSERT_FALSE(unknown_tone);
  EXPECT_EQ(ExitCodeFor(unknown_tone.error()), 2);
}

TEST_P(CustomerDocumentsTest, NoLetterForACustomerWhoOwesNothingAndNoStatementForAStranger) {
  const int64_t customer = Customer("C3");
  auto context = delivery::BuildMessageContext(database(), 1, customer, {}, std::nullopt, now_);
  ASSERT_TRUE(context);
  auto letter =
      LetterPdfForCustomer(database(), 1, customer, templates::Stage::kOverdue30, "cordial", *context, std::nullopt);
  ASSERT_FALSE(letter);
  EXPECT_EQ(letter.error().code, ErrorCode::kBadInput);
  auto missing = FindCustomerId(database(), 1, "NOPE");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "no customer with external id 'NOPE'");
  auto statement = StatementPdfForCustomer(database(), 1, 424242, std::nullopt, std::nullopt, now_);
  ASSERT_FALSE(statement);
  EXPECT_EQ(statement.error().code, ErrorCode::kNotFound);
}

TEST(StageForDaysPastDueTest, StrategyDays) {
  EXPECT_EQ(StageForDaysPastDue(-7), templates::Stage::kBeforeDue);
  EXPECT_EQ(StageForDaysPastDue(0), templates::Stage::kDueToday);
  EXPECT_EQ(StageForDaysPastDue(1), templates::Stage::kOverdue1);
  EXPECT_EQ(StageForDaysPastDue(14), templates::Stage::kOverdue7);
  EXPECT_EQ(StageForDaysPastDue(15), templates::Stage::kOverdue15);
  EXPECT_EQ(StageForDaysPastDue(59), templates::Stage::kOverdue30);
  EXPECT_EQ(StageForDaysPastDue(60), templates::Stage::kOverdue60);
  EXPECT_EQ(StageForDaysPastDue(400), templates::Stage::kOverdue90);
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerDocumentsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         cartera::testing::BackendName);

}  // namespace
}  // namespace cartera::pdf
