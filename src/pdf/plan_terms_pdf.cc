// The terms of a payment plan as a PDF: who owes whom, what is covered, the
// figures, the schedule, the consequences of a missed installment, and the
// acceptance lines. See plan_terms_pdf.h.
#include "pdf/plan_terms_pdf.h"

#include <algorithm>

#include <fmt/format.h>

#include "pdf/document_parts.h"

namespace cartera::pdf {
namespace {

std::string_view FrequencyWord(std::string_view frequency, templates::Language language) {
  if (frequency == "weekly") return Say(language, "semanal", "weekly");
  if (frequency == "fortnightly") return Say(language, "quincenal", "fortnightly");
  return Say(language, "mensual", "monthly");
}

void PaintTerms(PageFlow& flow, const PlanTerms& terms, const Addressee& debtor, const PdfLayout& layout) {
  const templates::Language language = flow.language();
  const templates::Locale locale = layout.locale;
  PdfCanvas& canvas = flow.canvas();
  const TextStyle plain{.size_pt = 9.5};
  auto money = [&](int64_t minor) { return Money(minor, terms.currency, locale); };
  // "24.50" as the debtor writes it: "24,50" in Spanish.
  std::optional<std::string> rate = terms.annual_rate_percent;
  if (rate && language == templates::Language::kEs) std::replace(rate->begin(), rate->end(), '.', ',');

  const double right_width = flow.width() * 0.42;
  const double right_x = flow.left() + flow.width() - right_width;
  const double head =
      DrawLetterhead(canvas, flow.left(), flow.y(), flow.width() - right_width - 12.0, layout.company, language);
  double right_y = flow.y();
  right_y += canvas.DrawText(right_x, right_y, right_width, Say(language, "ACUERDO DE PAGO", "PAYMENT PLAN"),
                             TextStyle{.size_pt = 13.0, .bold = true, .align = Align::kRight});
  right_y += 3.0;
  const TextStyle right_style{.size_pt = 9.0, .align = Align::kRight};
  right_y += canvas.DrawText(right_x, right_y, right_width,
                             fmt::format("{} {}", Say(language, "Acuerdo n.º", "Plan no."), terms.plan_id), right_style);
  right_y += canvas.DrawText(right_x, right_y, right_width,
                             fmt::format("{}: {}", Say(language, "Fecha", "Date"),
                                         templates::FormatDate(terms.proposed_on, locale)),
                             right_style);
  right_y += canvas.DrawText(right_x, right_y, right_width,
                             fmt::format("{}: {}", Say(language, "Cliente", "Customer"), debtor.customer_number),
                             right_style);
  flow.Advance(std::max(head, right_y - flow.y()) + 8.0);
  canvas.DrawRule(flow.left(), flow.y(), flow.left() + flow.width(), 0.8);
  flow.Advance(12.0);
  flow.Advance(DrawAddressBlock(canvas, flow.left(), flow.y(), flow.width() * 0.6, debtor, language) + 12.0);

  DrawParagraph(
      flow,
      fmt::format(fmt::runtime(Say(language,
                                   "{0} (el acreedor) y {1} (el deudor) acuerdan el pago de las facturas siguientes "
                                   "en las condiciones de este documento.",
                                   "{0} (the creditor) and {1} (the debtor) agree on the payment of the invoices "
                                   "below on the terms of this document.")),
                  layout.company.name, debtor.name),
      plain);
  flow.Advance(8.0);

  std::vector<TableRow> invoice_rows;
  for (const PlanTermsInvoice& invoice : terms.invoices) {
    invoice_rows.push_back({{invoice.number, ShortDate(invoice.due_date, locale), money(invoice.covered_minor)}, false});
  }
  invoice_rows.push_back({{std::string(Say(language, "Total", "Total")), "", money(terms.balance_minor)}, true});
  DrawTable(flow, Say(language, "Facturas incluidas", "Invoices covered"),
            {{std::string(Say(language, "Factura", "Invoice")), 2.0, false},
             {std::string(Say(language, "Vencimiento", "Due date")), 1.2, false},
             {std::string(Say(language, "Saldo incluido", "Balance covered")), 1.5, true}},
            invoice_rows);

  std::vector<TableRow> figures = {
      {{std::string(Say(language, "Saldo de las facturas", "Balance of the invoices")), money(terms.balance_minor)}, false},
      {{std::string(Say(language, "Cuota inicial (a la aceptación)", "Down payment (on acceptance)")),
        money(terms.down_payment_minor)},
       false},
      {{std::string(Say(language, "Saldo financiado", "Amount financed")), money(terms.financed_minor)}, false},
      {{rate
            ? fmt::format("{} ({}% {})", Say(language, "Intereses", "Interest"), *rate,
                          Say(language, "efectivo anual", "effective annual"))
            : std::string(Say(language, "Intereses (sin intereses)", "Interest (none)")),
        money(terms.interest_minor)},
       false},
      {{std::string(Say(language, "Total a pagar", "Total to pay")), money(terms.total_minor)}, true}};
  DrawTable(flow, Say(language, "Condiciones", "Terms"),
            {{std::string(Say(language, "Concepto", "Item")), 3.0, false},
             {std::string(Say(language, "Valor", "Amount")), 1.5, true}},
            figures);

  std::vector<TableRow> schedule;
  for (const PlanTermsInstallment& installment : terms.installments) {
    schedule.push_back({{std::to_string(installment.number), ShortDate(installment.due_date, locale),
                         money(installment.amount_minor - installment.interest_minor),
                         money(installment.interest_minor), money(installment.amount_minor)},
                        false});
  }
  DrawTable(flow,
            fmt::format("{} ({} {}, {})", Say(language, "Cuotas", "Installments"), terms.installments.size(),
                        Say(language, "cuotas", "installments"), FrequencyWord(terms.frequency, language)),
            {{"#", 0.5, false},
             {std::string(Say(language, "Fecha", "Due date")), 1.2, false},
             {std::string(Say(language, "Capital", "Principal")), 1.4, true},
             {std::string(Say(language, "Interés", "Interest")), 1.2, true},
             {std::string(Say(language, "Cuota", "Installment")), 1.4, true}},
            schedule);

  DrawHeading(flow, Say(language, "Si una cuota no se paga", "If an installment is missed"), 80.0);
  const std::string rate_sentence =
      rate
          ? fmt::format(fmt::runtime(Say(language,
                                         "- Los intereses son simples, sobre el saldo de capital pendiente de cada "
                                         "periodo, a la tasa periódica equivalente al {}% efectivo anual, que no "
                                         "supera la tasa máxima legal.",
                                         "- Interest is simple, on the principal still owed in each period, at the "
                                         "periodic rate equivalent to {}% effective annual, which is within the "
                                         "legal cap.")),
                        *rate)
          : std::string(Say(language, "- Este acuerdo no causa intereses.", "- This plan bears no interest."));
  DrawParagraph(
      flow,
      fmt::format(
          fmt::runtime(Say(
              language,
              "- Los pagos a las facturas incluidas se aplican primero a la cuota inicial y después a las cuotas, en "
              "orden.\n"
              "- Mientras el acuerdo esté vigente no recibirá mensajes de cobro por estas facturas, solo recordatorios "
              "de las cuotas.\n"
              "- Una cuota que no esté pagada al terminar el plazo de gracia queda incumplida y le enviaremos un "
              "recordatorio.\n"
              "- Si {0} cuota(s) quedan incumplidas, el acuerdo termina: el saldo pendiente de las facturas vuelve a "
              "ser exigible de inmediato y se reanuda la gestión de cobro.\n"
              "- Cuando las facturas incluidas queden pagadas, el acuerdo se da por cumplido.\n{1}",
              "- Payments to the invoices covered apply first to the down payment and then to the installments, in "
              "order.\n"
              "- While the plan is in force you will receive no collection messages about these invoices, only "
              "installment reminders.\n"
              "- An installment still unpaid when its grace period ends is missed, and we will send you a "
              "reminder.\n"
              "- If {0} installment(s) are missed, the plan ends: the remaining balance of the invoices is due again "
              "at once and collection resumes.\n"
              "- When the invoices covered are paid, the plan is completed.\n{1}")),
          terms.missed_to_break, rate_sentence),
      plain);
  flow.Advance(10.0);

  DrawPaymentInstructions(flow, layout.company, debtor);

  DrawHeading(flow, Say(language, "Aceptación", "Acceptance"), 90.0);
  DrawParagraph(flow,
                Say(language,
                    "El deudor declara que entiende y acepta estos términos. La aceptación queda registrada con la "
                    "fecha, el medio (portal, teléfono, correo o en persona) y quién la dio.",
                    "The debtor states that they understand and accept these terms. The acceptance is recorded with "
                    "its date, the channel (portal, phone, email or in person) and who gave it."),
                plain);
  flow.Advance(30.0);
  if (!flow.Fits(30.0)) flow.NewPage();
  const double half = (flow.width() - 30.0) / 2.0;
  canvas.DrawRule(flow.left(), flow.y(), flow.left() + half, 0.6);
  canvas.DrawRule(flow.left() + half + 30.0, flow.y(), flow.left() + flow.width(), 0.6);
  flow.Advance(4.0);
  canvas.DrawText(flow.left(), flow.y(), half, layout.company.name, plain);
  canvas.DrawText(flow.left() + half + 30.0, flow.y(), half, debtor.name, plain);
  flow.Advance(14.0);
}

}  // namespace

Result<std::string> RenderPlanTermsPdf(const PlanTerms& terms, const Addressee& debtor, const PdfLayout& layout) {
  const templates::Language language = templates::LanguageOf(layout.locale);
  const std::string title =
      fmt::format("{} {}", Say(language, "Acuerdo de pago", "Payment plan"), terms.plan_id);
  const PdfMetadata metadata{fmt::format("{} {}", title, debtor.name), layout.company.name, debtor.name,
                             terms.proposed_on};
  const std::string footer = fmt::format("{} · {} · {}", layout.company.name, title, debtor.name);
  return RenderPages(SizeOf(layout.paper), metadata, language, footer,
                     [&](PageFlow& flow) { PaintTerms(flow, terms, debtor, layout); });
}

}  // namespace cartera::pdf
