// Bad import input, data-driven: every line of import_bad_input/cases.tsv is
// a file that must be refused with the error it names (file, line, field)
// and leave the ledger as it was, on SQLite and PostgreSQL. A new case is
// one line in that file, not a function here.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "importer/import.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

struct BadInputCase {
  int line = 0;
  ImportKind kind = ImportKind::kInvoices;
  Language language = Language::kEnglish;
  std::string file, expected, about;
};

// \n \r \t \\ and \xNN stand for those bytes.
std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[++i];
    if (next == 'n') {
      out += '\n';
    } else if (next == 'r') {
      out += '\r';
    } else if (next == 't') {
      out += '\t';
    } else if (next == 'x' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += next;
    }
  }
  return out;
}

std::vector<BadInputCase> ReadCases() {
  const std::string path = CARTERA_BAD_INPUT_CASES;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<BadInputCase> cases;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.empty() || text.starts_with('#')) continue;
    std::vector<std::string> columns;
    for (size_t start = 0;;) {
      const size_t tab = text.find('\t', start);
      columns.push_back(text.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    EXPECT_EQ(columns.size(), 5u) << path << ":" << line;
    if (columns.size() != 5) continue;
    auto kind = ParseImportKind(columns[0]);
    EXPECT_TRUE(kind) << path << ":" << line << ": kind " << columns[0];
    cases.push_back({line, kind.value_or(ImportKind::kInvoices),
                     columns[1] == "es" ? Language::kSpanish : Language::kEnglish, Unescape(columns[2]),
                     Unescape(columns[3]), columns[4]});
  }
  return cases;
}

class ImportBadInputTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }

  Result<ImportReport> Import(ImportKind kind, const std::string& name, const std::string& content,
                              Language language = Language::kEnglish) {
    ImportOptions options;
    options.kind = kind;
    options.path = db_->WriteFile(name, content);
    options.language = language;
    options.audit = {"test", "2025-03-10T12:00:00Z", name};
    return RunImport(db_->database(), options);
  }

  void Load(ImportKind kind, const std::string& name, const std::string& content) {
    auto report = Import(kind, name, content);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->ok()) << name << ": " << report->errors[0];
  }

  // Every table an import writes, summed, to see that a refused file wrote nothing.
  std::string LedgerFingerprint() {
    std::string fingerprint;
    for (const char* sql :
         {"SELECT COUNT(*) FROM customers", "SELECT COUNT(*) FROM contact_points", "SELECT COUNT(*) FROM invoices",
          "SELECT COUNT(*) FROM payments", "SELECT COUNT(*) FROM credit_notes", "SELECT COUNT(*) FROM allocations",
          "SELECT COUNT(*) FROM audit_log", "SELECT SUM(open_minor) FROM invoices",
          "SELECT SUM(amount_minor) FROM invoices", "SELECT SUM(unapplied_minor) FROM payments"}) {
      fingerprint += std::to_string(db_->Count(sql)) + " ";
    }
    return fingerprint;
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(ImportBadInputTest, EveryCaseIsRefusedWithItsErrorAndWritesNothing) {
  Load(ImportKind::kCustomers, "customers.csv",
       "external_id,name,tax_id,country,email,phone\n"
       "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,+57 300 123 4567\n"
       "C2,Acme Inc,12-3456789,US,ap@acme.com,\n");
  Load(ImportKind::kInvoices, "invoices.csv",
       "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
       "I1,C1,FV-1,2025-01-01,2025-01-31,COP,1000000.00\n"
       "I2,C1,FV-2,2025-02-01,2025-03-03,COP,500000.50\n"
       "I3,C2,INV-3,2025-01-15,2025-02-14,USD,1200.00\n");
  Load(ImportKind::kPayments, "payments.csv",
       "external_id,customer_external_id,date,currency,amount,method\nP1,C1,2025-02-10,COP,1200000.00,transfer\n");
  Load(ImportKind::kCreditNotes, "credit-notes.csv",
       "external_id,customer_external_id,invoice_external_id,date,currency,amount,reason\n"
       "N1,C1,I2,2025-03-05,COP,100000.00,Descuento\n");
  if (HasFatalFailure()) return;
  const std::string before = LedgerFingerprint();

  const std::vector<BadInputCase> cases = ReadCases();
  ASSERT_GE(cases.size(), 30u);
  for (const BadInputCase& test : cases) {
    SCOPED_TRACE(::testing::Message() << "cases.tsv:" << test.line << " (" << test.about << ")");
    const std::string name = "case-" + std::to_string(test.line) + ".csv";
    auto report = Import(test.kind, name, test.file, test.language);
    // A bad header refuses the whole file; a bad row is a report.
    const std::string first_error =
        !report ? report.error().message : (report->errors.empty() ? std::string() : report->errors[0]);
    EXPECT_TRUE(!report || !report->ok()) << "accepted";
    EXPECT_TRUE(first_error.starts_with(db_->WriteFile(name, test.file))) << first_error;
    EXPECT_NE(first_error.find(test.expected), std::string::npos)
        << "expected: " << test.expected << "\n     got: " << first_error;
    EXPECT_EQ(LedgerFingerprint(), before) << "a refused file changed the ledger";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportBadInputTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
