#include "core/time_zone.h"

#include <string>

#include <gtest/gtest.h>

namespace cartera {
namespace {

Timestamp Utc(std::string_view text) {
  auto at = ParseUtc(text);
  EXPECT_TRUE(at.has_value()) << text << ": " << (at ? std::string() : at.error().message);
  return at ? *at : Timestamp();
}

TEST(TimeZoneTest, IsKnownTimeZone) {
  EXPECT_TRUE(IsKnownTimeZone("America/Bogota"));
  EXPECT_TRUE(IsKnownTimeZone("Europe/Madrid"));
  EXPECT_TRUE(IsKnownTimeZone("America/Mexico_City"));
  EXPECT_TRUE(IsKnownTimeZone("UTC"));
  EXPECT_FALSE(IsKnownTimeZone("America/Nowhere"));
  EXPECT_FALSE(IsKnownTimeZone("america/bogota"));
  EXPECT_FALSE(IsKnownTimeZone(""));
  // Cached answers stay the same on repeated lookups.
  EXPECT_TRUE(IsKnownTimeZone("America/Bogota"));
  EXPECT_FALSE(IsKnownTimeZone("America/Nowhere"));
}

TEST(TimeZoneTest, EveryDefaultCountryZoneIsKnown) {
  for (std::string_view country :
       {"AR", "AT", "AU", "BE", "BO", "BR", "CA", "CH", "CL", "CN", "CO", "CR", "CU", "DE", "DK", "DO", "EC", "ES",
        "FI", "FR", "GB", "GT", "HN", "IE", "IN", "IT", "JP", "MX", "NI", "NL", "NO", "PA", "PE", "PL", "PR", "PT",
        "PY", "SE", "SV", "US", "UY", "VE"}) {
    auto zone = DefaultTimeZoneForCountry(country);
    ASSERT_TRUE(zone.has_value()) << country;
    EXPECT_TRUE(IsKnownTimeZone(*zone)) << country << " -> " << *zone;
    EXPECT_TRUE(IsCountryCode(country)) << country;
  }
}

TEST(TimeZoneTest, DateIn) {
  const Timestamp at = Utc("2026-11-22T03:00:00Z");
  EXPECT_EQ(DateIn("America/Bogota", at).ToIso(), "2026-11-21");  // 22:00 the day before (UTC-5)
  EXPECT_EQ(DateIn("Europe/Madrid", at).ToIso(), "2026-11-22");   // 04:00 (UTC+1)
  EXPECT_EQ(DateIn("UTC", at).ToIso(), "2026-11-22");
  // Bogota has no DST: midnight local is 05:00Z.
  EXPECT_EQ(DateIn("America/Bogota", Utc("2026-11-22T04:59:59Z")).ToIso(), "2026-11-21");
  EXPECT_EQ(DateIn("America/Bogota", Utc("2026-11-22T05:00:00Z")).ToIso(), "2026-11-22");
  // Madrid in summer is UTC+2: 22:30Z on 30 June is 00:30 on 1 July.
  EXPECT_EQ(DateIn("Europe/Madrid", Utc("2026-06-30T22:30:00Z")).ToIso(), "2026-07-01");
  EXPECT_EQ(DateIn("Europe/Madrid", Utc("2026-06-30T21:59:59Z")).ToIso(), "2026-06-30");
  // Ahead of UTC across a year boundary.
  EXPECT_EQ(DateIn("Asia/Tokyo", Utc("2025-12-31T15:00:00Z")).ToIso(), "2026-01-01");
  // Before 1970 (negative seconds) floors to the right day.
  EXPECT_EQ(DateIn("America/Bogota", Utc("1969-12-31T12:00:00Z")).ToIso(), "1969-12-31");
  EXPECT_EQ(DateIn("America/Bogota", Utc("1970-01-01T03:00:00Z")).ToIso(), "1969-12-31");
}

TEST(TimeZoneTest, FormatAndParseUtcRoundTrip) {
  for (std::string_view text : {"2026-11-22T06:10:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
                                "1969-12-31T23:59:59Z", "2199-12-31T12:00:00Z"}) {
    EXPECT_EQ(FormatUtc(Utc(text)), text);
  }
  const Timestamp at = Utc("1970-01-01T00:01:05Z");
  EXPECT_EQ(at.time_since_epoch().count(), 65);
  const Timestamp later = at + std::chrono::hours(24 * 365);
  EXPECT_EQ(ParseUtc(FormatUtc(later)).value(), later);
}

TEST(TimeZoneTest, ParseUtcRejectsBadInput) {
  for (std::string_view text : {"", "not a timestamp", "2026-11-22", "2026-11-22 06:10:00", "2026-11-22T06:10:00",
                                "2026-13-22T06:10:00Z", "2026-11-22T25:10:00Z", "22/11/2026T06:10:00Z",
                                "2026-02-30T06:10:00Z", "2026-11-22T06:10:60Z", "2026-11-22T06:10:00.5Z",
                                " 2026-11-22T06:10:00Z", "2026-11-22T06:10:00z", "2026-11-22T06:10:00Zjunk",
                                "2026-11-22T06:10:00Z ", "2026-11-22T06:10:00Z-05:00"}) {
    auto at = ParseUtc(text);
    ASSERT_FALSE(at.has_value()) << "'" << text << "' parsed as " << FormatUtc(*at);
    EXPECT_EQ(at.error().code, ErrorCode::kBadInput);
    EXPECT_NE(at.error().message.find("'" + std::string(text) + "'"), std::string::npos) << at.error().message;
  }
}

TEST(TimeZoneTest, FormatLocalTime) {
  const Timestamp at = Utc("2026-11-22T06:10:00Z");
  EXPECT_EQ(FormatLocalTime("America/Bogota", at), "2026-11-22 01:10 -05");
  EXPECT_EQ(FormatLocalTime("Europe/Madrid", at), "2026-11-22 07:10 CET");
  EXPECT_EQ(FormatLocalTime("America/Nowhere", at), "2026-11-22 06:10 UTC");
}

TEST(TimeZoneTest, IsCountryCode) {
  EXPECT_TRUE(IsCountryCode("CO"));
  EXPECT_TRUE(IsCountryCode("ES"));
  EXPECT_TRUE(IsCountryCode("MX"));
  EXPECT_TRUE(IsCountryCode("AD"));  // first in the list
  EXPECT_TRUE(IsCountryCode("ZW"));  // last in the list
  EXPECT_FALSE(IsCountryCode("co"));
  EXPECT_FALSE(IsCountryCode("Co"));
  EXPECT_FALSE(IsCountryCode("XX"));
  EXPECT_FALSE(IsCountryCode(""));
  EXPECT_FALSE(IsCountryCode("C"));
  EXPECT_FALSE(IsCountryCode("COL"));
  EXPECT_FALSE(IsCountryCode("D "));  // must not match across the list's spaces
  EXPECT_FALSE(IsCountryCode(" A"));
  EXPECT_FALSE(IsCountryCode("DA"));
}

TEST(TimeZoneTest, DefaultTimeZoneForCountry) {
  EXPECT_EQ(DefaultTimeZoneForCountry("CO"), std::optional<std::string_view>("America/Bogota"));
  EXPECT_EQ(DefaultTimeZoneForCountry("MX"), std::optional<std::string_view>("America/Mexico_City"));
  EXPECT_EQ(DefaultTimeZoneForCountry("ES"), std::optional<std::string_view>("Europe/Madrid"));
  EXPECT_EQ(DefaultTimeZoneForCountry("AR"), std::optional<std::string_view>("America/Argentina/Buenos_Aires"));
  EXPECT_EQ(DefaultTimeZoneForCountry("VE"), std::optional<std::string_view>("America/Caracas"));
  EXPECT_FALSE(DefaultTimeZoneForCountry("XX").has_value());
  EXPECT_FALSE(DefaultTimeZoneForCountry("ZW").has_value());  // a country, but not mapped
  EXPECT_FALSE(DefaultTimeZoneForCountry("co").has_value());
  EXPECT_FALSE(DefaultTimeZoneForCountry("").has_value());
  EXPECT_FALSE(DefaultTimeZoneForCountry("AA").has_value());
  EXPECT_FALSE(DefaultTimeZoneForCountry("ZZ").has_value());
}

}  // namespace
}  // namespace cartera
