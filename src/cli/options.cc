#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "pdf/customer_documents.h"

namespace cartera {

Result<OutputFormat> ParseFormat(const std::string& text, bool allow_csv) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  if (text == "csv" && allow_csv) return OutputFormat::kCsv;
  return Fail(Error::BadInput(TrFormat(CliLanguage(), "--format '{}': use {}", "--format '{}': use {}", text,
                                       allow_csv ? Tr(CliLanguage(), "table, json o csv", "table, json or csv")
                                                 : Tr(CliLanguage(), "table o json", "table or json"))));
}

Result<std::optional<Date>> ParseOptionalDate(const std::string& text, std::string_view option) {
  if (text.empty()) return std::optional<Date>();
  auto date = Date::ParseIso(text);
  if (!date) return Fail(Error::BadInput(fmt::format("{}: {}", option, date.error().message)));
  return std::optional<Date>(*date);
}

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Error::BadInput(TrFormat(CliLanguage(), "no se puede leer '{}'", "cannot read '{}'", path)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ProgramForHints() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "cartera";
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::string_view rest(path);
    while (true) {
      const size_t colon = rest.find(':');
      const std::filesystem::path candidate = std::filesystem::path(rest.substr(0, colon)) / "cartera";
      if (std::filesystem::equivalent(candidate, self, error) && !error) return "cartera";
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  return ShellQuoted(self.string());
}

std::string ShellQuoted(std::string_view text) {
  const bool plain = !text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789_-./:=@%+,") == std::string_view::npos;
  if (plain) return std::string(text);
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string RedactedDatabaseUrl(const std::string& url) {
  // A plain file path is made absolute, so the hint works from any directory.
  if (url.find(':') == std::string::npos && !url.empty()) {
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(url, error);
    return error ? url : absolute.lexically_normal().string();
  }
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

Status RequireCustomer(CommandContext& context, const std::string& customer_external_id) {
  auto found = pdf::FindCustomerId(context.database(), context.tenant_id(), customer_external_id);
  if (found) return {};
  if (found.error().code != ErrorCode::kNotFound) return Fail(found.error());
  return Fail(Error::NotFound(TrFormat(context.language(), "no hay un cliente con el id externo '{}'",
                                       "no customer with external id '{}'", customer_external_id)));
}

}  // namespace cartera
