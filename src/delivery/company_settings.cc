#include "delivery/company_settings.h"

#include <fmt/format.h>

#include "collection/run.h"
#include "core/time_zone.h"
#include "delivery/channel_settings.h"
#include "pdf/paper.h"

namespace cartera::delivery {

Result<CompanySettings> LoadCompanySettings(Database& database, int64_t tenant_id) {
  auto profile = LoadCompanyProfile(database, tenant_id);
  if (!profile) return Fail(profile.error());
  auto run_minutes = LoadDailyRunMinutes(database, tenant_id);
  if (!run_minutes) return Fail(run_minutes.error());
  auto portal_base_url = LoadPortalBaseUrl(database, tenant_id);
  if (!portal_base_url) return Fail(portal_base_url.error());
  CompanySettings settings;
  settings.portal_base_url = std::move(*portal_base_url);
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
  }
  if (change.portal_base_url && !IsPortalBaseUrl(*change.portal_base_url)) {
    return Fail(Error::BadInput(TrFormat(audit.language,
                                         "'{}' no es una URL http(s) sin consulta ni fragmento "
                                         "(p. ej. https://cobros.empresa.co)",
                                         "'{}' is not an http(s) URL without query or fragment "
                                         "(e.g. https://cobros.empresa.co)",
                                         *change.portal_base_url)));
  }
  if (change.daily_run_time) {
    if (auto ok = SetDailyRunTime(database, tenant_id, *change.daily_run_time, audit); !ok) return Fail(ok.error());
  }
  auto profile = UpdateCompanyProfile(database, tenant_id, change.profile, audit);
  if (!profile) return Fail(profile.error());
  if (change.portal_base_url) {
    auto before = LoadPortalBaseUrl(database, tenant_id);
    if (!before) return Fail(before.error());
    std::string after = *change.portal_base_url;
    while (after.ends_with('/')) after.pop_back();
    if (after != *before) {
      auto now = ParseUtc(audit.at);
      if (!now) return Fail(now.error());
      const nlohmann::json before_json = {{"channel", "portal"}, {"base_url", *before}};
      const nlohmann::json after_json = {{"channel", "portal"}, {"base_url", after}};
      auto saved = SavePortalBaseUrl(database, tenant_id, after, *now, [&](Database& in_transaction) {
        return WriteAudit(in_transaction, tenant_id, audit, "channel", 0, "update", before_json.dump(),
                          after_json.dump());
      });
      if (!saved) return Fail(saved.error());
    }
  }
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
          {"daily_run_time", settings.daily_run_time},
          {"portal_base_url", settings.portal_base_url}};
}

}  // namespace cartera::delivery
