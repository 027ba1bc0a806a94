#include "pdf/pdf_canvas.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

namespace cartera::pdf {
namespace {

// A font every Debian with fonts-dejavu-core has, with the Latin-1 and
// Latin Extended letters Spanish needs; fontconfig substitutes when absent.
constexpr const char* kFontFamily = "DejaVu Sans";

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Text from the database is UTF-8 by the importer's checks; anything else is
// repaired here (U+FFFD) rather than handed to Pango, which would warn and
// draw it as hex boxes.
std::string ValidUtf8(std::string_view text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return std::string(text);
  gchar* repaired = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string result(repaired);
  g_free(repaired);
  return result;
}

}  // namespace

struct PdfCanvas::Impl {
  PaperSize size;
  cairo_surface_t* surface = nullptr;
  cairo_t* cairo = nullptr;
  PangoLayout* layout = nullptr;
  PangoFontDescription* font = nullptr;
  std::string text;  // the layout's current text, for WrapLines

  ~Impl() {
    if (font != nullptr) pango_font_description_free(font);
    if (layout != nullptr) g_object_unref(layout);
    if (cairo != nullptr) cairo_destroy(cairo);
    if (surface != nullptr) cairo_surface_destroy(surface);
  }

  void Prepare(double width, std::string_view raw_text, const TextStyle& style) {
    text = ValidUtf8(raw_text);
    pango_font_description_set_size(font, static_cast<gint>(style.size_pt * PANGO_SCALE));
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    if (style.one_line) {
      for (char& c : text) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      }
      pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_height(layout, -1);  // one line per paragraph
    } else {
      pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_NONE);
    }
    pango_layout_set_alignment(layout, style.align == Align::kRight    ? PANGO_ALIGN_RIGHT
                                       : style.align == Align::kCenter ? PANGO_ALIGN_CENTER
                                                                       : PANGO_ALIGN_LEFT);
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  }

  double Height() const {
    int width = 0, height = 0;
    pango_layout_get_size(layout, &width, &height);
    return static_cast<double>(height) / PANGO_SCALE;
  }
};

PdfCanvas::PdfCanvas(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfCanvas::~PdfCanvas() = default;

Result<std::unique_ptr<PdfCanvas>> PdfCanvas::Create(PaperSize size, const PdfMetadata& metadata, std::string* out) {
  auto impl = std::make_unique<Impl>();
  impl->size = size;
  impl->surface = cairo_pdf_surface_create_for_stream(AppendToString, out, size.width_pt, size.height_pt);
  if (cairo_surface_status(impl->surface) != CAIRO_STATUS_SUCCESS) {
    return Fail(Error::Internal(
        fmt::format("cannot start a PDF: {}", cairo_status_to_string(cairo_surface_status(impl->surface)))));
  }
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_TITLE, ValidUtf8(metadata.title).c_str());
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_AUTHOR, ValidUtf8(metadata.author).c_str());
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_SUBJECT, ValidUtf8(metadata.subject).c_str());
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_CREATOR, "Cartera");
  const std::string created = metadata.created.ToIso() + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_MOD_DATE, created.c_str());
  impl->cairo = cairo_create(impl->surface);
  impl->layout = pango_cairo_create_layout(impl->cairo);
  // Points, not the 96 dpi of a screen: a 10 pt font is 10 units tall. Unhinted
  // metrics, so a line measures the same in the counting pass and the real one.
  PangoContext* context = pango_layout_get_context(impl->layout);
  pango_cairo_context_set_resolution(context, 72.0);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context, options);
  cairo_font_options_destroy(options);
  pango_layout_context_changed(impl->layout);
  impl->font = pango_font_description_new();
  pango_font_description_set_family(impl->font, kFontFamily);
  return std::unique_ptr<PdfCanvas>(new PdfCanvas(std::move(impl)));
}

PaperSize PdfCanvas::size() const { return impl_->size; }

double PdfCanvas::DrawText(double x, double y, double width, std::string_view text, const TextStyle& style) {
  impl_->Prepare(width, text, style);
  cairo_set_source_rgb(impl_->cairo, style.gray, style.gray, style.gray);
  cairo_move_to(impl_->cairo, x, y);
  pango_cairo_show_layout(impl_->cairo, impl_->layout);
  return impl_->Height();
}

double PdfCanvas::TextHeight(double width, std::string_view text, const TextStyle& style) {
  impl_->Prepare(width, text, style);
  return impl_->Height();
}

std::vector<std::string> PdfCanvas::WrapLines(double width, std::string_view text, const TextStyle& style) {
  TextStyle wrapped = style;
  wrapped.one_line = false;
  impl_->Prepare(width, text, wrapped);
  std::vector<std::string> lines;
  for (GSList* item = pango_layout_get_lines_readonly(impl_->layout); item != nullptr; item = item->next) {
    const auto* line = static_cast<const PangoLayoutLine*>(item->data);
    std::string piece = impl_->text.substr(static_cast<size_t>(line->start_index), static_cast<size_t>(line->length));
    while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\n' || piece.back() == '\r')) piece.pop_back();
    lines.push_back(std::move(piece));
  }
  return lines;
}

void PdfCanvas::DrawRule(double x1, double y, double x2, double line_width_pt, double gray) {
  cairo_set_source_rgb(impl_->cairo, gray, gray, gray);
  cairo_set_line_width(impl_->cairo, line_width_pt);
  cairo_move_to(impl_->cairo, x1, y);
  cairo_line_to(impl_->cairo, x2, y);
  cairo_stroke(impl_->cairo);
}

void PdfCanvas::FillRect(double x, double y, double width, double height, double gray) {
  cairo_set_source_rgb(impl_->cairo, gray, gray, gray);
  cairo_rectangle(impl_->cairo, x, y, width, height);
  cairo_fill(impl_->cairo);
}

void PdfCanvas::EndPage() { cairo_show_page(impl_->cairo); }

Status PdfCanvas::Finish() {
  const cairo_status_t drawing = cairo_status(impl_->cairo);
  cairo_surface_finish(impl_->surface);
  const cairo_status_t output = cairo_surface_status(impl_->surface);
  const cairo_status_t status = drawing != CAIRO_STATUS_SUCCESS ? drawing : output;
  if (status != CAIRO_STATUS_SUCCESS) {
    return Fail(Error::Internal(fmt::format("cannot write the PDF: {}", cairo_status_to_string(status))));
  }
  return {};
}

}  // namespace cartera::pdf
