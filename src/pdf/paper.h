// Paper sizes for printed letters and statements, and which one a country
// prints on by default.
#pragma once

#include <optional>
#include <string_view>

namespace cartera::pdf {

enum class Paper { kA4 = 1, kLetter = 2 };

struct PaperSize {
  double width_pt = 0;  // PostScript points, 1/72 inch
  double height_pt = 0;
};

// A4 595.276 x 841.89 pt (210 x 297 mm); US Letter 612 x 792 pt (8.5 x 11 in).
PaperSize SizeOf(Paper paper);

// "a4", "letter" (any case); nullopt for anything else.
std::optional<Paper> ParsePaper(std::string_view text);
std::string_view PaperName(Paper paper);

// US Letter ("carta") where it is the everyday paper: the CLDR US-Letter
// territories (BZ CA CL CO CR GT MX NI PA PH PR SV US VE). Everywhere else,
// Spain, Peru and Argentina included, A4. `country` is ISO 3166-1 alpha-2.
Paper DefaultPaperFor(std::string_view country);

}  // namespace cartera::pdf
