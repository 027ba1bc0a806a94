#include "delivery/smtp_sender.h"

#include <curl/curl.h>

#include <fmt/format.h>

namespace cartera::delivery {

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
  // 5xx from the server is final for this message (RCPT refused: the
  // address is bad); 4xx, no answer at all or a broken connection may pass.
  if (response >= 500 && response < 600 && code != CURLE_LOGIN_DENIED) {
    return {SendResult::kPermanent, fmt::format("SMTP {}: {}", response, why)};
  }
  // The message went through DATA but the server's verdict never came.
  if (uploaded > 0 && (response < 400 || response >= 600)) {
    return {SendResult::kUnknown, fmt::format("no answer after the message was sent: {}", why)};
  }
  return {SendResult::kTransient, response > 0 ? fmt::format("SMTP {}: {}", response, why) : why};
}

}  // namespace cartera::delivery
