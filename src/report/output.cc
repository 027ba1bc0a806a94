#include "report/output.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

#include "core/currency.h"
#include "core/money.h"

namespace cartera {
namespace {

// Display width in code points (UTF-8 continuation bytes do not count), so
// "Compañía" lines up with ASCII names.
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Language LanguageFromEnvironment() {
  for (const char* name : {"CARTERA_LANG", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    std::string_view text(value);
    if (text.starts_with("en")) return Language::kEnglish;
    if (text.starts_with("es")) return Language::kSpanish;
    if (std::string_view(name) == "CARTERA_LANG") break;
  }
  return Language::kSpanish;
}

nlohmann::json MoneyJson(int64_t minor_units, std::string_view currency) {
  auto found = Currency::FromCode(currency);
  return {{"amount", FormatMinorUnits(minor_units, found ? found->exponent() : 2)}, {"currency", currency}};
}

std::string FormatMoneyForTable(int64_t minor_units, std::string_view currency, Language language) {
  auto found = Currency::FromCode(currency);
  std::string plain = FormatMinorUnits(minor_units, found ? found->exponent() : 2);
  const bool negative = plain.starts_with('-');
  if (negative) plain.erase(0, 1);
  const size_t point = plain.find('.');
  std::string integer = plain.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : plain.substr(point + 1);
  const char group = language == Language::kSpanish ? '.' : ',';
  const char decimal = language == Language::kSpanish ? ',' : '.';
  std::string grouped;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) grouped += group;
    grouped += integer[i];
  }
  if (!fraction.empty()) grouped += decimal + fraction;
  return negative ? "-" + grouped : grouped;
}

TextTable::TextTable(std::vector<std::string> headers, std::vector<bool> right_aligned)
    : headers_(std::move(headers)), right_aligned_(std::move(right_aligned)) {
  right_aligned_.resize(headers_.size(), false);
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::AddSeparator() { rows_.emplace_back(); }

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = DisplayWidth(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      const size_t padding = widths[i] - DisplayWidth(cells[i]);
      if (i > 0) line += "  ";
      if (right_aligned_[i]) line.append(padding, ' ');
      line += cells[i];
      if (!right_aligned_[i] && i + 1 < cells.size()) line.append(padding, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  auto print_rule = [&]() {
    size_t total = 0;
    for (size_t width : widths) total += width;
    total += 2 * (widths.empty() ? 0 : widths.size() - 1);
    out << std::string(total, '-') << '\n';
  };
  print_row(headers_);
  print_rule();
  for (const auto& row : rows_) {
    if (row.empty()) {
      print_rule();
    } else {
      print_row(row);
    }
  }
}

void WriteCsvRow(std::ostream& out, const std::vector<std::string>& cells) {
  CsvWriter writer(out);
  for (const std::string& cell : cells) writer.Field(cell);
  writer.EndRow();
}

void CsvWriter::StartField() {
  if (!at_row_start_) buffer_ += ',';
  at_row_start_ = false;
}

bool IsPlainNumber(std::string_view text) {
  if (text.starts_with('-')) text.remove_prefix(1);
  const size_t point = text.find('.');
  const std::string_view integer = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view("0") : text.substr(point + 1);
  auto digits = [](std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(integer) && digits(fraction);
}

static bool NeedsFormulaGuard(std::string_view value) {
  if (value.empty()) return false;
  const char first = value.front();
  if (first != '=' && first != '+' && first != '-' && first != '@' && first != '\t' && first != '\r') return false;
  return !IsPlainNumber(value);  // "-12.50" is an amount, never a formula
}

// RFC 4180: quoted when the value holds a separator, a quote or a line break.
// A text cell a spreadsheet would run as a formula gets a leading ' first.
void CsvWriter::Field(std::string_view value) {
  StartField();
  if (NeedsFormulaGuard(value)) {
    std::string guarded = "'";
    guarded.append(value);
    AppendQuotedIfNeeded(guarded);
    return;
  }
  AppendQuotedIfNeeded(value);
}

void CsvWriter::AppendQuotedIfNeeded(std::string_view value) {
  // A byte table: find_first_of calls memchr once per byte of the value.
  static constexpr auto kQuoted = [] {
    std::array<bool, 256> quoted{};
    for (unsigned char c : std::string_view(",\"\n\r;")) quoted[c] = true;
    return quoted;
  }();
  if (std::none_of(value.begin(), value.end(), [](char c) { return kQuoted[static_cast<unsigned char>(c)]; })) {
    buffer_.append(value);
    return;
  }
  buffer_ += '"';
  for (char c : value) {
    if (c == '"') buffer_ += '"';
    buffer_ += c;
  }
  buffer_ += '"';
}

void CsvWriter::MinorUnits(int64_t minor_units, int exponent) {
  StartField();
  AppendMinorUnits(buffer_, minor_units, exponent);
}

void CsvWriter::Integer(int64_t value) {
  StartField();
  char digits[24];
  buffer_.append(digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, value).ptr - digits));
}

void CsvWriter::EndRow() {
  buffer_ += '\n';
  at_row_start_ = true;
  if (buffer_.size() >= 64 * 1024) Flush();
}

void CsvWriter::Flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

}  // namespace cartera
