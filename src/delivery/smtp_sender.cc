#include "delivery/smtp_sender.h"

#include <curl/curl.h>

#include <cctype>

#include <fmt/format.h>

#include "delivery/smtp_reply.h"

namespace cartera::delivery {
namespace {

// Follows the conversation through libcurl's debug callback: the command
// each reply answers, and the server's own words, which libcurl keeps only
// as a number ("Weird server reply" is all its error says of a 554 after
// DATA). Commands are read for their verb only: AUTH lines carry secrets.
struct Conversation {
  SmtpStage stage = SmtpStage::kSession;
  std::string reply;    // the latest complete reply, all its lines
  std::string pending;  // the lines of a reply still going ("250-...")
  // The first 4xx or 5xx and the command it answered: what libcurl sends
  // after it (QUIT, RSET) has replies of its own that say nothing.
  std::string refusal;
  SmtpStage refusal_stage = SmtpStage::kSession;

  void Reset() {
    stage = SmtpStage::kSession;
    reply.clear();
    pending.clear();
    refusal.clear();
    refusal_stage = SmtpStage::kSession;
  }

  void Sent(std::string_view command) {
    std::string verb;
    for (char c : command.substr(0, command.find_first_of(" :\r\n"))) {
      verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (verb == "MAIL") stage = SmtpStage::kMailFrom;
    else if (verb == "RCPT") stage = SmtpStage::kRecipient;
    else if (verb == "DATA") stage = SmtpStage::kData;
    else if (verb == "EHLO" || verb == "HELO" || verb == "AUTH" || verb == "STARTTLS") stage = SmtpStage::kSession;
  }

  void Received(std::string_view lines) {
    while (!lines.empty()) {
      size_t end = lines.find('\n');
      std::string_view line = lines.substr(0, end == std::string_view::npos ? lines.size() : end + 1);
      lines.remove_prefix(line.size());
      pending.append(line);
      // "250-..." continues; "250 ..." (or a bare code) ends the reply.
      if (line.size() < 4 || line[3] != '-') {
        reply = std::move(pending);
        pending.clear();
        if (refusal.empty() && (reply.starts_with('4') || reply.starts_with('5'))) {
          refusal = reply;
          refusal_stage = stage;
        }
      }
    }
  }
};

int OnDebug(CURL* /*curl*/, curl_infotype type, char* data, size_t size, void* user) {
  auto& conversation = *static_cast<Conversation*>(user);
  const std::string_view text(data, size);
  if (type == CURLINFO_HEADER_OUT) conversation.Sent(text);
  if (type == CURLINFO_HEADER_IN) conversation.Received(text);
  if (type == CURLINFO_DATA_OUT && conversation.stage == SmtpStage::kData) conversation.stage = SmtpStage::kContent;
  return 0;
}

}  // namespace

std::optional<SmtpSecurity> ParseSmtpSecurity(std::string_view text) {
  if (text == "none") return SmtpSecurity::kNone;
  if (text == "starttls") return SmtpSecurity::kStartTls;
  if (text == "tls" || text == "implicit") return SmtpSecurity::kImplicitTls;
  return std::nullopt;
}

std::string_view SmtpSecurityName(SmtpSecurity security) {
  switch (security) {
    case SmtpSecurity::kNone: return "none";
    case SmtpSecurity::kStartTls: return "starttls";
    case SmtpSecurity::kImplicitTls: return "tls";
  }
  return "none";
}

struct SmtpSender::Impl {
  SmtpSettings settings;
  CURL* curl = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  Conversation conversation;
};

SmtpSender::SmtpSender(SmtpSettings settings) : impl_(std::make_unique<Impl>()) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  impl_->settings = std::move(settings);
  impl_->curl = curl_easy_init();
}

SmtpSender::~SmtpSender() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

SendOutcome SmtpSender::Send(const EmailMessage& message) {
  CURL* curl = impl_->curl;
  if (curl == nullptr) return {SendResult::kTransient, "libcurl could not be initialised"};
  const SmtpSettings& settings = impl_->settings;
  curl_easy_reset(curl);  // keeps the open connection, drops the last message's options
  const std::string url = fmt::format("{}://{}:{}", settings.security == SmtpSecurity::kImplicitTls ? "smtps" : "smtp",
                                      settings.host, settings.port);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, impl_->error);
  impl_->error[0] = '\0';
  Conversation& conversation = impl_->conversation;
  conversation.Reset();
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // only to feed OnDebug; nothing is printed
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, OnDebug);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &conversation);
  if (settings.security == SmtpSecurity::kStartTls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!settings.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(settings.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const std::string from = fmt::format("<{}>", message.from_address);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  const std::string to = fmt::format("<{}>", message.to_address);
  curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);

  curl_slist* headers = nullptr;
  for (const std::string& line : HeaderLines(message)) headers = curl_slist_append(headers, line.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  // multipart/mixed { multipart/alternative { text/plain, text/html } }:
  // room for a PDF statement next to the alternative.
  curl_mime* mixed = curl_mime_init(curl);
  curl_mime* alternative = curl_mime_init(curl);
  curl_mimepart* text = curl_mime_addpart(alternative);
  curl_mime_data(text, message.text.data(), message.text.size());
  curl_mime_type(text, "text/plain; charset=UTF-8");
  curl_mime_encoder(text, "quoted-printable");
  curl_mimepart* html = curl_mime_addpart(alternative);
  curl_mime_data(html, message.html.data(), message.html.size());
  curl_mime_type(html, "text/html; charset=UTF-8");
  curl_mime_encoder(html, "quoted-printable");
  curl_mimepart* both = curl_mime_addpart(mixed);
  curl_mime_subparts(both, alternative);  // `mixed` now owns `alternative`
  curl_mime_type(both, "multipart/alternative");
  curl_slist* part_headers = curl_slist_append(nullptr, "Content-Disposition: inline");
  curl_mime_headers(both, part_headers, 1);
  for (const EmailAttachment& attachment : message.attachments) {
    curl_mimepart* file = curl_mime_addpart(mixed);
    curl_mime_data(file, attachment.data.data(), attachment.data.size());
    curl_mime_type(file, attachment.content_type.c_str());
    curl_mime_filename(file, attachment.filename.c_str());  // Content-Disposition: attachment; filename=...
    curl_mime_encoder(file, "base64");
  }
  curl_easy_setopt(curl, CURLOPT_MIMEPOST, mixed);

  const CURLcode code = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_off_t uploaded = 0;
  curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &uploaded);
  curl_mime_free(mixed);
  curl_slist_free_all(headers);
  curl_slist_free_all(recipients);

  if (code == CURLE_OK) return {SendResult::kSent, fmt::format("{}", response)};
  const std::string why = impl_->error[0] != '\0' ? impl_->error : curl_easy_strerror(code);
  const bool refused = !conversation.refusal.empty();
  SmtpStage stage = refused ? conversation.refusal_stage : conversation.stage;
  if (stage == SmtpStage::kData && uploaded > 0) stage = SmtpStage::kContent;
  SmtpReply reply = ParseSmtpReply(refused ? conversation.refusal : std::string());
  if (reply.code == 0 && response > 0) reply.code = static_cast<int>(response);
  // The server's words where a person reads them (outbox, timeline):
  // "SMTP 554 5.7.1 Message rejected (at end of DATA)".
  const std::string said = refused ? fmt::format("SMTP {} (at {})", reply.text, SmtpStageName(stage))
                                   : fmt::format("SMTP {}: {}", reply.code, why);
  // A 5xx is final for this message: the recipient's fault at RCPT TO, the
  // server's own policy at MAIL FROM or DATA. Refused credentials (535)
  // are retried so a person can fix the settings.
  if (reply.code >= 500 && reply.code < 600 && code != CURLE_LOGIN_DENIED) {
    SendOutcome outcome{SendResult::kPermanent, said};
    outcome.refusal = RefusalFor(stage, reply);
    outcome.server_reply = reply.text;
    return outcome;
  }
  // The message went through DATA but the server's verdict never came.
  if (uploaded > 0 && (reply.code < 400 || reply.code >= 600)) {
    return {SendResult::kUnknown, fmt::format("no answer after the message was sent: {}", why)};
  }
  SendOutcome outcome{SendResult::kTransient, reply.code > 0 ? said : why};
  outcome.server_reply = reply.text;
  return outcome;
}

}  // namespace cartera::delivery
