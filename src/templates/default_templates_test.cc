// Every shipped script: present for each stage, channel and language; valid
// against the catalogue; rendered for a Colombian and a US debtor; and
// checked for what the issue asks of its wording.
#include "templates/default_templates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "templates/gsm7.h"
#include "templates/locale_format.h"
#include "templates/template_catalogue.h"
#include "templates/test_contexts.h"

namespace cartera::templates {
namespace {

using samples::ColombianContext;
using samples::UsContext;

std::string Lower(std::string text) {
  // ASCII only: the phrases searched for are ASCII.
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The sample context of the language, on a day the stage's script is written
// for: its invoices past due for the overdue stages (2026-03-09), not yet
// due for a reminder (2026-01-29) and due that day for due_today (2026-02-05).
MessageContext ContextFor(Language language, Stage stage, bool two_invoices = true, bool with_link = true) {
  MessageContext context =
      language == Language::kEs ? ColombianContext(two_invoices, with_link) : UsContext(two_invoices, with_link);
  if (stage == Stage::kBeforeDue) return samples::AsOf(context, Date::FromYmd(2026, 1, 29));
  if (stage == Stage::kDueToday) return samples::AsOf(context, Date::FromYmd(2026, 2, 5));
  return context;
}

// Every script a debtor reads: the shipped templates for each language,
// stage and channel, in every tone (cordial, and the firm and formal ones the
// default strategy names).
std::vector<MessageTemplate> Scripts() {
  auto all = AllDefaultTemplates();
  EXPECT_TRUE(all) << all.error().message;
  return all ? *all : std::vector<MessageTemplate>();
}

std::string NameOf(const MessageTemplate& message_template) {
  return std::string(LanguageCode(message_template.language)) + "/" +
         std::string(ChannelKey(message_template.channel)) + "/" + message_template.stage + "." + message_template.tone;
}

struct Rendered {
  Stage stage;
  Channel channel;
  Language language;
  RenderedMessage message;
  std::string tone;
  std::string Name() const {
    return std::string(LanguageCode(language)) + "/" + std::string(ChannelKey(channel)) + "/" +
           std::string(StageKey(stage)) + "." + tone;
  }
  std::string Text() const { return message.subject + "\n" + message.body; }
};

// Every default template rendered with the two-invoice sample context of its language and stage.
std::vector<Rendered> RenderAll() {
  std::vector<Rendered> all;
  for (const MessageTemplate& script : Scripts()) {
    const Stage stage = *ParseStage(script.stage);
    auto rendered = Render(script, ContextFor(script.language, stage));
    if (!rendered) {
      ADD_FAILURE() << NameOf(script) << ": " << rendered.error().message;
      continue;
    }
    all.push_back({stage, script.channel, script.language, *rendered, script.tone});
  }
  return all;
}

TEST(DefaultTemplates, OneForEveryStageChannelAndLanguage) {
  auto all = AllDefaultTemplates();
  ASSERT_TRUE(all) << all.error().message;
  const auto cordial = std::count_if(all->begin(), all->end(),
                                     [](const MessageTemplate& script) { return script.tone == kDefaultTone; });
  EXPECT_EQ(static_cast<size_t>(cordial), AllStages().size() * AllChannels().size() * 2);
  for (const MessageTemplate& message_template : *all) {
    EXPECT_TRUE(ParseStage(message_template.stage)) << message_template.stage;
    EXPECT_TRUE(message_template.tone == "cordial" || message_template.tone == "firm" || message_template.tone == "formal")
        << NameOf(message_template);
    // Every tone has its script in both languages.
    const Language other = message_template.language == Language::kEs ? Language::kEn : Language::kEs;
    EXPECT_TRUE(DefaultTemplate(*ParseStage(message_template.stage), message_template.channel, other, message_template.tone))
        << NameOf(message_template) << " has no twin in the other language";
  }
  for (Language language : {Language::kEs, Language::kEn}) {
    for (Stage stage : AllStages()) {
      for (Channel channel : AllChannels()) {
        auto found = DefaultTemplate(stage, channel, language);
        ASSERT_TRUE(found) << found.error().message;
        EXPECT_EQ(found->stage, StageKey(stage));
        EXPECT_EQ(found->channel, channel);
        EXPECT_EQ(found->language, language);
        EXPECT_EQ(found->tone, "cordial");
        EXPECT_EQ(!found->subject.empty(), HasSubject(channel));
      }
    }
  }
}

TEST(DefaultTemplates, EveryTemplateIsValidAgainstTheCatalogue) {
  auto all = AllDefaultTemplates();
  ASSERT_TRUE(all) << all.error().message;
  for (const MessageTemplate& message_template : *all) {
    auto status = ValidateMessageTemplate(message_template);
    EXPECT_TRUE(status) << LanguageCode(message_template.language) << "/" << ChannelKey(message_template.channel) << "/"
                        << message_template.stage << ": " << status.error().message;
  }
}

TEST(DefaultTemplates, RenderForColombianAndUsDebtors) {
  for (Language language : {Language::kEs, Language::kEn}) {
    for (bool two_invoices : {true, false}) {
      for (bool with_link : {true, false}) {
        const std::string total = two_invoices ? (language == Language::kEs ? "$ 1.730.000" : "$1,730,000.00")
                                               : (language == Language::kEs ? "$ 1.250.000" : "$1,250,000.00");
        for (const MessageTemplate& script : Scripts()) {
          if (script.language != language) continue;
          const Stage stage = *ParseStage(script.stage);
          const MessageContext context = ContextFor(language, stage, two_invoices, with_link);
          {
            const MessageTemplate* message_template = &script;
            auto rendered = Render(*message_template, context);
            ASSERT_TRUE(rendered) << rendered.error().message;
            const std::string name = NameOf(script);
            const std::string text = rendered->subject + "\n" + rendered->body;
            EXPECT_NE(text.find(total), std::string::npos) << name << " lacks the total " << total << ":\n" << text;
            EXPECT_EQ(text.find("{{"), std::string::npos) << name;
            EXPECT_EQ(text.find("}}"), std::string::npos) << name;
            EXPECT_EQ(text.find(context.payment_link.empty() ? "https://" : "\x01"), std::string::npos) << name;
            if (rendered->format == BodyFormat::kPlainText) {
              EXPECT_EQ(rendered->body.find("\n\n\n"), std::string::npos) << name << ":\n" << rendered->body;
              EXPECT_EQ(rendered->body.find(" \n"), std::string::npos) << name << ":\n" << rendered->body;
              EXPECT_EQ(rendered->body.find('<'), std::string::npos) << name;
            }
          }
        }
      }
    }
  }
}

TEST(DefaultTemplates, LaterStagesOfferAPaymentPlan) {
  for (const Rendered& rendered : RenderAll()) {
    if (rendered.stage != Stage::kOverdue30 && rendered.stage != Stage::kOverdue60 &&
        rendered.stage != Stage::kOverdue90) {
      continue;
    }
    const std::string phrase = rendered.language == Language::kEs ? "acuerdo de pago" : "payment plan";
    EXPECT_NE(Lower(rendered.Text()).find(phrase), std::string::npos) << rendered.Name() << ":\n" << rendered.Text();
  }
}

TEST(DefaultTemplates, NinetyDaysStatesTheEscalation) {
  for (const Rendered& rendered : RenderAll()) {
    if (rendered.stage != Stage::kOverdue90) continue;
    const std::string text = Lower(rendered.Text());
    const bool states = rendered.language == Language::kEs ? text.find("cobro jur") != std::string::npos ||
                                                                 text.find("cobro legal") != std::string::npos
                                                           : text.find("legal collection") != std::string::npos;
    EXPECT_TRUE(states) << rendered.Name() << ":\n" << rendered.Text();
  }
}

TEST(DefaultTemplates, LegalStageStatesFactsWithoutAPaymentPlanOffer) {
  for (const Rendered& rendered : RenderAll()) {
    if (rendered.stage != Stage::kLegal) continue;
    const std::string text = Lower(rendered.Text());
    for (const char* offer : {"acuerdo de pago", "plan de pago", "cuotas", "payment plan", "installment"}) {
      EXPECT_EQ(text.find(offer), std::string::npos) << rendered.Name() << " offers '" << offer << "'";
    }
    const bool es = rendered.language == Language::kEs;
    // The facts: the total and, except in an SMS, each invoice with its balance and due date.
    EXPECT_NE(rendered.Text().find(es ? "$ 1.730.000" : "$1,730,000.00"), std::string::npos) << rendered.Name();
    EXPECT_NE(rendered.Text().find(es ? "5 de febrero de 2026" : "February 5, 2026"), std::string::npos)
        << rendered.Name();
    if (rendered.channel != Channel::kSms) {
      for (const char* fact : es ? std::vector<const char*>{"FE-1001", "$ 1.250.000", "FE-1042", "$ 480.000"}
                                 : std::vector<const char*>{"INV-1001", "$1,250,000.00", "INV-1042", "$480,000.00"}) {
        EXPECT_NE(rendered.Text().find(fact), std::string::npos) << rendered.Name() << " lacks " << fact;
      }
    }
    // The next step.
    EXPECT_TRUE(es ? text.find("cobro jur") != std::string::npos || text.find("cobro legal") != std::string::npos
                   : text.find("legal collection") != std::string::npos)
        << rendered.Name();
  }
}

// Wording a cordial script never uses. Not a proof of tone, which people
// review, but a tripwire for the most common pressure phrases.
TEST(DefaultTemplates, NoPressureWording) {
  const char* forbidden[] = {
      "embargo",     "demanda",       "consecuencias", "advertencia", "urgente",      "inmediat", "centrales de riesgo",
      "datacr",      "lawsuit",       "sue you",       "seize",       "consequences", "warning",  "urgent",
      "immediately", "credit bureau", "final notice",  "last chance"};
  for (const Rendered& rendered : RenderAll()) {
    const std::string text = Lower(rendered.Text());
    for (const char* phrase : forbidden) {
      EXPECT_EQ(text.find(phrase), std::string::npos) << rendered.Name() << " says '" << phrase << "'";
    }
  }
}

TEST(DefaultTemplates, SmsFitsOneGsm7Message) {
  for (const MessageTemplate& script : Scripts()) {
    if (script.channel != Channel::kSms) continue;
    const Language language = script.language;
    const Stage stage = *ParseStage(script.stage);
    {
      const MessageTemplate* message_template = &script;
      // Each SMS file ends with "{{! N GSM-7 septets of 160 with the sample ... }}":
      // keep that note true.
      const std::string& body = message_template->body;
      const size_t note = body.find("{{! ");
      ASSERT_NE(note, std::string::npos) << NameOf(script)
                                         << " has no count note";
      const size_t noted = std::stoul(body.substr(note + 4));
      EXPECT_NE(body.find(" GSM-7 septets of 160 with the sample", note), std::string::npos);
      for (bool with_link : {true, false}) {
        auto rendered = Render(*message_template, ContextFor(language, stage, true, with_link));
        ASSERT_TRUE(rendered) << rendered.error().message;
        const auto septets = Gsm7Septets(rendered->body);
        ASSERT_TRUE(septets) << NameOf(script)
                             << " is not GSM-7 (it would go as UCS-2, 70 characters): " << rendered->body;
        EXPECT_LE(*septets, kSmsSeptets) << NameOf(script) << " (" << *septets
                                         << " septets): " << rendered->body;
        if (with_link) {
          EXPECT_EQ(*septets, noted) << NameOf(script)
                                     << ": the note in the file says " << noted;
        }
      }
    }
  }
}

// Regression: an overdue letter listed the invoices not yet due with their
// negative days ("días de mora: -28"). The context below is an account with
// two invoices past due, one due that day and one falling due in 28 days.
MessageContext MixedContext(Language language) {
  MessageContext context = ContextFor(language, Stage::kOverdue30);
  const std::string prefix = language == Language::kEs ? "FE-" : "INV-";
  context.invoices.push_back(
      {prefix + "1050", Date::FromYmd(2026, 2, 7), Date::FromYmd(2026, 3, 9), 20000000, 20000000, 0});
  context.invoices.push_back(
      {prefix + "1077", Date::FromYmd(2026, 3, 6), Date::FromYmd(2026, 4, 6), 30000000, 30000000, -28});
  return context;
}

TEST(DefaultTemplates, OverdueScriptsNeverListAnInvoiceNotYetDue) {
  for (const MessageTemplate& script : Scripts()) {
    if (!IsOverdueStage(*ParseStage(script.stage))) continue;
    auto rendered = Render(script, MixedContext(script.language));
    ASSERT_TRUE(rendered) << rendered.error().message;
    const std::string text = rendered->subject + "\n" + rendered->body;
    for (const char* absent : {"1050", "1077", "-28"}) {
      EXPECT_EQ(text.find(absent), std::string::npos) << NameOf(script) << " says " << absent << ":\n" << text;
    }
  }
}

TEST(DefaultTemplates, EachStageSpeaksOfItsInvoicesAndTotalsThem) {
  struct Expected {
    std::vector<std::string> listed;
    std::string total_es, total_en;
  };
  const auto expected_for = [](Stage stage) -> Expected {
    if (stage == Stage::kBeforeDue) return {{"1050", "1077"}, "$ 500.000", "$500,000.00"};
    if (stage == Stage::kDueToday) return {{"1050"}, "$ 200.000", "$200,000.00"};
    // A rejected dispute's notice speaks of its invoice, due or not.
    if (stage == Stage::kDisputeRejected) return {{"1001", "1042", "1050", "1077"}, "$ 2.230.000", "$2,230,000.00"};
    // An installment's reminder speaks of every invoice of the plan, due or not.
    if (IsPlanInstallmentStage(stage)) return {{"1001", "1042", "1050", "1077"}, "$ 2.230.000", "$2,230,000.00"};
    return {{"1001", "1042"}, "$ 1.730.000", "$1,730,000.00"};
  };
  for (const MessageTemplate& script : Scripts()) {
    const Stage stage = *ParseStage(script.stage);
    MessageContext context = MixedContext(script.language);
    KeepInvoicesForStage(stage, context.invoices);
    auto rendered = Render(script, context);
    ASSERT_TRUE(rendered) << rendered.error().message;
    const std::string text = rendered->subject + "\n" + rendered->body;
    const Expected expected = expected_for(stage);
    const std::string& total = script.language == Language::kEs ? expected.total_es : expected.total_en;
    EXPECT_NE(text.find(total), std::string::npos) << NameOf(script) << " lacks the total " << total << ":\n" << text;
    // What the script lists (an SMS lists nothing) is what it totals.
    if (script.channel == Channel::kSms) continue;
    for (const char* number : {"1001", "1042", "1050", "1077"}) {
      const bool listed = std::find(expected.listed.begin(), expected.listed.end(), number) != expected.listed.end();
      EXPECT_EQ(text.find(number) != std::string::npos, listed) << NameOf(script) << " and " << number << ":\n" << text;
    }
  }
}

TEST(KeepInvoicesForStage, KeepsTheInvoicesTheEnginePlansForTheStage) {
  const auto kept = [](Stage stage) {
    std::vector<InvoiceLine> invoices;
    for (int32_t days : {-28, -1, 0, 1, 32}) invoices.push_back({std::to_string(days), {}, {}, 100, 100, days});
    KeepInvoicesForStage(stage, invoices);
    std::string numbers;
    for (const InvoiceLine& invoice : invoices) numbers += invoice.number + " ";
    return numbers;
  };
  EXPECT_EQ(kept(Stage::kBeforeDue), "-28 -1 0 ");
  EXPECT_EQ(kept(Stage::kDueToday), "0 ");
  for (Stage stage : {Stage::kOverdue1, Stage::kOverdue30, Stage::kOverdue90, Stage::kLegal, Stage::kBrokenPromise}) {
    EXPECT_EQ(kept(stage), "1 32 ") << StageKey(stage);
  }
  EXPECT_EQ(StageInvoicesDescription(Stage::kOverdue7, Date::FromYmd(2026, 11, 20)), "past due on 2026-11-20");
  EXPECT_EQ(StageInvoicesDescription(Stage::kDueToday, Date::FromYmd(2026, 11, 20)), "due on 2026-11-20");
  EXPECT_EQ(StageInvoicesDescription(Stage::kBeforeDue, Date::FromYmd(2026, 11, 20)), "not yet past due on 2026-11-20");
}

// Regression: the company's name signed as collector_name, so scripts read
// "...con Distribuidora Andina S.A.S..". No script puts a period after a
// name, which may end in one.
TEST(DefaultTemplates, NamesEndingInAPeriodAreNeverFollowedByAnother) {
  for (const MessageTemplate& script : Scripts()) {
    for (const std::string_view collector :
         {DefaultCollectorName(script.language), std::string_view("Cobranzas Ltda.")}) {
      MessageContext context = ContextFor(script.language, *ParseStage(script.stage));
      context.debtor_name = script.language == Language::kEs ? "Inversiones Pérez S.A.S." : "Acme Supply Co.";
      context.company_name =
          script.language == Language::kEs ? "Distribuidora Andina S.A.S." : "Northwind Traders Inc.";
      context.collector_name = std::string(collector);
      auto rendered = Render(script, context);
      ASSERT_TRUE(rendered) << rendered.error().message;
      const std::string text = rendered->subject + "\n" + rendered->body;
      EXPECT_EQ(text.find(".."), std::string::npos) << NameOf(script) << ":\n" << text;
    }
  }
}

// Emails, letters and WhatsApp messages are signed by the collector for the company.
TEST(DefaultTemplates, WrittenScriptsAreSignedByTheCollector) {
  for (const MessageTemplate& script : Scripts()) {
    if (script.channel == Channel::kSms || script.channel == Channel::kCall) continue;
    const MessageContext context = ContextFor(script.language, *ParseStage(script.stage));
    auto rendered = Render(script, context);
    ASSERT_TRUE(rendered) << rendered.error().message;
    const std::string separator = script.channel == Channel::kEmail ? "<br>\n" : "\n";
    const std::string signature = context.collector_name + separator + context.company_name;
    EXPECT_TRUE(rendered->body.ends_with(signature) || rendered->body.ends_with(signature + "</p>"))
        << NameOf(script) << ":\n"
        << rendered->body;
  }
}

TEST(DefaultTemplates, LookupErrors) {
  auto missing = DefaultTemplate(Stage::kOverdue30, Channel::kEmail, Language::kEs, "severo");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "no default template es/email/overdue_30.severo.mustache");
}

TEST(DefaultTemplates, StageKeys) {
  for (Stage stage : AllStages()) EXPECT_EQ(ParseStage(StageKey(stage)), stage);
  EXPECT_EQ(StageKey(Stage::kOverdue15), "overdue_15");
  EXPECT_EQ(ParseStage("overdue_45"), std::nullopt);
  EXPECT_EQ(AllStages().size(), 14u);
}

TEST(ParseTemplateFile, SubjectLine) {
  auto email = ParseTemplateFile("subject:  Hola {{debtor_name}} \n<p>cuerpo</p>\n", Channel::kEmail);
  ASSERT_TRUE(email) << email.error().message;
  EXPECT_EQ(email->subject, "Hola {{debtor_name}}");
  EXPECT_EQ(email->body, "<p>cuerpo</p>\n");

  auto sms = ParseTemplateFile("subject: no es asunto\n", Channel::kSms);
  ASSERT_TRUE(sms);
  EXPECT_EQ(sms->subject, "");
  EXPECT_EQ(sms->body, "subject: no es asunto\n");

  auto missing = ParseTemplateFile("<p>sin asunto</p>", Channel::kLetter);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "letter template: the first line must be \"subject: ...\"");
}

}  // namespace
}  // namespace cartera::templates
