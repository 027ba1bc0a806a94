// The ledger end to end through its use cases, on SQLite and PostgreSQL:
// import, upsert, audit, allocation, aging as of a date, statements.
#include <gtest/gtest.h>

#include "core/time_zone.h"
#include "importer/import.h"
#include "report/aging_report.h"
#include "report/statement.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

constexpr const char* kCustomers =
    "external_id,name,tax_id,country,email,phone,sector\n"
    "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,+57 300 123 4567,retail\n"
    "C2,Acme Inc,12-3456789,US,ap@acme.com,,manufacturing\n";
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2025-01-01,2025-01-31,COP,1000000.00\n"
    "I2,C1,FV-2,2025-02-01,2025-03-03,COP,500000.50\n"
    "I3,C2,INV-3,2025-01-15,2025-02-14,USD,1200.00\n";
constexpr const char* kPayments =
    "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
    "P1,C1,2025-02-10,COP,1200000.00,transferencia,REF1,\n";

class LedgerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }

  ImportReport Import(ImportKind kind, const std::string& name, const std::string& content, bool dry_run = false,
                      int64_t tenant_id = 1) {
    ImportOptions options;
    options.kind = kind;
    options.path = db_->WriteFile(name, content);
    options.dry_run = dry_run;
    options.tenant_id = tenant_id;
    options.language = language_;
    options.audit = {"test", "2025-03-10T12:00:00Z", name};
    auto report = RunImport(db_->database(), options);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : ImportReport{};
  }

  void ImportBasics() {
    ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
    ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices.csv", kInvoices).ok());
    ASSERT_TRUE(Import(ImportKind::kPayments, "payments.csv", kPayments).ok());
  }

  int64_t Open(const std::string& invoice) {
    return db_->Count("SELECT open_minor FROM invoices WHERE external_id = '" + invoice + "'");
  }

  AgingReport Aging(const std::string& as_of) {
    AgingOptions options;
    options.as_of = *Date::ParseIso(as_of);
    FixedClock clock(*ParseUtc("2030-01-01T00:00:00Z"));
    auto report = BuildAgingReport(db_->database(), options, clock);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : AgingReport{};
  }

  int64_t InvoiceIndexes() {
    return db_->Count(db_->database().dialect() == Dialect::kSqlite
                          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices'"
                          : "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'invoices' AND "
                            "schemaname = current_schema()");
  }

  std::unique_ptr<TestDatabase> db_;
  Language language_ = Language::kEnglish;  // of Import's error messages
};

// The tenant's first invoices go straight into the table with the indexes
// built afterwards: the same rows, every index back, one audit range.
TEST_P(LedgerTest, FirstInvoiceLoadRebuildsIndexesAndAuditsOneRange) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  const int64_t indexes = InvoiceIndexes();
  ImportReport report = Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.rows, 3);
  EXPECT_EQ(report.created, 3);
  EXPECT_EQ(InvoiceIndexes(), indexes);
  EXPECT_EQ(Open("I2"), 50000050);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE external_id = 'I3' AND currency = 'USD' AND "
                       "amount_minor = 120000 AND due_date = '2025-02-14' AND created_at = '2025-03-10T12:00:00Z'"),
            1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND action = 'create' AND "
                       "entity_id = (SELECT MIN(id) FROM invoices) AND entity_id_last = (SELECT MAX(id) FROM invoices) "
                       "AND after_json LIKE '{\"created\":3,%' AND source = 'invoices.csv'"),
            1);
  // The unique index is back: a second load of the same ids is an upsert.
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices.csv", kInvoices).ok());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices"), 3);
}

// On PostgreSQL the values a first load shares (tenant, timestamps) are
// column defaults while COPY runs: the rows must still carry them, and the
// table must have no default left afterwards.
TEST_P(LedgerTest, FirstLoadOfAnotherTenantKeepsItsTenantAndLeavesNoDefaults) {
  auto defaults = [&] {
    return db_->database().dialect() == Dialect::kSqlite
               ? 0
               : db_->Count("SELECT COUNT(*) FROM pg_attrdef d WHERE d.adrelid = to_regclass('invoices')");
  };
  const int64_t defaults_before = defaults();
  ASSERT_TRUE(db_->database()
                  .Execute("INSERT INTO tenants (id, slug, name, country, time_zone, created_at) VALUES "
                           "(2, 'other', 'Otra', 'CO', 'America/Bogota', '2025-01-01T00:00:00Z')")
                  .has_value());
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers, false, 2).ok());
  ImportReport report = Import(ImportKind::kInvoices, "invoices.csv", kInvoices, false, 2);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.created, 3);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE tenant_id = 2 AND created_at = '2025-03-10T12:00:00Z' "
                       "AND updated_at = created_at"),
            3);
  EXPECT_EQ(defaults(), defaults_before);
  // A row added later by another path names its own tenant and times.
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices.csv", kInvoices).ok());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE tenant_id = 1"), 3);
}

