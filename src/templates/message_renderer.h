// Renders a message template for one debtor: the context's money and dates
// are formatted for its locale, then the template's subject and body are
// rendered with kainjow mustache.
//
// Escaping depends on the channel, not on how the template is written:
//   - email bodies are HTML: every value is HTML-escaped, whether the
//     template writes {{debtor_name}} or {{{debtor_name}}}, so data from an
//     import can never inject markup;
//   - SMS, WhatsApp, call scripts and letters are plain text: values are
//     inserted as they are ("Pérez & Cía" stays "Pérez & Cía");
//   - subjects are plain text on one line: line breaks and other control
//     characters in values become spaces (no header injection).
// Trailing whitespace is trimmed from the rendered subject and body.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.h"
#include "core/date.h"
#include "core/error.h"
#include "templates/locale_format.h"

namespace cartera::templates {

enum class Channel { kEmail, kSms, kWhatsapp, kCall, kLetter };

// "email", "sms", "whatsapp", "call", "letter".
std::string_view ChannelKey(Channel channel);
std::optional<Channel> ParseChannel(std::string_view key);

// Email and letter templates have a subject; the others a body only.
bool HasSubject(Channel channel);

enum class BodyFormat { kPlainText, kHtml };
BodyFormat BodyFormatFor(Channel channel);

struct MessageTemplate {
  std::string stage;  // the collection stage it is written for ("overdue_30"); informational
  Channel channel = Channel::kEmail;
  Language language = Language::kEs;
  std::string tone;     // "cordial"; informational
  std::string subject;  // Mustache; email and letter only
  std::string body;     // Mustache
};

// ValidateTemplate on subject and body (errors say which), and the subject
// rule: required for email and letter, absent for the other channels.
Status ValidateMessageTemplate(const MessageTemplate& message_template);

struct InvoiceLine {
  std::string number;
  Date issue_date;
  Date due_date;
  int64_t amount_minor = 0;
  int64_t open_minor = 0;
  int32_t days_late = 0;  // as of the context's as_of date; negative before the due date
  // Its own currency when it differs from the context's: one message speaks
  // of everything a debtor owes, in every currency.
  std::optional<Currency> currency = std::nullopt;
};

// Past due: at least one day after its due date. {{#overdue_invoices}} lists
// these, {{#upcoming_invoices}} the others (due on as_of or later).
inline bool IsOverdue(const InvoiceLine& line) { return line.days_late >= 1; }

struct MessageContext {
  std::string debtor_name;
  std::string company_name;
  // Who signs: the tenant's collector name, or DefaultCollectorName.
  std::string collector_name;
  std::string payment_link;  // empty: {{#payment_link}} is false
  Locale locale = Locale::kEsCO;
  Currency currency = LocalCurrency(Locale::kEsCO);  // of every amount below
  Date as_of;
  // Every invoice the message is about, overdue or not; the totals and counts
  // cover them all, the two list sections split them at IsOverdue.
  std::vector<InvoiceLine> invoices;
  // Defaults to the sum of the invoices' open amounts.
  std::optional<int64_t> total_due_minor;
  // dispute_rejected: why the business rejected the debtor's dispute.
  std::string dispute_reason;
  // A payment plan's messages (plan_installment_due, plan_installment_missed,
  // plan_broken): the installment they speak of (number 0: none, the broken
  // plan's notice) and the plan's remaining balance (unset: total_due).
  struct PlanInstallment {
    int32_t number = 0;
    Date due_date;
    int64_t amount_minor = 0;  // still owed on it
  };
  std::optional<PlanInstallment> installment;
  std::optional<int64_t> plan_balance_minor;
};

// The collector_name of a tenant that has not set one: a team's title that
// reads well on a signature line ("Equipo de cartera", "Accounts Receivable
// Team").
std::string_view DefaultCollectorName(Language language);

struct RenderedMessage {
  std::string subject;  // empty for channels without one
  std::string body;
  BodyFormat format = BodyFormat::kPlainText;
};

// Fails with kBadInput when the template is invalid (see
// ValidateMessageTemplate) or its language is not the context locale's, and
// with kOverflow when the open amounts do not add up in 64 bits.
Result<RenderedMessage> Render(const MessageTemplate& message_template, const MessageContext& context);

}  // namespace cartera::templates
