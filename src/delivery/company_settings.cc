#include "delivery/company_settings.h"

#include <fmt/format.h>

#include "collection/run.h"
#include "pdf/paper.h"

namespace cartera::delivery {

Result<CompanySettings> LoadCompanySettings(Database& database, int64_t tenant_id) {
  auto profile = LoadCompanyProfile(database, tenant_id);
  if (!profile) return Fail(profile.error());
  auto run_minutes = LoadDailyRunMinutes(database, tenant_id);
  if (!run_minutes) return Fail(run_minutes.error());
  CompanySettings settings;
  settings.default_paper = std::string(pdf::PaperName(pdf::DefaultPaperFor(profile->country)));
  settings.daily_run_time = fmt::format("{:02}:{:02}", *run_minutes / 60, *run_minutes % 60);
  settings.profile = std::move(*profile);
  return settings;
}

Result<CompanySettings> UpdateCompanySettings(Database& database, int64_t tenant_id,
                                              const CompanySettingsChange& change, const AuditContext& audit) {
  if (change.daily_run_time) {
    if (auto parsed = ParseRunTime(*change.daily_run_time); !parsed) {
      return Fail(Error::BadInput(TrFormat(audit.language, "'{}' no es una hora del día (HH:MM, 00:00-23:59)",
                                           "'{}' is not a time of day (HH:MM, 00:00-23:59)", *change.daily_run_time)));
    }
    if (auto ok = SetDailyRunTime(database, tenant_id, *change.daily_run_time, audit); !ok) return Fail(ok.error());
  }
  auto profile = UpdateCompanyProfile(database, tenant_id, change.profile, audit);
  if (!profile) return Fail(profile.error());
  return LoadCompanySettings(database, tenant_id);
}

nlohmann::json CompanySettingsJson(const CompanySettings& settings) {
  const CompanyProfile& profile = settings.profile;
  return {{"name", profile.name},
          {"country", profile.country},
          {"tax_id", profile.tax_id},
          {"address", profile.address},
          {"city", profile.city},
          {"phone", profile.phone},
          {"email", profile.email},
          {"payment_instructions", profile.payment_instructions},
          {"collector_name", profile.collector_name},
          {"default_paper", settings.default_paper},
          {"daily_run_time", settings.daily_run_time}};
}

}  // namespace cartera::delivery
