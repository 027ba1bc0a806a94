#include "templates/message_renderer.h"

#include <gtest/gtest.h>

#include <iterator>
#include <limits>
#include <random>
#include <string>

#include "templates/template_catalogue.h"
#include "templates/test_contexts.h"

namespace cartera::templates {
namespace {

using samples::ColombianContext;
using samples::UsContext;

MessageTemplate Email(std::string subject, std::string body, Language language = Language::kEs) {
  return {"overdue_30", Channel::kEmail, language, "cordial", std::move(subject), std::move(body)};
}
MessageTemplate Sms(std::string body, Language language = Language::kEs) {
  return {"overdue_30", Channel::kSms, language, "cordial", "", std::move(body)};
}

std::string BodyOf(const MessageTemplate& message_template, const MessageContext& context) {
  auto rendered = Render(message_template, context);
  EXPECT_TRUE(rendered) << rendered.error().message;
  return rendered ? rendered->body : "";
}

TEST(Render, FormatsMoneyAndDatesForColombia) {
  auto rendered = Render(Email("Saldo de {{total_due}} con {{company_name}}",
                               "{{#overdue_invoices}}{{number}}|{{issue_date}}|{{due_date}}|{{amount}}|{{open_amount}}|"
                               "{{days_late}}\n{{/overdue_invoices}}total={{total_due}} n={{invoice_count}} "
                               "primero={{earliest_due_date}} mora={{max_days_late}} hoy={{as_of_date}}"),
                         ColombianContext());
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject, "Saldo de $ 1.730.000 con Distribuidora Andina");
  EXPECT_EQ(rendered->body,
            "FE-1001|6 de enero de 2026|5 de febrero de 2026|$ 1.250.000|$ 1.250.000|32\n"
            "FE-1042|1 de febrero de 2026|3 de marzo de 2026|$ 980.000|$ 480.000|6\n"
            "total=$ 1.730.000 n=2 primero=5 de febrero de 2026 mora=32 hoy=9 de marzo de 2026");
  EXPECT_EQ(rendered->format, BodyFormat::kHtml);
}

// One message about every currency a debtor owes in: each line in its own
// currency, the total says each currency's sum (never added together).
TEST(Render, OneMessageSpeaksOfEveryCurrency) {
  MessageContext context = ColombianContext();
  InvoiceLine dollars{"FE-2001", Date::FromYmd(2026, 1, 10), Date::FromYmd(2026, 2, 9), 32000, 32000, 28};
  dollars.currency = *Currency::FromCode("USD");
  context.invoices.push_back(dollars);
  auto rendered = Render(Email("Saldo de {{total_due}}",
                               "{{#overdue_invoices}}{{number}}|{{open_amount}}\n{{/overdue_invoices}}total={{total_due}}"),
                         context);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject, "Saldo de $ 1.730.000 y US$ 320,00");
  EXPECT_EQ(rendered->body, "FE-1001|$ 1.250.000\nFE-1042|$ 480.000\nFE-2001|US$ 320,00\ntotal=$ 1.730.000 y US$ 320,00");
  MessageContext english = UsContext();
  InvoiceLine pesos{"INV-9", Date::FromYmd(2026, 1, 10), Date::FromYmd(2026, 2, 9), 150000000, 150000000, 28};
  pesos.currency = *Currency::FromCode("COP");
  english.invoices.push_back(pesos);
  auto total = Render(Email("{{total_due}}", "x", Language::kEn), english);
  ASSERT_TRUE(total) << total.error().message;
  EXPECT_NE(total->subject.find(" and "), std::string::npos) << total->subject;
}

TEST(Render, FormatsMoneyAndDatesForTheUnitedStates) {
  EXPECT_EQ(BodyOf(Sms("{{total_due}} since {{earliest_due_date}}{{#overdue_invoices}} {{number}}: {{open_amount}}"
                       "{{/overdue_invoices}}",
                       Language::kEn),
                   UsContext()),
            "$1,730,000.00 since February 5, 2026 INV-1001: $1,250,000.00 INV-1042: $480,000.00");
}

