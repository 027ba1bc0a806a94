#include "delivery/twilio_webhook.h"

#include <gtest/gtest.h>

namespace cartera::delivery {
namespace {

// The example in Twilio's signature validation documentation.
TEST(TwilioSignature, MatchesTwilioDocumentedExample) {
  const std::map<std::string, std::string> parameters = {{"CallSid", "CA1234567890ABCDE"},
                                                          {"Caller", "+14158675310"},
                                                          {"Digits", "1234"},
                                                          {"From", "+14158675310"},
                                                          {"To", "+18005551212"}};
  EXPECT_EQ(TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", parameters),
            "GvWf1cFY/Q7PnoempGyD5oXAezc=");
  EXPECT_NE(TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", parameters),
            "GvWf1cFY/Q7PnoempGyD5oXAezc=");
}

TEST(ParseHttpRequest, ReadsRequestLineHeadersAndBody) {
  auto request = ParseHttpRequest(
      "POST /webhooks/twilio?t=1 HTTP/1.1\r\nHost: cobros.empresa.co\r\nX-Twilio-Signature: abc=\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\n\r\nBody=Pago+el+viernes%2C+gracias&From=%2B573001234567\r\n");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->target, "/webhooks/twilio?t=1");
  EXPECT_EQ(request->Header("x-twilio-signature"), "abc=");
  EXPECT_EQ(request->Header("X-TWILIO-SIGNATURE"), "abc=");
  const auto form = ParseForm(request->body);
  EXPECT_EQ(form.at("Body"), "Pago el viernes, gracias");
  EXPECT_EQ(form.at("From"), "+573001234567");
  EXPECT_FALSE(ParseHttpRequest("garbage"));
}

TEST(ParseForm, DecodesUtf8AndKeepsEmptyValues) {
  const auto form = ParseForm("Body=S%C3%AD%2C+ma%C3%B1ana&Empty=&Bare");
  EXPECT_EQ(form.at("Body"), "Sí, mañana");
  EXPECT_EQ(form.at("Empty"), "");
  EXPECT_EQ(form.at("Bare"), "");
}

TEST(IsOptOutWord, KnowsEnglishAndSpanishWords) {
  for (const char* word : {"STOP", "stop", " Baja ", "BAJA.", "cancelar", "Alto!"}) EXPECT_TRUE(IsOptOutWord(word)) << word;
  for (const char* word : {"Pago el viernes", "no puedo pagar", "stop llamando por favor"}) {
    EXPECT_FALSE(IsOptOutWord(word)) << word;
  }
}

}  // namespace
}  // namespace cartera::delivery
