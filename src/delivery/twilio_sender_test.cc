// TwilioSender and WhatsappCloudSender against a local HTTP server that
// answers one scripted response: what each answer means for the message
// (regression, issue 14: a 5xx after the request had left was retried as
// transient, and a message the provider had sent anyway could go twice).
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "delivery/test_listener.h"
#include "delivery/twilio_sender.h"
#include "delivery/whatsapp_cloud_sender.h"

namespace cartera::delivery {
namespace {

// Reads one request (headers and Content-Length bytes), writes `response`.
class OneAnswerServer {
 public:
  explicit OneAnswerServer(std::string response) : response_(std::move(response)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneAnswerServer() {
    listener_.Stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(listener_.port()); }

 private:
  void Serve() {
    const int connection = listener_.Accept();
    if (connection < 0) return;
    std::string request;
    char chunk[4096];
    size_t wanted = std::string::npos;
    while (wanted == std::string::npos || request.size() < wanted) {
      const ssize_t got = ::read(connection, chunk, sizeof(chunk));
      if (got <= 0) break;
      request.append(chunk, static_cast<size_t>(got));
      const size_t end = request.find("\r\n\r\n");
      if (wanted == std::string::npos && end != std::string::npos) {
        const size_t at = request.find("Content-Length: ");
        wanted = end + 4 + (at == std::string::npos ? 0 : std::stoul(request.substr(at + 16)));
      }
    }
    (void)!::write(connection, response_.data(), response_.size());
    ::close(connection);
  }

  std::string response_;
  TestListener listener_;
  std::thread thread_;
};

std::string Http(int status, const std::string& reason, const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

SendOutcome ThroughTwilio(const std::string& response) {
  OneAnswerServer server(response);
  TwilioSettings settings;
  settings.base_url = server.base_url();
  settings.account_sid = "ACtest";
  settings.auth_token = "token";
  settings.sms_from = "+15005550006";
  settings.timeout_seconds = 5;
  TwilioSender sender(settings);
  return sender.Send(TextChannel::kSms, "+573001234567", "Hola").outcome;
}

TEST(TwilioSender, AFiveHundredAfterTheRequestLeftIsUnknown) {
  const SendOutcome outcome = ThroughTwilio(
      Http(500, "Internal Server Error", R"({"code":20500,"message":"Internal Server Error","status":500})"));
  EXPECT_EQ(outcome.result, SendResult::kUnknown) << outcome.detail;
  EXPECT_TRUE(outcome.detail.starts_with("HTTP 500 (Twilio 20500): Internal Server Error")) << outcome.detail;
}

TEST(TwilioSender, TooManyRequestsIsTransientWithItsRetryAfter) {
  const SendOutcome outcome = ThroughTwilio(Http(429, "Too Many Requests",
                                                 R"({"code":20429,"message":"Too Many Requests","status":429})",
                                                 "Retry-After: 30\r\n"));
  EXPECT_EQ(outcome.result, SendResult::kTransient) << outcome.detail;
  EXPECT_EQ(outcome.retry_after, std::chrono::seconds(30));
}

TEST(TwilioSender, AnInvalidNumberBlamesTheRecipient) {
  const SendOutcome outcome =
      ThroughTwilio(Http(400, "Bad Request", R"({"code":21211,"message":"The 'To' number is not valid.","status":400})"));
  EXPECT_EQ(outcome.result, SendResult::kPermanent);
  EXPECT_EQ(outcome.refusal, Refusal::kRecipient);
  EXPECT_TRUE(outcome.AddressUnusable());
}

TEST(TwilioSender, ARefusedConnectionIsTransient) {
  TwilioSettings settings;
  settings.base_url = "http://127.0.0.1:1";  // nothing listens there
  settings.account_sid = "ACtest";
  settings.sms_from = "+15005550006";
  settings.timeout_seconds = 5;
  TwilioSender sender(settings);
  EXPECT_EQ(sender.Send(TextChannel::kSms, "+573001234567", "Hola").outcome.result, SendResult::kTransient);
}

TEST(WhatsappCloudSender, AFiveHundredAfterTheRequestLeftIsUnknown) {
  OneAnswerServer server(Http(503, "Service Unavailable",
                              R"({"error":{"message":"Service temporarily unavailable","code":2}})"));
  WhatsappCloudSettings settings;
  settings.base_url = server.base_url();
  settings.phone_number_id = "106540352242922";
  settings.access_token = "token";
  settings.timeout_seconds = 5;
  WhatsappCloudSender sender(settings);
  WhatsappMessage message;
  message.to = "+573001234567";
  message.text = "Hola";
  const SendOutcome outcome = sender.Send(message).outcome;
  EXPECT_EQ(outcome.result, SendResult::kUnknown) << outcome.detail;
}

}  // namespace
}  // namespace cartera::delivery
