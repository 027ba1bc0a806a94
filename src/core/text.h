// Small ASCII text helpers shared by parsers (HTTP requests, delivery
// reports, imports, letters). Bytes outside ASCII pass through unchanged, so
// UTF-8 text stays valid.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace cartera {

inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Without leading and trailing spaces, tabs and line ends.
inline std::string_view TrimWhitespace(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace cartera
