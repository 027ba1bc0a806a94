#include "pdf/document_parts.h"

#include <fmt/format.h>

#include <map>

#include "core/currency.h"
#include "core/money.h"
#include "core/text.h"

namespace cartera::pdf {
namespace {

constexpr double kTableFontPt = 8.5;
constexpr double kTableRowPt = 14.0;
constexpr double kCellPaddingPt = 3.0;
constexpr double kBoxPaddingPt = 8.0;

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    const size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::string ShortDate(Date date, templates::Locale locale) {
  if (templates::LanguageOf(locale) == templates::Language::kEn) {
    return fmt::format("{:02}/{:02}/{}", date.month(), date.day(), date.year());
  }
  return fmt::format("{:02}/{:02}/{}", date.day(), date.month(), date.year());
}

std::string Money(int64_t minor_units, std::string_view currency, templates::Locale locale) {
  if (auto known = Currency::FromCode(currency)) return templates::FormatMoney(minor_units, *known, locale);
  return fmt::format("{} {}", currency, FormatMinorUnits(minor_units, 2));
}

std::string_view TaxIdLabel(std::string_view country, templates::Language language) {
  if (country == "CO") return "NIT";
  if (country == "MX") return "RFC";
  if (country == "CL") return "RUT";
  if (country == "PE") return "RUC";
  if (country == "ES") return "NIF";
  if (country == "AR") return "CUIT";
  if (country == "US") return "EIN";
  return Say(language, "Id. tributaria", "Tax ID");
}

std::string DaysPastDueCell(Date due_date, Date as_of, templates::Locale locale) {
  const templates::Language language = templates::LanguageOf(locale);
  const int32_t days = DaysBetween(due_date, as_of);
  if (days > 0) return templates::FormatInteger(days, locale);
  if (days == 0) return std::string(Say(language, "Vence hoy", "Due today"));
  return std::string(Say(language, "Por vencer", "Not yet due"));
}

double DrawLetterhead(PdfCanvas& canvas, double x, double y, double width, const CompanyProfile& company,
                      templates::Language language) {
  const double top = y;
  y += canvas.DrawText(x, y, width, company.name, TextStyle{.size_pt = 15.0, .bold = true});
  y += 2.0;
  std::vector<std::string> lines;
  if (!company.tax_id.empty())
    lines.push_back(fmt::format("{} {}", TaxIdLabel(company.country, language), company.tax_id));
  if (!company.address.empty() && !company.city.empty() && company.address.find('\n') == std::string::npos) {
    lines.push_back(fmt::format("{}, {}", company.address, company.city));
  } else {
    if (!company.address.empty()) lines.push_back(company.address);
    if (!company.city.empty()) lines.push_back(company.city);
  }
  std::string contact;
  if (!company.phone.empty()) contact = fmt::format("{} {}", Say(language, "Tel.", "Phone"), company.phone);
  if (!company.email.empty()) contact += (contact.empty() ? "" : " · ") + company.email;
  if (!contact.empty()) lines.push_back(contact);
  const TextStyle detail{.size_pt = 8.5, .gray = 0.3};
  for (const std::string& line : lines) y += canvas.DrawText(x, y, width, line, detail);
  return y - top;
}

double DrawAddressBlock(PdfCanvas& canvas, double x, double y, double width, const Addressee& debtor,
                        templates::Language language) {
  const double top = y;
  const TextStyle plain{.size_pt = 9.5};
  if (language == templates::Language::kEs) {
    y += canvas.DrawText(x, y, width, debtor.is_company ? "Señores" : "Señor(a)", plain);
  }
  y += canvas.DrawText(x, y, width, debtor.name, TextStyle{.size_pt = 10.5, .bold = true});
  if (!debtor.tax_id.empty()) {
    y += canvas.DrawText(x, y, width, fmt::format("{} {}", TaxIdLabel(debtor.country, language), debtor.tax_id), plain);
  }
  if (!debtor.address.empty()) y += canvas.DrawText(x, y, width, debtor.address, plain);
  return y - top;
}

void DrawHeading(PageFlow& flow, std::string_view title, double keep_with_pt) {
  const TextStyle style{.size_pt = 11.0, .bold = true};
  const double height = flow.canvas().TextHeight(flow.width(), title, style);
  flow.BreakUnlessFits(height + 4.0 + keep_with_pt);
  flow.Advance(flow.canvas().DrawText(flow.left(), flow.y(), flow.width(), title, style) + 4.0);
}

void DrawParagraph(PageFlow& flow, std::string_view text, const TextStyle& style) {
  PdfCanvas& canvas = flow.canvas();
  const double line_height = canvas.TextHeight(flow.width(), "Ág", style);
  constexpr double kItemIndentPt = 12.0;
  for (std::string_view line : SplitLines(text)) {
    const bool item = line.starts_with("- ");
    const double indent = item ? kItemIndentPt : 0.0;
    if (item) line.remove_prefix(2);
    bool first = true;
    for (const std::string& piece : canvas.WrapLines(flow.width() - indent, line, style)) {
      flow.BreakUnlessFits(line_height);
      if (item && first) canvas.DrawText(flow.left() + 2.0, flow.y(), kItemIndentPt, "•", style);
      canvas.DrawText(flow.left() + indent, flow.y(), flow.width() - indent, piece, style);
      flow.Advance(line_height);
      first = false;
    }
  }
}

void DrawTable(PageFlow& flow, std::string_view title, const std::vector<TableColumn>& columns,
               const std::vector<TableRow>& rows) {
  PdfCanvas& canvas = flow.canvas();
  double total_weight = 0;
  for (const TableColumn& column : columns) total_weight += column.weight;
  std::vector<double> x(columns.size()), width(columns.size());
  double at = flow.left();
  for (size_t i = 0; i < columns.size(); ++i) {
    x[i] = at;
    width[i] = flow.width() * columns[i].weight / total_weight;
    at += width[i];
  }
  const TextStyle cell{.size_pt = kTableFontPt, .one_line = true};
  const double text_offset = (kTableRowPt - canvas.TextHeight(100.0, "Ág", cell)) / 2.0;
  auto draw_row = [&](const std::vector<std::string>& cells, bool bold) {
    for (size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
      TextStyle style = cell;
      style.bold = bold;
      style.align = columns[i].right_aligned ? Align::kRight : Align::kLeft;
      canvas.DrawText(x[i] + kCellPaddingPt, flow.y() + text_offset, width[i] - 2 * kCellPaddingPt, cells[i], style);
    }
  };
  const std::string continued = fmt::format("{} {}", title, Say(flow.language(), "(continuación)", "(continued)"));
  auto draw_header = [&](bool is_continued) {
    DrawHeading(flow, is_continued ? std::string_view(continued) : title, 2 * kTableRowPt);
    canvas.FillRect(flow.left(), flow.y(), flow.width(), kTableRowPt, 0.88);
    std::vector<std::string> titles;
    for (const TableColumn& column : columns) titles.push_back(column.title);
    draw_row(titles, true);
    flow.Advance(kTableRowPt);
  };
  draw_header(false);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (flow.BreakUnlessFits(kTableRowPt)) draw_header(true);
    if (rows[i].total) {
      canvas.DrawRule(flow.left(), flow.y(), flow.left() + flow.width(), 0.8);
    } else if (i % 2 == 1) {
      canvas.FillRect(flow.left(), flow.y(), flow.width(), kTableRowPt, 0.96);
    }
    draw_row(rows[i].cells, rows[i].total);
    flow.Advance(kTableRowPt);
  }
  flow.Advance(10.0);
}

std::vector<TableColumn> OpenInvoiceColumns(templates::Language language) {
  return {{std::string(Say(language, "Factura", "Invoice")), 1.3, false},
          {std::string(Say(language, "Emisión", "Issued")), 1.0, false},
          {std::string(Say(language, "Vencimiento", "Due")), 1.0, false},
          {std::string(Say(language, "Valor", "Amount")), 1.4, true},
          {std::string(Say(language, "Saldo", "Balance")), 1.4, true},
          {std::string(Say(language, "Días de mora", "Days past due")), 1.1, true}};
}

Result<std::vector<TableRow>> OpenInvoiceRows(const std::vector<OpenInvoice>& invoices, Date as_of,
                                              templates::Locale locale) {
  std::vector<TableRow> rows;
  std::vector<std::string> currencies;  // in order of first appearance
  std::map<std::string, int64_t> totals;
  for (const OpenInvoice& invoice : invoices) {
    rows.push_back(
        {{invoice.number, ShortDate(invoice.issue_date, locale), ShortDate(invoice.due_date, locale),
          Money(invoice.amount_minor, invoice.currency, locale), Money(invoice.open_minor, invoice.currency, locale),
          DaysPastDueCell(invoice.due_date, as_of, locale)},
         false});
    auto [total, added] = totals.try_emplace(invoice.currency, 0);
    if (added) currencies.push_back(invoice.currency);
    auto sum = CheckedAdd(total->second, invoice.open_minor);
    if (!sum) return Fail(sum.error());
    total->second = *sum;
  }
  for (const std::string& currency : currencies) {
    rows.push_back(
        {{fmt::format("Total {}", currency), "", "", "", Money(totals[currency], currency, locale), ""}, true});
  }
  return rows;
}

void DrawPaymentInstructions(PageFlow& flow, const CompanyProfile& company, const Addressee& debtor) {
  const templates::Language language = flow.language();
  std::string instructions = company.payment_instructions;
  if (instructions.empty()) {
    std::string contact;
    if (!company.phone.empty()) contact = fmt::format("{} {}", Say(language, "teléfono", "phone"), company.phone);
    if (!company.email.empty()) {
      contact += fmt::format("{}{} {}", contact.empty() ? "" : ", ", Say(language, "correo", "email"), company.email);
    }
    instructions = EndSentence(fmt::format("{} {}{}",
                                           Say(language, "Para pagar o acordar un plan de pago, comuníquese con",
                                               "To pay or to arrange a payment plan, please contact"),
                                           company.name, contact.empty() ? "" : fmt::format(" ({})", contact)));
  }
  const std::string reference = fmt::format(
      "{} {} {}",
      Say(language, "Al pagar, indique su número de cliente", "When you pay, please quote your customer number"),
      debtor.customer_number, Say(language, "y las facturas que paga.", "and the invoices you are paying."));
  PdfCanvas& canvas = flow.canvas();
  const double inner = flow.width() - 2 * kBoxPaddingPt;
  const TextStyle title_style{.size_pt = 10.0, .bold = true};
  const TextStyle text_style{.size_pt = 9.5};
  const std::string_view title = Say(language, "Instrucciones de pago", "How to pay");
  const double height = kBoxPaddingPt + canvas.TextHeight(inner, title, title_style) + 3.0 +
                        canvas.TextHeight(inner, instructions, text_style) + 4.0 +
                        canvas.TextHeight(inner, reference, text_style) + kBoxPaddingPt;
  flow.BreakUnlessFits(height);
  canvas.FillRect(flow.left(), flow.y(), flow.width(), height, 0.95);
  double y = flow.y() + kBoxPaddingPt;
  const double x = flow.left() + kBoxPaddingPt;
  y += canvas.DrawText(x, y, inner, title, title_style) + 3.0;
  y += canvas.DrawText(x, y, inner, instructions, text_style) + 4.0;
  canvas.DrawText(x, y, inner, reference, text_style);
  flow.Advance(height + 12.0);
}

}  // namespace cartera::pdf
