// One kept-alive HTTP connection through libcurl, for the providers' REST
// APIs (Twilio, WhatsApp Cloud). The caller builds the request; this only
// moves it and says what came back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cartera::delivery {

struct HttpPost {
  std::string url;
  std::string content_type;         // "application/json", "application/x-www-form-urlencoded"
  std::string body;
  std::vector<std::string> headers;  // "Authorization: Bearer ...", one per entry
  std::string basic_user, basic_password;  // basic auth when the user is set
  int timeout_seconds = 30;
};

struct HttpAnswer {
  bool reached = false;  // false: no answer (refused, timeout, TLS); `error` says why
  std::string error;
  // No answer, but the request had left: the provider may have acted on it
  // (a timeout while it was slow). Retrying could send the message twice.
  bool request_sent = false;
  long status = 0;
  std::string body;
  // The Retry-After header in seconds (RFC 9110: delay-seconds; an HTTP
  // date is not read), when the answer had one.
  std::optional<int64_t> retry_after_seconds;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpAnswer Post(const HttpPost& request);

  // Form encoding of one value (RFC 3986 unreserved characters kept).
  std::string Escape(const std::string& text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartera::delivery
