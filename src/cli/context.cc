#include "cli/context.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "core/time_zone.h"
#include "store/migrations.h"

namespace cartera {

Result<CommandContext> CommandContext::Open(const GlobalOptions& options) {
  CommandContext context;
  auto database = Database::Open(options.database_url);
  if (!database) return Fail(database.error());
  if (auto migrated = ApplyMigrations(**database); !migrated) return Fail(migrated.error());
  context.database_ = std::move(*database);
  // CARTERA_NOW fixes the clock (tests, reproducible demos).
  if (const char* now = std::getenv("CARTERA_NOW"); now != nullptr && *now != '\0') {
    auto fixed = ParseUtc(now);
    if (!fixed) return Fail(Error::BadInput(fmt::format("CARTERA_NOW: {}", fixed.error().message)));
    context.clock_ = std::make_unique<FixedClock>(*fixed);
  } else {
    context.clock_ = std::make_unique<SystemClock>();
  }
  if (options.language == "en") {
    context.language_ = Language::kEnglish;
  } else if (options.language == "es") {
    context.language_ = Language::kSpanish;
  } else {
    context.language_ = LanguageFromEnvironment();
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
  return AuditContext{fmt::format("cli:{}", user), FormatUtc(clock_->Now()), std::move(source)};
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
