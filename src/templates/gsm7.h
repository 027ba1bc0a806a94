// SMS length in the GSM 7-bit default alphabet (3GPP TS 23.038). A single
// SMS carries 160 septets; characters of the extension table (^ { } \ [ ~ ] |
// € and form feed) take two. One character outside the alphabet ("á", "í",
// "ó", "ú", emoji) makes the whole message UCS-2, 70 characters per SMS, which
// is why the Spanish SMS scripts avoid those letters.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace cartera::templates {

inline constexpr size_t kSmsSeptets = 160;

// Septets the UTF-8 text takes, or nullopt when some character (or an invalid
// UTF-8 sequence) is outside the GSM-7 default alphabet.
std::optional<size_t> Gsm7Septets(std::string_view utf8);

}  // namespace cartera::templates
