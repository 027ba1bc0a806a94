#include "delivery/email_message.h"

#include <gtest/gtest.h>

#include "core/time_zone.h"

namespace cartera::delivery {
namespace {

TEST(EncodeHeaderText, AsciiStaysAsItIs) { EXPECT_EQ(EncodeHeaderText("Saldo pendiente"), "Saldo pendiente"); }

TEST(EncodeHeaderText, AccentsBecomeBase64EncodedWords) {
  // base64("Factura vencida: Ñandú") = RmFjdHVyYSB2ZW5jaWRhOiDDkWFuZMO6
  EXPECT_EQ(EncodeHeaderText("Factura vencida: Ñandú"), "=?UTF-8?B?RmFjdHVyYSB2ZW5jaWRhOiDDkWFuZMO6?=");
}

TEST(EncodeHeaderText, LongTextIsFoldedWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "ñ";  // 80 bytes of two-byte characters
  const std::string encoded = EncodeHeaderText(subject);
  size_t words = 0;
  for (size_t at = encoded.find("=?UTF-8?B?"); at != std::string::npos; at = encoded.find("=?UTF-8?B?", at + 1)) {
    ++words;
    const size_t end = encoded.find("?=", at + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - at, 75u);
    // 44 bytes (22 whole characters) per word: base64 of an even byte count.
  }
  EXPECT_EQ(words, 2u);
  EXPECT_NE(encoded.find("\r\n "), std::string::npos);
}

TEST(EncodeHeaderText, TextThatLooksEncodedIsEncoded) {
  EXPECT_EQ(EncodeHeaderText("=?x?="), "=?UTF-8?B?PT94Pz0=?=");
}

TEST(FormatMailbox, QuotesOrEncodesTheName) {
  EXPECT_EQ(FormatMailbox("", "a@b.co"), "<a@b.co>");
  EXPECT_EQ(FormatMailbox("Acme, Inc", "a@b.co"), "\"Acme, Inc\" <a@b.co>");
  EXPECT_EQ(FormatMailbox("Say \"hi\"", "a@b.co"), "\"Say \\\"hi\\\"\" <a@b.co>");
  EXPECT_EQ(FormatMailbox("Ñandú", "a@b.co"), "=?UTF-8?B?w5FhbmTDug==?= <a@b.co>");
}

TEST(FormatRfc5322Date, IsInUtc) {
  EXPECT_EQ(FormatRfc5322Date(*ParseUtc("2026-11-22T08:05:09Z")), "Sun, 22 Nov 2026 08:05:09 +0000");
}

TEST(MessageIdFor, IsStablePerKeyAndUsesTheSendersDomain) {
  const std::string id = MessageIdFor("1:42:default:overdue_7:COP:2026-11-22:0", "cobranza@empresa.com.co");
  EXPECT_EQ(id, MessageIdFor("1:42:default:overdue_7:COP:2026-11-22:0", "cobranza@empresa.com.co"));
  EXPECT_NE(id, MessageIdFor("1:42:default:overdue_7:COP:2026-11-23:0", "cobranza@empresa.com.co"));
  EXPECT_TRUE(id.starts_with("<cartera."));
  EXPECT_TRUE(id.ends_with("@empresa.com.co>"));
}

TEST(HeaderLines, HaveUnsubscribeOnlyWithAUrl) {
  EmailMessage message;
  message.from_address = "cobranza@empresa.co";
  message.from_name = "Empresa";
  message.to_address = "pagos@cliente.co";
  message.subject = "Hola";
  message.message_id = "<x@empresa.co>";
  message.date = *ParseUtc("2026-11-22T08:00:00Z");
  auto lines = HeaderLines(message);
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("List-"); }), 0);
  message.unsubscribe_url = "https://cobro.empresa.co/u/abc";
  lines = HeaderLines(message);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "List-Unsubscribe: <https://cobro.empresa.co/u/abc>"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "List-Unsubscribe-Post: List-Unsubscribe=One-Click"), lines.end());
}

TEST(HtmlToText, KeepsParagraphsTablesLinksAndAccents) {
  const std::string html =
      "<p>Señor Pérez &amp; Cía:</p>\n<p>Saldo de <strong>$ 1.250.000</strong>.</p>\n<table>\n"
      "  <tr><th>Factura</th><th>Saldo</th></tr>\n  <tr><td>FV-1</td><td>$ 1.250.000</td></tr>\n</table>\n"
      "<p>Pague aquí: <a href=\"https://pago.co/x\">https://pago.co/x</a> o <a href=\"https://pago.co/y\">aquí</a></p>\n"
      "<p>Cordialmente,<br>\nAna<br>\nEmpresa</p>";
  EXPECT_EQ(HtmlToText(html),
            "Señor Pérez & Cía:\n\nSaldo de $ 1.250.000.\n\nFactura | Saldo\nFV-1 | $ 1.250.000\n\n"
            "Pague aquí: https://pago.co/x o aquí (https://pago.co/y)\n\nCordialmente,\nAna\nEmpresa\n");
}

TEST(HtmlToText, DecodesNumericEntities) { EXPECT_EQ(HtmlToText("&#241;&#x00F1;&lt;"), "ññ<\n"); }

}  // namespace
}  // namespace cartera::delivery
