// The account statement (estado de cuenta) of one customer: every document
// and allocation up to the as-of date in date order, with a running balance
// per currency and the days past due of each open invoice.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "report/output.h"
#include "store/database.h"

namespace cartera {

enum class StatementEntryKind { kInvoice = 1, kCreditNote = 2, kPayment = 3, kAllocation = 4 };

struct StatementEntry {
  StatementEntryKind kind;
  Date date;
  std::string external_id;  // the document's; for an allocation, the credit's
  std::string reference;    // invoice number, payment reference, reason, ...
  std::string currency;
  int64_t debit_minor = 0;   // raises what the customer owes
  int64_t credit_minor = 0;  // lowers it
  int64_t balance_minor = 0;  // running balance in the currency (not for allocations)
  // Invoices only.
  std::optional<Date> due_date;
  int64_t open_minor = 0;
  std::optional<int32_t> days_past_due;  // when open and past due
  // Allocations only: the invoice paid.
  std::string applied_to;
};

struct StatementTotals {
  std::string currency;
  int64_t invoiced_minor = 0;
  int64_t credited_minor = 0;
  int64_t paid_minor = 0;
  int64_t balance_minor = 0;          // invoiced - credited - paid
  int64_t open_invoices_minor = 0;    // sum of open invoice amounts
  int64_t unapplied_credit_minor = 0; // payments and credit notes not yet applied
  int64_t overdue_minor = 0;
};

struct AccountStatement {
  std::string customer_external_id;
  std::string customer_name;
  std::string tax_id;
  std::string time_zone;
  Date as_of;
  std::vector<StatementEntry> entries;
  std::vector<StatementTotals> totals;
};

Result<AccountStatement> BuildStatement(Database& database, int64_t tenant_id, const std::string& customer_external_id,
                                 std::optional<Date> as_of, const Clock& clock);

// {"customer": {"external_id", "name", "tax_id", "time_zone"}, "as_of",
//  "entries": [...], "totals": [...]}: the statement's one JSON shape.
nlohmann::json StatementJson(const AccountStatement& statement);

void PrintStatementTable(const AccountStatement& statement, Language language, std::ostream& out);
void PrintStatementJson(const AccountStatement& statement, std::ostream& out);

}  // namespace cartera
