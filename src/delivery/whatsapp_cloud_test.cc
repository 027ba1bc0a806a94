#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "delivery/whatsapp_cloud_sender.h"
#include "delivery/whatsapp_template_message.h"
#include "delivery/whatsapp_webhook.h"

namespace cartera::delivery {
namespace {

TEST(HubSignature256, IsHexHmacSha256OfTheRawBody) {
  // python3: hmac.new(b'app-s3cret', body, hashlib.sha256).hexdigest()
  const std::string body = R"({"object":"whatsapp_business_account","entry":[]})";
  EXPECT_EQ(HubSignature256("app-s3cret", body),
            "sha256=f72a1cacd9fcf02fff3ef2d3679d60734fbe69484ee8d8dc62c470eeb3a714f1");
  EXPECT_NE(HubSignature256("app-s3cret", body + " "), HubSignature256("app-s3cret", body));
}

TEST(ParseHttpRequest, ContentLengthKeepsTheBodyByteForByte) {
  auto request = ParseHttpRequest("POST /w HTTP/1.1\r\nContent-Length: 5\r\n\r\nab\r\n\r\nrest");
  ASSERT_TRUE(request);
  EXPECT_EQ(request->body, "ab\r\n\r");
}

templates::MessageContext Context() {
  templates::MessageContext context;
  context.debtor_name = "Ferretería\tPérez  &   Cía";
  context.company_name = "Distribuidora Ñandú";
  context.locale = templates::Locale::kEsCO;
  context.currency = templates::LocalCurrency(templates::Locale::kEsCO);
  context.invoices = {{"F-1002", Date::FromYmd(2026, 10, 1), Date::FromYmd(2026, 10, 31), 50000000, 50000000, 21},
                      {"F-1001", Date::FromYmd(2026, 9, 1), Date::FromYmd(2026, 9, 30), 75000000, 75000000, 52}};
  return context;
}

TEST(WhatsappTemplate, StageNameLanguageAndParametersInTheDocumentedOrder) {
  const WhatsappTemplate chosen = WhatsappTemplateFor("cartera_", "overdue_30", Context(), "tok.sig");
  EXPECT_EQ(chosen.name, "cartera_overdue_30");
  EXPECT_EQ(chosen.language_code, "es");
  ASSERT_EQ(chosen.body_parameters.size(), static_cast<size_t>(kWhatsappTemplateParameters));
  EXPECT_EQ(chosen.body_parameters[0], "Ferretería Pérez & Cía");  // no tabs, no runs of spaces
  EXPECT_EQ(chosen.body_parameters[1], "Distribuidora Ñandú");
  EXPECT_EQ(chosen.body_parameters[2], "$ 1.250.000");
  EXPECT_EQ(chosen.body_parameters[3], "F-1002, F-1001");
  EXPECT_EQ(chosen.body_parameters[4], "30 de septiembre de 2026");  // the oldest due date
  EXPECT_EQ(chosen.url_button_suffix, "tok.sig");
}

TEST(WhatsappRequestBody, TemplateMessageAsMetaExpectsIt) {
  WhatsappMessage message;
  message.to = "+573001234567";
  message.template_message = WhatsappTemplateFor("cartera_", "overdue_7", Context(), "tok.sig");
  const nlohmann::json body = WhatsappRequestBody(message);
  EXPECT_EQ(body["messaging_product"], "whatsapp");
  EXPECT_EQ(body["to"], "573001234567");
  EXPECT_EQ(body["type"], "template");
  EXPECT_EQ(body["template"]["name"], "cartera_overdue_7");
  EXPECT_EQ(body["template"]["language"]["code"], "es");
  const nlohmann::json& components = body["template"]["components"];
  ASSERT_EQ(components.size(), 2u);
  EXPECT_EQ(components[0]["type"], "body");
  EXPECT_EQ(components[0]["parameters"].size(), 5u);
  EXPECT_EQ(components[0]["parameters"][2]["type"], "text");
  EXPECT_EQ(components[0]["parameters"][2]["text"], "$ 1.250.000");
  EXPECT_EQ(components[1]["type"], "button");
  EXPECT_EQ(components[1]["sub_type"], "url");
  EXPECT_EQ(components[1]["index"], "0");
  EXPECT_EQ(components[1]["parameters"][0]["text"], "tok.sig");
}

TEST(WhatsappRequestBody, FreeTextInsideTheWindowAndNoButtonWithoutAPortal) {
  WhatsappMessage text;
  text.to = "+15005550006";
  text.text = "Hola";
  const nlohmann::json body = WhatsappRequestBody(text);
  EXPECT_EQ(body["type"], "text");
  EXPECT_EQ(body["text"]["body"], "Hola");
  EXPECT_FALSE(body.contains("template"));
  WhatsappMessage plain;
  plain.to = "+15005550006";
  plain.template_message = WhatsappTemplateFor("x_", "due_today", Context(), "");
  EXPECT_EQ(WhatsappRequestBody(plain)["template"]["components"].size(), 1u);
}

}  // namespace
}  // namespace cartera::delivery
