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
// Scripts longer than this many segments get a warning: each segment is
// billed, and long SMS read badly.
inline constexpr size_t kDefaultMaxSmsSegments = 2;

// Septets the UTF-8 text takes, or nullopt when some character (or an invalid
// UTF-8 sequence) is outside the GSM-7 default alphabet.
std::optional<size_t> Gsm7Septets(std::string_view utf8);

enum class SmsEncoding { kGsm7, kUcs2 };

struct SmsLength {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  size_t units = 0;     // septets (GSM-7) or UTF-16 code units (UCS-2)
  size_t segments = 0;  // one SMS up to 160/70; longer ones go in parts of 153/67
};

// How the text travels: GSM-7 when every character is in the alphabet,
// else UCS-2 (an emoji takes two units there).
SmsLength MeasureSms(std::string_view utf8);

}  // namespace cartera::templates