TEST(Render, EscapesHtmlInEmailBodiesOnly) {
  MessageContext context = ColombianContext();
  context.debtor_name = "Pérez & Cía <S.A.S.> \"La 'Única'\"";
  // SMS and WhatsApp are plain text: the name as it is, whichever tag is used.
  EXPECT_EQ(BodyOf(Sms("{{debtor_name}}|{{{debtor_name}}}|{{&debtor_name}}"), context),
            "Pérez & Cía <S.A.S.> \"La 'Única'\"|Pérez & Cía <S.A.S.> \"La 'Única'\"|"
            "Pérez & Cía <S.A.S.> \"La 'Única'\"");
  MessageTemplate whatsapp = Sms("{{debtor_name}}");
  whatsapp.channel = Channel::kWhatsapp;
  EXPECT_EQ(BodyOf(whatsapp, context), "Pérez & Cía <S.A.S.> \"La 'Única'\"");

  // Email bodies are HTML: escaped, even through triple mustache; the subject is plain text.
  auto rendered = Render(Email("Cuenta de {{debtor_name}}", "<p>{{debtor_name}}</p><p>{{{debtor_name}}}</p>"), context);
  ASSERT_TRUE(rendered) << rendered.error().message;
  const std::string escaped = "Pérez &amp; Cía &lt;S.A.S.&gt; &quot;La &apos;Única&apos;&quot;";
  EXPECT_EQ(rendered->body, "<p>" + escaped + "</p><p>" + escaped + "</p>");
  EXPECT_EQ(rendered->subject, "Cuenta de Pérez & Cía <S.A.S.> \"La 'Única'\"");
}

TEST(Render, EscapesEveryValueInHtml) {
  MessageContext context = ColombianContext(false);
  context.company_name = "A&B";
  context.collector_name = "C&D";
  context.payment_link = "https://pay.example.co/?a=1&b=2";
  context.invoices[0].number = "F<1>";
  EXPECT_EQ(BodyOf(Email("s",
                         "{{company_name}} {{collector_name}} <a href=\"{{payment_link}}\">"
                         "{{#overdue_invoices}}{{number}}{{/overdue_invoices}}"),
                   context),
            "A&amp;B C&amp;D <a href=\"https://pay.example.co/?a=1&amp;b=2\">F&lt;1&gt;");
}

TEST(Render, SubjectsStayOnOneLine) {
  MessageContext context = ColombianContext();
  context.debtor_name = "Pérez\r\nBcc: someone@example.com";
  auto rendered = Render(Email("Cuenta de {{debtor_name}}", "x"), context);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject, "Cuenta de Pérez  Bcc: someone@example.com");
}

TEST(Render, PaymentLinkIsAConditionWhenEmpty) {
  const MessageTemplate sms =
      Sms("Saldo {{total_due}}.{{#payment_link}} Pague en {{payment_link}}{{/payment_link}}"
          "{{^payment_link}} Responda este mensaje.{{/payment_link}}");
  EXPECT_EQ(BodyOf(sms, ColombianContext(true, true)), "Saldo $ 1.730.000. Pague en https://pagos.example.co/x7K2p9");
  EXPECT_EQ(BodyOf(sms, ColombianContext(true, false)), "Saldo $ 1.730.000. Responda este mensaje.");
}

TEST(Render, PluralFlag) {
  const MessageTemplate sms =
      Sms("{{#several_invoices}}sus {{invoice_count}} facturas{{/several_invoices}}"
          "{{^several_invoices}}su factura{{/several_invoices}}");
  EXPECT_EQ(BodyOf(sms, ColombianContext(true)), "sus 2 facturas");
  EXPECT_EQ(BodyOf(sms, ColombianContext(false)), "su factura");
}