// On PostgreSQL a first load numbers its rows itself instead of drawing
// each id from the identity sequence: the sequence must end up past them.
TEST_P(LedgerTest, InvoicesAddedAfterAFirstLoadGetNewIds) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices.csv", kInvoices).ok());
  ImportReport more = Import(ImportKind::kInvoices, "more.csv",
                             "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                             "I4,C2,INV-4,2025-02-01,2025-03-03,USD,10.00\n");
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more.created, 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(DISTINCT id) FROM invoices"), 4);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE external_id = 'I4' AND "
                       "id > (SELECT MAX(id) FROM invoices WHERE external_id <> 'I4')"),
            1);
}

TEST_P(LedgerTest, DuplicateIdInAFirstLoadIsReportedAndNothingIsWritten) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  const int64_t indexes = InvoiceIndexes();
  ImportReport report = Import(ImportKind::kInvoices, "dup.csv",
                               "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                               "D1,C1,F-1,2025-01-01,2025-01-31,COP,100\n"
                               "D2,C1,F-2,2025-01-01,2025-01-31,COP,100\n"
                               "D1,C1,F-3,2025-01-01,2025-01-31,COP,200\n");
  ASSERT_EQ(report.error_count, 1);
  EXPECT_NE(report.errors[0].find(":4: field 'external_id': 'D1' appears again (first on line 2)"), std::string::npos);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice'"), 0);
  EXPECT_EQ(InvoiceIndexes(), indexes);
}

TEST_P(LedgerTest, FirstInvoiceLoadConsumesCreditWaitingForIt) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ASSERT_TRUE(Import(ImportKind::kPayments, "payments.csv", kPayments).ok());
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM payments WHERE external_id = 'P1'"), 120000000);
  ImportReport report = Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.rebalance.customers, 1);
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(Open("I2"), 30000050);
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM payments WHERE external_id = 'P1'"), 0);
}

TEST_P(LedgerTest, ImportsCustomersWithContactPointsAndAttributes) {
  ImportReport report = Import(ImportKind::kCustomers, "customers.csv", kCustomers);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.created, 2);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM contact_points"), 3);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM contact_points WHERE value = '+573001234567' AND channel = 'phone'"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM customers WHERE external_id = 'C2' AND time_zone = 'America/New_York' "
                       "AND language = 'en' AND attributes = '{\"sector\":\"manufacturing\"}'"),
            1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM customers WHERE external_id = 'C1' AND language = 'es' AND "
                       "name = 'Ferretería Ñandú S.A.S.'"),
            1);
  // Created rows are audited as one range of ids.
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND action = 'create'"), 1);
  EXPECT_EQ(db_->Count("SELECT entity_id_last - entity_id + 1 FROM audit_log WHERE entity = 'customer'"), 2);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'contact_point'"), 3);
}

TEST_P(LedgerTest, ConsentColumnsRecordTheDebtorsOwnAuthorisation) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "consent.csv",
                     "external_id,name,tax_id,country,kind,email,phone,whatsapp,consent_email,consent_sms,consent_whatsapp\n"
                     "P1,Ana Ruiz,1020304050,CO,persona,ana@correo.co,3001234567,+573001234567,sí,no,\n"
                     "P2,Luis Paz,1020304051,CO,person,luis@correo.co,,,,,\n")
                  .ok());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM contact_points WHERE value = 'ana@correo.co' AND consent = 'granted' AND "
                       "consent_source = 'debtor'"),
            1);
  // A national number takes the country code of the customer's country (E.164).
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM contact_points WHERE value = '+573001234567' AND consent = 'revoked'"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM contact_points WHERE channel = 'whatsapp' AND consent = 'granted' AND "
                       "consent_source = 'import'"),
            1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM contact_points WHERE value = 'luis@correo.co' AND consent_source = 'import'"),
            1);
  ImportReport bad = Import(ImportKind::kCustomers, "bad-consent.csv",
                            "external_id,name,tax_id,country,consent_email\nP3,X,1,CO,maybe\n");
  ASSERT_EQ(bad.error_count, 1);
  EXPECT_NE(bad.errors[0].find(":2: field 'consent_email': 'maybe' is not yes or no"), std::string::npos);
}

