// The case file handed to an agency or a lawyer: the debtor's data, the
// invoices of the case, the whole contact history (collection/timeline.h),
// promises and disputes. As CSV (one table: section, date, reference,
// description, currency, amount, status, detail) and as a PDF
// (pdf/case_file_pdf.h). Reads only.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/language.h"
#include "store/database.h"

namespace cartera::escalation {

// The CSV columns, in order.
inline constexpr const char* kCaseFileCsvHeader = "section,date,reference,description,currency,amount,status,detail";

// kNotFound (in `language`) for an unknown case.
Result<std::string> CaseFileCsv(Database& database, int64_t tenant_id, int64_t case_id, Language language);
// The PDF in the debtor's locale, dated today in UTC at `now`. kNotFound
// for an unknown case.
Result<std::string> CaseFilePdf(Database& database, int64_t tenant_id, int64_t case_id, Timestamp now,
                                Language language);

}  // namespace cartera::escalation
