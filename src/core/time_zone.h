// IANA time zones (from the system tz database through Howard Hinnant's date
// library) and the country facts that depend on them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"

namespace cartera {

// True for a zone name the tz database knows ("America/Bogota").
bool IsKnownTimeZone(std::string_view zone);

// The calendar date at `now` in `zone`. REQUIRES: IsKnownTimeZone(zone).
Date DateIn(std::string_view zone, Timestamp now);

// The instant a local date and time of day (minutes after midnight) fall
// on in `zone`; in a gap (a clock moved forward) the first instant after
// it, in an overlap the earlier one. UTC for an unknown zone.
Timestamp LocalTimeToUtc(std::string_view zone, Date date, int32_t minutes_after_midnight);

// "2026-11-22T06:10:00Z" -> "2026-11-22 01:10 -05" style local rendering.
std::string FormatLocalTime(std::string_view zone, Timestamp at);

// True for an ISO 3166-1 alpha-2 code of a country (upper case).
bool IsCountryCode(std::string_view code);

// The zone of the country's capital or main business centre, used when a
// customer has no time zone of its own. nullopt for a country we have not
// mapped (the caller then asks for an explicit zone).
std::optional<std::string_view> DefaultTimeZoneForCountry(std::string_view country);

}  // namespace cartera

namespace cartera {
// "2026-11-22T06:10:00Z": how timestamps are stored and printed.
std::string FormatUtc(Timestamp at);
// Parses FormatUtc's output.
Result<Timestamp> ParseUtc(std::string_view text);
}  // namespace cartera
