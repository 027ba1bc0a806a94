// The collection letter PDF read back as text: the blocks in letter order,
// the script's body with its accents, the invoices and their total, and the
// date and signature printed once.
#include <gtest/gtest.h>

#include "pdf/documents.h"
#include "pdf/pdf_test_support.h"
#include "templates/default_templates.h"

namespace cartera::pdf {
namespace {

using testing::Count;
using testing::PdfText;

templates::MessageContext Context(templates::Locale locale, int invoice_count = 2) {
  templates::MessageContext context;
  context.debtor_name = "José Pérez Muñoz";
  context.company_name = "Ferretería Ñandú S.A.S.";
  context.collector_name = "Laura Méndez";
  context.locale = locale;
  context.currency = templates::LocalCurrency(locale);
  context.as_of = Date::FromYmd(2026, 3, 9);
  for (int i = 0; i < invoice_count; ++i) {
    const Date due = Date::FromYmd(2026, 2, 5).PlusDays(i);
    const int64_t open = i == 1 ? 48000000 : 125000000;
    context.invoices.push_back(
        {"FE-" + std::to_string(1001 + i), due.PlusDays(-30), due, 125000000, open, DaysBetween(due, context.as_of)});
  }
  return context;
}

Addressee Debtor() {
  return {"CLI-000042", "José Pérez Muñoz", "79.123.456", "Calle 45 # 12-30\nMedellín", "CO", false};
}

PdfLayout Layout(templates::Locale locale) {
  PdfLayout layout;
  layout.paper = Paper::kLetter;
  layout.locale = locale;
  layout.company.name = "Ferretería Ñandú S.A.S.";
  layout.company.country = "CO";
  layout.company.tax_id = "900.123.456-7";
  layout.company.city = "Bogotá D.C.";
  layout.company.phone = "+57 601 555 0101";
  return layout;
}

Result<std::string> Letter(templates::Stage stage, const templates::MessageContext& context, const PdfLayout& layout) {
  auto letter_template =
      templates::DefaultTemplate(stage, templates::Channel::kLetter, templates::LanguageOf(context.locale));
  if (!letter_template) return Fail(letter_template.error());
  return RenderLetterPdf(*letter_template, context, Debtor(), layout);
}

TEST(LetterPdfTest, SpanishLetterInLetterOrder) {
  SKIP_WITHOUT_POPPLER();
  auto pdf = Letter(templates::Stage::kOverdue30, Context(templates::Locale::kEsCO), Layout(templates::Locale::kEsCO));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = PdfText(*pdf);
  // Each block after the one before it.
  size_t at = 0;
  for (const char* expected : {"Ferretería Ñandú S.A.S.",
                               "NIT 900.123.456-7",
                               "Bogotá D.C., 9 de marzo de 2026",
                               "Señor(a)",
                               "José Pérez Muñoz",
                               "NIT 79.123.456",
                               "Calle 45 # 12-30",
                               "Medellín",
                               "Asunto: Propuesta de acuerdo de pago",
                               "Reciba un cordial saludo.",
                               "(días de mora: 32)",
                               "acuerdo de pago en cuotas",
                               "Facturas pendientes",
                               "Días de mora",
                               "FE-1001",
                               "FE-1002",
                               "Total COP",
                               "$ 1.730.000",
                               "Instrucciones de pago",
                               "comuníquese con Ferretería Ñandú S.A.S. (teléfono",
                               "Atentamente,",
                               "Laura Méndez",
                               "Página 1 de 1"}) {
    const size_t found = text.find(expected, at);
    ASSERT_NE(found, std::string::npos) << "'" << expected << "' missing or out of order in:\n" << text;
    at = found + 1;
  }
  EXPECT_NE(text.find("$ 1.250.000"), std::string::npos);
  EXPECT_NE(text.find("$ 480.000"), std::string::npos);
  // The script's own date, name and signature lines are the PDF's blocks.
  EXPECT_EQ(Count(text, "9 de marzo de 2026"), 1u) << text;
  EXPECT_EQ(Count(text.substr(text.find("Atentamente,")), "Laura Méndez"), 1u) << text;
}

TEST(LetterPdfTest, EnglishLetter) {
  SKIP_WITHOUT_POPPLER();
  auto pdf = Letter(templates::Stage::kOverdue30, Context(templates::Locale::kEnUS), Layout(templates::Locale::kEnUS));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = PdfText(*pdf);
  size_t at = 0;
  for (const char* expected :
       {"Bogotá D.C., March 9, 2026", "José Pérez Muñoz", "Subject: Payment plan proposal", "Dear José Pérez Muñoz,",
        "(days past due: 32)", "Open invoices", "$1,250,000.00", "Total USD", "$1,730,000.00", "How to pay",
        "Sincerely,", "Laura Méndez", "Page 1 of 1"}) {
    const size_t found = text.find(expected, at);
    ASSERT_NE(found, std::string::npos) << "'" << expected << "' missing or out of order in:\n" << text;
    at = found + 1;
  }
  EXPECT_EQ(text.find("Señor"), std::string::npos);
  EXPECT_EQ(Count(text, "March 9, 2026"), 1u) << text;
}

TEST(LetterPdfTest, ManyInvoicesContinueOnASecondPageWithTheSignature) {
  SKIP_WITHOUT_POPPLER();
  auto pdf =
      Letter(templates::Stage::kOverdue90, Context(templates::Locale::kEsCO, 45), Layout(templates::Locale::kEsCO));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::vector<std::string> pages = testing::Pages(PdfText(*pdf));
  ASSERT_GE(pages.size(), 2u);
  const std::string& last = pages.back();
  EXPECT_NE(last.find("Página " + std::to_string(pages.size()) + " de " + std::to_string(pages.size())),
            std::string::npos);
  EXPECT_NE(last.find("Laura Méndez"), std::string::npos) << last;
}

// Regression: an overdue letter listed an invoice due in 28 days, with
// "(días de mora: -28)" in its text and "Por vencer" in its table.
TEST(LetterPdfTest, AnOverdueLetterLeavesOutTheInvoicesNotYetDue) {
  SKIP_WITHOUT_POPPLER();
  templates::MessageContext context = Context(templates::Locale::kEsCO);
  context.invoices.push_back(
      {"FE-2001", Date::FromYmd(2026, 3, 6), Date::FromYmd(2026, 4, 6), 30000000, 30000000, -28});
  auto pdf = Letter(templates::Stage::kOverdue30, context, Layout(templates::Locale::kEsCO));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("FE-1002"), std::string::npos) << text;
  EXPECT_NE(text.find("$ 1.730.000"), std::string::npos) << text;
  for (const char* absent : {"FE-2001", "-28", "Por vencer", "$ 2.030.000"}) {
    EXPECT_EQ(text.find(absent), std::string::npos) << "'" << absent << "' in:\n" << text;
  }

  context.invoices.erase(context.invoices.begin(), context.invoices.begin() + 2);
  auto nothing_past_due = Letter(templates::Stage::kOverdue30, context, Layout(templates::Locale::kEsCO));
  ASSERT_FALSE(nothing_past_due);
  EXPECT_EQ(nothing_past_due.error().message,
            "customer 'CLI-000042' has no open invoice past due on 2026-03-09: the overdue_30 letter has nothing to "
            "write about");
}

TEST(LetterPdfTest, PageLabelsMustBeInTheLettersLanguage) {
  auto pdf = Letter(templates::Stage::kOverdue30, Context(templates::Locale::kEnUS), Layout(templates::Locale::kEsCO));
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, ErrorCode::kBadInput);
}

TEST(LetterPdfTest, OnlyLetterTemplates) {
  auto sms =
      templates::DefaultTemplate(templates::Stage::kOverdue30, templates::Channel::kSms, templates::Language::kEs);
  ASSERT_TRUE(sms);
  auto pdf = RenderLetterPdf(*sms, Context(templates::Locale::kEsCO), Debtor(), Layout(templates::Locale::kEsCO));
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, ErrorCode::kBadInput);
}

}  // namespace
}  // namespace cartera::pdf
