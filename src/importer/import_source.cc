#include "importer/import_source.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace cartera {

Result<ImportSource> OpenImportSource(const EntitySpec& spec, const ImportOptions& options) {
  auto reader = options.content
                    ? Result<CsvReader>(CsvReader::FromString(*options.content, options.delimiter, 0, options.path,
                                                              options.language))
                    : CsvReader::OpenFile(options.path, options.delimiter, CsvReader::kDefaultBlockSize,
                                          options.language);
  if (!reader) return Fail(reader.error());
  CsvRow row;
  auto has_header = reader->Next(row);
  if (!has_header) return Fail(has_header.error());
  if (!*has_header) {
    return Fail(Error::BadInput(TrFormat(options.language, "{}: el archivo está vacío (no tiene encabezado)",
                                         "{}: the file is empty (no header row)", options.path)));
  }
  std::vector<std::string> header(row.fields.begin(), row.fields.end());
  auto parser = RowParser::Create(spec, header, options);
  if (!parser) return Fail(parser.error());
  return ImportSource{std::move(*reader), std::move(*parser)};
}

Status LoadCustomerIds(Database& database, int64_t tenant_id, RowParser& parser) {
  if (!parser.needs_customers()) return {};
  RowParser::CustomerIds customers;
  auto read = database.ReadAll(fmt::format("SELECT external_id, id FROM customers WHERE tenant_id = {}", tenant_id),
                               [&](const Database::RowValues& row) -> Status {
                                 int64_t id = 0;
                                 const std::string_view text = row[1].value_or("");
                                 if (std::from_chars(text.data(), text.data() + text.size(), id).ec != std::errc()) {
                                   return Fail(Error::Internal(fmt::format("customer id '{}' is not a number", text)));
                                 }
                                 customers.emplace(row[0].value_or(""), id);
                                 return {};
                               });
  if (!read) return read;
  parser.SetCustomers(std::move(customers));
  return {};
}

void AddErrorsToReport(RowErrors& errors, const ImportOptions& options, ImportReport& report) {
  std::stable_sort(errors.items.begin(), errors.items.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  report.error_count = errors.total;
  report.bad_rows = errors.BadLines();
  for (auto& [line, message] : errors.items) {
    if (report.errors.size() >= options.errors_kept_max) break;
    ImportReport::RowError parts{line, "", message};
    // Row errors that name a field start "field 'x': " in either language.
    for (std::string_view prefix : {std::string_view("field '"), std::string_view("campo '")}) {
      if (line == 0 || !message.starts_with(prefix)) continue;
      const size_t close = message.find("': ", prefix.size());
      if (close == std::string::npos) continue;
      parts.field = message.substr(prefix.size(), close - prefix.size());
      parts.problem = message.substr(close + 3);
    }
    report.row_errors.push_back(std::move(parts));
    // Structural errors from the reader already name file and line.
    report.errors.push_back(line == 0 ? std::move(message) : fmt::format("{}:{}: {}", options.path, line, message));
  }
}

}  // namespace cartera
