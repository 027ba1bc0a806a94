#include "templates/message_renderer.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <functional>
#include <kainjow/mustache.hpp>

#include "core/money.h"
#include "templates/template_catalogue.h"

namespace cartera::templates {
namespace {

namespace mu = kainjow::mustache;

constexpr std::array<std::pair<Channel, std::string_view>, 5> kChannels = {{
    {Channel::kEmail, "email"},
    {Channel::kSms, "sms"},
    {Channel::kWhatsapp, "whatsapp"},
    {Channel::kCall, "call"},
    {Channel::kLetter, "letter"},
}};

using Escape = std::function<std::string(const std::string&)>;

std::string Identity(const std::string& text) { return text; }

std::string HtmlEscape(const std::string& text) { return mu::html_escape<std::string>(text); }

// For one-line plain text (subjects): control characters become spaces.
std::string OneLine(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

void TrimTrailingWhitespace(std::string& text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
}

Result<mu::data> BuildData(const MessageContext& context, const Escape& escape) {
  const Locale locale = context.locale;
  const Currency currency = context.currency;
  mu::data data{mu::data::type::object};
  data.set("debtor_name", escape(context.debtor_name));
  data.set("company_name", escape(context.company_name));
  data.set("collector_name", escape(context.collector_name));
  data.set("dispute_reason", escape(context.dispute_reason));
  if (context.payment_link.empty()) {
    data.set("payment_link", mu::data(false));
  } else {
    data.set("payment_link", escape(context.payment_link));
  }

  int64_t total = 0;
  // Invoices in other currencies than the context's are totalled apart:
  // amounts in different currencies are never added.
  std::vector<std::pair<Currency, int64_t>> other_totals;
  int32_t max_days_late = 0;
  std::optional<Date> earliest_due;
  mu::data overdue{mu::data::type::list};
  mu::data upcoming{mu::data::type::list};
  for (const InvoiceLine& line : context.invoices) {
    const Currency line_currency = line.currency.value_or(currency);
    if (line_currency.code() != currency.code()) {
      auto found = std::find_if(other_totals.begin(), other_totals.end(),
                                [&](const auto& entry) { return entry.first.code() == line_currency.code(); });
      if (found == other_totals.end()) found = other_totals.insert(other_totals.end(), {line_currency, 0});
      auto sum = CheckedAdd(found->second, line.open_minor);
      if (!sum) return Fail(sum.error());
      found->second = *sum;
    } else if (!context.total_due_minor) {
      auto sum = CheckedAdd(total, line.open_minor);
      if (!sum) return Fail(sum.error());
      total = *sum;
    }
    max_days_late = std::max(max_days_late, line.days_late);
    if (!earliest_due || line.due_date < *earliest_due) earliest_due = line.due_date;
    mu::data invoice{mu::data::type::object};
    invoice.set("number", escape(line.number));
    invoice.set("issue_date", escape(FormatDate(line.issue_date, locale)));
    invoice.set("due_date", escape(FormatDate(line.due_date, locale)));
    invoice.set("amount", escape(FormatMoney(line.amount_minor, line_currency, locale)));
    invoice.set("open_amount", escape(FormatMoney(line.open_minor, line_currency, locale)));
    invoice.set("days_late", escape(FormatInteger(line.days_late, locale)));
    (IsOverdue(line) ? overdue : upcoming).push_back(invoice);
  }
  if (context.total_due_minor) total = *context.total_due_minor;

  // "$ 1.500.000 y US$ 320,00": every script that says the total says all.
  std::string total_due = FormatMoney(total, currency, locale);
  for (size_t i = 0; i < other_totals.size(); ++i) {
    const bool last = i + 1 == other_totals.size();
    total_due += last ? (LanguageOf(locale) == Language::kEs ? " y " : " and ") : ", ";
    total_due += FormatMoney(other_totals[i].second, other_totals[i].first, locale);
  }
  data.set("total_due", escape(total_due));
  data.set("invoice_count", escape(FormatInteger(static_cast<int64_t>(context.invoices.size()), locale)));
  data.set("several_invoices", mu::data(context.invoices.size() > 1));
  if (earliest_due) {
    data.set("earliest_due_date", escape(FormatDate(*earliest_due, locale)));
  } else {
    data.set("earliest_due_date", mu::data(false));
  }
  data.set("max_days_late", escape(FormatInteger(max_days_late, locale)));
  data.set("as_of_date", escape(FormatDate(context.as_of, locale)));
  data.set(std::string(kOverdueInvoicesVariable), overdue);
  data.set(std::string(kUpcomingInvoicesVariable), upcoming);
  // A payment plan's installment: false (a section that renders nothing)
  // when the message speaks of none.
  if (context.installment && context.installment->number > 0) {
    data.set("installment_number", escape(FormatInteger(context.installment->number, locale)));
    data.set("installment_amount", escape(FormatMoney(context.installment->amount_minor, currency, locale)));
    data.set("installment_due_date", escape(FormatDate(context.installment->due_date, locale)));
  } else {
    data.set("installment_number", mu::data(false));
    data.set("installment_amount", mu::data(false));
    data.set("installment_due_date", mu::data(false));
  }
  data.set("plan_balance",
           escape(context.plan_balance_minor ? FormatMoney(*context.plan_balance_minor, currency, locale) : total_due));
  return data;
}

Result<std::string> RenderText(const std::string& text, const mu::data& data, std::string_view part) {
  mu::mustache tmpl{text};
  if (!tmpl.is_valid())
    return Fail(Error::BadInput(fmt::format("{}: template syntax error: {}", part, tmpl.error_message())));
  // Values are escaped (or not) when the data is built, for every tag kind.
  tmpl.set_custom_escape(Identity);
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return Fail(Error::Internal(fmt::format("{}: {}", part, tmpl.error_message())));
  TrimTrailingWhitespace(out);
  return out;
}

}  // namespace

std::string_view ChannelKey(Channel channel) {
  for (const auto& [value, key] : kChannels) {
    if (value == channel) return key;
  }
  return "";
}

std::optional<Channel> ParseChannel(std::string_view key) {
  for (const auto& [value, name] : kChannels) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::string_view DefaultCollectorName(Language language) {
  return language == Language::kEs ? "Equipo de cartera" : "Accounts Receivable Team";
}

bool HasSubject(Channel channel) { return channel == Channel::kEmail || channel == Channel::kLetter; }

BodyFormat BodyFormatFor(Channel channel) {
  return channel == Channel::kEmail ? BodyFormat::kHtml : BodyFormat::kPlainText;
}

Status ValidateMessageTemplate(const MessageTemplate& message_template) {
  const std::string_view channel = ChannelKey(message_template.channel);
  if (HasSubject(message_template.channel)) {
    if (message_template.subject.empty()) {
      return Fail(Error::BadInput(fmt::format("{} templates need a subject", channel)));
    }
    if (message_template.subject.find('\n') != std::string::npos) {
      return Fail(Error::BadInput("subject: must be one line"));
    }
    if (auto status = ValidateTemplate(message_template.subject); !status) {
      return Fail(Error::BadInput("subject: " + status.error().message));
    }
  } else if (!message_template.subject.empty()) {
    return Fail(Error::BadInput(fmt::format("{} templates have no subject", channel)));
  }
  if (auto status = ValidateTemplate(message_template.body); !status) {
    return Fail(Error::BadInput("body: " + status.error().message));
  }
  return {};
}

Result<RenderedMessage> Render(const MessageTemplate& message_template, const MessageContext& context) {
  if (auto status = ValidateMessageTemplate(message_template); !status) return Fail(status.error());
  if (message_template.language != LanguageOf(context.locale)) {
    return Fail(Error::BadInput(fmt::format("template language '{}' does not match locale {}",
                                            LanguageCode(message_template.language), LocaleTag(context.locale))));
  }

  RenderedMessage message;
  message.format = BodyFormatFor(message_template.channel);
  const Escape body_escape = message.format == BodyFormat::kHtml ? Escape(HtmlEscape) : Escape(Identity);
  auto body_data = BuildData(context, body_escape);
  if (!body_data) return Fail(body_data.error());
  auto body = RenderText(message_template.body, *body_data, "body");
  if (!body) return Fail(body.error());
  message.body = std::move(*body);

  if (HasSubject(message_template.channel)) {
    auto subject_data = BuildData(context, Escape(OneLine));
    if (!subject_data) return Fail(subject_data.error());
    auto subject = RenderText(message_template.subject, *subject_data, "subject");
    if (!subject) return Fail(subject.error());
    message.subject = std::move(*subject);
  }
  return message;
}

}  // namespace cartera::templates
