// Tenants: the businesses one Cartera installation keeps apart. Every row of
// the ledger carries its tenant's id; this module creates, lists and finds
// the tenants themselves. Tenant 1 ('default') always exists (migration 1).
// One JSON shape (TenantJson) for the CLI and the HTTP API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct Tenant {
  int64_t id = 0;
  std::string slug;            // "distribuidora-andina": how people name it (`--tenant`)
  std::string name;            // the company's name, as messages and letters print it
  std::string country;         // ISO 3166-1 alpha-2: "CO"
  std::string currency;        // ISO 4217: "COP"
  std::string time_zone;       // IANA: "America/Bogota"
  std::string daily_run_time;  // "08:00", local time (collection/run.h)
  std::string created_at;      // FormatUtc
};

struct NewTenant {
  std::string name;
  // Empty: derived from the name (lower case, accents dropped, words
  // joined by '-': "Distribuidora Andina S.A.S." -> "distribuidora-andina-s-a-s").
  std::string slug;
  std::string country;   // ISO 3166-1 alpha-2, upper case
  std::string currency;  // ISO 4217, upper case
  // Empty: the country's main zone (DefaultTimeZoneForCountry), when known.
  std::string time_zone;
};

inline constexpr size_t kTenantNameBytesMax = 200;
inline constexpr size_t kTenantSlugBytesMax = 63;

// The slug a name gives (see NewTenant::slug); may be empty for a name
// without any ASCII letter or digit.
std::string SlugFromName(std::string_view name);

// Creates the tenant with one audit row (entity "tenant", action "create",
// under the new tenant's id). Errors are worded in audit.language:
// kBadInput for an empty or too long name, a slug that is not
// [a-z0-9]+(-[a-z0-9]+)* (at most kTenantSlugBytesMax, not all digits: a
// number names a tenant by id), a country that is not ISO 3166-1 alpha-2,
// a currency that is not an active ISO 4217 code, or a time zone the tz
// database does not know; kConflict when the slug is taken.
Result<Tenant> CreateTenant(Database& database, const NewTenant& tenant, const AuditContext& audit);

// Every tenant, by id.
Result<std::vector<Tenant>> ListTenants(Database& database);

// The tenant with that id ("2") or slug ("distribuidora-andina", any
// case). kNotFound, worded in `language`, naming what was asked for.
Result<Tenant> FindTenant(Database& database, std::string_view id_or_slug, Language language);

// {"id", "slug", "name", "country", "currency", "time_zone",
//  "daily_run_time", "created_at"}: the record's one JSON shape.
nlohmann::json TenantJson(const Tenant& tenant);

}  // namespace cartera
