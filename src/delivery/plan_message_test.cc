// The run's payload for a payment plan's message becomes the installment
// the scripts speak of (delivery/plan_message.h), rendered in both languages.
#include "delivery/plan_message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "templates/default_templates.h"
#include "templates/test_contexts.h"

namespace cartera::delivery {
namespace {

using templates::Channel;
using templates::Stage;

const nlohmann::json kPayload = nlohmann::json::parse(
    R"({"currency":"COP","invoice_ids":[1,2],"total_minor":173000000,
        "plan":{"id":9,"installment":3,"installment_due_date":"2026-12-02","installment_minor":45000000}})");

TEST(PlanMessage, ThePayloadNamesTheInstallment) {
  templates::MessageContext context = templates::samples::ColombianContext();
  context.installment.reset();
  ApplyPlanPayload(kPayload, context);
  ASSERT_TRUE(context.installment.has_value());
  EXPECT_EQ(context.installment->number, 3);
  EXPECT_EQ(context.installment->due_date, *Date::ParseIso("2026-12-02"));
  EXPECT_EQ(context.installment->amount_minor, 45000000);

  auto script = templates::DefaultTemplate(Stage::kPlanInstallmentDue, Channel::kSms, templates::Language::kEs);
  ASSERT_TRUE(script) << script.error().message;
  auto rendered = templates::Render(*script, context);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->body,
            "Distribuidora Andina: su cuota 3 de $ 450.000 vence el 2 de diciembre de 2026. Saldo del acuerdo "
            "$ 1.730.000. Pague en https://pagos.example.co/x7K2p9");

  templates::MessageContext us = templates::samples::UsContext();
  us.installment.reset();
  ApplyPlanPayload(kPayload, us);
  auto missed = templates::DefaultTemplate(Stage::kPlanInstallmentMissed, Channel::kEmail, templates::Language::kEn);
  ASSERT_TRUE(missed) << missed.error().message;
  auto email = templates::Render(*missed, us);
  ASSERT_TRUE(email) << email.error().message;
  EXPECT_EQ(email->subject, "Your Northwind Traders payment plan installment 3");
  EXPECT_NE(email->body.find("Installment 3 of your payment plan, <strong>$450,000.00</strong>, was due on December 2, 2026"),
            std::string::npos)
      << email->body;
}

TEST(PlanMessage, NoPlanNoInstallment) {
  templates::MessageContext context = templates::samples::ColombianContext();
  context.installment.reset();
  ApplyPlanPayload(nlohmann::json::parse(R"({"invoice_ids":[1]})"), context);
  EXPECT_FALSE(context.installment.has_value());
  // The broken plan's follow-up names the plan, not an installment.
  ApplyPlanPayload(nlohmann::json::parse(R"({"plan":{"id":9,"broken_on":"2026-12-05"}})"), context);
  EXPECT_FALSE(context.installment.has_value());
  // An installment script without one renders no dangling words.
  auto script = templates::DefaultTemplate(Stage::kPlanInstallmentDue, Channel::kEmail, templates::Language::kEs);
  ASSERT_TRUE(script);
  auto rendered = templates::Render(*script, context);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject, "Recordatorio de su cuota con Distribuidora Andina");
  EXPECT_EQ(rendered->body.find("Le recordamos que la cuota"), std::string::npos);
}

}  // namespace
}  // namespace cartera::delivery
