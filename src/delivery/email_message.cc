#include "delivery/email_message.h"

#include <sodium.h>

#include <array>
#include <chrono>

#include <date/date.h>
#include <fmt/format.h>

namespace cartera::delivery {
namespace {

bool IsPlainHeaderText(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return text.find("=?") == std::string_view::npos;
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xe) return 3;
  if ((lead >> 3) == 0x1e) return 4;
  return 1;  // a stray byte: keep it alone
}

std::string DecodeEntity(std::string_view entity) {
  if (entity == "amp") return "&";
  if (entity == "lt") return "<";
  if (entity == "gt") return ">";
  if (entity == "quot") return "\"";
  if (entity == "apos" || entity == "#39") return "'";
  if (entity == "nbsp") return " ";
  if (entity.starts_with('#')) {
    const bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
    unsigned long code = 0;
    try {
      code = std::stoul(std::string(entity.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10);
    } catch (...) {
      return fmt::format("&{};", entity);
    }
    std::string out;
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xc0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xe0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    }
    return out;
  }
  return fmt::format("&{};", entity);
}

}  // namespace

std::string EncodeHeaderText(std::string_view utf8) {
  if (IsPlainHeaderText(utf8)) return std::string(utf8);
  // 75 characters per word: "=?UTF-8?B?" + base64 + "?=" leaves 63 for
  // base64, that is 45 bytes of text; cut only between UTF-8 sequences.
  constexpr size_t kBytesPerWord = 45;
  std::string out;
  size_t start = 0;
  while (start < utf8.size()) {
    size_t end = start;
    while (end < utf8.size()) {
      const size_t length = Utf8SequenceLength(static_cast<unsigned char>(utf8[end]));
      if (end + length - start > kBytesPerWord) break;
      end += length;
    }
    if (end == start) end = std::min(utf8.size(), start + kBytesPerWord);
    if (!out.empty()) out += "\r\n ";  // folded: each encoded word on its own line
    out += fmt::format("=?UTF-8?B?{}?=", Base64(utf8.substr(start, end - start)));
    start = end;
  }
  return out;
}

std::string FormatMailbox(std::string_view name, std::string_view address) {
  if (name.empty()) return fmt::format("<{}>", address);
  if (!IsPlainHeaderText(name)) return fmt::format("{} <{}>", EncodeHeaderText(name), address);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return fmt::format("{}\" <{}>", quoted, address);
}

std::string FormatRfc5322Date(Timestamp at) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  return date::format("%a, %d %b %Y %H:%M:%S +0000", seconds);
}

std::string MessageIdFor(std::string_view idempotency_key, std::string_view from_address) {
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(idempotency_key.data()),
                     idempotency_key.size(), nullptr, 0);
  std::string hex(2 * hash.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  hex.pop_back();
  const size_t at = from_address.rfind('@');
  const std::string_view domain = at == std::string_view::npos ? "cartera.invalid" : from_address.substr(at + 1);
  return fmt::format("<cartera.{}@{}>", hex, domain);
}

std::vector<std::string> HeaderLines(const EmailMessage& message) {
  std::vector<std::string> lines{
      fmt::format("Date: {}", FormatRfc5322Date(message.date)),
      fmt::format("From: {}", FormatMailbox(message.from_name, message.from_address)),
      fmt::format("To: {}", FormatMailbox(message.to_name, message.to_address)),
      fmt::format("Subject: {}", EncodeHeaderText(message.subject)),
      fmt::format("Message-ID: {}", message.message_id),
  };
  if (!message.reply_to.empty()) lines.push_back(fmt::format("Reply-To: <{}>", message.reply_to));
  if (!message.unsubscribe_url.empty()) {
    // RFC 8058 one-click unsubscribe: mail clients show an unsubscribe button.
    lines.push_back(fmt::format("List-Unsubscribe: <{}>", message.unsubscribe_url));
    lines.emplace_back("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  }
  return lines;
}

std::string HtmlToText(std::string_view html) {
  std::string out;
  std::string pending_link;
  size_t link_text_start = 0;
  size_t i = 0;
  auto newline = [&](int count) {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    int have = 0;
    for (auto it = out.rbegin(); it != out.rend() && *it == '\n'; ++it) ++have;
    if (out.empty()) return;
    for (; have < count; ++have) out += '\n';
  };
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, close - i - 1);
      const bool ending = tag.starts_with('/');
      if (ending) tag.remove_prefix(1);
      std::string name;
      for (char t : tag) {
        if (!std::isalnum(static_cast<unsigned char>(t))) break;
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(t)));
      }
      if (name == "br") {
        newline(1);
      } else if (name == "p" || name == "table" || name == "h1" || name == "h2" || name == "h3" || name == "ul" ||
                 name == "div") {
        newline(2);
      } else if (name == "tr" || name == "li") {
        newline(1);
        if (!ending && name == "li") out += "- ";
      } else if ((name == "td" || name == "th") && ending) {
        out += " | ";
      } else if (name == "a" && !ending) {
        const size_t href = tag.find("href=\"");
        if (href != std::string_view::npos) {
          const size_t end = tag.find('"', href + 6);
          pending_link = std::string(tag.substr(href + 6, end - href - 6));
          link_text_start = out.size();
        }
      } else if (name == "a" && ending) {
        // A link whose text is not its address gets the address written out.
        if (!pending_link.empty() && out.substr(link_text_start) != pending_link) {
          out += fmt::format(" ({})", pending_link);
        }
        pending_link.clear();
      }
      i = close + 1;
      continue;
    }
    if (c == '&') {
      const size_t semicolon = html.find(';', i);
      if (semicolon != std::string_view::npos && semicolon - i <= 8) {
        out += DecodeEntity(html.substr(i + 1, semicolon - i - 1));
        i = semicolon + 1;
        continue;
      }
    }
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
    } else {
      out += c;
    }
    ++i;
  }
  // Cells end with " | "; the row's last one needs no separator.
  std::string cleaned;
  size_t start = 0;
  while (start <= out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(start, end - start);
    while (line.ends_with(" | ") || line.ends_with(" |")) line.resize(line.size() - (line.ends_with(" | ") ? 3 : 2));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    size_t first = line.find_first_not_of(' ');
    cleaned += first == std::string::npos ? "" : line.substr(first);
    if (end < out.size()) cleaned += '\n';
    start = end + 1;
  }
  while (cleaned.ends_with('\n')) cleaned.pop_back();
  return cleaned + "\n";
}

}  // namespace cartera::delivery