TEST_P(LedgerTest, PaymentWithoutInvoiceGoesToOldestDueFirst) {
  ImportBasics();
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(Open("I2"), 30000050);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM allocations"), 2);
  EXPECT_EQ(db_->Count("SELECT SUM(amount_minor) FROM allocations"), 120000000);
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM payments WHERE external_id = 'P1'"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'allocation' AND action = 'create'"), 2);
}

TEST_P(LedgerTest, ReimportingTheSameFileChangesNothing) {
  ImportBasics();
  const int64_t audit_rows = db_->Count("SELECT COUNT(*) FROM audit_log");
  for (auto [kind, name, content] : {std::tuple{ImportKind::kCustomers, "customers.csv", kCustomers},
                                     std::tuple{ImportKind::kInvoices, "invoices.csv", kInvoices},
                                     std::tuple{ImportKind::kPayments, "payments.csv", kPayments}}) {
    ImportReport again = Import(kind, name, content);
    EXPECT_EQ(again.created, 0) << name;
    EXPECT_EQ(again.updated, 0) << name;
    EXPECT_EQ(again.unchanged, again.rows) << name;
  }
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log"), audit_rows);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM allocations"), 2);
}

TEST_P(LedgerTest, ChangedRowIsAnAuditedUpdate) {
  ImportBasics();
  std::string changed = kInvoices;
  changed.replace(changed.find("500000.50"), 9, "600000.50");
  ImportReport report = Import(ImportKind::kInvoices, "invoices-v2.csv", changed);
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(report.unchanged, 2);
  EXPECT_EQ(Open("I2"), 40000050);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND action = 'update' AND "
                       "before_json LIKE '%50000050%' AND after_json LIKE '%60000050%' AND actor = 'test' AND "
                       "source LIKE '%invoices-v2.csv:3'"),
            1);
}

TEST_P(LedgerTest, LoweringAnInvoiceReleasesAndReappliesPayments) {
  ImportBasics();
  std::string changed = kInvoices;
  changed.replace(changed.find("1000000.00"), 10, "900000.00");
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices-v2.csv", changed).ok());
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(Open("I2"), 20000050);
  EXPECT_EQ(db_->Count("SELECT SUM(amount_minor) FROM allocations"), 120000000);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'allocation' AND action = 'delete'"), 1);
}

TEST_P(LedgerTest, CreditNoteReducesItsInvoice) {
  ImportBasics();
  ASSERT_TRUE(Import(ImportKind::kCreditNotes, "credit-notes.csv",
                     "external_id,customer_external_id,invoice_external_id,date,currency,amount,reason\n"
                     "N1,C1,I2,2025-03-05,COP,100000.50,Descuento comercial\n")
                  .ok());
  EXPECT_EQ(Open("I2"), 20000000);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM allocations WHERE credit_note_id IS NOT NULL AND date = '2025-03-05'"), 1);
}

TEST_P(LedgerTest, OverpaymentIsCreditThatANewInvoiceConsumes) {
  ImportBasics();
  ASSERT_TRUE(Import(ImportKind::kPayments, "payments-2.csv",
                     "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
                     "P2,C2,2025-03-01,USD,1500.00,wire,W1,I3\n")
                  .ok());
  EXPECT_EQ(Open("I3"), 0);
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM payments WHERE external_id = 'P2'"), 30000);
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices-2.csv",
                     "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                     "I4,C2,INV-4,2025-03-15,2025-04-14,USD,1000.00\n")
                  .ok());
  EXPECT_EQ(Open("I4"), 70000);
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM payments WHERE external_id = 'P2'"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM allocations WHERE date = '2025-03-15'"), 1);
}

TEST_P(LedgerTest, BadFileReportsEveryBadRowAndWritesNothing) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ImportReport report = Import(ImportKind::kInvoices, "bad.csv",
                               "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                               "B1,C1,F-1,2025-02-30,2025-03-01,COP,100\n"
                               "B2,C9,F-2,2025-01-01,2025-01-31,COP,100\n"
                               "B3,C1,F-3,2025-01-01,2025-01-31,XYZ,100\n"
                               "B4,C1,F-4,2025-01-01,2025-01-31,COP,\"12,5\"\n"
                               "B5,C1,F-5,2025-01-01,2025-01-31,COP,abc\n"
                               "B6,C1,F-6,2025-01-01,2025-01-31,COP,100\n"
                               "B7,C1,F-7,2025-02-01,2025-01-31,COP,100\n");
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.error_count, 6);
  const std::string path = report.errors[0].substr(0, report.errors[0].find(':'));
  EXPECT_EQ(report.errors[0], path + ":2: field 'issue_date': '2025-02-30' is not a date");
  EXPECT_NE(report.errors[1].find(":3: field 'customer_external_id': unknown customer 'C9'"), std::string::npos);
  EXPECT_NE(report.errors[2].find(":4: field 'currency': 'XYZ' is not an ISO 4217 currency code"), std::string::npos);
  EXPECT_NE(report.errors[3].find(":5: field 'amount': '12,5'"), std::string::npos);
  EXPECT_NE(report.errors[4].find(":6: field 'amount': 'abc'"), std::string::npos);
  EXPECT_NE(report.errors[5].find(":8: field 'due_date'"), std::string::npos);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices"), 0);
  EXPECT_EQ(db_->Count(db_->database().dialect() == Dialect::kSqlite
                           ? "SELECT COUNT(*) FROM sqlite_master WHERE name = 'invoices_open'"
                           : "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'invoices_open'"),
            1);
}

