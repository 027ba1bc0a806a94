// The company as the tenant's settings: its profile (store/company_profile.h)
// with the paper letters print on and the daily run time
// (collection/run.h). One JSON shape for `cartera company show --format
// json` and GET /api/v1/company, and one change for `company set` and
// PATCH /api/v1/company.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "store/audit.h"
#include "store/company_profile.h"
#include "store/database.h"

namespace cartera::delivery {

struct CompanySettings {
  CompanyProfile profile;
  std::string default_paper;   // "letter" | "a4": the country's (pdf/paper.h)
  std::string daily_run_time;  // "08:00", local time
  // The public base of payment, portal and unsubscribe links
  // (delivery/channel_settings.h, `channel set-portal`); "" when not set.
  std::string portal_base_url;
};

Result<CompanySettings> LoadCompanySettings(Database& database, int64_t tenant_id);

struct CompanySettingsChange {
  CompanyProfileChange profile;
  std::optional<std::string> daily_run_time;  // "HH:MM"
  std::optional<std::string> portal_base_url;  // delivery::IsPortalBaseUrl
};

// Checks the run time and the portal base URL first (kBadInput for a run
// time that is not HH:MM or a URL that is not an http(s) URL without query
// or fragment), then stores the run time (its own audit row), the profile
// (UpdateCompanyProfile, which may refuse more) and the portal base URL (its
// own audit row, entity "channel": {"channel": "portal", "base_url"}).
Result<CompanySettings> UpdateCompanySettings(Database& database, int64_t tenant_id,
                                              const CompanySettingsChange& change, const AuditContext& audit);

// {"name", "country", "tax_id", "address", "city", "phone", "email",
//  "payment_instructions", "collector_name", "default_paper", "daily_run_time",
//  "portal_base_url"}
nlohmann::json CompanySettingsJson(const CompanySettings& settings);

}  // namespace cartera::delivery
