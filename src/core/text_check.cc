#include "core/text_check.h"

#include <fmt/format.h>

namespace cartera {
namespace {

// Decodes the UTF-8 sequence at text[i]; returns its length, or 0 when it
// is not valid (truncated, overlong, a surrogate, above U+10FFFF).
size_t DecodeUtf8(std::string_view text, size_t i, char32_t& code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  char32_t value = 0, minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  code_point = value;
  return length;
}

bool IsControl(char32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

}  // namespace

std::optional<TextProblem> FindTextProblem(std::string_view text, TabRule tabs) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII: the common case, one compare
      ++i;
      continue;
    }
    char32_t code_point = 0;
    const size_t length = DecodeUtf8(text, i, code_point);
    if (length == 0) return TextProblem{TextProblemKind::kInvalidUtf8, i, 0};
    if (IsControl(code_point) && !(code_point == '\t' && tabs == TabRule::kAllowed)) {
      return TextProblem{TextProblemKind::kControlCharacter, i, code_point};
    }
    i += length;
  }
  return std::nullopt;
}

std::string DescribeTextProblem(const TextProblem& problem, Language language) {
  if (problem.kind == TextProblemKind::kInvalidUtf8) {
    return TrFormat(language, "no es UTF-8 válido (byte {})", "is not valid UTF-8 (byte {})", problem.byte_offset + 1);
  }
  return TrFormat(language, "contiene un carácter de control (U+{:04X}) en el byte {}",
                  "contains a control character (U+{:04X}) at byte {}", static_cast<uint32_t>(problem.code_point),
                  problem.byte_offset + 1);
}

std::string EscapeForDisplay(std::string_view text, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() < max_bytes) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    char32_t code_point = 0;
    const size_t length = c >= 0x20 && c < 0x7F ? 1 : DecodeUtf8(text, i, code_point);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    if (length == 1 && (c < 0x20 || c == 0x7F)) {
      switch (c) {
        case '\r':
          out += "\\r";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          out += fmt::format("\\x{:02x}", c);
      }
    } else if (length > 1 && IsControl(code_point)) {
      out += fmt::format("\\u{:04x}", static_cast<uint32_t>(code_point));
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  if (i < text.size()) out += "...";
  return out;
}

}  // namespace cartera
