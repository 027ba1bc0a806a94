// Small ASCII text helpers shared by parsers (HTTP requests, delivery
// reports, imports) and documents (letters). Bytes outside ASCII pass
// through unchanged, so UTF-8 text stays valid.
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

// The sentence ended with a full stop, unless its last word already brings
// one ("... comuníquese con Distribuidora Andina S.A.S."): names such as
// "S.A.S." or "Inc." end in a period, and ".." reads as a typo.
inline std::string EndSentence(std::string_view sentence) {
  std::string out(sentence);
  if (!out.ends_with('.')) out += '.';
  return out;
}

}  // namespace cartera
