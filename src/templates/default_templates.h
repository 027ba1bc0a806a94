// The default collection scripts shipped with Cartera: one Mustache file per
// stage, channel, language and tone under templates/ at the project root
// (templates/<language>/<channel>/<stage>.<tone>.mustache), embedded into the
// library at build time so the program needs no files at run time.
//
// File format: for email and letter the first line is "subject: <template>"
// and the body starts on the next line; the other channels are body only.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "templates/locale_format.h"
#include "templates/message_renderer.h"

namespace cartera::templates {

// The collection stages, by days from the due date.
enum class Stage {
  kBeforeDue,  // -7 and -1: a preventive reminder
  kDueToday,   // 0
  kOverdue1,   // +1
  kOverdue7,   // +7
  kOverdue15,  // +15: firmer, still cordial
  kOverdue30,  // +30: offers a payment plan
  kOverdue60,  // +60: offers a payment plan
  kOverdue90,  // +90: payment plan, and the escalation stated as a fact
  kLegal,      // facts only: amounts, dates, the next step
  kBrokenPromise,  // a promise to pay passed unpaid: asks for a new date, offers a plan
  kDisputeRejected,  // a dispute was rejected (no day: sent when it is): why, and that collection resumes
  // A payment plan's (engine payment_plan stages): an installment coming or
  // due, one missed, and the plan broken (its balance is collectible again).
  // The installment scripts speak of every invoice of the plan.
  kPlanInstallmentDue,
  kPlanInstallmentMissed,
  kPlanBroken,
};

// "before_due", "due_today", "overdue_1", ..., "legal".
std::string_view StageKey(Stage stage);
std::optional<Stage> ParseStage(std::string_view key);
std::span<const Stage> AllStages();
std::span<const Channel> AllChannels();

// Whether the stage's script speaks of invoices past due (overdue_1 to
// overdue_90, legal, broken_promise) rather than of invoices not yet past due
// (before_due, due_today), as the engine plans them (engine/decision.cc).
bool IsOverdueStage(Stage stage);

// plan_installment_due and plan_installment_missed: scripts about a payment
// plan's installment, speaking of all the plan's invoices, due or not.
bool IsPlanInstallmentStage(Stage stage);

// Whether the stage's script speaks of the invoice: an overdue stage of the
// invoices past due (templates::IsOverdue), before_due of those not yet past
// due, due_today of those due on the message's date.
bool IsInvoiceForStage(Stage stage, const InvoiceLine& invoice);

// Removes the invoices the stage's script is not about, so that its invoice
// list and its total_due agree: a context read for a whole account (a
// preview, a letter printed on demand) or planned days before (an outbox
// item delivered after a due date passed) then holds only what the script
// speaks of.
void KeepInvoicesForStage(Stage stage, std::vector<InvoiceLine>& invoices);

// The stage's invoices, for error messages: "past due on 2026-11-20", "due
// on 2026-11-20", "not yet past due on 2026-11-20".
std::string StageInvoicesDescription(Stage stage, Date as_of);

inline constexpr std::string_view kDefaultTone = "cordial";

// The shipped template, or kNotFound naming what is missing.
Result<MessageTemplate> DefaultTemplate(Stage stage, Channel channel, Language language,
                                        std::string_view tone = kDefaultTone);

// Every shipped template, in path order; kInternal when a file is misnamed or
// malformed (a build of this library with a broken templates/ directory).
Result<std::vector<MessageTemplate>> AllDefaultTemplates();

// Splits a template file into subject and body (see the file format above).
// kBadInput when an email or letter file does not start with "subject:".
Result<MessageTemplate> ParseTemplateFile(std::string_view text, Channel channel);

}  // namespace cartera::templates
