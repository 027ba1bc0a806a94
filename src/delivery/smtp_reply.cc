#include "delivery/smtp_reply.h"

#include <cctype>

namespace cartera::delivery {
namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// "5.7.1" at the start of `text`: class.subject.detail (RFC 3463).
std::string_view EnhancedCodeAt(std::string_view text) {
  size_t at = 0;
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return {};
  at = 2;
  for (int part = 0; part < 2; ++part) {
    const size_t start = at;
    while (at < text.size() && IsDigit(text[at]) && at - start < 3) ++at;
    if (at == start) return {};
    if (part == 0) {
      if (at >= text.size() || text[at] != '.') return {};
      ++at;
    }
  }
  if (at < text.size() && text[at] != ' ') return {};
  return text.substr(0, at);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

SmtpReply ParseSmtpReply(std::string_view reply) {
  SmtpReply parsed;
  size_t at = 0;
  while (at < reply.size()) {
    size_t end = reply.find('\n', at);
    if (end == std::string_view::npos) end = reply.size();
    std::string_view line = Trim(reply.substr(at, end - at));
    at = end + 1;
    if (line.empty()) continue;
    std::string_view words = line;
    if (line.size() >= 3 && IsDigit(line[0]) && IsDigit(line[1]) && IsDigit(line[2])) {
      parsed.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
      words = Trim(line.substr(3).starts_with('-') ? line.substr(4) : line.substr(3));
    }
    if (parsed.enhanced.empty()) parsed.enhanced = std::string(EnhancedCodeAt(words));
    if (!parsed.text.empty()) parsed.text += " / ";
    parsed.text += line;
  }
  return parsed;
}

Refusal RefusalFor(SmtpStage stage, const SmtpReply& reply) {
  if (stage != SmtpStage::kRecipient) return Refusal::kServer;
  if (reply.enhanced.empty()) {
    return reply.code == 550 || reply.code == 551 || reply.code == 553 ? Refusal::kRecipient : Refusal::kServer;
  }
  if (reply.enhanced.starts_with("5.1.") || reply.enhanced == "5.2.1") return Refusal::kRecipient;
  return Refusal::kServer;
}

std::string_view SmtpStageName(SmtpStage stage) {
  switch (stage) {
    case SmtpStage::kSession: return "session";
    case SmtpStage::kMailFrom: return "MAIL FROM";
    case SmtpStage::kRecipient: return "RCPT TO";
    case SmtpStage::kData: return "DATA";
    case SmtpStage::kContent: return "end of DATA";
  }
  return "session";
}

}  // namespace cartera::delivery
