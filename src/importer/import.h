// Importing customers, invoices, payments and credit notes from CSV.
//
// An import is all-or-nothing: every row is validated (fields, references,
// duplicates), every bad row is reported as FILE:LINE: field 'x': problem,
// and nothing is written unless all rows are good. Rows are upserted by
// external_id, so re-running the same file changes nothing; a changed row is
// an update with its before/after in the audit log.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/language.h"
#include "core/money.h"
#include "store/audit.h"
#include "store/database.h"
#include "store/ledger_rebalance.h"

namespace cartera {

enum class ImportKind { kCustomers = 1, kInvoices = 2, kPayments = 3, kCreditNotes = 4 };
enum class DateFormat { kIso = 1, kDayMonthYear = 2 };

// "customers", "invoices", "payments", "credit-notes".
std::optional<ImportKind> ParseImportKind(std::string_view text);

struct ImportOptions {
  ImportKind kind = ImportKind::kInvoices;
  std::string path;
  // The CSV itself (an upload), read instead of the file; `path` then only
  // names it in messages.
  std::optional<std::string> content;
  int64_t tenant_id = 1;
  bool dry_run = false;
  DateFormat date_format = DateFormat::kIso;
  DecimalSeparator decimal_separator = DecimalSeparator::kPoint;
  std::optional<char> delimiter;  // detected from the header when absent
  AuditContext audit;
  // Called every few thousand rows and at the end with rows read so far.
  std::function<void(int64_t rows)> on_progress;
  // Errors kept for the report; the count goes on past it.
  size_t errors_kept_max = 10000;
  // The language of the error messages (field names stay the file's).
  Language language = Language::kEnglish;
};

struct ImportReport {
  int64_t rows = 0;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t error_count = 0;
  int64_t bad_rows = 0;  // distinct lines with errors
  std::vector<std::string> errors;  // "FILE:LINE: field 'x': problem", by line
  // The same errors in parts, for programs (the HTTP API): the line (0: the
  // file's structure), the field when the error names one, the problem.
  struct RowError {
    int64_t line = 0;
    std::string field;
    std::string problem;
  };
  std::vector<RowError> row_errors;
  RebalanceStats rebalance;
  bool dry_run = false;
  bool ok() const { return error_count == 0; }
};

// Returns a report (with errors when rows are bad: nothing was written), or
// an Error when the import could not run at all (file missing, header
// without a required column, database failure).
Result<ImportReport> RunImport(Database& database, const ImportOptions& options);

}  // namespace cartera