// Regression: {{#overdue_invoices}} listed invoices not yet due, so an
// overdue letter could print "días de mora: -28".
TEST(Render, OverdueAndUpcomingInvoicesSplitAtTheFirstDayPastDue) {
  MessageContext context = ColombianContext();
  context.invoices.push_back({"FE-1050", Date::FromYmd(2026, 3, 9), Date::FromYmd(2026, 3, 9), 20000000, 20000000, 0});
  context.invoices.push_back(
      {"FE-1077", Date::FromYmd(2026, 3, 6), Date::FromYmd(2026, 4, 6), 30000000, 30000000, -28});
  EXPECT_EQ(BodyOf(Sms("vencidas:{{#overdue_invoices}} {{number}} ({{days_late}}){{/overdue_invoices}}\n"
                       "por vencer:{{#upcoming_invoices}} {{number}} ({{days_late}}){{/upcoming_invoices}}\n"
                       "{{total_due}} {{invoice_count}} {{max_days_late}} {{earliest_due_date}}"),
                   context),
            "vencidas: FE-1001 (32) FE-1042 (6)\n"
            "por vencer: FE-1050 (0) FE-1077 (-28)\n"
            "$ 2.230.000 4 32 5 de febrero de 2026");
  // Each list is false when empty, as a condition.
  const MessageTemplate sms =
      Sms("{{^overdue_invoices}}nada vencido{{/overdue_invoices}}"
          "{{^upcoming_invoices}}nada por vencer{{/upcoming_invoices}}");
  EXPECT_EQ(BodyOf(sms, ColombianContext()), "nada por vencer");
  EXPECT_EQ(BodyOf(sms, samples::AsOf(ColombianContext(), Date::FromYmd(2026, 1, 29))), "nada vencido");
}

TEST(Render, TotalDueDefaultsToTheOpenAmountsAndCanBeGiven) {
  const MessageTemplate sms = Sms("{{total_due}}");
  MessageContext context = ColombianContext();
  EXPECT_EQ(BodyOf(sms, context), "$ 1.730.000");
  context.total_due_minor = 200000000;
  EXPECT_EQ(BodyOf(sms, context), "$ 2.000.000");
}

TEST(Render, NoInvoices) {
  MessageContext context = ColombianContext();
  context.invoices.clear();
  EXPECT_EQ(
      BodyOf(Sms("[{{total_due}}|{{invoice_count}}|{{max_days_late}}|{{#earliest_due_date}}x{{/earliest_due_date}}"
                 "{{#overdue_invoices}}{{number}}{{/overdue_invoices}}"
                 "{{^overdue_invoices}}ninguna{{/overdue_invoices}}"
                 "{{#upcoming_invoices}}{{number}}{{/upcoming_invoices}}]"),
             context),
      "[$ 0|0|0|ninguna]");
}

TEST(Render, OverflowingTotalIsAnError) {
  MessageContext context = ColombianContext();
  context.invoices[0].open_minor = std::numeric_limits<int64_t>::max();
  auto rendered = Render(Sms("{{total_due}}"), context);
  ASSERT_FALSE(rendered);
  EXPECT_EQ(rendered.error().code, ErrorCode::kOverflow);
}

TEST(Render, EveryCatalogueVariableHasAValue) {
  for (const auto& variable : TemplateVariables()) {
    if (variable.kind == VariableKind::kList || variable.kind == VariableKind::kFlag) continue;
    const std::string name(variable.name);
    const std::string text = variable.scope == VariableScope::kInvoice
                                 ? "{{#overdue_invoices}}{{" + name + "}}{{/overdue_invoices}}"
                                 : "{{" + name + "}}";
    EXPECT_NE(BodyOf(Sms(text), ColombianContext()), "") << name;
  }
}

TEST(Render, TrimsTrailingWhitespace) {
  EXPECT_EQ(BodyOf(Sms("Hola\n\n{{! nota: 20 caracteres }}\n"), ColombianContext()), "Hola");
}

