// Reading a PDF back the way a person would, for the tests: its text
// (pdftotext -layout), its page size and count (pdfinfo) and its first page
// as an image (pdftoppm), all from poppler-utils. Tests skip without them.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace cartera::pdf::testing {

inline bool HavePoppler() {
  return std::system(
             "command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 && "
             "command -v pdftoppm >/dev/null 2>&1") == 0;
}

#define SKIP_WITHOUT_POPPLER()                                                                    \
  do {                                                                                            \
    if (!::cartera::pdf::testing::HavePoppler()) {                                                \
      GTEST_SKIP() << "pdftotext, pdfinfo or pdftoppm is missing (Debian package poppler-utils)"; \
    }                                                                                             \
  } while (false)

// A file in the test's temporary directory, named after the running test so
// a failing test leaves its PDF and PNG behind for a person to open.
inline std::filesystem::path OutputPath(const std::string& suffix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path directory = std::filesystem::path(::testing::TempDir()) / "cartera_pdf_test";
  std::filesystem::create_directories(directory);
  std::string name = std::string(info->test_suite_name()) + "." + info->name() + suffix;
  for (char& c : name) {
    if (c == '/') c = '_';  // parameterised tests: "Backends/Suite.Test/Sqlite"
  }
  return directory / name;
}

inline std::filesystem::path WritePdf(const std::string& bytes, const std::string& suffix = ".pdf") {
  const std::filesystem::path path = OutputPath(suffix);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// stdout of a shell command; the paths the tests pass have no quotes in them.
inline std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (size_t read; (read = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, read);
  pclose(pipe);
  return out;
}

inline std::string PdfText(const std::string& pdf, const std::string& suffix = ".pdf") {
  return Run("pdftotext -layout '" + WritePdf(pdf, suffix).string() + "' -");
}

inline std::string PdfInfo(const std::string& pdf) { return Run("pdfinfo '" + WritePdf(pdf).string() + "'"); }

// pdftotext ends every page with a form feed.
inline std::vector<std::string> Pages(const std::string& text) {
  std::vector<std::string> pages;
  size_t start = 0;
  for (size_t end; (end = text.find('\f', start)) != std::string::npos; start = end + 1) {
    pages.push_back(text.substr(start, end - start));
  }
  return pages;
}

inline size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

// The share of dark pixels in `rows` of the first page at 50 dpi (a P5
// greyscale image), from row_begin to row_end as fractions of the height.
inline double InkShare(const std::string& pdf, double row_begin = 0.0, double row_end = 1.0) {
  const std::filesystem::path path = WritePdf(pdf);
  const std::string prefix = OutputPath("-gray").string();
  Run("pdftoppm -gray -r 50 -f 1 -l 1 -singlefile '" + path.string() + "' '" + prefix + "'");
  const std::string image = ReadFile(prefix + ".pgm");
  int width = 0, height = 0, maximum = 0, header = 0;
  if (std::sscanf(image.c_str(), "P5 %d %d %d%n", &width, &height, &maximum, &header) != 3 || width <= 0 ||
      height <= 0 || image.size() < static_cast<size_t>(header + 1 + width * height)) {
    return -1.0;
  }
  const auto* pixels = reinterpret_cast<const unsigned char*>(image.data() + header + 1);
  const int first = static_cast<int>(row_begin * height), last = static_cast<int>(row_end * height);
  size_t dark = 0, all = 0;
  for (int row = first; row < last; ++row) {
    for (int column = 0; column < width; ++column, ++all) dark += pixels[row * width + column] < 160 ? 1 : 0;
  }
  return all == 0 ? 0.0 : static_cast<double>(dark) / static_cast<double>(all);
}

}  // namespace cartera::pdf::testing
