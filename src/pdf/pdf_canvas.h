// Drawing on PDF pages: text set by Pango in DejaVu Sans (every accent and
// ñ, ¿, ¡ of Spanish), rules and shaded boxes by cairo. Private to
// cartera_pdf; the cairo and Pango types stay in the .cc.
//
// Coordinates are PostScript points from the top-left corner of the page; a
// text box's y is the top of its first line.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "pdf/paper.h"

namespace cartera::pdf {

enum class Align { kLeft, kRight, kCenter };

struct TextStyle {
  double size_pt = 9.5;
  bool bold = false;
  Align align = Align::kLeft;
  bool one_line = false;  // cut with "…" at the width instead of wrapped (table cells)
  double gray = 0.0;      // 0 black .. 1 white
};

// The PDF's document information dictionary.
struct PdfMetadata {
  std::string title;
  std::string author;   // the company
  std::string subject;  // the customer
  Date created;         // the document's own date, so the same input gives the same bytes
};

class PdfCanvas {
 public:
  // Pages of `size`; the PDF bytes are appended to `*out` as the document
  // grows and are complete after Finish(). kInternal when cairo cannot start.
  static Result<std::unique_ptr<PdfCanvas>> Create(PaperSize size, const PdfMetadata& metadata, std::string* out);
  ~PdfCanvas();
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  PaperSize size() const;

  // Draws `text` in a box `width` wide with its top-left corner at (x, y)
  // and returns the height it took. Invalid UTF-8 is repaired, not drawn raw.
  double DrawText(double x, double y, double width, std::string_view text, const TextStyle& style);
  // The height DrawText would take.
  double TextHeight(double width, std::string_view text, const TextStyle& style);
  // `text` as the lines it wraps into at `width` (a line break in the text
  // always ends a line).
  std::vector<std::string> WrapLines(double width, std::string_view text, const TextStyle& style);

  void DrawRule(double x1, double y, double x2, double line_width_pt, double gray = 0.0);
  void FillRect(double x, double y, double width, double height, double gray);

  // Ends the current page; drawing after it goes on a new one.
  void EndPage();
  // Ends the last page and the document. kInternal with cairo's reason when
  // any drawing or the output failed.
  Status Finish();

 private:
  struct Impl;
  explicit PdfCanvas(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartera::pdf