TEST(Render, RejectsInvalidTemplates) {
  auto unknown = Render(Sms("Hola {{deudor}}"), ColombianContext());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kBadInput);
  EXPECT_EQ(unknown.error().message.rfind("body: unknown variable 'deudor'", 0), 0u) << unknown.error().message;

  auto subject = Render(Email("{{asunto}}", "x"), ColombianContext());
  ASSERT_FALSE(subject);
  EXPECT_EQ(subject.error().message.rfind("subject: unknown variable 'asunto'", 0), 0u) << subject.error().message;

  auto no_subject = Render(Email("", "x"), ColombianContext());
  ASSERT_FALSE(no_subject);
  EXPECT_EQ(no_subject.error().message, "email templates need a subject");

  MessageTemplate sms_with_subject = Sms("x");
  sms_with_subject.subject = "hola";
  auto extra = Render(sms_with_subject, ColombianContext());
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().message, "sms templates have no subject");
}

TEST(Render, TheTemplateLanguageMustMatchTheLocale) {
  auto rendered = Render(Sms("{{total_due}}", Language::kEn), ColombianContext());
  ASSERT_FALSE(rendered);
  EXPECT_EQ(rendered.error().message, "template language 'en' does not match locale es-CO");
}

TEST(DefaultCollectorName, ATeamsTitleInEachLanguage) {
  EXPECT_EQ(DefaultCollectorName(Language::kEs), "Equipo de cartera");
  EXPECT_EQ(DefaultCollectorName(Language::kEn), "Accounts Receivable Team");
}

TEST(Channels, KeysAndFormats) {
  for (Channel channel : {Channel::kEmail, Channel::kSms, Channel::kWhatsapp, Channel::kCall, Channel::kLetter}) {
    EXPECT_EQ(ParseChannel(ChannelKey(channel)), channel);
  }
  EXPECT_EQ(ParseChannel("fax"), std::nullopt);
  EXPECT_TRUE(HasSubject(Channel::kEmail));
  EXPECT_TRUE(HasSubject(Channel::kLetter));
  EXPECT_FALSE(HasSubject(Channel::kSms));
  EXPECT_EQ(BodyFormatFor(Channel::kEmail), BodyFormat::kHtml);
  EXPECT_EQ(BodyFormatFor(Channel::kLetter), BodyFormat::kPlainText);
  EXPECT_EQ(BodyFormatFor(Channel::kWhatsapp), BodyFormat::kPlainText);
}

}  // namespace
}  // namespace cartera::templates

namespace cartera::templates {
namespace {

// Random templates from Mustache fragments: validation never throws, and
// whatever it accepts renders.
TEST(Render, WhateverValidatesRenders) {
  const char* pieces[] = {"{{",
                          "}}",
                          "{{{",
                          "}}}",
                          "#",
                          "^",
                          "/",
                          "!",
                          "=",
                          "&",
                          ">",
                          " ",
                          "\n",
                          "debtor_name",
                          "number",
                          "x",
                          "<%",
                          "%>",
                          "{{=<% %>=}}",
                          "overdue_invoices",
                          "{{#overdue_invoices}}",
                          "{{/overdue_invoices}}",
                          "{{#upcoming_invoices}}",
                          "{{/upcoming_invoices}}",
                          "{{number}}",
                          "{{total_due}}",
                          "."};
  std::mt19937 random(20260305);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int count = 1 + static_cast<int>(random() % 12);
    for (int k = 0; k < count; ++k) text += pieces[random() % std::size(pieces)];
    Status status;
    ASSERT_NO_THROW(status = ValidateTemplate(text)) << text;
    if (!status) continue;
    ++accepted;
    MessageTemplate sms{"overdue_30", Channel::kSms, Language::kEs, "cordial", "", text};
    auto rendered = Render(sms, ColombianContext());
    EXPECT_TRUE(rendered) << text << ": " << rendered.error().message;
  }
  EXPECT_GT(accepted, 1000);
}

}  // namespace
}  // namespace cartera::templates
