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

MessageContext ContextFor(Language language, bool two_invoices = true, bool with_link = true) {
  return language == Language::kEs ? ColombianContext(two_invoices, with_link) : UsContext(two_invoices, with_link);
}

struct Rendered {
  Stage stage;
  Channel channel;
  Language language;
  RenderedMessage message;
  std::string Name() const {
    return std::string(LanguageCode(language)) + "/" + std::string(ChannelKey(channel)) + "/" +
           std::string(StageKey(stage));
  }
  std::string Text() const { return message.subject + "\n" + message.body; }
};

// Every default template rendered with the two-invoice sample context of its language.
std::vector<Rendered> RenderAll() {
  std::vector<Rendered> all;
  for (Language language : {Language::kEs, Language::kEn}) {
    for (Stage stage : AllStages()) {
      for (Channel channel : AllChannels()) {
        auto message_template = DefaultTemplate(stage, channel, language);
        if (!message_template) {
          ADD_FAILURE() << message_template.error().message;
          continue;
        }
        auto rendered = Render(*message_template, ContextFor(language));
        if (!rendered) {
          ADD_FAILURE() << LanguageCode(language) << "/" << ChannelKey(channel) << "/" << StageKey(stage) << ": "
                        << rendered.error().message;
          continue;
        }
        all.push_back({stage, channel, language, *rendered});
      }
    }
  }
  return all;
}

TEST(DefaultTemplates, OneForEveryStageChannelAndLanguage) {
  auto all = AllDefaultTemplates();
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->size(), AllStages().size() * AllChannels().size() * 2);
  for (const MessageTemplate& message_template : *all) {
    EXPECT_TRUE(ParseStage(message_template.stage)) << message_template.stage;
    EXPECT_EQ(message_template.tone, kDefaultTone);
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
        const MessageContext context = ContextFor(language, two_invoices, with_link);
        const std::string total = two_invoices ? (language == Language::kEs ? "$ 1.730.000" : "$1,730,000.00")
                                               : (language == Language::kEs ? "$ 1.250.000" : "$1,250,000.00");
        for (Stage stage : AllStages()) {
          for (Channel channel : AllChannels()) {
            auto message_template = DefaultTemplate(stage, channel, language);
            ASSERT_TRUE(message_template) << message_template.error().message;
            auto rendered = Render(*message_template, context);
            ASSERT_TRUE(rendered) << rendered.error().message;
            const std::string name = std::string(LanguageCode(language)) + "/" + std::string(ChannelKey(channel)) +
                                     "/" + std::string(StageKey(stage));
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
  for (Language language : {Language::kEs, Language::kEn}) {
    for (Stage stage : AllStages()) {
      auto message_template = DefaultTemplate(stage, Channel::kSms, language);
      ASSERT_TRUE(message_template) << message_template.error().message;
      // Each SMS file ends with "{{! N GSM-7 septets of 160 with the sample ... }}":
      // keep that note true.
      const std::string& body = message_template->body;
      const size_t note = body.find("{{! ");
      ASSERT_NE(note, std::string::npos) << LanguageCode(language) << "/sms/" << StageKey(stage)
                                         << " has no count note";
      const size_t noted = std::stoul(body.substr(note + 4));
      EXPECT_NE(body.find(" GSM-7 septets of 160 with the sample", note), std::string::npos);
      for (bool with_link : {true, false}) {
        auto rendered = Render(*message_template, ContextFor(language, true, with_link));
        ASSERT_TRUE(rendered) << rendered.error().message;
        const auto septets = Gsm7Septets(rendered->body);
        ASSERT_TRUE(septets) << LanguageCode(language) << "/sms/" << StageKey(stage)
                             << " is not GSM-7 (it would go as UCS-2, 70 characters): " << rendered->body;
        EXPECT_LE(*septets, kSmsSeptets) << LanguageCode(language) << "/sms/" << StageKey(stage) << " (" << *septets
                                         << " septets): " << rendered->body;
        if (with_link) {
          EXPECT_EQ(*septets, noted) << LanguageCode(language) << "/sms/" << StageKey(stage)
                                     << ": the note in the file says " << noted;
        }
      }
    }
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
  EXPECT_EQ(AllStages().size(), 10u);
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
