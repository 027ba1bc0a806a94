// A saved HTTP request (request line, headers, blank line, body), as a
// webhook arrives: `cartera webhook ingest` reads one from a file, and the
// HTTP server will hand the same struct to the same code.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cartera::delivery {

struct HttpRequest {
  std::string method;
  std::string target;                         // path and query, as sent
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(std::string_view name) const;  // "" when absent
};

// Accepts CRLF or LF line ends. Fails (kBadInput) on a missing request line.
Result<HttpRequest> ParseHttpRequest(std::string_view raw);

// application/x-www-form-urlencoded: '+' is a space, %XX a byte. A name
// given twice keeps its last value.
std::map<std::string, std::string> ParseForm(std::string_view body);

}  // namespace cartera::delivery
