// The case file an agency or a lawyer receives (escalation/case_file.h):
// the letterhead, the debtor, the invoices handed over, and the whole
// contact history, promises and disputes, as a PDF. Values in, bytes out:
// escalation/case_file.h reads them from the database.
#pragma once

#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "pdf/documents.h"

namespace cartera::pdf {

struct CaseFileInvoice {
  std::string number;
  Date issue_date;
  Date due_date;
  std::string currency;
  int64_t amount_minor = 0;
  int64_t open_minor = 0;
};

struct CaseFileDocument {
  Addressee debtor;
  std::vector<std::string> contact_lines;  // "email: a@b.co", "phone: +57..."
  std::string case_line;                   // "Caso 12 · agencia Cobranzas SAS · 15.00 %", in the layout's language
  Date as_of;                              // the document's date
  std::vector<CaseFileInvoice> invoices;
  // Each row's cells in order: date, what, detail (contact history);
  // date, amount, status, note (promises); date, invoice, reason, status,
  // resolution (disputes).
  std::vector<std::vector<std::string>> history;
  std::vector<std::vector<std::string>> promises;
  std::vector<std::vector<std::string>> disputes;
};

// kOverflow when an invoice total does not fit; kBadInput past kPagesMax
// pages; kInternal when cairo fails.
Result<std::string> RenderCaseFilePdf(const CaseFileDocument& document, const PdfLayout& layout);

}  // namespace cartera::pdf