// Each row's amount is read with its own currency's decimals, also when the
// parser reuses the previous row's currency.
TEST_P(LedgerTest, EachAmountIsReadInItsOwnRowsCurrency) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  auto report = Import(ImportKind::kInvoices, "mixed.csv",
                       "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                       "M1,C1,F-1,2025-01-01,2025-01-31,COP,10.50\n"
                       "M2,C1,F-2,2025-01-01,2025-01-31,CLP,10.5\n"
                       "M3,C1,F-3,2025-01-01,2025-01-31,clp,7\n"
                       "M4,C1,F-4,2025-01-01,2025-01-31,KWD,1.234\n"
                       "M5,C1,F-5,2025-01-01,2025-01-31,XYZ,1\n"
                       "M6,C1,F-6,2025-01-01,2025-01-31,XYZ,2\n"
                       "M7,C1,F-7,2025-01-01,2025-01-31,COP,1.001\n");
  ASSERT_EQ(report.error_count, 4);
  EXPECT_NE(report.errors[0].find(":3: field 'amount': '10.5'"), std::string::npos) << report.errors[0];
  EXPECT_NE(report.errors[1].find(":6: field 'currency': 'XYZ'"), std::string::npos) << report.errors[1];
  EXPECT_NE(report.errors[2].find(":7: field 'currency': 'XYZ'"), std::string::npos) << report.errors[2];
  EXPECT_NE(report.errors[3].find(":8: field 'amount': '1.001'"), std::string::npos) << report.errors[3];
  // Without the bad rows the rest loads, each in its own minor units.
  report = Import(ImportKind::kInvoices, "mixed-good.csv",
                  "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                  "M1,C1,F-1,2025-01-01,2025-01-31,COP,10.50\n"
                  "M3,C1,F-3,2025-01-01,2025-01-31,clp,7\n"
                  "M4,C1,F-4,2025-01-01,2025-01-31,KWD,1.234\n"
                  "M7,C1,F-7,2025-01-01,2025-01-31,COP,1.01\n");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(db_->Count("SELECT amount_minor FROM invoices WHERE external_id = 'M1' AND currency = 'COP'"), 1050);
  EXPECT_EQ(db_->Count("SELECT amount_minor FROM invoices WHERE external_id = 'M3' AND currency = 'CLP'"), 7);
  EXPECT_EQ(db_->Count("SELECT amount_minor FROM invoices WHERE external_id = 'M4' AND currency = 'KWD'"), 1234);
  EXPECT_EQ(db_->Count("SELECT amount_minor FROM invoices WHERE external_id = 'M7' AND currency = 'COP'"), 101);
}

TEST_P(LedgerTest, CountsEveryBadRowButKeepsOnlyTheFirstErrors) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  std::string file = "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n";
  for (int i = 0; i < 50; ++i) file += "X" + std::to_string(i) + ",C1,F,2025-13-01,2025-01-31,COP,1\n";
  ImportOptions options;
  options.kind = ImportKind::kInvoices;
  options.path = db_->WriteFile("many-bad.csv", file);
  options.errors_kept_max = 5;
  options.audit = {"test", "2025-03-10T12:00:00Z", "many-bad.csv"};
  auto report = RunImport(db_->database(), options);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->error_count, 50);
  ASSERT_EQ(report->errors.size(), 5u);
  EXPECT_NE(report->errors[0].find(":2: field 'issue_date'"), std::string::npos);
}

