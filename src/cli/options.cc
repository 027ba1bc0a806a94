#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"

namespace cartera {

Result<OutputFormat> ParseFormat(const std::string& text, bool allow_csv) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  if (text == "csv" && allow_csv) return OutputFormat::kCsv;
  return Fail(Error::BadInput(fmt::format("--format '{}': use {}", text, allow_csv ? "table, json or csv" : "table or json")));
}

Result<std::optional<Date>> ParseOptionalDate(const std::string& text, std::string_view option) {
  if (text.empty()) return std::optional<Date>();
  auto date = Date::ParseIso(text);
  if (!date) return Fail(Error::BadInput(fmt::format("{}: {}", option, date.error().message)));
  return std::optional<Date>(*date);
}

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Error::BadInput(fmt::format("cannot read '{}'", path)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cartera
