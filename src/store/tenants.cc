#include "store/tenants.h"

#include <fmt/format.h>

#include <charconv>

#include "core/currency.h"
#include "core/text_check.h"
#include "core/time_zone.h"

namespace cartera {
namespace {

constexpr const char* kTenantColumns = "id, slug, name, country, currency, time_zone, daily_run_time, created_at";

Tenant ReadTenant(const Statement& row) {
  Tenant tenant;
  tenant.id = row.GetInt64(0);
  tenant.slug = row.GetText(1);
  tenant.name = row.GetText(2);
  tenant.country = row.GetText(3);
  tenant.currency = row.GetText(4);
  tenant.time_zone = row.GetText(5);
  tenant.daily_run_time = row.GetText(6);
  tenant.created_at = row.GetText(7);
  return tenant;
}

bool IsAsciiLetterOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The base letter of a Latin-1 letter written in UTF-8 as 0xC3 `second`
// ("á" is C3 A1 -> "a"), or "" for anything else.
std::string_view BaseLetter(unsigned char second) {
  const unsigned char lower = second >= 0x80 && second <= 0x9E ? static_cast<unsigned char>(second + 0x20) : second;
  if (lower >= 0xA0 && lower <= 0xA5) return "a";
  if (lower == 0xA7) return "c";
  if (lower >= 0xA8 && lower <= 0xAB) return "e";
  if (lower >= 0xAC && lower <= 0xAF) return "i";
  if (lower == 0xB1) return "n";
  if ((lower >= 0xB2 && lower <= 0xB6) || lower == 0xB8) return "o";
  if (lower >= 0xB9 && lower <= 0xBC) return "u";
  if (lower == 0xBD || lower == 0xBF) return "y";
  if (second == 0x9F) return "ss";
  return "";
}

// [a-z0-9]+(-[a-z0-9]+)*, not all digits, at most kTenantSlugBytesMax.
bool IsSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > kTenantSlugBytesMax || slug.front() == '-' || slug.back() == '-') return false;
  bool has_letter = false;
  for (size_t i = 0; i < slug.size(); ++i) {
    const char c = slug[i];
    if (c == '-') {
      if (slug[i - 1] == '-') return false;
      has_letter = true;  // "2-b" is not a number
      continue;
    }
    if (!IsAsciiLetterOrDigit(c)) return false;
    if (c >= 'a' && c <= 'z') has_letter = true;
  }
  return has_letter;
}

Status ValidateName(std::string_view name, Language language) {
  if (name.empty()) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "el nombre de la empresa no puede estar vacío", "the tenant's name cannot be empty"))));
  }
  if (name.size() > kTenantNameBytesMax) {
    return Fail(
        Error::BadInput(TrFormat(language, "el nombre de la empresa tiene {} bytes; como máximo {}",
                                 "the tenant's name is {} bytes long; at most {}", name.size(), kTenantNameBytesMax)));
  }
  if (FindTextProblem(name)) {
    return Fail(Error::BadInput(
        TrFormat(language, "el nombre de la empresa '{}' no es texto UTF-8 válido sin caracteres de control",
                 "the tenant's name '{}' is not valid UTF-8 text without control characters", EscapeForDisplay(name))));
  }
  return {};
}

Result<std::string> ChosenSlug(const NewTenant& tenant, Language language) {
  if (tenant.slug.empty()) {
    std::string slug = SlugFromName(tenant.name);
    if (slug.empty()) {
      return Fail(Error::BadInput(
          TrFormat(language, "no se puede formar un identificador (slug) con el nombre '{}': indique uno con --slug",
                   "cannot make a slug from the name '{}': give one with --slug", EscapeForDisplay(tenant.name))));
    }
    // A name that is a number ("2024") would read as an id: name it apart.
    if (!IsSlug(slug)) slug = "tenant-" + slug;
    if (slug.size() > kTenantSlugBytesMax) slug = SlugFromName(slug.substr(0, kTenantSlugBytesMax));
    return slug;
  }
  if (!IsSlug(tenant.slug)) {
    return Fail(Error::BadInput(
        TrFormat(language,
                 "el slug '{}' no sirve: minúsculas sin tildes, dígitos y guiones entre ellos (como 'empresa-b'), "
                 "no solo dígitos, como máximo {} caracteres",
                 "the slug '{}' is not valid: lower-case letters, digits and hyphens between them (like 'company-b'), "
                 "not only digits, at most {} characters",
                 EscapeForDisplay(tenant.slug), kTenantSlugBytesMax)));
  }
  return tenant.slug;
}

}  // namespace

std::string SlugFromName(std::string_view name) {
  std::string slug;
  bool pending_dash = false;
  auto append = [&](std::string_view letters) {
    if (pending_dash && !slug.empty()) slug += '-';
    pending_dash = false;
    slug += letters;
  };
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = AsciiLower(name[i]);
    if (IsAsciiLetterOrDigit(c)) {
      append(std::string_view(&c, 1));
    } else if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < name.size() &&
               !BaseLetter(static_cast<unsigned char>(name[i + 1])).empty()) {
      append(BaseLetter(static_cast<unsigned char>(name[i + 1])));
      ++i;
    } else {
      pending_dash = true;
    }
  }
  if (slug.size() > kTenantSlugBytesMax) {
    slug.resize(kTenantSlugBytesMax);
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
  }
  return slug;
}

