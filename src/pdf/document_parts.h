// The pieces statements and letters share: labels, short dates, money, the
// letterhead, the address block, headings, paragraphs, tables that repeat
// their header on each page, and the payment instructions. Private to
// cartera_pdf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "pdf/documents.h"
#include "pdf/page_flow.h"

namespace cartera::pdf {

inline std::string_view Say(templates::Language language, std::string_view spanish, std::string_view english) {
  return language == templates::Language::kEs ? spanish : english;
}

// Table dates: "05/02/2026" in Spanish (day first), "02/05/2026" in en-US.
std::string ShortDate(Date date, templates::Locale locale);
// templates::FormatMoney; a code it does not know is printed with its
// plain decimal ("XTS 12.50") rather than refused.
std::string Money(int64_t minor_units, std::string_view currency, templates::Locale locale);
// "NIT" (CO), "RFC" (MX), "RUT" (CL), "RUC" (PE), "NIF" (ES), "CUIT" (AR),
// "EIN" (US); otherwise "Id. tributaria" / "Tax ID".
std::string_view TaxIdLabel(std::string_view country, templates::Language language);
// "Vence hoy", "Por vencer" or the days: what a "días de mora" cell shows.
std::string DaysPastDueCell(Date due_date, Date as_of, templates::Locale locale);

// The company's name and contact lines at (x, y), `width` wide; returns the
// height taken.
double DrawLetterhead(PdfCanvas& canvas, double x, double y, double width, const CompanyProfile& company,
                      templates::Language language);
// "Señores" / name / tax id / address; returns the height taken.
double DrawAddressBlock(PdfCanvas& canvas, double x, double y, double width, const Addressee& debtor,
                        templates::Language language);

// A section title; starts a new page when the title and `keep_with_pt` of
// what follows do not fit.
void DrawHeading(PageFlow& flow, std::string_view title, double keep_with_pt = 60.0);
// Text that wraps and continues on the next page line by line; a line that
// starts with "- " is a list item and its continuation lines are indented.
void DrawParagraph(PageFlow& flow, std::string_view text, const TextStyle& style);

struct TableColumn {
  std::string title;
  double weight = 1.0;  // share of the width
  bool right_aligned = false;
};

struct TableRow {
  std::vector<std::string> cells;
  bool total = false;  // bold, with a rule above
};

// A titled table whose rows are one line each (long cells are cut with
// "…"); the title and the header row are repeated on every page it spans.
void DrawTable(PageFlow& flow, std::string_view title, const std::vector<TableColumn>& columns,
               const std::vector<TableRow>& rows);

// One invoice of the open invoices table.
struct OpenInvoice {
  std::string number;
  Date issue_date;
  Date due_date;
  std::string currency;
  int64_t amount_minor = 0;
  int64_t open_minor = 0;
};

// The open invoices with their days past due as of `as_of` and a total row
// per currency. kOverflow when a total does not fit in 64 bits.
Result<std::vector<TableRow>> OpenInvoiceRows(const std::vector<OpenInvoice>& invoices, Date as_of,
                                              templates::Locale locale);
std::vector<TableColumn> OpenInvoiceColumns(templates::Language language);

// The company's instructions (or a neutral sentence naming the company and
// its contact lines), and the customer number to quote, in a shaded box.
void DrawPaymentInstructions(PageFlow& flow, const CompanyProfile& company, const Addressee& debtor);

}  // namespace cartera::pdf