TEST_P(LedgerTest, DuplicateIdsAndUnknownInvoicesAreBadRows) {
  ImportBasics();
  ImportReport duplicates = Import(ImportKind::kInvoices, "dup.csv",
                                   "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                                   "D1,C1,F-1,2025-01-01,2025-01-31,COP,100\n"
                                   "D1,C1,F-1,2025-01-01,2025-01-31,COP,200\n");
  ASSERT_EQ(duplicates.error_count, 1);
  EXPECT_NE(duplicates.errors[0].find(":3: field 'external_id': 'D1' appears again (first on line 2)"), std::string::npos);
  ImportReport references = Import(ImportKind::kPayments, "pay.csv",
                                   "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
                                   "P7,C1,2025-03-01,COP,10.00,cash,,NOPE\n"
                                   "P8,C1,2025-03-01,USD,10.00,cash,,I3\n"
                                   "P9,C2,2025-03-01,COP,10.00,cash,,I3\n");
  ASSERT_EQ(references.error_count, 3);
  EXPECT_NE(references.errors[0].find(":2: field 'invoice_external_id': unknown invoice 'NOPE'"), std::string::npos);
  EXPECT_NE(references.errors[1].find(":3: field 'invoice_external_id': invoice 'I3' belongs to another customer"),
            std::string::npos);
  EXPECT_NE(references.errors[2].find(":4: field 'currency': 'COP' differs from the currency of invoice 'I3' (USD)"),
            std::string::npos);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM payments"), 1);
}

// The person who fixes the file reads the errors in their language; the
// field names stay the file's own column names.
TEST_P(LedgerTest, BadRowsAreReportedInTheReadersLanguage) {
  ImportBasics();
  language_ = Language::kSpanish;
  ImportReport rows = Import(ImportKind::kInvoices, "malo.csv",
                             "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                             "B1,C1,F-1,2025-02-30,2025-03-01,COP,100\n"
                             "B2,C9,F-2,2025-01-01,2025-01-31,XYZ,100\n"
                             "B3,C1,F-3,2025-01-01,2025-01-31,COP,12.345\n");
  ASSERT_EQ(rows.error_count, 4);
  EXPECT_NE(rows.errors[0].find(":2: campo 'issue_date': '2025-02-30' no es una fecha (AAAA-MM-DD"), std::string::npos)
      << rows.errors[0];
  EXPECT_NE(rows.errors[1].find(":3: campo 'customer_external_id': cliente desconocido 'C9'"), std::string::npos)
      << rows.errors[1];
  EXPECT_NE(rows.errors[2].find(":3: campo 'currency': 'XYZ' no es un código de moneda ISO 4217"), std::string::npos)
      << rows.errors[2];
  EXPECT_NE(rows.errors[3].find(":4: campo 'amount': '12.345' no es un importe (en COP se admiten 2 decimales"),
            std::string::npos)
      << rows.errors[3];
  // Errors the database finds across rows are worded the same way.
  ImportReport duplicates = Import(ImportKind::kInvoices, "dup.csv",
                                   "external_id,customer_external_id,number,issue_date,due_date,currency,"
                                   "amount\nD1,C1,F-1,2025-01-01,2025-01-31,COP,100\n"
                                   "D1,C1,F-1,2025-01-01,2025-01-31,COP,200\n");
  ASSERT_EQ(duplicates.error_count, 1);
  EXPECT_NE(duplicates.errors[0].find(":3: campo 'external_id': 'D1' aparece de nuevo (primero en la línea 2)"),
            std::string::npos)
      << duplicates.errors[0];
  ImportReport references =
      Import(ImportKind::kPayments, "pagos.csv",
             "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
             "P7,C1,2025-03-01,COP,10.00,cash,,NOPE\n"
             "P8,C1,2025-03-01,USD,10.00,cash,,I3\n"
             "P9,C2,2025-03-01,COP,10.00,cash,,I3\n");
  ASSERT_EQ(references.error_count, 3);
  EXPECT_NE(references.errors[0].find(":2: campo 'invoice_external_id': factura desconocida 'NOPE'"),
            std::string::npos);
  EXPECT_NE(references.errors[1].find(":3: campo 'invoice_external_id': la factura 'I3' es de otro cliente"),
            std::string::npos);
  EXPECT_NE(references.errors[2].find(":4: campo 'currency': 'COP' no es la moneda de la factura 'I3' (USD)"),
            std::string::npos)
      << references.errors[2];
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices"), 3);
}

TEST_P(LedgerTest, DryRunValidatesAndWritesNothing) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ImportReport report = Import(ImportKind::kInvoices, "invoices.csv", kInvoices, /*dry_run=*/true);
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(report.dry_run);
  EXPECT_EQ(report.created, 3);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice'"), 0);
}

