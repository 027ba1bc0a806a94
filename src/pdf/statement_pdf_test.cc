// The statement PDF read back as text and as an image: accents, locale
// money, totals that add up, page breaks with repeated headers, paper size.
#include <gtest/gtest.h>

#include "pdf/documents.h"
#include "pdf/pdf_test_support.h"

namespace cartera::pdf {
namespace {

using testing::Count;
using testing::InkShare;
using testing::Pages;
using testing::PdfInfo;
using testing::PdfText;

const Date kAsOf = Date::FromYmd(2026, 11, 20);

// Invoices issued ten days apart, each due 30 days later, and one payment
// that settles part of the first; totals as BuildStatement computes them.
AccountStatement MakeStatement(const std::vector<int64_t>& amounts_minor, const std::string& currency,
                               int64_t payment_minor = 0) {
  AccountStatement statement;
  statement.customer_external_id = "CLI-000042";
  statement.customer_name = "José Pérez Muñoz";
  statement.tax_id = "79.123.456";
  statement.time_zone = "America/Bogota";
  statement.as_of = kAsOf;
  StatementTotals totals;
  totals.currency = currency;
  const Date first_issue = kAsOf.PlusDays(-static_cast<int32_t>(amounts_minor.size()) * 10 - 40);
  for (size_t i = 0; i < amounts_minor.size(); ++i) {
    StatementEntry invoice;
    invoice.kind = StatementEntryKind::kInvoice;
    invoice.date = first_issue.PlusDays(static_cast<int32_t>(i) * 10);
    invoice.external_id = "FV-" + std::to_string(1001 + i);
    invoice.reference = invoice.external_id;
    invoice.currency = currency;
    invoice.debit_minor = amounts_minor[i];
    invoice.due_date = invoice.date.PlusDays(30);
    invoice.open_minor = amounts_minor[i] - (i == 0 ? payment_minor : 0);
    const int32_t days = DaysBetween(*invoice.due_date, kAsOf);
    if (days > 0) invoice.days_past_due = days;
    totals.invoiced_minor += invoice.debit_minor;
    totals.open_invoices_minor += invoice.open_minor;
    if (days > 0) totals.overdue_minor += invoice.open_minor;
    totals.balance_minor += invoice.debit_minor;
    invoice.balance_minor = totals.balance_minor;
    statement.entries.push_back(invoice);
    if (i == 0 && payment_minor > 0) {
      StatementEntry payment;
      payment.kind = StatementEntryKind::kPayment;
      payment.date = invoice.date.PlusDays(5);
      payment.external_id = "PAG-77";
      payment.reference = "transferencia Bancolombia";
      payment.currency = currency;
      payment.credit_minor = payment_minor;
      totals.paid_minor += payment_minor;
      totals.balance_minor -= payment_minor;
      payment.balance_minor = totals.balance_minor;
      statement.entries.push_back(payment);
    }
  }
  statement.totals.push_back(totals);
  return statement;
}

Addressee Debtor() {
  return {"CLI-000042", "José Pérez Muñoz", "79.123.456", "Calle 45 # 12-30, Medellín", "CO", false};
}

PdfLayout Layout(templates::Locale locale, Paper paper) {
  PdfLayout layout;
  layout.paper = paper;
  layout.locale = locale;
  layout.company.name = "Ferretería Ñandú S.A.S.";
  layout.company.country = "CO";
  layout.company.tax_id = "900.123.456-7";
  layout.company.address = "Carrera 7 # 71-21, oficina 502";
  layout.company.city = "Bogotá D.C.";
  layout.company.payment_instructions = "Consignación en la cuenta de ahorros Bancolombia 123-456789-01.";
  return layout;
}

TEST(StatementPdfTest, SpanishTextKeepsAccentsAndColombianMoney) {
  SKIP_WITHOUT_POPPLER();
  // 1.250.000 + 980.500 + 2.000.000 pesos, 250.000 of the first paid.
  const AccountStatement statement = MakeStatement({125000000, 98050000, 200000000}, "COP", 25000000);
  auto pdf = RenderStatementPdf(statement, Debtor(), Layout(templates::Locale::kEsCO, Paper::kLetter));
  ASSERT_TRUE(pdf) << pdf.error().message;
  ASSERT_TRUE(pdf->starts_with("%PDF-"));
  const std::string text = PdfText(*pdf);
  for (const char* expected : {"Ferretería Ñandú S.A.S.",
                               "NIT 900.123.456-7",
                               "ESTADO DE CUENTA",
                               "Fecha de corte: 20 de noviembre de 2026",
                               "Señor(a)",
                               "José Pérez Muñoz",
                               "Calle 45 # 12-30, Medellín",
                               "Días de mora",
                               "Débito",
                               "Crédito",
                               "Instrucciones de pago",
                               "Bancolombia 123-456789-01",
                               "número de cliente CLI-000042",
                               "FV-1001",
                               "FV-1002",
                               "FV-1003",
                               "Pago PAG-77",
                               "$ 1.250.000",
                               "$ 980.500",
                               "$ 2.000.000",
                               "Página 1 de 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << text;
  }
  // Open: 1.000.000 + 980.500 + 2.000.000; the balance is the same figure.
  EXPECT_NE(text.find("Total COP"), std::string::npos) << text;
  EXPECT_GE(Count(text, "$ 3.980.500"), 2u) << text;
  EXPECT_EQ(text.find("US$"), std::string::npos);
}

TEST(StatementPdfTest, EnglishLabelsAndUnitedStatesMoney) {
  SKIP_WITHOUT_POPPLER();
  const AccountStatement statement = MakeStatement({125000000, 50}, "USD");
  PdfLayout layout = Layout(templates::Locale::kEnUS, Paper::kLetter);
  auto pdf = RenderStatementPdf(statement, Debtor(), layout);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = PdfText(*pdf);
  for (const char* expected : {"ACCOUNT STATEMENT", "As of: November 20, 2026", "Days past due", "Open invoices",
                               "How to pay", "$1,250,000.00", "$0.50", "$1,250,000.50", "Page 1 of 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << text;
  }
  EXPECT_EQ(text.find("Señor"), std::string::npos) << "no Spanish salutation in English";
}

TEST(StatementPdfTest, LongStatementBreaksPagesAndRepeatsTableHeaders) {
  SKIP_WITHOUT_POPPLER();
  const AccountStatement statement = MakeStatement(std::vector<int64_t>(120, 125000000), "COP");
  auto pdf = RenderStatementPdf(statement, Debtor(), Layout(templates::Locale::kEsCO, Paper::kA4));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::vector<std::string> pages = Pages(PdfText(*pdf));
  ASSERT_GT(pages.size(), 2u);
  const std::string of_total = " de " + std::to_string(pages.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    EXPECT_NE(pages[i].find("Página " + std::to_string(i + 1) + of_total), std::string::npos) << pages[i];
    if (i == 0) continue;
    // Every later page continues a table: its title and header row again.
    EXPECT_NE(pages[i].find("(continuación)"), std::string::npos) << "page " << i + 1 << ":\n" << pages[i];
    EXPECT_TRUE(pages[i].find("Días de mora") != std::string::npos || pages[i].find("Débito") != std::string::npos)
        << "page " << i + 1 << ":\n"
        << pages[i];
  }
  std::string all;
  for (const std::string& page : pages) all += page;
  EXPECT_NE(all.find("FV-1120"), std::string::npos);
  // 120 x 1.250.000 = 150.000.000 pesos.
  EXPECT_NE(all.find("$ 150.000.000"), std::string::npos);
  EXPECT_EQ(Count(all, "FV-1077"), 3u) << "movements: document and reference; open invoices: number";
}

TEST(StatementPdfTest, PaperIsA4OrLetter) {
  SKIP_WITHOUT_POPPLER();
  const AccountStatement statement = MakeStatement({125000000}, "COP");
  auto a4 = RenderStatementPdf(statement, Debtor(), Layout(templates::Locale::kEsCO, Paper::kA4));
  auto letter = RenderStatementPdf(statement, Debtor(), Layout(templates::Locale::kEsCO, Paper::kLetter));
  ASSERT_TRUE(a4 && letter);
  EXPECT_NE(PdfInfo(*a4).find("595.276 x 841.89 pts (A4)"), std::string::npos) << PdfInfo(*a4);
  EXPECT_NE(PdfInfo(*letter).find("612 x 792 pts (letter)"), std::string::npos) << PdfInfo(*letter);
}

TEST(StatementPdfTest, SameInputGivesTheSameBytes) {
  const AccountStatement statement = MakeStatement({125000000, 98050000}, "COP", 100);
  auto first = RenderStatementPdf(statement, Debtor(), Layout(templates::Locale::kEsCO, Paper::kA4));
  auto second = RenderStatementPdf(statement, Debtor(), Layout(templates::Locale::kEsCO, Paper::kA4));
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(*first == *second);
}

TEST(StatementPdfTest, WithoutACompanyProfileItStillRendersWithANeutralSentence) {
  SKIP_WITHOUT_POPPLER();
  PdfLayout layout;
  layout.company.name = "Mi empresa";
  layout.company.country = "CO";
  auto pdf = RenderStatementPdf(MakeStatement({}, "COP"), Debtor(), layout);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("comuníquese con Mi empresa."), std::string::npos) << text;
  EXPECT_NE(text.find("No tiene facturas pendientes."), std::string::npos) << text;
  EXPECT_EQ(text.find("NIT 900"), std::string::npos);
}

TEST(StatementPdfTest, FirstPageRendersToAPngWithInkInTheLetterhead) {
  SKIP_WITHOUT_POPPLER();
  const AccountStatement statement = MakeStatement({125000000, 98050000, 200000000}, "COP", 25000000);
  auto pdf = RenderStatementPdf(statement, Debtor(), Layout(templates::Locale::kEsCO, Paper::kA4));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const auto path = testing::WritePdf(*pdf);
  const std::string prefix = testing::OutputPath("-page1").string();
  testing::Run("pdftoppm -png -r 50 -f 1 -l 1 -singlefile '" + path.string() + "' '" + prefix + "'");
  const std::string png = testing::ReadFile(prefix + ".png");
  ASSERT_GE(png.size(), 8u) << "no PNG at " << prefix << ".png";
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(png.size(), 8000u) << "a blank A4 page at 50 dpi is about 1 KB";
  // Text covers part of the page, not none of it and not all of it; the
  // top tenth (the letterhead) has some.
  const double page_ink = InkShare(*pdf);
  EXPECT_GT(page_ink, 0.01);
  EXPECT_LT(page_ink, 0.30);
  EXPECT_GT(InkShare(*pdf, 0.0, 0.12), 0.01);
}

}  // namespace
}  // namespace cartera::pdf
