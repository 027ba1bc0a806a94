// SmtpSender against a scripted SMTP server on a local socket: who a 5xx
// blames depends on the command it answered, and the server's own reply
// reaches the outcome (regression, issue 14: any 5xx burned the address,
// and a 554 after DATA said only libcurl's "Weird server reply").
#include "delivery/smtp_sender.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>

#include "delivery/smtp_reply.h"
#include "delivery/test_listener.h"

namespace cartera::delivery {
namespace {

// Answers one connection: "OK" to everything but the verbs in `replies`
// ("MAIL", "RCPT", "DATA", "END" for the end of the message).
class ScriptedSmtpServer {
 public:
  explicit ScriptedSmtpServer(std::map<std::string, std::string> replies) : replies_(std::move(replies)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedSmtpServer() {
    listener_.Stop();
    thread_.join();
  }
  int port() const { return listener_.port(); }

 private:
  std::string Reply(const std::string& verb, const std::string& otherwise) const {
    auto found = replies_.find(verb);
    return (found == replies_.end() ? otherwise : found->second) + "\r\n";
  }

  void Serve() {
    const int connection = listener_.Accept();
    if (connection < 0) return;
    auto say = [&](const std::string& text) { (void)!::write(connection, text.data(), text.size()); };
    say("220 scripted.example ESMTP\r\n");
    std::string buffer;
    bool in_data = false;
    char chunk[4096];
    while (true) {
      const ssize_t got = ::read(connection, chunk, sizeof(chunk));
      if (got <= 0) break;
      buffer.append(chunk, static_cast<size_t>(got));
      while (true) {
        if (in_data) {
          const size_t end = buffer.find("\r\n.\r\n");
          if (end == std::string::npos) break;
          buffer.erase(0, end + 5);
          in_data = false;
          say(Reply("END", "250 2.0.0 queued"));
          continue;
        }
        const size_t end = buffer.find("\r\n");
        if (end == std::string::npos) break;
        const std::string line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        const std::string verb = line.substr(0, 4);
        if (verb == "EHLO") say("250-scripted.example\r\n250 8BITMIME\r\n");
        else if (verb == "QUIT") { say("221 bye\r\n"); ::close(connection); return; }
        else if (verb == "DATA") {
          const std::string reply = Reply("DATA", "354 go ahead");
          in_data = reply.starts_with("354");
          say(reply);
        } else {
          say(Reply(verb, "250 2.1.0 OK"));
        }
      }
    }
    ::close(connection);
  }

  std::map<std::string, std::string> replies_;
  TestListener listener_;
  std::thread thread_;
};

SendOutcome SendThrough(const std::map<std::string, std::string>& replies) {
  ScriptedSmtpServer server(replies);
  SmtpSettings settings;
  settings.host = "127.0.0.1";
  settings.port = server.port();
  settings.security = SmtpSecurity::kNone;
  settings.from_address = "cobranza@empresa.co";
  settings.timeout_seconds = 5;
  EmailMessage message;
  message.from_address = "cobranza@empresa.co";
  message.to_address = "ana@cliente.co";
  message.subject = "Recordatorio";
  message.message_id = "<cartera.test@empresa.co>";
  message.text = "Hola";
  message.html = "<p>Hola</p>";
  SmtpSender sender(settings);
  return sender.Send(message);
}

TEST(SmtpSender, AcceptedIsSent) {
  const SendOutcome outcome = SendThrough({});
  EXPECT_EQ(outcome.result, SendResult::kSent) << outcome.detail;
}

TEST(SmtpSender, AnUnknownMailboxAtRcptToBlamesTheAddress) {
  const SendOutcome outcome = SendThrough({{"RCPT", "550 5.1.1 <ana@cliente.co>: user unknown"}});
  EXPECT_EQ(outcome.result, SendResult::kPermanent);
  EXPECT_EQ(outcome.refusal, Refusal::kRecipient);
  EXPECT_TRUE(outcome.AddressUnusable());
  EXPECT_EQ(outcome.detail, "SMTP 550 5.1.1 <ana@cliente.co>: user unknown (at RCPT TO)");
}

TEST(SmtpSender, APolicyRefusalAfterDataBlamesTheServerAndKeepsItsWords) {
  const SendOutcome outcome =
      SendThrough({{"END", "554 5.7.1 Message rejected: SPF check failed for empresa.co"}});
  EXPECT_EQ(outcome.result, SendResult::kPermanent);
  EXPECT_EQ(outcome.refusal, Refusal::kServer);
  EXPECT_FALSE(outcome.AddressUnusable());
  EXPECT_TRUE(outcome.RefusedByServer());
  EXPECT_EQ(outcome.detail, "SMTP 554 5.7.1 Message rejected: SPF check failed for empresa.co (at end of DATA)");
  EXPECT_EQ(outcome.server_reply, "554 5.7.1 Message rejected: SPF check failed for empresa.co");
  EXPECT_EQ(outcome.detail.find("Weird"), std::string::npos);
}

TEST(SmtpSender, RefusalsAtMailFromAndAtTheDataCommandBlameTheServer) {
  const SendOutcome from = SendThrough({{"MAIL", "553 5.7.1 <cobranza@empresa.co>: Sender address rejected"}});
  EXPECT_EQ(from.result, SendResult::kPermanent);
  EXPECT_EQ(from.refusal, Refusal::kServer);
  EXPECT_EQ(from.detail, "SMTP 553 5.7.1 <cobranza@empresa.co>: Sender address rejected (at MAIL FROM)");
  const SendOutcome data = SendThrough({{"DATA", "554 5.5.1 No valid recipients"}});
  EXPECT_EQ(data.refusal, Refusal::kServer);
  EXPECT_EQ(data.detail, "SMTP 554 5.5.1 No valid recipients (at DATA)");
}

TEST(SmtpSender, ARelayRefusalAtRcptToBlamesTheServer) {
  const SendOutcome outcome = SendThrough({{"RCPT", "554 5.7.1 <ana@cliente.co>: Relay access denied"}});
  EXPECT_EQ(outcome.result, SendResult::kPermanent);
  EXPECT_EQ(outcome.refusal, Refusal::kServer);
}

TEST(SmtpSender, FourHundredsAreTransientWithTheServersWords) {
  const SendOutcome outcome = SendThrough({{"RCPT", "421 4.3.2 Service not available, try again later"}});
  EXPECT_EQ(outcome.result, SendResult::kTransient);
  EXPECT_EQ(outcome.detail, "SMTP 421 4.3.2 Service not available, try again later (at RCPT TO)");
}

TEST(SmtpReply, ReadsCodesEnhancedCodesAndEveryLine) {
  const SmtpReply reply = ParseSmtpReply("550-5.1.1 The email account that you tried to reach does not exist.\r\n"
                                         "550 5.1.1 https://support.example/?p=NoSuchUser\r\n");
  EXPECT_EQ(reply.code, 550);
  EXPECT_EQ(reply.enhanced, "5.1.1");
  EXPECT_EQ(reply.text,
            "550-5.1.1 The email account that you tried to reach does not exist. / 550 5.1.1 "
            "https://support.example/?p=NoSuchUser");
  EXPECT_EQ(ParseSmtpReply("554 Transaction failed").enhanced, "");
  EXPECT_EQ(ParseSmtpReply("").code, 0);
}

TEST(SmtpReply, OnlyAMailboxRefusalAtRcptToBlamesTheRecipient) {
  struct Case {
    SmtpStage stage;
    const char* reply;
    Refusal expected;
  };
  const Case cases[] = {
      {SmtpStage::kRecipient, "550 5.1.1 user unknown", Refusal::kRecipient},
      {SmtpStage::kRecipient, "550 5.1.10 null MX", Refusal::kRecipient},
      {SmtpStage::kRecipient, "553 5.1.3 bad address syntax", Refusal::kRecipient},
      {SmtpStage::kRecipient, "550 5.2.1 mailbox disabled", Refusal::kRecipient},
      {SmtpStage::kRecipient, "550 no such user", Refusal::kRecipient},
      {SmtpStage::kRecipient, "554 5.7.1 Relay access denied", Refusal::kServer},
      {SmtpStage::kRecipient, "550 5.7.26 DMARC policy", Refusal::kServer},
      {SmtpStage::kRecipient, "552 5.2.2 mailbox full", Refusal::kServer},
      {SmtpStage::kRecipient, "554 no", Refusal::kServer},
      {SmtpStage::kMailFrom, "550 5.1.0 sender rejected", Refusal::kServer},
      {SmtpStage::kData, "554 5.1.1 no valid recipients", Refusal::kServer},
      {SmtpStage::kContent, "550 5.1.1 user unknown", Refusal::kServer},
      {SmtpStage::kSession, "554 5.7.1 go away", Refusal::kServer},
  };
  for (const Case& one : cases) {
    EXPECT_EQ(RefusalFor(one.stage, ParseSmtpReply(one.reply)), one.expected)
        << SmtpStageName(one.stage) << ": " << one.reply;
  }
}

}  // namespace
}  // namespace cartera::delivery
