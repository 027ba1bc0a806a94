// The account statement as a PDF: the figures first (what is owed and how
// late), how to pay while the debtor still reads page 1, then the detail.
#include <fmt/format.h>

#include "pdf/document_parts.h"

namespace cartera::pdf {
namespace {

std::string_view EntryTitle(StatementEntryKind kind, templates::Language language) {
  switch (kind) {
    case StatementEntryKind::kInvoice:
      return Say(language, "Factura", "Invoice");
    case StatementEntryKind::kCreditNote:
      return Say(language, "Nota crédito", "Credit note");
    case StatementEntryKind::kPayment:
      return Say(language, "Pago", "Payment");
    case StatementEntryKind::kAllocation:
      return Say(language, "Aplicación", "Allocation");
  }
  return "";
}

// Everything drawn, as text, so every failure happens before painting.
struct StatementModel {
  std::vector<TableRow> summary;
  std::vector<std::string> unapplied_notes;
  std::vector<TableRow> open_invoices;
  std::vector<TableRow> movements;
};

Result<StatementModel> BuildModel(const AccountStatement& statement, templates::Locale locale) {
  const templates::Language language = templates::LanguageOf(locale);
  StatementModel model;
  for (const StatementTotals& total : statement.totals) {
    auto money = [&](int64_t minor) { return Money(minor, total.currency, locale); };
    model.summary.push_back({{total.currency, money(total.invoiced_minor), money(total.credited_minor),
                              money(total.paid_minor), money(total.balance_minor), money(total.overdue_minor)},
                             false});
    if (total.unapplied_credit_minor != 0) {
      model.unapplied_notes.push_back(fmt::format("{}: {}",
                                                  Say(language, "Saldo a favor sin aplicar", "Unapplied credit"),
                                                  money(total.unapplied_credit_minor)));
    }
  }
  std::vector<OpenInvoice> open;
  for (const StatementEntry& entry : statement.entries) {
    if (entry.kind == StatementEntryKind::kAllocation) continue;
    if (entry.kind == StatementEntryKind::kInvoice && entry.open_minor > 0) {
      open.push_back({entry.reference.empty() ? entry.external_id : entry.reference, entry.date, *entry.due_date,
                      entry.currency, entry.debit_minor, entry.open_minor});
    }
    auto money = [&](int64_t minor) { return minor == 0 ? std::string() : Money(minor, entry.currency, locale); };
    model.movements.push_back(
        {{ShortDate(entry.date, locale), fmt::format("{} {}", EntryTitle(entry.kind, language), entry.external_id),
          entry.reference, money(entry.debit_minor), money(entry.credit_minor),
          Money(entry.balance_minor, entry.currency, locale)},
         false});
  }
  auto rows = OpenInvoiceRows(open, statement.as_of, locale);
  if (!rows) return Fail(rows.error());
  model.open_invoices = std::move(*rows);
  return model;
}

void PaintStatement(PageFlow& flow, const AccountStatement& statement, const StatementModel& model,
                    const Addressee& debtor, const PdfLayout& layout) {
  const templates::Language language = flow.language();
  PdfCanvas& canvas = flow.canvas();
  const TextStyle plain{.size_pt = 9.5};

  // Letterhead on the left, the document's title and date on the right.
  const double right_width = flow.width() * 0.42;
  const double right_x = flow.left() + flow.width() - right_width;
  const double head =
      DrawLetterhead(canvas, flow.left(), flow.y(), flow.width() - right_width - 12.0, layout.company, language);
  double right_y = flow.y();
  right_y += canvas.DrawText(right_x, right_y, right_width, Say(language, "ESTADO DE CUENTA", "ACCOUNT STATEMENT"),
                             TextStyle{.size_pt = 13.0, .bold = true, .align = Align::kRight});
  right_y += 3.0;
  const TextStyle right_style{.size_pt = 9.0, .align = Align::kRight};
  right_y += canvas.DrawText(right_x, right_y, right_width,
                             fmt::format("{}: {}", Say(language, "Fecha de corte", "As of"),
                                         templates::FormatDate(statement.as_of, layout.locale)),
                             right_style);
  right_y +=
      canvas.DrawText(right_x, right_y, right_width,
                      fmt::format("{}: {}", Say(language, "Cliente", "Customer"), debtor.customer_number), right_style);
  flow.Advance(std::max(head, right_y - flow.y()) + 8.0);
  canvas.DrawRule(flow.left(), flow.y(), flow.left() + flow.width(), 0.8);
  flow.Advance(12.0);
  flow.Advance(DrawAddressBlock(canvas, flow.left(), flow.y(), flow.width() * 0.6, debtor, language) + 16.0);

  const std::vector<TableColumn> summary_columns = {
      {std::string(Say(language, "Moneda", "Currency")), 0.8, false},
      {std::string(Say(language, "Facturado", "Invoiced")), 1.3, true},
      {std::string(Say(language, "Notas crédito", "Credit notes")), 1.3, true},
      {std::string(Say(language, "Pagos", "Payments")), 1.3, true},
      {std::string(Say(language, "Saldo", "Balance")), 1.3, true},
      {std::string(Say(language, "Vencido", "Overdue")), 1.3, true}};
  if (model.summary.empty()) {
    DrawHeading(flow, Say(language, "Resumen", "Summary"));
    DrawParagraph(flow, Say(language, "Sin movimientos hasta la fecha de corte.", "No activity up to this date."),
                  plain);
    flow.Advance(10.0);
  } else {
    DrawTable(flow, Say(language, "Resumen", "Summary"), summary_columns, model.summary);
    for (const std::string& note : model.unapplied_notes) DrawParagraph(flow, note, plain);
    if (!model.unapplied_notes.empty()) flow.Advance(10.0);
  }

  DrawPaymentInstructions(flow, layout.company, debtor);

  const std::string_view open_title = Say(language, "Facturas pendientes", "Open invoices");
  if (model.open_invoices.empty()) {
    DrawHeading(flow, open_title);
    DrawParagraph(flow, Say(language, "No tiene facturas pendientes.", "There are no open invoices."), plain);
    flow.Advance(10.0);
  } else {
    DrawTable(flow, open_title, OpenInvoiceColumns(language), model.open_invoices);
  }
  if (!model.movements.empty()) {
    const std::vector<TableColumn> columns = {{std::string(Say(language, "Fecha", "Date")), 0.95, false},
                                              {std::string(Say(language, "Documento", "Document")), 1.5, false},
                                              {std::string(Say(language, "Referencia", "Reference")), 1.85, false},
                                              {std::string(Say(language, "Débito", "Debit")), 1.2, true},
                                              {std::string(Say(language, "Crédito", "Credit")), 1.2, true},
                                              {std::string(Say(language, "Saldo", "Balance")), 1.3, true}};
    DrawTable(flow, Say(language, "Movimientos", "Account activity"), columns, model.movements);
  }
}

}  // namespace

Result<std::string> RenderStatementPdf(const AccountStatement& statement, const Addressee& debtor,
                                       const PdfLayout& layout) {
  auto model = BuildModel(statement, layout.locale);
  if (!model) return Fail(model.error());
  const templates::Language language = templates::LanguageOf(layout.locale);
  const std::string title = std::string(Say(language, "Estado de cuenta", "Account statement"));
  const PdfMetadata metadata{fmt::format("{} {}", title, debtor.name), layout.company.name, debtor.name,
                             statement.as_of};
  const std::string footer = fmt::format("{} · {} · {} ({})", layout.company.name, title, debtor.name,
                                         templates::FormatDate(statement.as_of, layout.locale));
  return RenderPages(SizeOf(layout.paper), metadata, language, footer,
                     [&](PageFlow& flow) { PaintStatement(flow, statement, *model, debtor, layout); });
}

}  // namespace cartera::pdf
