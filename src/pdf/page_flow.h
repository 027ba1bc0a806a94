// Top-to-bottom layout over as many pages as the content needs: a cursor
// that starts a new page when a block does not fit, and a footer on every
// page ("Página 2 de 3" / "Page 2 of 3").
//
// The total is known only once everything is laid out, so a document is
// painted twice (RenderPages): the first pass counts the pages, the second
// draws them with "de N". Both passes measure with the same fonts and
// unhinted metrics, so they break at the same places.
#pragma once

#include <functional>
#include <string>

#include "pdf/pdf_canvas.h"
#include "templates/locale_format.h"

namespace cartera::pdf {

// Margins in points: about 18 mm at the sides and top, more at the bottom
// for the footer.
inline constexpr double kMarginSidePt = 51.0;
inline constexpr double kMarginTopPt = 48.0;
inline constexpr double kMarginBottomPt = 62.0;

// A document longer than this is refused: nobody prints it, and a mail
// attachment of that size would bounce.
inline constexpr int kPagesMax = 500;

class PageFlow {
 public:
  // `total_pages` 0: not known yet (the counting pass).
  PageFlow(PdfCanvas& canvas, templates::Language language, int total_pages, std::string footer_text);

  PdfCanvas& canvas() { return canvas_; }
  templates::Language language() const { return language_; }
  double left() const { return kMarginSidePt; }
  double width() const { return canvas_.size().width_pt - 2 * kMarginSidePt; }
  double y() const { return y_; }
  void Advance(double height_pt) { y_ += height_pt; }
  int page() const { return page_; }

  // True when `height_pt` fits between the cursor and the bottom margin.
  bool Fits(double height_pt) const;
  // Starts a new page unless `height_pt` fits; true when it did.
  bool BreakUnlessFits(double height_pt);
  // Footer, then a new page with the cursor at the top margin.
  void NewPage();
  // Footer of the last page. REQUIRES: called once, after all content.
  void Finish();

 private:
  void DrawFooter();

  PdfCanvas& canvas_;
  templates::Language language_;
  int total_pages_;
  std::string footer_text_;
  double y_ = kMarginTopPt;
  int page_ = 1;
};

// Paints a document with `paint` twice (see above) and returns the PDF bytes.
// kBadInput over kPagesMax pages; kInternal when cairo fails or the passes
// disagree on the page count.
Result<std::string> RenderPages(PaperSize size, const PdfMetadata& metadata, templates::Language language,
                                const std::string& footer_text, const std::function<void(PageFlow&)>& paint);

}  // namespace cartera::pdf