TEST_P(LedgerTest, AcceptsSemicolonsDecimalCommaDayMonthYearAndBom) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ImportOptions options;
  options.kind = ImportKind::kInvoices;
  options.path = db_->WriteFile("excel.csv",
                                "\xEF\xBB\xBF" "external_id;customer_external_id;number;issue_date;due_date;currency;amount\r\n"
                                "E1;C1;\"FV; 9\";05/01/2025;04/02/2025;COP;1250000,50\r\n");
  options.date_format = DateFormat::kDayMonthYear;
  options.decimal_separator = DecimalSeparator::kComma;
  options.audit = {"test", "2025-03-10T12:00:00Z", "excel.csv"};
  auto report = RunImport(db_->database(), options);
  ASSERT_TRUE(report && report->ok()) << (report ? (report->errors.empty() ? "" : report->errors[0]) : report.error().message);
  EXPECT_EQ(db_->Count("SELECT amount_minor FROM invoices WHERE external_id = 'E1' AND number = 'FV; 9' AND "
                       "issue_date = '2025-01-05' AND due_date = '2025-02-04'"),
            125000050);
}

TEST_P(LedgerTest, MissingRequiredColumnFailsBeforeAnyRow) {
  ImportOptions options;
  options.kind = ImportKind::kInvoices;
  options.path = db_->WriteFile("nocol.csv", "external_id,customer_external_id\nX,C1\n");
  auto report = RunImport(db_->database(), options);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kBadInput);
  EXPECT_NE(report.error().message.find(":1: missing required column 'number'"), std::string::npos);
}

TEST_P(LedgerTest, AgingAsOfADateIgnoresLaterDocuments) {
  ImportBasics();
  AgingReport after_payment = Aging("2025-03-10");
  ASSERT_EQ(after_payment.lines.size(), 2u);
  EXPECT_EQ(after_payment.lines[0].customer_external_id, "C1");
  EXPECT_EQ(after_payment.lines[0].bucket_minor[1], 30000050);  // I2, 7 days late
  EXPECT_EQ(after_payment.lines[1].bucket_minor[1], 120000);    // I3, 24 days late
  AgingReport before_payment = Aging("2025-02-05");
  ASSERT_EQ(before_payment.lines.size(), 2u);
  EXPECT_EQ(before_payment.lines[0].bucket_minor[1], 100000000);  // I1, 5 days late
  EXPECT_EQ(before_payment.lines[0].bucket_minor[0], 50000050);   // I2, not due
  EXPECT_EQ(before_payment.lines[0].total_count, 2);
  AgingReport early = Aging("2025-01-10");
  ASSERT_EQ(early.lines.size(), 1u);  // only I1 issued by then
  EXPECT_EQ(early.lines[0].total_minor, 100000000);
  ASSERT_EQ(after_payment.totals.size(), 2u);
  EXPECT_EQ(after_payment.totals[0].currency, "COP");
}

TEST_P(LedgerTest, StatementHasRunningBalanceAndTotals) {
  ImportBasics();
  ASSERT_TRUE(Import(ImportKind::kCreditNotes, "credit-notes.csv",
                     "external_id,customer_external_id,invoice_external_id,date,currency,amount,reason\n"
                     "N1,C1,I2,2025-03-05,COP,100000.50,Descuento comercial\n")
                  .ok());
  FixedClock clock(*ParseUtc("2030-01-01T00:00:00Z"));
  auto statement = BuildStatement(db_->database(), 1, "C1", *Date::ParseIso("2025-03-10"), clock);
  ASSERT_TRUE(statement) << statement.error().message;
  ASSERT_EQ(statement->entries.size(), 7u);
  EXPECT_EQ(statement->entries[1].balance_minor, 150000050);
  EXPECT_EQ(statement->entries[2].kind, StatementEntryKind::kPayment);
  EXPECT_EQ(statement->entries[2].balance_minor, 30000050);
  EXPECT_EQ(statement->entries[5].kind, StatementEntryKind::kCreditNote);
  EXPECT_EQ(statement->entries[5].balance_minor, 20000000);
  ASSERT_EQ(statement->totals.size(), 1u);
  EXPECT_EQ(statement->totals[0].balance_minor, 20000000);
  EXPECT_EQ(statement->totals[0].open_invoices_minor, 20000000);
  EXPECT_EQ(statement->totals[0].overdue_minor, 20000000);
  EXPECT_EQ(statement->totals[0].unapplied_credit_minor, 0);
  EXPECT_EQ(*statement->entries[1].days_past_due, 7);
  auto missing = BuildStatement(db_->database(), 1, "NOPE", std::nullopt, clock);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(LedgerTest, TenantsSeeOnlyTheirOwnData) {
  ASSERT_TRUE(db_->database()
                  .Execute("INSERT INTO tenants (id, slug, name, country, time_zone, created_at) VALUES "
                           "(2, 'other', 'Otra', 'CO', 'America/Bogota', '2025-01-01T00:00:00Z')")
                  .has_value());
  ImportBasics();
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers, false, 2).ok());
  ImportReport other = Import(ImportKind::kInvoices, "invoices.csv", kInvoices, false, 2);
  EXPECT_EQ(other.created, 3);  // same external ids, another tenant: new rows
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE tenant_id = 2 AND open_minor = amount_minor"), 3);
  EXPECT_EQ(Aging("2025-03-10").totals[0].total_minor, 30000050);  // tenant 1 unchanged
}

