// The case file as a PDF: who owes what first, then every contact, promise
// and dispute, oldest first, so the agency or the lawyer reads the story.
#include "pdf/case_file_pdf.h"

#include <fmt/format.h>

#include "pdf/document_parts.h"

namespace cartera::pdf {
namespace {

std::vector<TableRow> Rows(const std::vector<std::vector<std::string>>& cells) {
  std::vector<TableRow> rows;
  rows.reserve(cells.size());
  for (const auto& row : cells) rows.push_back({row, false});
  return rows;
}

void Section(PageFlow& flow, std::string_view title, const std::vector<TableColumn>& columns,
             const std::vector<std::vector<std::string>>& cells, std::string_view empty_text) {
  if (cells.empty()) {
    DrawHeading(flow, title);
    DrawParagraph(flow, empty_text, TextStyle{.size_pt = 9.5});
    flow.Advance(10.0);
    return;
  }
  DrawTable(flow, title, columns, Rows(cells));
}

}  // namespace

Result<std::string> RenderCaseFilePdf(const CaseFileDocument& document, const PdfLayout& layout) {
  const templates::Language language = templates::LanguageOf(layout.locale);
  std::vector<OpenInvoice> open;
  for (const CaseFileInvoice& invoice : document.invoices) {
    open.push_back({invoice.number, invoice.issue_date, invoice.due_date, invoice.currency, invoice.amount_minor,
                    invoice.open_minor});
  }
  auto invoice_rows = OpenInvoiceRows(open, document.as_of, layout.locale);
  if (!invoice_rows) return Fail(invoice_rows.error());
  const std::string title = std::string(Say(language, "Expediente de cobro", "Collection case file"));
  const PdfMetadata metadata{fmt::format("{} {}", title, document.debtor.name), layout.company.name,
                             document.debtor.name, document.as_of};
  const std::string footer = fmt::format("{} · {} · {} ({})", layout.company.name, title, document.debtor.name,
                                         templates::FormatDate(document.as_of, layout.locale));
  return RenderPages(SizeOf(layout.paper), metadata, language, footer, [&](PageFlow& flow) {
    PdfCanvas& canvas = flow.canvas();
    const TextStyle plain{.size_pt = 9.5};
    const double right_width = flow.width() * 0.42;
    const double right_x = flow.left() + flow.width() - right_width;
    const double head =
        DrawLetterhead(canvas, flow.left(), flow.y(), flow.width() - right_width - 12.0, layout.company, language);
    double right_y = flow.y();
    right_y +=
        canvas.DrawText(right_x, right_y, right_width, Say(language, "EXPEDIENTE DE COBRO", "COLLECTION CASE FILE"),
                        TextStyle{.size_pt = 13.0, .bold = true, .align = Align::kRight});
    right_y += 3.0;
    const TextStyle right_style{.size_pt = 9.0, .align = Align::kRight};
    right_y += canvas.DrawText(
        right_x, right_y, right_width,
        fmt::format("{}: {}", Say(language, "Fecha", "Date"), templates::FormatDate(document.as_of, layout.locale)),
        right_style);
    right_y += canvas.DrawText(right_x, right_y, right_width, document.case_line, right_style);
    flow.Advance(std::max(head, right_y - flow.y()) + 8.0);
    canvas.DrawRule(flow.left(), flow.y(), flow.left() + flow.width(), 0.8);
    flow.Advance(12.0);
    flow.Advance(DrawAddressBlock(canvas, flow.left(), flow.y(), flow.width() * 0.6, document.debtor, language) + 6.0);
    for (const std::string& line : document.contact_lines) DrawParagraph(flow, line, plain);
    flow.Advance(10.0);

    const std::string_view invoices_title = Say(language, "Facturas entregadas", "Invoices handed over");
    if (invoice_rows->empty()) {
      DrawHeading(flow, invoices_title);
      DrawParagraph(flow, Say(language, "Sin facturas.", "No invoices."), plain);
      flow.Advance(10.0);
    } else {
      DrawTable(flow, invoices_title, OpenInvoiceColumns(language), *invoice_rows);
    }
    Section(flow, Say(language, "Historial de contacto", "Contact history"),
            {{std::string(Say(language, "Fecha", "Date")), 0.9, false},
             {std::string(Say(language, "Qué", "What")), 1.6, false},
             {std::string(Say(language, "Detalle", "Detail")), 3.5, false}},
            document.history, Say(language, "Sin contactos registrados.", "No contacts recorded."));
    Section(flow, Say(language, "Promesas de pago", "Promises to pay"),
            {{std::string(Say(language, "Fecha", "Date")), 0.9, false},
             {std::string(Say(language, "Valor", "Amount")), 1.3, true},
             {std::string(Say(language, "Estado", "Status")), 0.9, false},
             {std::string(Say(language, "Nota", "Note")), 2.9, false}},
            document.promises, Say(language, "Sin promesas.", "No promises."));
    Section(flow, Say(language, "Disputas", "Disputes"),
            {{std::string(Say(language, "Fecha", "Date")), 0.9, false},
             {std::string(Say(language, "Factura", "Invoice")), 1.1, false},
             {std::string(Say(language, "Motivo", "Reason")), 1.8, false},
             {std::string(Say(language, "Estado", "Status")), 0.8, false},
             {std::string(Say(language, "Resolución", "Resolution")), 1.4, false}},
            document.disputes, Say(language, "Sin disputas.", "No disputes."));
  });
}

}  // namespace cartera::pdf
