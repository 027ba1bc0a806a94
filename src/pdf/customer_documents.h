// A customer's letters and statements as PDF bytes, read from the database:
// what `cartera statement --format pdf` and `cartera letter` write, and what
// an email attaches. The letterhead is the tenant's company profile
// (store/company_profile.h); the paper is the tenant country's unless given.
//
// cartera_pdf does not depend on cartera_delivery (delivery attaches these
// PDFs), so a letter takes its message context from the caller, built with
// delivery::BuildMessageContext.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"
#include "pdf/documents.h"
#include "store/database.h"
#include "templates/default_templates.h"

namespace cartera::pdf {

// The customer's id; kNotFound naming the external id.
Result<int64_t> FindCustomerId(Database& database, int64_t tenant_id, std::string_view customer_external_id);

struct Debtor {
  Addressee addressee;
  // Its language and country: "en" is en-US; "es" is es-<country> where
  // Cartera knows that locale, else es-CO (as delivery's messages).
  templates::Locale locale = templates::Locale::kEsCO;
};

// kNotFound for an unknown customer.
Result<Debtor> LoadDebtor(Database& database, int64_t tenant_id, int64_t customer_id);

// The customer's statement as the books stood at `as_of` (default: today in
// the customer's zone at `now`) on `paper` (default: the tenant country's).
// kNotFound for an unknown customer; see RenderStatementPdf.
Result<std::string> StatementPdfForCustomer(Database& database, int64_t tenant_id, int64_t customer_id,
                                            std::optional<Date> as_of, std::optional<Paper> paper, Timestamp now);

// The shipped letter of `stage` in the customer's language and `tone`,
// rendered with `context` (delivery::BuildMessageContext for the customer):
// see RenderLetterPdf, which keeps the stage's invoices only.
// kNotFound when no script exists for the stage, language and tone;
// kBadInput when the context has no invoices (the customer owes nothing) or
// none of the stage's kind.
Result<std::string> LetterPdfForCustomer(Database& database, int64_t tenant_id, int64_t customer_id,
                                         templates::Stage stage, std::string_view tone,
                                         const templates::MessageContext& context, std::optional<Paper> paper);

// The stage whose script fits an account this many days past due (negative:
// not yet due), at the days of the default strategy: before_due, due_today,
// overdue_1, 7, 15, 30, 60 and 90. The legal and broken-promise letters are
// chosen by a person, never by this.
templates::Stage StageForDaysPastDue(int32_t days_past_due);

}  // namespace cartera::pdf
