// The variables a message template may use, and the check that a template
// uses only those. A template is validated when it is saved, so a typo such
// as {{deudor}} is reported to the person writing it, by name, instead of
// silently rendering as nothing in a message to a debtor.
//
// | variable           | scope   | meaning                                                        |
// | ------------------ | ------- | -------------------------------------------------------------- |
// | debtor_name        | message | the customer who owes: company or person                       |
// | company_name       | message | the tenant: the company the debt is owed to                    |
// | collector_name     | message | who signs: the company profile's collector name, or a team's   |
// |                    |         | title when none is set ("Equipo de cartera"); a signature line |
// | payment_link       | message | where to pay (a link or a placeholder); false when there is none|
// | total_due          | message | sum of the open amounts of every invoice the message is about  |
// |                    |         | (both lists below), formatted ("$ 1.250.000")                  |
// | invoice_count      | message | how many invoices the message is about (both lists)            |
// | several_invoices   | message | true when there is more than one invoice (plural wording)      |
// | earliest_due_date  | message | the earliest due date among the invoices, formatted            |
// | max_days_late      | message | days past due of the oldest invoice (0 when none is past due)  |
// | as_of_date         | message | the date the message is written for, formatted                 |
// | overdue_invoices   | message | the invoices 1 or more days past due at as_of_date: a list,    |
// |                    |         | used as {{#overdue_invoices}}...{{/overdue_invoices}}          |
// | upcoming_invoices  | message | the invoices not yet past due (due at as_of_date or later):    |
// |                    |         | a list, used as {{#upcoming_invoices}}...{{/upcoming_invoices}}|
// | number             | invoice | the invoice number                                             |
// | issue_date         | invoice | issue date, formatted                                          |
// | due_date           | invoice | due date, formatted                                            |
// | amount             | invoice | invoice amount, formatted                                      |
// | open_amount        | invoice | what is still owed on it, formatted                            |
// | days_late          | invoice | days past due: 1 or more in overdue_invoices, 0 (due today) or |
// |                    |         | negative in upcoming_invoices                                  |
//
// Invoice variables exist only inside a list section; message variables are
// visible everywhere (Mustache looks up the context stack). Any message
// variable may also open a section, as a condition:
// {{#payment_link}}Pay at {{payment_link}}{{/payment_link}}.
//
// The collection stages give a script only the invoices of its kind (see
// KeepInvoicesForStage in default_templates.h), so an overdue script's
// total_due is the sum of its overdue_invoices and a reminder's the sum of
// its upcoming_invoices.
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

// The list sections that open the invoice scope.
inline constexpr std::string_view kOverdueInvoicesVariable = "overdue_invoices";
inline constexpr std::string_view kUpcomingInvoicesVariable = "upcoming_invoices";

// Every variable, message scope first, in the order of the table above.
std::span<const TemplateVariable> TemplateVariables();

// The variable of that name, or nullptr.
const TemplateVariable* FindTemplateVariable(std::string_view name);

// Parses a Mustache template the way kainjow mustache does and checks it:
//   - syntax errors are kBadInput with kainjow's message
//     ("template syntax error: Unclosed section \"x\" at 12");
//   - a variable or section name outside the catalogue is kBadInput naming
//     it: "unknown variable 'deudor' at line 2 (known: debtor_name, ...)";
//   - an invoice variable outside a list section names the sections it
//     belongs in; a list ({{overdue_invoices}}) used as a value is rejected;
//   - partials ({{> name}}) are rejected: message templates are one text.
// Comments and set-delimiter tags are understood and allowed.
Status ValidateTemplate(std::string_view text);

}  // namespace cartera::templates
