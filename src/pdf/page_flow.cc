#include "pdf/page_flow.h"

#include <fmt/format.h>

namespace cartera::pdf {

PageFlow::PageFlow(PdfCanvas& canvas, templates::Language language, int total_pages, std::string footer_text)
    : canvas_(canvas), language_(language), total_pages_(total_pages), footer_text_(std::move(footer_text)) {}

bool PageFlow::Fits(double height_pt) const { return y_ + height_pt <= canvas_.size().height_pt - kMarginBottomPt; }

bool PageFlow::BreakUnlessFits(double height_pt) {
  // A block taller than a whole page goes at the top of one and overflows
  // there rather than leaving empty pages behind it.
  if (Fits(height_pt) || y_ <= kMarginTopPt) return false;
  NewPage();
  return true;
}

void PageFlow::NewPage() {
  DrawFooter();
  canvas_.EndPage();
  ++page_;
  y_ = kMarginTopPt;
}

void PageFlow::Finish() {
  DrawFooter();
  canvas_.EndPage();
}

void PageFlow::DrawFooter() {
  const bool spanish = language_ == templates::Language::kEs;
  std::string number = total_pages_ > 0 ? fmt::format("{} {} {} {}", spanish ? "Página" : "Page", page_,
                                                      spanish ? "de" : "of", total_pages_)
                                        : fmt::format("{} {}", spanish ? "Página" : "Page", page_);
  const double top = canvas_.size().height_pt - kMarginBottomPt + 22.0;
  canvas_.DrawRule(left(), top - 5.0, left() + width(), 0.4, 0.6);
  TextStyle style{.size_pt = 7.5, .one_line = true, .gray = 0.35};
  canvas_.DrawText(left(), top, width() * 0.8, footer_text_, style);
  style.align = Align::kRight;
  canvas_.DrawText(left() + width() * 0.8, top, width() * 0.2, number, style);
}

Result<std::string> RenderPages(PaperSize size, const PdfMetadata& metadata, templates::Language language,
                                const std::string& footer_text, const std::function<void(PageFlow&)>& paint) {
  auto pass = [&](int total_pages, std::string* out) -> Result<int> {
    auto canvas = PdfCanvas::Create(size, metadata, out);
    if (!canvas) return Fail(canvas.error());
    PageFlow flow(**canvas, language, total_pages, footer_text);
    paint(flow);
    flow.Finish();
    if (auto finished = (*canvas)->Finish(); !finished) return Fail(finished.error());
    return flow.page();
  };
  std::string counting;
  auto pages = pass(0, &counting);
  if (!pages) return Fail(pages.error());
  if (*pages > kPagesMax) {
    return Fail(Error::BadInput(
        fmt::format("the document would take {} pages, more than {}: narrow it (--as-of)", *pages, kPagesMax)));
  }
  std::string pdf;
  auto drawn = pass(*pages, &pdf);
  if (!drawn) return Fail(drawn.error());
  if (*drawn != *pages) {
    return Fail(Error::Internal(fmt::format("the PDF took {} pages when counted and {} when drawn", *pages, *drawn)));
  }
  return pdf;
}

}  // namespace cartera::pdf
