#include "cli/context.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "core/time_zone.h"
#include "store/migrations.h"
#include "store/tenants.h"

namespace cartera {

namespace {

// The file a SQLite URL names (Database::Open's reading of it), or nullopt
// for PostgreSQL and in-memory databases.
std::optional<std::string> SqliteFile(const std::string& url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return std::nullopt;
  std::string path = url;
  if (path.starts_with("sqlite:")) path = path.substr(7);
  if (path.starts_with("//")) path = path.substr(2);
  if (path.empty() || path == ":memory:") return std::nullopt;
  return path;
}

Language ChosenLanguage(const GlobalOptions& options) {
  if (options.language == "en") return Language::kEnglish;
  if (options.language == "es") return Language::kSpanish;
  return LanguageFromEnvironment();
}

}  // namespace

Result<CommandContext> CommandContext::Open(const GlobalOptions& options) {
  CommandContext context;
  context.language_ = ChosenLanguage(options);
  if (auto file = SqliteFile(options.database_url); file && !options.may_create_database) {
    std::error_code error;
    if (!std::filesystem::exists(*file, error)) {
      return Fail(Error::BadInput(TrFormat(
          context.language_,
          "la base de datos '{}' no existe. Revise --db (o CARTERA_DB), o créela con `cartera --db {} init` "
          "(vacía), `cartera --db {} demo` o `cartera --db {} import ...`",
          "the database '{}' does not exist. Check --db (or CARTERA_DB), or create it with `cartera --db {} init` "
          "(empty), `cartera --db {} demo` or `cartera --db {} import ...`",
          *file, *file, *file, *file)));
    }
  }
  auto database = Database::Open(options.database_url);
  if (!database) return Fail(database.error());
  if (auto migrated = ApplyMigrations(**database); !migrated) return Fail(migrated.error());
  context.database_ = std::move(*database);
  if (options.acts_for_tenant) {
    const std::string named = options.tenant.empty() ? std::to_string(kDefaultTenantId) : options.tenant;
    auto tenant = FindTenant(*context.database_, named, context.language_);
    if (!tenant) {
      if (tenant.error().code != ErrorCode::kNotFound) return Fail(tenant.error());
      // A wrong --tenant is the caller's input (exit 2): say where it came from.
      return Fail(Error::BadInput(TrFormat(context.language_, "--tenant (o CARTERA_TENANT): {}",
                                           "--tenant (or CARTERA_TENANT): {}", tenant.error().message)));
    }
    context.tenant_id_ = tenant->id;
    context.tenant_time_zone_ = tenant->time_zone;
  }
  // CARTERA_NOW fixes the clock (tests, reproducible demos).
  if (const char* now = std::getenv("CARTERA_NOW"); now != nullptr && *now != '\0') {
    auto fixed = ParseUtc(now);
    if (!fixed) return Fail(Error::BadInput(fmt::format("CARTERA_NOW: {}", fixed.error().message)));
    context.clock_ = std::make_unique<FixedClock>(*fixed);
  } else {
    context.clock_ = std::make_unique<SystemClock>();
  }
  context.quiet_ = options.quiet;
  context.show_progress_ = !options.quiet && isatty(STDERR_FILENO) != 0;
  return context;
}

AuditContext CommandContext::Audit(std::string source) const {
  // The operating-system account is who acted; USER may be unset (cron, CI).
  std::string user;
  if (const char* name = std::getenv("USER"); name != nullptr && *name != '\0') {
    user = name;
  } else if (const passwd* entry = getpwuid(getuid()); entry != nullptr) {
    user = entry->pw_name;
  } else {
    user = std::to_string(getuid());
  }
  return AuditContext{fmt::format("cli:{}", user), FormatUtc(clock_->Now()), std::move(source), language()};
}

int ReportError(const Error& error) {
  std::cerr << "cartera: " << error.message << '\n';
  return ExitCodeFor(error);
}

ProgressLine::ProgressLine(bool enabled, std::string unit)
    : enabled_(enabled), unit_(std::move(unit)), start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressLine::Update(int64_t count) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::cerr << fmt::format("\r  {} {} ({:.0f}/s)   ", count, unit_, seconds > 0 ? static_cast<double>(count) / seconds : 0.0)
            << std::flush;
  printed_ = true;
}

void ProgressLine::Finish() {
  if (enabled_ && printed_) std::cerr << "\r" << std::string(60, ' ') << "\r" << std::flush;
}

}  // namespace cartera
