#include "pdf/paper.h"

#include <array>

namespace cartera::pdf {

PaperSize SizeOf(Paper paper) {
  switch (paper) {
    case Paper::kA4:
      return {595.276, 841.89};
    case Paper::kLetter:
      return {612.0, 792.0};
  }
  return {595.276, 841.89};
}

std::optional<Paper> ParsePaper(std::string_view text) {
  auto same = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
      if (c != b[i]) return false;
    }
    return true;
  };
  if (same(text, "a4")) return Paper::kA4;
  if (same(text, "letter")) return Paper::kLetter;
  return std::nullopt;
}

std::string_view PaperName(Paper paper) { return paper == Paper::kLetter ? "letter" : "a4"; }

Paper DefaultPaperFor(std::string_view country) {
  // CLDR supplemental data, <paperSize type="US-Letter" territories=...>.
  constexpr std::array<std::string_view, 14> kLetterCountries = {"BZ", "CA", "CL", "CO", "CR", "GT", "MX",
                                                                 "NI", "PA", "PH", "PR", "SV", "US", "VE"};
  for (std::string_view letter_country : kLetterCountries) {
    if (country == letter_country) return Paper::kLetter;
  }
  return Paper::kA4;
}

}  // namespace cartera::pdf