// Regression (issue 14): a re-import without an optional column wiped the
// stored values. An absent column keeps them; an empty cell clears.
TEST_P(LedgerTest, ReimportWithoutAnOptionalColumnKeepsItsValues) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv",
                     "external_id,name,tax_id,country,time_zone,segment,sector\n"
                     "C1,Ana Ruiz,1,CO,America/New_York,vip,retail\n")
                  .ok());
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices.csv",
                     "external_id,customer_external_id,number,issue_date,due_date,currency,amount,description\n"
                     "I1,C1,FV-1,2025-01-01,2025-01-31,COP,100.00,Servicio de enero\n")
                  .ok());
  ImportReport without = Import(ImportKind::kCustomers, "customers-2.csv",
                                "external_id,name,tax_id,country\nC1,Ana Ruiz,1,CO\n");
  EXPECT_EQ(without.updated, 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM customers WHERE time_zone = 'America/New_York' AND segment = 'vip' "
                       "AND attributes = '{\"sector\":\"retail\"}'"),
            1);
  without = Import(ImportKind::kInvoices, "invoices-2.csv",
                   "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                   "I1,C1,FV-1,2025-01-01,2025-01-31,COP,100.00\n");
  EXPECT_EQ(without.updated, 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE description = 'Servicio de enero'"), 1);
  // An empty cell in a column the file has clears the value.
  ImportReport emptied = Import(ImportKind::kInvoices, "invoices-3.csv",
                                "external_id,customer_external_id,number,issue_date,due_date,currency,amount,"
                                "description\nI1,C1,FV-1,2025-01-01,2025-01-31,COP,100.00,\n");
  EXPECT_EQ(emptied.updated, 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE description IS NULL"), 1);
  emptied = Import(ImportKind::kCustomers, "customers-3.csv", "external_id,name,tax_id,country,segment\nC1,Ana Ruiz,1,CO,\n");
  EXPECT_EQ(emptied.updated, 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM customers WHERE segment IS NULL AND time_zone = 'America/New_York'"), 1);
}

// Regression (issue 14): a credit note's excess paid another invoice. A
// credit note lowers only its own invoice; a payment it displaces there
// is the customer's money and pays the next invoice.
TEST_P(LedgerTest, CreditNoteLowersOnlyItsOwnInvoice) {
  ImportBasics();  // P1 pays I1 in full and 200000.00 of I2
  ASSERT_TRUE(Import(ImportKind::kCreditNotes, "credit-notes.csv",
                     "external_id,customer_external_id,invoice_external_id,date,currency,amount,reason\n"
                     "N1,C1,I1,2025-03-05,COP,300000.00,Descuento\n")
                  .ok());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM allocations a JOIN invoices i ON i.id = a.invoice_id WHERE "
                       "a.credit_note_id IS NOT NULL AND i.external_id <> 'I1'"),
            0);
  EXPECT_EQ(db_->Count("SELECT SUM(a.amount_minor) FROM allocations a JOIN invoices i ON i.id = a.invoice_id WHERE "
                       "a.credit_note_id IS NOT NULL AND i.external_id = 'I1'"),
            30000000);
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(Open("I2"), 50);  // the displaced 300000.00 of P1 went to I2
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM payments WHERE external_id = 'P1'"), 0);
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM credit_notes WHERE external_id = 'N1'"), 0);
}

// The largest amount a document may carry imports, and many of them sum.
TEST_P(LedgerTest, AmountsUpToTheDocumentLimitImportAndSum) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ASSERT_TRUE(Import(ImportKind::kInvoices, "big.csv",
                     "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                     "B1,C1,F-1,2025-01-01,2025-01-31,COP,10000000000000.00\n"
                     "B2,C1,F-2,2025-01-01,2025-01-31,COP,10000000000000.00\n"
                     "B3,C1,F-3,2025-01-01,2025-01-31,COP,10000000000000.00\n")
                  .ok());
  AgingReport aging = Aging("2025-03-10");
  ASSERT_EQ(aging.totals.size(), 1u);
  EXPECT_EQ(aging.totals[0].total_minor, 3 * kDocumentAmountMinorMax);
}

