// Printable documents for a debtor, as PDF bytes: the account statement
// (estado de cuenta) and the collection letter of a stage. Both carry the
// company's letterhead, the debtor's address block, the open invoices with
// their days past due and totals, payment instructions, and "Página 1 de 2"
// on every page. Labels are Spanish or English by the locale's language;
// money and dates follow the locale (templates/locale_format.h).
//
// These functions take values and read nothing: pdf/customer_documents.h
// loads them from the database.
#pragma once

#include <string>

#include "core/error.h"
#include "pdf/paper.h"
#include "report/statement.h"
#include "store/company_profile.h"
#include "templates/message_renderer.h"

namespace cartera::pdf {

// The debtor as the address block prints it.
struct Addressee {
  std::string customer_number;  // the customer's external id, quoted when paying
  std::string name;
  std::string tax_id;
  std::string address;     // as stored (customers.address); may be empty or span lines
  std::string country;     // ISO 3166-1 alpha-2: names the tax id ("NIT", "RFC", ...)
  bool is_company = true;  // Spanish: "Señores" for a company, "Señor(a)" for a person
};

struct PdfLayout {
  Paper paper = Paper::kA4;
  templates::Locale locale = templates::Locale::kEsCO;  // the debtor's: labels, money, dates
  CompanyProfile company;                               // the letterhead and the payment instructions
};

// The statement as BuildStatement made it: the totals per currency, the
// open invoices with days past due (total per currency), and every invoice,
// credit note and payment with the running balance (allocations are not
// movements and are left out; the open amounts already reflect them). The
// movements and open invoices tables repeat their header on each page.
// kInternal when cairo fails; kBadInput past kPagesMax pages.
Result<std::string> RenderStatementPdf(const AccountStatement& statement, const Addressee& debtor,
                                       const PdfLayout& layout);

// A collection letter: letterhead, place and date, address block, subject,
// the body of `letter_template` rendered with `context`, the invoices of the
// context with their total, payment instructions, the template's closing
// and a signature line. A letter of a collection stage speaks of that
// stage's invoices only (templates::KeepInvoicesForStage): an overdue
// letter's text, table and totals leave out the invoices not yet past due.
// The body's opening date and name lines and its closing signature lines
// are the plain-text form of what the PDF lays out itself, so they are not
// printed twice.
// REQUIRES: letter_template.channel == templates::Channel::kLetter.
// kBadInput when the template does not render (see templates::Render), its
// language is not the layout locale's, or the context has none of the
// stage's invoices; kInternal when cairo fails.
Result<std::string> RenderLetterPdf(const templates::MessageTemplate& letter_template,
                                    const templates::MessageContext& context, const Addressee& debtor,
                                    const PdfLayout& layout);

}  // namespace cartera::pdf
