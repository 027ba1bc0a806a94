#include "delivery/delivery_report.h"

#include <gtest/gtest.h>

namespace cartera::delivery {
namespace {

// As Postfix writes it: the human part, the report, the message returned whole.
constexpr const char* kPostfixBounce =
    "Return-Path: <>\r\n"
    "From: MAILER-DAEMON@mx.correo.com.co (Mail Delivery System)\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "To: cobranza@ferreteria.co\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"4BDE01C2.1763\"\r\n"
    "\r\n"
    "--4BDE01C2.1763\r\n"
    "Content-Description: Notification\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "I'm sorry to have to inform you that your message could not\r\n"
    "be delivered to one or more recipients.\r\n"
    "\r\n"
    "--4BDE01C2.1763\r\n"
    "Content-Description: Delivery report\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mx.correo.com.co\r\n"
    "X-Postfix-Queue-ID: 4BDE01C2\r\n"
    "Arrival-Date: Fri, 20 Nov 2026 10:00:02 -0500 (COT)\r\n"
    "\r\n"
    "Final-Recipient: rfc822; Ana.Perez@Correo.com.co\r\n"
    "Original-Recipient: rfc822;ana.perez@correo.com.co\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Remote-MTA: dns; mail.correo.com.co\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <ana.perez@correo.com.co>: Recipient address\r\n"
    "    rejected: User unknown in virtual mailbox table\r\n"
    "\r\n"
    "Final-Recipient: rfc822; lento@correo.com.co\r\n"
    "Action: delayed\r\n"
    "Status: 4.4.1\r\n"
    "\r\n"
    "--4BDE01C2.1763\r\n"
    "Content-Description: Undelivered Message\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: =?UTF-8?Q?Ferreter=C3=ADa?= <cobranza@ferreteria.co>\r\n"
    "To: ana.perez@correo.com.co\r\n"
    "Subject: Recordatorio\r\n"
    "Message-ID: <cartera.4dfe5714c735d3056398706dcdcfbc4c@ferreteria.co>\r\n"
    "\r\n"
    "Hola\r\n"
    "\r\n"
    "--4BDE01C2.1763--\r\n";

TEST(DeliveryReport, ReadsPostfixBounce) {
  auto report = ParseDeliveryReport(kPostfixBounce);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->is_report);
  EXPECT_EQ(report->original_message_id, "<cartera.4dfe5714c735d3056398706dcdcfbc4c@ferreteria.co>");
  ASSERT_EQ(report->recipients.size(), 2u);
  EXPECT_EQ(report->recipients[0].address, "ana.perez@correo.com.co");  // lower-cased
  EXPECT_EQ(report->recipients[0].status, "5.1.1");
  EXPECT_TRUE(report->recipients[0].Permanent());
  EXPECT_NE(report->recipients[0].diagnostic.find("User unknown in virtual mailbox table"), std::string::npos);
  EXPECT_EQ(report->recipients[1].action, "delayed");
  EXPECT_FALSE(report->recipients[1].Permanent());
}

TEST(DeliveryReport, HeadersOnlyAndABase64Report) {
  // As Exchange and others do: text/rfc822-headers, the report base64-encoded.
  const std::string fields =
      "Reporting-MTA: dns;EX01.empresa.local\r\n\r\nFinal-Recipient: rfc822;pedro@empresa.com\r\n"
      "Action: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp;552 5.2.2 mailbox full\r\n";
  const std::string encoded =
      "UmVwb3J0aW5nLU1UQTogZG5zO0VYMDEuZW1wcmVzYS5sb2NhbA0KDQpGaW5hbC1SZWNpcGllbnQ6IHJmYzgyMjtwZWRyb0BlbXByZXNh"
      "LmNvbQ0KQWN0aW9uOiBmYWlsZWQNClN0YXR1czogNS4yLjINCkRpYWdub3N0aWMtQ29kZTogc210cDs1NTIgNS4yLjIgbWFpbGJveCBm"
      "dWxsDQo=";
  const std::string bounce =
      "From: postmaster@empresa.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nDelivery has failed.\r\n"
      "--b\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      encoded +
      "\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
      "From: cobranza@ferreteria.co\r\nMessage-ID: <cartera.abc@ferreteria.co>\r\nSubject: x\r\n"
      "\r\n--b--\r\n";
  auto report = ParseDeliveryReport(bounce);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->is_report);
  EXPECT_EQ(report->original_message_id, "<cartera.abc@ferreteria.co>");
  ASSERT_EQ(report->recipients.size(), 1u);
  EXPECT_EQ(report->recipients[0].address, "pedro@empresa.com");
  EXPECT_EQ(report->recipients[0].status, "5.2.2");
  EXPECT_TRUE(report->recipients[0].Permanent());
}

TEST(DeliveryReport, AnOrdinaryEmailIsNotAReport) {
  auto report = ParseDeliveryReport(
      "From: ana@correo.com.co\r\nSubject: Re: Recordatorio\r\nContent-Type: text/plain\r\n\r\nPago el viernes\r\n");
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->is_report);
  EXPECT_TRUE(report->recipients.empty());
}

}  // namespace
}  // namespace cartera::delivery