Result<Tenant> CreateTenant(Database& database, const NewTenant& tenant, const AuditContext& audit) {
  const Language language = audit.language;
  if (auto ok = ValidateName(tenant.name, language); !ok) return Fail(ok.error());
  auto slug = ChosenSlug(tenant, language);
  if (!slug) return Fail(slug.error());
  if (!IsCountryCode(tenant.country)) {
    return Fail(Error::BadInput(
        TrFormat(language, "el país '{}' no es un código ISO 3166-1 alfa-2 (dos letras mayúsculas: CO, MX, US)",
                 "the country '{}' is not an ISO 3166-1 alpha-2 code (two capital letters: CO, MX, US)",
                 EscapeForDisplay(tenant.country))));
  }
  if (!Currency::FromCode(tenant.currency)) {
    return Fail(
        Error::BadInput(TrFormat(language,
                                 "la moneda '{}' no es un código ISO 4217 vigente (tres letras mayúsculas: COP, "
                                 "USD, MXN)",
                                 "the currency '{}' is not an active ISO 4217 code (three capital letters: COP, "
                                 "USD, MXN)",
                                 EscapeForDisplay(tenant.currency))));
  }
  std::string time_zone = tenant.time_zone;
  if (time_zone.empty()) {
    auto zone = DefaultTimeZoneForCountry(tenant.country);
    if (!zone) {
      return Fail(Error::BadInput(
          TrFormat(language, "indique la zona horaria de la empresa (--time-zone): {} tiene varias",
                   "give the tenant's time zone (--time-zone): {} has no single default", tenant.country)));
    }
    time_zone = *zone;
  } else if (!IsKnownTimeZone(time_zone)) {
    return Fail(Error::BadInput(TrFormat(language,
                                         "la zona horaria '{}' no existe en la base de datos de zonas IANA (como "
                                         "America/Bogota)",
                                         "the time zone '{}' is not in the IANA time zone database (like "
                                         "America/Bogota)",
                                         EscapeForDisplay(time_zone))));
  }

  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  // ON CONFLICT: two processes creating the same slug cannot both succeed,
  // and the loser gets a kConflict rather than a database error.
  auto insert = database.Prepare(
      "INSERT INTO tenants (slug, name, country, currency, time_zone, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING");
  if (!insert) return Fail(insert.error());
  (*insert)->BindText(1, *slug);
  (*insert)->BindText(2, tenant.name);
  (*insert)->BindText(3, tenant.country);
  (*insert)->BindText(4, tenant.currency);
  (*insert)->BindText(5, time_zone);
  (*insert)->BindText(6, audit.at);
  (*insert)->BindText(7, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  if ((*insert)->ChangedRows() == 0) {
    return Fail(
        Error::Conflict(TrFormat(language, "ya hay una empresa con el slug '{}': elija otro con --slug",
                                 "a tenant with the slug '{}' already exists: choose another with --slug", *slug)));
  }
  insert->reset();
  auto created = FindTenant(database, *slug, language);
  if (!created) return Fail(created.error());
  if (auto ok =
          WriteAudit(database, created->id, audit, "tenant", created->id, "create", "", TenantJson(*created).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *created;
}

Result<std::vector<Tenant>> ListTenants(Database& database) {
  auto query = database.Prepare(fmt::format("SELECT {} FROM tenants ORDER BY id", kTenantColumns));
  if (!query) return Fail(query.error());
  std::vector<Tenant> tenants;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    tenants.push_back(ReadTenant(**query));
  }
  return tenants;
}

Result<Tenant> FindTenant(Database& database, std::string_view id_or_slug, Language language) {
  int64_t id = 0;
  const char* end = id_or_slug.data() + id_or_slug.size();
  const auto parsed = std::from_chars(id_or_slug.data(), end, id);
  const bool by_id = !id_or_slug.empty() && parsed.ec == std::errc() && parsed.ptr == end && id > 0;
  const bool plain_digits = !id_or_slug.empty() && id_or_slug.find_first_not_of("0123456789") == std::string_view::npos;
  std::optional<Tenant> found;
  if (by_id || (!plain_digits && !id_or_slug.empty())) {
    auto query =
        database.Prepare(fmt::format("SELECT {} FROM tenants WHERE {}", kTenantColumns, by_id ? "id = ?" : "slug = ?"));
    if (!query) return Fail(query.error());
    std::string slug;
    if (by_id) {
      (*query)->BindInt64(1, id);
    } else {
      for (const char c : id_or_slug) slug += AsciiLower(c);
      (*query)->BindText(1, slug);
    }
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (*row) found = ReadTenant(**query);
  }
  if (!found) {
    return Fail(Error::NotFound(TrFormat(language,
                                         "no hay una empresa (tenant) con el id o slug '{}'; `cartera tenant list` "
                                         "muestra las que hay",
                                         "no tenant with the id or slug '{}'; `cartera tenant list` shows them",
                                         EscapeForDisplay(id_or_slug))));
  }
  return *found;
}

nlohmann::json TenantJson(const Tenant& tenant) {
  return nlohmann::json{{"id", tenant.id},
                        {"slug", tenant.slug},
                        {"name", tenant.name},
                        {"country", tenant.country},
                        {"currency", tenant.currency},
                        {"time_zone", tenant.time_zone},
                        {"daily_run_time", tenant.daily_run_time},
                        {"created_at", tenant.created_at}};
}

}  // namespace cartera
