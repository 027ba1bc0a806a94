#include "delivery/http_request.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace cartera::delivery {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string HttpRequest::Header(std::string_view name) const {
  auto found = headers.find(AsciiLower(name));
  return found == headers.end() ? std::string() : found->second;
}

Result<HttpRequest> ParseHttpRequest(std::string_view raw) {
  HttpRequest request;
  size_t at = 0;
  auto next_line = [&](std::string_view& line) {
    if (at >= raw.size()) return false;
    size_t end = raw.find('\n', at);
    if (end == std::string_view::npos) end = raw.size();
    line = raw.substr(at, end - at);
    if (line.ends_with('\r')) line.remove_suffix(1);
    at = end + 1;
    return true;
  };
  std::string_view line;
  if (!next_line(line)) return Fail(Error::BadInput("the request is empty"));
  const size_t space = line.find(' ');
  const size_t second = line.find(' ', space + 1);
  if (space == std::string_view::npos || second == std::string_view::npos) {
    return Fail(Error::BadInput("line 1: not an HTTP request line (METHOD TARGET HTTP/1.1)"));
  }
  request.method = line.substr(0, space);
  request.target = line.substr(space + 1, second - space - 1);
  while (next_line(line) && !line.empty()) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    request.headers[AsciiLower(TrimWhitespace(line.substr(0, colon)))] = std::string(TrimWhitespace(line.substr(colon + 1)));
  }
  if (at < raw.size()) request.body = std::string(raw.substr(at));
  // The body is signed byte for byte (X-Hub-Signature-256): Content-Length
  // says where it ends; without one, the line ends an editor adds go.
  const std::string length = request.Header("Content-Length");
  if (!length.empty() && length.find_first_not_of("0123456789") == std::string::npos && length.size() < 12) {
    const size_t wanted = std::stoul(length);
    if (wanted <= request.body.size()) request.body.resize(wanted);
  } else {
    while (request.body.ends_with('\n') || request.body.ends_with('\r')) request.body.pop_back();
  }
  return request;
}

std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> form;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const size_t equals = pair.find('=');
      form[FormDecode(pair.substr(0, equals))] =
          equals == std::string_view::npos ? std::string() : FormDecode(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return form;
}

}  // namespace cartera::delivery
