// The variables a message template may use, and the check that a template
// uses only those. A template is validated when it is saved, so a typo such
// as {{deudor}} is reported to the person writing it, by name, instead of
// silently rendering as nothing in a message to a debtor.
//
// | variable           | scope   | meaning                                                        |
// | ------------------ | ------- | -------------------------------------------------------------- |
// | debtor_name        | message | the customer who owes: company or person                       |
// | company_name       | message | the tenant: the company the debt is owed to                    |
// | collector_name     | message | the collector who signs the message or makes the call          |
// | payment_link       | message | where to pay (a link or a placeholder); false when there is none|
// | total_due          | message | sum of the open amounts, formatted ("$ 1.250.000")             |
// | invoice_count      | message | how many invoices the message is about                         |
// | several_invoices   | message | true when there is more than one invoice (plural wording)      |
// | earliest_due_date  | message | the earliest due date among the invoices, formatted            |
// | max_days_late      | message | days past due of the oldest invoice                            |
// | as_of_date         | message | the date the message is written for, formatted                 |
// | overdue_invoices   | message | the invoices: a list, used as {{#overdue_invoices}}...{{/...}} |
// | number             | invoice | the invoice number                                             |
// | issue_date         | invoice | issue date, formatted                                          |
// | due_date           | invoice | due date, formatted                                            |
// | amount             | invoice | invoice amount, formatted                                      |
// | open_amount        | invoice | what is still owed on it, formatted                            |
// | days_late          | invoice | days past due (0 or negative before the due date)              |
//
// Invoice variables exist only inside {{#overdue_invoices}}; message
// variables are visible everywhere (Mustache looks up the context stack).
// Any message variable may also open a section, as a condition:
// {{#payment_link}}Pay at {{payment_link}}{{/payment_link}}.
#pragma once

#include <span>
#include <string_view>

#include "core/error.h"

namespace cartera::templates {

enum class VariableScope { kMessage, kInvoice };

enum class VariableKind { kText, kMoney, kDate, kNumber, kFlag, kList };

struct TemplateVariable {
  std::string_view name;
  VariableScope scope;
  VariableKind kind;
  std::string_view meaning;
};

// The list section that opens the invoice scope.
inline constexpr std::string_view kInvoiceListVariable = "overdue_invoices";

// Every variable, message scope first, in the order of the table above.
std::span<const TemplateVariable> TemplateVariables();

// The variable of that name, or nullptr.
const TemplateVariable* FindTemplateVariable(std::string_view name);

// Parses a Mustache template the way kainjow mustache does and checks it:
//   - syntax errors are kBadInput with kainjow's message
//     ("template syntax error: Unclosed section \"x\" at 12");
//   - a variable or section name outside the catalogue is kBadInput naming
//     it: "unknown variable 'deudor' at line 2 (known: debtor_name, ...)";
//   - an invoice variable outside {{#overdue_invoices}} names the section it
//     belongs in; {{overdue_invoices}} used as a value is rejected (a list);
//   - partials ({{> name}}) are rejected: message templates are one text.
// Comments and set-delimiter tags are understood and allowed.
Status ValidateTemplate(std::string_view text);

}  // namespace cartera::templates
