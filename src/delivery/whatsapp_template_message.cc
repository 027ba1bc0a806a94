#include "delivery/whatsapp_template_message.h"

#include <algorithm>

#include <fmt/format.h>

#include "templates/locale_format.h"

namespace cartera::delivery {
namespace {

// Meta refuses parameters that are empty or hold new lines, tabs or more
// than four spaces in a row.
std::string Parameter(std::string_view text) {
  std::string out;
  int spaces = 0;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    spaces = c == ' ' ? spaces + 1 : 0;
    if (spaces <= 1) out += c;
  }
  return out.empty() ? std::string("-") : out;
}

}  // namespace

WhatsappTemplate WhatsappTemplateFor(std::string_view prefix, std::string_view stage,
                                     const templates::MessageContext& context, const std::string& payment_token) {
  WhatsappTemplate chosen;
  chosen.name = fmt::format("{}{}", prefix, stage);
  chosen.language_code = std::string(templates::LanguageCode(templates::LanguageOf(context.locale)));
  int64_t total = 0;
  std::string numbers;
  std::optional<Date> oldest;
  for (const templates::InvoiceLine& line : context.invoices) {
    total += line.open_minor;
    numbers += fmt::format("{}{}", numbers.empty() ? "" : ", ", line.number);
    if (!oldest || line.due_date < *oldest) oldest = line.due_date;
  }
  chosen.body_parameters = {
      Parameter(context.debtor_name),
      Parameter(context.company_name),
      Parameter(templates::FormatMoney(context.total_due_minor.value_or(total), context.currency, context.locale)),
      Parameter(numbers),
      Parameter(oldest ? templates::FormatDate(*oldest, context.locale) : ""),
  };
  chosen.url_button_suffix = payment_token;
  return chosen;
}

}  // namespace cartera::delivery
