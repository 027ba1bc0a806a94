#include "templates/gsm7.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace cartera::templates {
namespace {

// The basic table's characters outside printable ASCII, as code points.
constexpr std::array<char32_t, 40> kBasicNonAscii = {U'£', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'Ø', U'ø',
                                                     U'Å', U'å', U'Δ', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ',
                                                     U'Θ', U'Ξ', U'Æ', U'æ', U'ß', U'É', U'¤', U'¡', U'Ä', U'Ö',
                                                     U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ', U'ü', U'à', U'\r'};

// Septets for one code point: 1 (basic), 2 (extension) or 0 (not GSM-7).
size_t SeptetsFor(char32_t c) {
  switch (c) {
    case U'^':
    case U'{':
    case U'}':
    case U'\\':
    case U'[':
    case U'~':
    case U']':
    case U'|':
    case U'€':
    case U'\f':
      return 2;
    case U'`':
      return 0;  // the one printable ASCII character GSM-7 lacks
    case U'\n':
      return 1;
    default:
      break;
  }
  if (c >= 0x20 && c < 0x7f) return 1;
  return std::find(kBasicNonAscii.begin(), kBasicNonAscii.end(), c) != kBasicNonAscii.end() ? 1 : 0;
}

}  // namespace

std::optional<size_t> Gsm7Septets(std::string_view utf8) {
  size_t septets = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    size_t length = 0;
    char32_t c = 0;
    if (lead < 0x80) {
      length = 1;
      c = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      c = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      c = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      c = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + length > utf8.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (next & 0x3F);
    }
    const size_t cost = SeptetsFor(c);
    if (cost == 0) return std::nullopt;
    septets += cost;
    i += length;
  }
  return septets;
}

SmsLength MeasureSms(std::string_view utf8) {
  SmsLength length;
  if (auto septets = Gsm7Septets(utf8)) {
    length.units = *septets;
    length.segments = length.units <= kSmsSeptets ? 1 : (length.units + 152) / 153;
  } else {
    length.encoding = SmsEncoding::kUcs2;
    for (unsigned char c : utf8) {
      if ((c & 0xC0) != 0x80) length.units += (c & 0xF8) == 0xF0 ? 2 : 1;  // a 4-byte sequence is a surrogate pair
    }
    length.segments = length.units <= 70 ? 1 : (length.units + 66) / 67;
  }
  if (utf8.empty()) length.segments = 0;
  return length;
}

}  // namespace cartera::templates
