// What every command needs: the open database, the tenant, the clock, the
// language and whether to print progress.
#pragma once

#include <iostream>
#include <memory>
#include <string>

#include "core/clock.h"
#include "report/output.h"
#include "store/audit.h"
#include "store/database.h"
#include "store/migrations.h"

namespace cartera {

struct GlobalOptions {
  std::string database_url = "cartera.db";
  bool quiet = false;
  std::string language;  // "es" | "en"; empty: from the environment
  // Only `init`, `demo` and `import` create a missing SQLite file; every
  // other command refuses to run against a database that does not exist.
  bool may_create_database = false;
  // --tenant / CARTERA_TENANT: an id ("2") or a slug ("empresa-b"); empty
  // for tenant 1 ('default').
  std::string tenant;
  // `init` and `tenant create|list` act on the installation, not on one
  // tenant: they do not resolve --tenant (an unknown one is no error there).
  bool acts_for_tenant = true;
};

class CommandContext {
 public:
  // Opens the database, applies migrations and resolves the tenant. A SQLite
  // file that does not exist is created only when
  // options.may_create_database (kBadInput else); a --tenant that names no
  // tenant is kBadInput, naming it.
  static Result<CommandContext> Open(const GlobalOptions& options);

  Database& database() { return *database_; }
  // The tenant every command acts for: --tenant, CARTERA_TENANT, else
  // kDefaultTenantId.
  int64_t tenant_id() const { return tenant_id_; }
  // Its IANA time zone: where "today" is for the tenant as a whole.
  const std::string& tenant_time_zone() const { return tenant_time_zone_; }
  const Clock& clock() const { return *clock_; }
  Language language() const { return language_; }
  // Progress lines go to stderr only on a terminal and without --quiet.
  bool show_progress() const { return show_progress_; }
  bool quiet() const { return quiet_; }
  AuditContext Audit(std::string source) const;

 private:
  std::unique_ptr<Database> database_;
  std::unique_ptr<Clock> clock_;
  int64_t tenant_id_ = kDefaultTenantId;
  std::string tenant_time_zone_ = "America/Bogota";  // the default tenant's, until Open reads it
  Language language_ = Language::kSpanish;
  bool show_progress_ = false;
  bool quiet_ = false;
};

// Prints an error the way every command does and returns its exit code.
int ReportError(const Error& error);

// "\r  150.000 filas (75.000/s)" on stderr, throttled; Finish() ends the line.
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::string unit);
  void Update(int64_t count);
  void Finish();

 private:
  bool enabled_;
  std::string unit_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool printed_ = false;
};

}  // namespace cartera
