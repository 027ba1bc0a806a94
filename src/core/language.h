// The two languages people read Cartera in, and the one-line way to pick a
// text by language. Spanish comes first: most of our users read it.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

namespace cartera {

enum class Language { kSpanish = 1, kEnglish = 2 };

// Picks the text for the language.
inline std::string_view Tr(Language language, std::string_view spanish, std::string_view english) {
  return language == Language::kSpanish ? spanish : english;
}

// Picks the format for the language and fills it in.
template <typename... Args>
std::string TrFormat(Language language, std::string_view spanish, std::string_view english, Args&&... args) {
  return fmt::format(fmt::runtime(Tr(language, spanish, english)), std::forward<Args>(args)...);
}

}  // namespace cartera
