#include "core/time_zone.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>

#include <date/tz.h>
#include <fmt/format.h>

namespace cartera {
namespace {

// locate_zone is a search in a sorted vector; the cache makes repeated
// lookups of the same few zones (millions of customers, dozens of zones) cheap.
const date::time_zone* FindZone(std::string_view zone) {
  static std::mutex mutex;
  static std::unordered_map<std::string, const date::time_zone*> cache;
  std::lock_guard lock(mutex);
  std::string key(zone);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  const date::time_zone* found = nullptr;
  try {
    found = date::locate_zone(key);
  } catch (const std::exception&) {
    found = nullptr;
  }
  cache.emplace(std::move(key), found);
  return found;
}

constexpr std::string_view kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO "
    "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE "
    "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO "
    "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW "
    "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM "
    "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

struct CountryZone {
  std::string_view country;
  std::string_view zone;
};

// Sorted by country. Where a country spans zones, the capital's.
constexpr std::array kCountryZones = std::to_array<CountryZone>({
    {"AR", "America/Argentina/Buenos_Aires"}, {"AT", "Europe/Vienna"}, {"AU", "Australia/Sydney"},
    {"BE", "Europe/Brussels"}, {"BO", "America/La_Paz"}, {"BR", "America/Sao_Paulo"}, {"CA", "America/Toronto"},
    {"CH", "Europe/Zurich"}, {"CL", "America/Santiago"}, {"CN", "Asia/Shanghai"}, {"CO", "America/Bogota"},
    {"CR", "America/Costa_Rica"}, {"CU", "America/Havana"}, {"DE", "Europe/Berlin"}, {"DK", "Europe/Copenhagen"},
    {"DO", "America/Santo_Domingo"}, {"EC", "America/Guayaquil"}, {"ES", "Europe/Madrid"},
    {"FI", "Europe/Helsinki"}, {"FR", "Europe/Paris"}, {"GB", "Europe/London"}, {"GT", "America/Guatemala"},
    {"HN", "America/Tegucigalpa"}, {"IE", "Europe/Dublin"}, {"IN", "Asia/Kolkata"}, {"IT", "Europe/Rome"},
    {"JP", "Asia/Tokyo"}, {"MX", "America/Mexico_City"}, {"NI", "America/Managua"}, {"NL", "Europe/Amsterdam"},
    {"NO", "Europe/Oslo"}, {"PA", "America/Panama"}, {"PE", "America/Lima"}, {"PL", "Europe/Warsaw"},
    {"PR", "America/Puerto_Rico"}, {"PT", "Europe/Lisbon"}, {"PY", "America/Asuncion"}, {"SE", "Europe/Stockholm"},
    {"SV", "America/El_Salvador"}, {"US", "America/New_York"}, {"UY", "America/Montevideo"},
    {"VE", "America/Caracas"},
});

}  // namespace

bool IsKnownTimeZone(std::string_view zone) { return FindZone(zone) != nullptr; }

Date DateIn(std::string_view zone, Timestamp now) {
  const date::time_zone* tz = FindZone(zone);
  auto local = tz->to_local(now);
  auto local_days = std::chrono::floor<std::chrono::days>(local.time_since_epoch());
  return Date::FromDaysSinceEpoch(static_cast<int32_t>(local_days.count()));
}

// "%F %R %Z" by hand: date::format goes through an ostream and its locale
// facets, which cost more than the rest of a run's decision per customer.
Timestamp LocalTimeToUtc(std::string_view zone, Date date, int32_t minutes_after_midnight) {
  const auto local = date::local_seconds(date::local_days(date::days(date.days_since_epoch()))) +
                     std::chrono::minutes(minutes_after_midnight);
  const date::time_zone* found = FindZone(zone);
  if (found == nullptr) return Timestamp(local.time_since_epoch());
  const date::local_info info = found->get_info(local);
  switch (info.result) {
    case date::local_info::unique: return Timestamp(local.time_since_epoch() - info.first.offset);
    case date::local_info::ambiguous: return Timestamp(local.time_since_epoch() - info.first.offset);
    case date::local_info::nonexistent: return Timestamp(info.second.begin.time_since_epoch());
  }
  return Timestamp(local.time_since_epoch() - info.first.offset);
}

std::string FormatLocalTime(std::string_view zone, Timestamp at) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  std::chrono::seconds offset{0};
  std::string abbreviation = "UTC";
  if (const date::time_zone* tz = FindZone(zone)) {
    date::sys_info info = tz->get_info(seconds);
    offset = info.offset;
    abbreviation = std::move(info.abbrev);
  }
  const auto local = seconds + offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const date::year_month_day ymd{date::sys_days(day.time_since_epoch())};
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} {}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), minutes / 60, minutes % 60,
                     abbreviation);
}

bool IsCountryCode(std::string_view code) {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return false;
  for (size_t i = 0; i + 2 <= kCountryCodes.size(); i += 3) {
    if (kCountryCodes.substr(i, 2) == code) return true;
  }
  return false;
}

std::optional<std::string_view> DefaultTimeZoneForCountry(std::string_view country) {
  auto it = std::lower_bound(kCountryZones.begin(), kCountryZones.end(), country,
                             [](const CountryZone& entry, std::string_view key) { return entry.country < key; });
  if (it == kCountryZones.end() || it->country != country) return std::nullopt;
  return it->zone;
}

}  // namespace cartera

namespace cartera {

std::string FormatUtc(Timestamp at) {
  // By hand: date::format builds an ostream per call, and the run formats
  // one timestamp per outbox item.
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const date::year_month_day ymd{date::sys_days(day.time_since_epoch())};
  const auto in_day = (seconds - day).count();
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), in_day / 3600,
                     in_day / 60 % 60, in_day % 60);
}

Result<Timestamp> ParseUtc(std::string_view text) {
  std::istringstream in{std::string(text)};
  Timestamp at;
  in >> date::parse("%FT%TZ", at);
  // Whatever follows the 'Z' is not part of a timestamp: reject it rather than ignore it.
  if (in.fail() || in.peek() != std::istringstream::traits_type::eof()) {
    return Fail(Error::BadInput(fmt::format("'{}' is not a UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)", text)));
  }
  return at;
}

}  // namespace cartera