// Regression (issue 14): a failed statement printed its SQL to the user.
TEST_P(LedgerTest, DatabaseErrorsNeverQuoteTheStatement) {
  Database& database = db_->database();
  const std::string overflow = database.dialect() == Dialect::kSqlite
                                   ? "SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1 AS x) sums"
                                   : "SELECT CAST(9223372036854775807 AS BIGINT) + 1 FROM tenants";
  auto sum = database.QueryInt64(overflow);
  ASSERT_FALSE(sum);
  EXPECT_EQ(sum.error().message.find("SELECT"), std::string::npos) << sum.error().message;
  auto prepared = database.Prepare("SELECT no_such_column FROM invoices WHERE tenant_id = 1");
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().message.find("SELECT"), std::string::npos) << prepared.error().message;
  EXPECT_EQ(prepared.error().message.find("tenant_id = 1"), std::string::npos) << prepared.error().message;
}

// Regression (issue 14): statement totals wrapped to negative past int64.
TEST_P(LedgerTest, StatementTotalsNeverWrap) {
  ASSERT_TRUE(Import(ImportKind::kCustomers, "customers.csv", kCustomers).ok());
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices.csv", kInvoices).ok());
  // Past the import's limit, as an older version could have stored it.
  ASSERT_TRUE(db_->database()
                  .Execute("UPDATE invoices SET amount_minor = 9223372036854775807, open_minor = 9223372036854775807 "
                           "WHERE external_id = 'I1'")
                  .has_value());
  FixedClock clock(*ParseUtc("2030-01-01T00:00:00Z"));
  auto statement = BuildStatement(db_->database(), 1, "C1", *Date::ParseIso("2025-03-10"), clock);
  ASSERT_FALSE(statement);
  EXPECT_EQ(statement.error().code, ErrorCode::kOverflow);
}

// Regression (issue 14): a payment larger than every invoice vanished from
// aging. Credit shows beside what is owed, as it stood on the date.
TEST_P(LedgerTest, AgingShowsCreditInTheCustomersFavour) {
  ImportBasics();
  ASSERT_TRUE(Import(ImportKind::kPayments, "payments-2.csv",
                     "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
                     "P2,C2,2025-03-01,USD,1500.00,wire,W1,I3\n")
                  .ok());
  auto line_of = [](const AgingReport& report, const std::string& customer) -> const AgingLine* {
    for (const AgingLine& line : report.lines) {
      if (line.customer_external_id == customer) return &line;
    }
    return nullptr;
  };
  AgingReport before_invoice = Aging("2025-03-10");
  const AgingLine* credit = line_of(before_invoice, "C2");
  ASSERT_NE(credit, nullptr) << "the customer with only credit is missing";
  EXPECT_EQ(credit->currency, "USD");
  EXPECT_EQ(credit->total_minor, 0);
  EXPECT_EQ(credit->credit_minor, 30000);
  ASSERT_EQ(before_invoice.totals.size(), 2u);
  EXPECT_EQ(before_invoice.totals[1].currency, "USD");
  EXPECT_EQ(before_invoice.totals[1].credit_minor, 30000);
  EXPECT_EQ(before_invoice.totals[0].credit_minor, 0);
  // A later invoice consumes the credit; on the earlier date it was still there.
  ASSERT_TRUE(Import(ImportKind::kInvoices, "invoices-2.csv",
                     "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                     "I4,C2,INV-4,2025-03-15,2025-04-14,USD,1000.00\n")
                  .ok());
  credit = line_of(Aging("2025-03-10"), "C2");
  ASSERT_NE(credit, nullptr);
  EXPECT_EQ(credit->credit_minor, 30000);
  AgingReport after_invoice = Aging("2025-03-20");
  credit = line_of(after_invoice, "C2");
  ASSERT_NE(credit, nullptr);
  EXPECT_EQ(credit->credit_minor, 0);
  EXPECT_EQ(credit->total_minor, 70000);
  // Once that invoice is settled too, the earlier date still shows the credit.
  ASSERT_TRUE(Import(ImportKind::kPayments, "payments-3.csv",
                     "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
                     "P3,C2,2025-03-25,USD,700.00,wire,W3,I4\n")
                  .ok());
  credit = line_of(Aging("2025-03-10"), "C2");
  ASSERT_NE(credit, nullptr);
  EXPECT_EQ(credit->credit_minor, 30000);
  // Today's aging (each customer's own today) shows the same.
  AgingOptions options;
  FixedClock clock(*ParseUtc("2025-03-12T12:00:00Z"));
  auto today = BuildAgingReport(db_->database(), options, clock);
  ASSERT_TRUE(today) << today.error().message;
  credit = line_of(*today, "C2");
  ASSERT_NE(credit, nullptr);
  EXPECT_EQ(credit->credit_minor, 30000);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
