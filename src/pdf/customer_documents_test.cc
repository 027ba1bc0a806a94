// The company profile (migrations 9 and 11) and a customer's documents read
// from the database, on SQLite and on PostgreSQL when scripts/test.sh started one.
#include "pdf/customer_documents.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

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

// The text has every piece of `present` and none of `absent`.
void ExpectText(const std::string& text, std::initializer_list<const char*> present,
                std::initializer_list<const char*> absent) {
  for (const char* piece : present) {
    EXPECT_NE(text.find(piece), std::string::npos) << "missing '" << piece << "' in:\n" << text;
  }
  for (const char* piece : absent) EXPECT_EQ(text.find(piece), std::string::npos) << "'" << piece << "' in:\n" << text;
}

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
  void Import(ImportKind kind, const std::string& name, const std::string& content) {
    ImportOptions options;
    options.kind = kind;
    options.path = db_->WriteFile(name, content);
    options.audit = kAudit;
    auto report = RunImport(database(), options);
    ASSERT_TRUE(report && report->ok()) << (report ? "" : report.error().message);
  }
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
  EXPECT_EQ(profile->collector_name, "");

  CompanyProfileChange change;
  change.name = "Ferretería Ñandú S.A.S.";
  change.tax_id = "900.123.456-7";
  change.city = "Bogotá D.C.";
  change.payment_instructions = "Cuenta de ahorros 123.\nReferencia: su número de cliente.";
  change.collector_name = "Laura Gómez";
  auto updated = UpdateCompanyProfile(database(), 1, change, kAudit);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->city, "Bogotá D.C.");
  auto loaded = LoadCompanyProfile(database(), 1);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->name, "Ferretería Ñandú S.A.S.");
  EXPECT_EQ(loaded->payment_instructions, "Cuenta de ahorros 123.\nReferencia: su número de cliente.");
  EXPECT_EQ(loaded->collector_name, "Laura Gómez");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant' AND "
                       "after_json LIKE '%\"collector_name\":\"Laura G%'"),
            1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant' AND entity_id = 1 AND "
                       "action = 'update' AND before_json LIKE '%\"tax_id\":\"\"%' AND "
                       "after_json LIKE '%\"tax_id\":\"900.123.456-7\"%'"),
            1);

  // The same values again change nothing; clearing a field stores NULL.
  ASSERT_TRUE(UpdateCompanyProfile(database(), 1, change, kAudit));
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant'"), 1);
  CompanyProfileChange clear;
  clear.city = "";
  clear.collector_name = "";
  ASSERT_TRUE(UpdateCompanyProfile(database(), 1, clear, kAudit));
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM tenants WHERE id = 1 AND city IS NULL AND collector_name IS NULL"), 1);
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
  CompanyProfileChange two_line_collector;
  two_line_collector.collector_name = "Laura\nGómez";
  for (const CompanyProfileChange& change : {empty_name, two_line_city, too_long, two_line_collector}) {
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

// Regression: a letter read the whole account, so an overdue letter listed an
// invoice due in 28 days ("días de mora: -28") in its text, its table and its
// total. Each letter now speaks of its stage's invoices only.
TEST_P(CustomerDocumentsTest, ALetterListsAndTotalsOnlyItsStagesInvoices) {
  SKIP_WITHOUT_POPPLER();
  Import(ImportKind::kInvoices, "upcoming.csv",
         "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
         "I4,C1,FV-4,2026-11-18,2026-12-18,COP,300000.00\n");
  const int64_t customer = Customer("C1");
  auto context = delivery::BuildMessageContext(database(), 1, customer, {}, std::nullopt, now_);
  ASSERT_TRUE(context) << context.error().message;
  ASSERT_EQ(context->invoices.size(), 3u);

  const auto letter_text = [&](templates::Stage stage) {
    auto pdf = LetterPdfForCustomer(database(), 1, customer, stage, "cordial", *context, std::nullopt);
    EXPECT_TRUE(pdf) << pdf.error().message;
    return pdf ? testing::PdfText(*pdf) : std::string();
  };
  ExpectText(letter_text(templates::Stage::kOverdue30), {"FV-1", "FV-2", "$ 2.230.500"},
             {"FV-4", "-28", "Por vencer", "$ 2.530.500"});
  ExpectText(letter_text(templates::Stage::kBeforeDue), {"FV-4", "$ 300.000", "Por vencer"}, {"FV-1", "FV-2"});

  // A customer with nothing past due has no overdue letter to write.
  auto only_upcoming = delivery::BuildMessageContext(database(), 1, customer, {}, Date::FromYmd(2026, 9, 15), now_);
  ASSERT_TRUE(only_upcoming) << only_upcoming.error().message;
  auto none = LetterPdfForCustomer(database(), 1, customer, templates::Stage::kOverdue30, "cordial", *only_upcoming,
                                   std::nullopt);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kBadInput);
  EXPECT_EQ(
      none.error().message,
      "customer 'C1' has no open invoice past due on 2026-09-15: the overdue_30 letter has nothing to write about");
}

// Regression: messages were signed with the company's name as collector, so
// they read "...con Distribuidora Andina S.A.S..". The collector name is now
// a setting, with a team's title by default, and no name gets a second period.
TEST_P(CustomerDocumentsTest, LettersAreSignedByTheCollectorNameOrTheTeam) {
  SKIP_WITHOUT_POPPLER();
  CompanyProfileChange company;
  company.name = "Distribuidora Andina S.A.S.";
  ASSERT_TRUE(UpdateCompanyProfile(database(), 1, company, kAudit));
  const int64_t customer = Customer("C1");
  const int64_t english_customer = Customer("C2");
  const auto letter_text = [&](int64_t id) {
    auto context = delivery::BuildMessageContext(database(), 1, id, {}, std::nullopt, now_);
    EXPECT_TRUE(context) << context.error().message;
    if (!context) return std::string();
    auto pdf = LetterPdfForCustomer(database(), 1, id, templates::Stage::kOverdue30, "cordial", *context, std::nullopt);
    EXPECT_TRUE(pdf) << pdf.error().message;
    return pdf ? testing::PdfText(*pdf) : std::string();
  };

  auto context = delivery::BuildMessageContext(database(), 1, customer, {}, std::nullopt, now_);
  ASSERT_TRUE(context) << context.error().message;
  EXPECT_EQ(context->collector_name, "Equipo de cartera");
  ExpectText(letter_text(customer), {"Equipo de cartera", "Distribuidora Andina S.A.S."}, {".."});
  ExpectText(letter_text(english_customer), {"Accounts Receivable Team", "Distribuidora Andina S.A.S."}, {".."});

  CompanyProfileChange collector;
  collector.collector_name = "Laura Gómez";
  ASSERT_TRUE(UpdateCompanyProfile(database(), 1, collector, kAudit));
  auto named = delivery::BuildMessageContext(database(), 1, customer, {}, std::nullopt, now_);
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->collector_name, "Laura Gómez");
  ExpectText(letter_text(customer), {"Laura Gómez"}, {"Equipo de cartera", ".."});
  ExpectText(letter_text(english_customer), {"Laura Gómez"}, {"Accounts Receivable Team"});
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
