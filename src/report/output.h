// Output helpers shared by every command: text tables, CSV, money in JSON,
// and the user's language for titles.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/language.h"

namespace cartera {

enum class OutputFormat { kTable = 1, kJson = 2, kCsv = 3 };
// CARTERA_LANG, else LANG ("es_CO.UTF-8" -> Spanish); Spanish by default.
Language LanguageFromEnvironment();

// {"amount": "1250000.00", "currency": "COP"}: never a binary float.
nlohmann::json MoneyJson(int64_t minor_units, std::string_view currency);

// For tables: grouped digits in the language's convention
// (es: 1.250.000,00; en: 1,250,000.00).
std::string FormatMoneyForTable(int64_t minor_units, std::string_view currency, Language language);

// A text table with right-aligned numeric columns, sized to its content.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers, std::vector<bool> right_aligned = {});
  void AddRow(std::vector<std::string> cells);
  void AddSeparator();
  void Print(std::ostream& out) const;
  size_t row_count() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_aligned_;
  std::vector<std::vector<std::string>> rows_;  // empty row = separator
};

// True for "-12.50", "7", "0.125": a cell a spreadsheet reads as a number.
bool IsPlainNumber(std::string_view text);

// One CSV row (RFC 4180 quoting, formula cells neutralised), through CsvWriter.
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& cells);

// CSV rows through a buffer: one stream write per 64 KiB instead of one per
// field, and no string per cell (a million-line report spent a third of its
// time here). Flushes when destroyed.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  ~CsvWriter() { Flush(); }
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // A text cell, quoted when it needs to be. Against CSV injection (OWASP)
  // a cell that starts with = + - @ tab or CR gets a leading ' so that a
  // spreadsheet shows it as text instead of running it, unless the cell is
  // a plain decimal number ("-12.50"), which no spreadsheet runs.
  void Field(std::string_view value);
  void MinorUnits(int64_t minor_units, int exponent);  // a decimal amount
  void Integer(int64_t value);
  void EndRow();
  void Flush();

 private:
  void StartField();  // the comma before every field but a row's first
  void AppendQuotedIfNeeded(std::string_view value);

  std::ostream& out_;
  std::string buffer_;
  bool at_row_start_ = true;
};

}  // namespace cartera
