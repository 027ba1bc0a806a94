#include "delivery/bounce_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "delivery/delivery_report.h"

namespace cartera::delivery {
namespace {

// The file's bytes, or why they cannot be had.
Result<std::string> ReadMessageFile(const std::filesystem::path& file, Language language) {
  auto problem = [&](std::string_view spanish, std::string_view english) {
    return Fail(Error::BadInput(std::string(Tr(language, spanish, english))));
  };
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(file, error);
  if (error || !std::filesystem::exists(status)) {
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(file, error))) {
      return problem("un enlace a un archivo que no existe", "a link to a file that does not exist");
    }
    return problem("no existe", "does not exist");
  }
  if (!std::filesystem::is_regular_file(status)) return problem("no es un archivo (¿un directorio?)", "not a file (a directory?)");
  std::ifstream in(file, std::ios::binary);
  if (!in) return problem("no se puede abrir para leer", "cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return problem("no se puede leer", "cannot be read");
  return text.str();
}

}  // namespace

Result<std::vector<std::filesystem::path>> BounceFiles(const std::vector<std::string>& paths, Language language) {
  std::vector<std::filesystem::path> files;
  for (const std::string& given : paths) {
    const std::filesystem::path path(given);
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      files.push_back(path);
      continue;
    }
    if (!std::filesystem::is_directory(path / "new", error)) {
      return Fail(Error::BadInput(TrFormat(language, "{}: un directorio, pero no un Maildir (no tiene new/)",
                                           "{}: a directory, but not a Maildir (no new/)", given)));
    }
    const size_t before = files.size();
    for (const char* box : {"new", "cur"}) {
      if (!std::filesystem::is_directory(path / box, error)) continue;
      for (const auto& entry : std::filesystem::directory_iterator(path / box, error)) {
        if (!entry.path().filename().string().starts_with('.')) files.push_back(entry.path());
      }
      if (error) {
        return Fail(Error::BadInput(TrFormat(language, "{}: no se puede listar {}/: {}", "{}: cannot list {}/: {}",
                                             given, box, error.message())));
      }
    }
    std::sort(files.begin() + static_cast<std::ptrdiff_t>(before), files.end());
  }
  return files;
}

Result<std::vector<BounceFileResult>> IngestBounceFiles(Database& database, int64_t tenant_id,
                                                        const std::vector<std::filesystem::path>& files,
                                                        const SecretKey& key, Timestamp now,
                                                        const AuditContext& audit, Language language) {
  std::vector<BounceFileResult> results;
  for (const std::filesystem::path& file : files) {
    BounceFileResult& result = results.emplace_back();
    result.file = file;
    auto raw = ReadMessageFile(file, language);
    if (!raw) {
      result.problem = raw.error().message;
      continue;
    }
    auto report = ParseDeliveryReport(*raw);
    if (!report) {
      result.problem = std::string(Tr(language, "no es un correo", "not an email message"));
      continue;
    }
    AuditContext stamped = audit;
    stamped.source = "bounce " + file.filename().string();
    auto outcomes = IngestDeliveryReport(database, tenant_id, *report, key, now, stamped);
    if (!outcomes) return Fail(outcomes.error());
    result.outcomes = std::move(*outcomes);
  }
  return results;
}

}  // namespace cartera::delivery
