// CsvReader: streams RFC 4180 CSV (UTF-8, comma or semicolon) one record at a
// time. Files are read in blocks, never whole; fields are views into the
// reader's buffer so a million-row import does no per-field allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/language.h"

namespace cartera {

struct CsvRow {
  int64_t line = 0;  // physical line (1-based) where the record starts
  std::vector<std::string_view> fields;
};

class CsvReader {
 public:
  static constexpr size_t kDefaultBlockSize = size_t{1} << 20;
  // A record must fit in this much memory; a larger one is almost always a
  // quote left open, and failing beats reading the rest of the file into RAM.
  static constexpr size_t kMaxRecordBytes = size_t{16} << 20;

  // Opens path and reads the BOM and header line to detect the delimiter
  // (',' or ';', whichever appears more often unquoted; ties give ',').
  // REQUIRES: delimiter, if given, is ASCII and not '"', CR or LF.
  // Its errors are worded in `language`.
  static Result<CsvReader> OpenFile(const std::string& path, std::optional<char> delimiter = std::nullopt,
                                    size_t block_size = kDefaultBlockSize, Language language = Language::kEnglish);
  // Parses content in place. A non-zero block_size instead feeds it to the
  // parser in blocks of that size, exactly like a file (for tests).
  // `source_name` names it in errors, worded in `language`.
  static CsvReader FromString(std::string content, std::optional<char> delimiter = std::nullopt,
                              size_t block_size = 0, std::string source_name = "<string>",
                              Language language = Language::kEnglish);

  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  // Reads the next non-empty record into row; false at end of input. The
  // views stay valid until the next call (also across a move of the reader).
  // Errors name source, line and problem, and are final: later calls repeat
  // the same error, since the parser cannot know where the next record starts.
  Result<bool> Next(CsvRow& row);

  char delimiter() const;
  const std::string& source_name() const;  // the path, or "<string>"

 private:
  struct Impl;
  explicit CsvReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;  // stable address keeps views valid across moves
};

}  // namespace cartera
