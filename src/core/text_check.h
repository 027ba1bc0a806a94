// What a stored text may hold: valid UTF-8 without control characters.
//
// Names, descriptions and notes are printed to terminals, CSV files, PDFs
// and SMTP conversations; a NUL, an escape sequence or a line break in one
// of them corrupts or hijacks the output. Every text that enters (import,
// CLI, later the API) is checked here, once, and refused when it fails.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/language.h"

namespace cartera {

enum class TextProblemKind {
  kInvalidUtf8 = 1,       // a byte sequence that is not UTF-8 (or overlong, or a surrogate)
  kControlCharacter = 2,  // U+0000-U+001F, U+007F or U+0080-U+009F
};

struct TextProblem {
  TextProblemKind kind;
  size_t byte_offset;   // where the problem starts in the text
  char32_t code_point;  // the control character; 0 for invalid UTF-8
};

enum class TabRule { kRefused = 1, kAllowed = 2 };

// The first problem in `text`, or nullopt when it is valid UTF-8 without
// control characters (tab only with TabRule::kAllowed).
std::optional<TextProblem> FindTextProblem(std::string_view text, TabRule tabs = TabRule::kRefused);

inline bool IsCleanText(std::string_view text, TabRule tabs = TabRule::kRefused) {
  return !FindTextProblem(text, tabs).has_value();
}

// The problem as a phrase for an error message, in the reader's language:
// "contains a control character (U+000D) at byte 8".
std::string DescribeTextProblem(const TextProblem& problem, Language language);

// `text` with control characters and invalid bytes written as escapes
// ("\r", "\x1b", "\xff") and cut to `max_bytes`: safe to quote in an error
// message that a terminal prints.
std::string EscapeForDisplay(std::string_view text, size_t max_bytes = 80);

}  // namespace cartera
