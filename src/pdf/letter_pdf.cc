// The collection letter as a PDF. The letter scripts are whole plain-text
// letters (date, name, body, "Atentamente," and the signature lines); here
// the date, the name and the signature become the letter's own blocks and
// the open invoices and payment instructions go before the closing.
#include <fmt/format.h>

#include "pdf/document_parts.h"
#include "templates/default_templates.h"

namespace cartera::pdf {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Paragraphs are separated by one or more blank lines.
std::vector<std::string> Paragraphs(std::string_view body) {
  std::vector<std::string> paragraphs;
  std::string current;
  size_t start = 0;
  while (start <= body.size()) {
    const size_t end = std::min(body.find('\n', start), body.size());
    const std::string_view line = body.substr(start, end - start);
    if (Trim(line).empty()) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
    } else {
      if (!current.empty()) current += '\n';
      current += line.ends_with('\r') ? line.substr(0, line.size() - 1) : line;
    }
    start = end + 1;
  }
  if (!current.empty()) paragraphs.push_back(std::move(current));
  return paragraphs;
}

struct LetterModel {
  std::string subject;
  std::vector<std::string> body;  // paragraphs
  std::string closing;            // "Atentamente,"; empty when the script has no signature to find
  std::vector<std::string> signature;
  std::vector<TableRow> invoices;
};

Result<LetterModel> BuildModel(const templates::MessageTemplate& letter_template,
                               const templates::MessageContext& context) {
  auto rendered = templates::Render(letter_template, context);
  if (!rendered) return Fail(rendered.error());
  LetterModel model;
  model.subject = rendered->subject;
  model.body = Paragraphs(rendered->body);
  auto& body = model.body;
  if (!body.empty() && Trim(body.front()) == templates::FormatDate(context.as_of, context.locale)) {
    body.erase(body.begin());
  }
  if (!body.empty() && Trim(body.front()) == Trim(context.debtor_name)) body.erase(body.begin());

  model.signature.push_back(context.collector_name);
  if (context.company_name != context.collector_name) model.signature.push_back(context.company_name);
  const std::string signed_by = fmt::format("{}\n{}", context.collector_name, context.company_name);
  if (!body.empty() &&
      (body.back() == signed_by || body.back() == context.collector_name || body.back() == context.company_name)) {
    body.pop_back();
    // What precedes the signature is the complimentary close, when it is one line.
    if (!body.empty() && body.back().find('\n') == std::string::npos && body.back().size() <= 60) {
      model.closing = std::move(body.back());
      body.pop_back();
    }
  }

  std::vector<OpenInvoice> open;
  for (const templates::InvoiceLine& line : context.invoices) {
    open.push_back({line.number, line.issue_date, line.due_date, std::string(context.currency.code()),
                    line.amount_minor, line.open_minor});
  }
  auto rows = OpenInvoiceRows(open, context.as_of, context.locale);
  if (!rows) return Fail(rows.error());
  model.invoices = std::move(*rows);
  return model;
}

void PaintLetter(PageFlow& flow, const LetterModel& model, const templates::MessageContext& context,
                 const Addressee& debtor, const PdfLayout& layout) {
  const templates::Language language = flow.language();
  PdfCanvas& canvas = flow.canvas();
  const TextStyle body_style{.size_pt = 10.0};

  flow.Advance(DrawLetterhead(canvas, flow.left(), flow.y(), flow.width(), layout.company, language) + 8.0);
  canvas.DrawRule(flow.left(), flow.y(), flow.left() + flow.width(), 0.8);
  flow.Advance(18.0);
  const std::string date = templates::FormatDate(context.as_of, context.locale);
  const std::string place_and_date =
      layout.company.city.empty() ? date : fmt::format("{}, {}", layout.company.city, date);
  flow.Advance(canvas.DrawText(flow.left(), flow.y(), flow.width(), place_and_date, body_style) + 18.0);
  flow.Advance(DrawAddressBlock(canvas, flow.left(), flow.y(), flow.width() * 0.6, debtor, language) + 18.0);
  const std::string subject = fmt::format("{}: {}", Say(language, "Asunto", "Subject"), model.subject);
  flow.Advance(canvas.DrawText(flow.left(), flow.y(), flow.width(), subject, TextStyle{.size_pt = 10.0, .bold = true}) +
               14.0);

  for (const std::string& paragraph : model.body) {
    DrawParagraph(flow, paragraph, body_style);
    flow.Advance(8.0);
  }
  flow.Advance(6.0);
  DrawTable(flow, Say(language, "Facturas pendientes", "Open invoices"), OpenInvoiceColumns(language), model.invoices);
  DrawPaymentInstructions(flow, layout.company, debtor);

  // The closing stays on the page of the signature it introduces.
  const double line_height = canvas.TextHeight(flow.width(), "Ág", body_style);
  constexpr double kSignatureSpacePt = 36.0;
  const double signature_height = (model.closing.empty() ? 0.0 : 2 * line_height) + kSignatureSpacePt +
                                  static_cast<double>(model.signature.size()) * line_height;
  flow.BreakUnlessFits(signature_height);
  if (!model.closing.empty()) {
    canvas.DrawText(flow.left(), flow.y(), flow.width(), model.closing, body_style);
    flow.Advance(2 * line_height);
  }
  flow.Advance(kSignatureSpacePt);
  canvas.DrawRule(flow.left(), flow.y(), flow.left() + 180.0, 0.6);
  flow.Advance(3.0);
  bool first = true;
  for (const std::string& line : model.signature) {
    TextStyle style = body_style;
    style.bold = first;
    canvas.DrawText(flow.left(), flow.y(), flow.width(), line, style);
    flow.Advance(line_height);
    first = false;
  }
}

}  // namespace

Result<std::string> RenderLetterPdf(const templates::MessageTemplate& letter_template,
                                    const templates::MessageContext& context, const Addressee& debtor,
                                    const PdfLayout& layout) {
  if (letter_template.channel != templates::Channel::kLetter) {
    return Fail(
        Error::BadInput(fmt::format("a {} template is not a letter", templates::ChannelKey(letter_template.channel))));
  }
  const templates::Language language = templates::LanguageOf(layout.locale);
  if (templates::LanguageOf(context.locale) != language) {
    return Fail(
        Error::BadInput(fmt::format("the letter is in {} but the page labels would be in {}",
                                    templates::LocaleTag(context.locale), templates::LocaleTag(layout.locale))));
  }
  // The text, the table and the totals speak of the stage's invoices.
  templates::MessageContext letter_context = context;
  if (auto stage = templates::ParseStage(letter_template.stage)) {
    templates::KeepInvoicesForStage(*stage, letter_context.invoices);
    if (letter_context.invoices.empty()) {
      return Fail(Error::BadInput(fmt::format(
          "customer '{}' has no open invoice {}: the {} letter has nothing to write about", debtor.customer_number,
          templates::StageInvoicesDescription(*stage, context.as_of), letter_template.stage)));
    }
  }
  auto model = BuildModel(letter_template, letter_context);
  if (!model) return Fail(model.error());
  const PdfMetadata metadata{model->subject, layout.company.name, debtor.name, context.as_of};
  // No date here: the letter's date line is the one date it carries.
  const std::string footer = fmt::format("{} · {} · {}", layout.company.name, model->subject, debtor.name);
  return RenderPages(SizeOf(layout.paper), metadata, language, footer,
                     [&](PageFlow& flow) { PaintLetter(flow, *model, letter_context, debtor, layout); });
}

}  // namespace cartera::pdf
