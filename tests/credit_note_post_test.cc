// Credit notes Cartera posts itself (store/credit_note_post.h), on SQLite
// and PostgreSQL: allocated to the invoice, audited, never twice for one
// origin, and refused whole when the amount or the invoice is wrong.
#include <gtest/gtest.h>

#include "importer/import.h"
#include "store/credit_note_post.h"
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
    "I3,C2,INV-3,2025-01-15,2025-02-14,USD,1200.00\n";

class CreditNotePostTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Import(ImportKind::kCustomers, "customers.csv", kCustomers);
    Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
  }

  void Import(ImportKind kind, const std::string& name, const std::string& content) {
    ImportOptions options;
    options.kind = kind;
    options.path = db_->WriteFile(name, content);
    options.tenant_id = 1;
    options.audit = {"test", "2025-03-10T12:00:00Z", name};
    auto report = RunImport(db_->database(), options);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->ok());
  }

  int64_t Id(const std::string& table, const std::string& external_id) {
    return db_->Count("SELECT id FROM " + table + " WHERE external_id = '" + external_id + "'");
  }

  CreditNotePost Note(int64_t minor, std::string source) {
    CreditNotePost note;
    note.customer_id = Id("customers", "C1");
    note.invoice_id = Id("invoices", "I1");
    note.date = *Date::ParseIso("2025-03-12");
    note.amount = Money(minor, *Currency::FromCode("COP"));
    note.kind = "dispute";
    note.reason = "Mercancía defectuosa";
    note.source = std::move(source);
    return note;
  }

  std::unique_ptr<TestDatabase> db_;
  AuditContext audit_{"user:ana@example.com", "2025-03-12T15:00:00Z", "test", Language::kSpanish};
};

TEST_P(CreditNotePostTest, APostedNoteIsAllocatedToItsInvoiceAndAudited) {
  auto id = PostCreditNote(db_->database(), 1, Note(25000050, "dispute:1"), audit_);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(db_->Count("SELECT open_minor FROM invoices WHERE external_id = 'I1'"), 100000000 - 25000050);
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM credit_notes WHERE id = " + std::to_string(*id)), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes WHERE external_id = 'CN-dispute:1' AND "
                       "attributes LIKE '%\"kind\":\"dispute\"%'"),
            1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'credit_note' AND actor = "
                       "'user:ana@example.com' AND after_json LIKE '%dispute:1%'"),
            1);
}

TEST_P(CreditNotePostTest, TheSameOriginNeverPostsTwice) {
  auto first = PostCreditNote(db_->database(), 1, Note(10000, "offer:7:invoice:1"), audit_);
  ASSERT_TRUE(first) << first.error().message;
  auto again = PostCreditNote(db_->database(), 1, Note(10000, "offer:7:invoice:1"), audit_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *first);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 1);
  EXPECT_EQ(db_->Count("SELECT open_minor FROM invoices WHERE external_id = 'I1'"), 100000000 - 10000);
}

TEST_P(CreditNotePostTest, RefusesWholeWhatTheLedgerCannotTake) {
  auto too_much = PostCreditNote(db_->database(), 1, Note(100000001, "dispute:2"), audit_);
  ASSERT_FALSE(too_much);
  EXPECT_NE(too_much.error().message.find("supera el saldo de la factura FV-1 (1000000.00)"), std::string::npos)
      << too_much.error().message;
  CreditNotePost other_customer = Note(100, "dispute:3");
  other_customer.invoice_id = Id("invoices", "I3");
  auto not_theirs = PostCreditNote(db_->database(), 1, other_customer, audit_);
  ASSERT_FALSE(not_theirs);
  EXPECT_EQ(not_theirs.error().code, ErrorCode::kNotFound);
  CreditNotePost other_tenant = Note(100, "dispute:4");
  auto wrong_tenant = PostCreditNote(db_->database(), 2, other_tenant, audit_);
  ASSERT_FALSE(wrong_tenant);
  EXPECT_EQ(wrong_tenant.error().code, ErrorCode::kNotFound);
  CreditNotePost dollars = Note(100, "dispute:5");
  dollars.amount = Money(100, *Currency::FromCode("USD"));
  EXPECT_FALSE(PostCreditNote(db_->database(), 1, dollars, audit_));
  CreditNotePost unknown = Note(100, "dispute:6");
  unknown.kind = "gift";
  EXPECT_FALSE(PostCreditNote(db_->database(), 1, unknown, audit_));
  EXPECT_FALSE(PostCreditNote(db_->database(), 1, Note(0, "dispute:7"), audit_));
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 0);
  EXPECT_EQ(db_->Count("SELECT open_minor FROM invoices WHERE external_id = 'I1'"), 100000000);
}

INSTANTIATE_TEST_SUITE_P(Backends, CreditNotePostTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
