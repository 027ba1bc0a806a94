#include "core/date.h"

#include <string>

#include <gtest/gtest.h>

namespace cartera {
namespace {

// The text between single quotes, as error messages quote input. Built by
// appending: GCC 12 at -O3 reports a false -Wrestrict on
// `"'" + std::string(text) + "'"` (GCC bug 105329), which broke Release
// builds with -Werror.
std::string Quoted(std::string_view text) {
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.push_back('\'');
  quoted.append(text);
  quoted.push_back('\'');
  return quoted;
}

Date Iso(std::string_view text) {
  auto date = Date::ParseIso(text);
  EXPECT_TRUE(date.has_value()) << text << ": " << (date ? std::string() : date.error().message);
  return date ? *date : Date();
}

void ExpectIsoError(std::string_view text) {
  auto date = Date::ParseIso(text);
  ASSERT_FALSE(date.has_value()) << "'" << text << "' parsed as " << date->ToIso();
  EXPECT_EQ(date.error().code, ErrorCode::kBadInput);
  EXPECT_NE(date.error().message.find(Quoted(text)), std::string::npos) << date.error().message;
}

void ExpectDmyError(std::string_view text) {
  auto date = Date::ParseDayMonthYear(text);
  ASSERT_FALSE(date.has_value()) << "'" << text << "' parsed as " << date->ToIso();
  EXPECT_EQ(date.error().code, ErrorCode::kBadInput);
  EXPECT_NE(date.error().message.find(Quoted(text)), std::string::npos) << date.error().message;
}

TEST(DateTest, DefaultIsEpoch) {
  EXPECT_EQ(Date().ToIso(), "1970-01-01");
  EXPECT_EQ(Date().days_since_epoch(), 0);
  EXPECT_EQ(Date::FromDaysSinceEpoch(1).ToIso(), "1970-01-02");
  EXPECT_EQ(Date::FromDaysSinceEpoch(-1).ToIso(), "1969-12-31");
}

TEST(DateTest, ParseIsoValid) {
  const Date date = Iso("2025-02-28");
  EXPECT_EQ(date.year(), 2025);
  EXPECT_EQ(date.month(), 2u);
  EXPECT_EQ(date.day(), 28u);
  EXPECT_EQ(date, Date::FromYmd(2025, 2, 28));
  EXPECT_EQ(Iso("2024-02-29"), Date::FromYmd(2024, 2, 29));  // leap year
  EXPECT_EQ(Iso("2000-02-29"), Date::FromYmd(2000, 2, 29));  // divisible by 400
  EXPECT_EQ(Iso("2025-12-31"), Date::FromYmd(2025, 12, 31));
  EXPECT_EQ(Iso("2025-01-01"), Date::FromYmd(2025, 1, 1));
  EXPECT_EQ(Iso("1970-01-01").days_since_epoch(), 0);
  // Year range 1900..2199 inclusive.
  EXPECT_EQ(Iso("1900-01-01"), Date::FromYmd(1900, 1, 1));
  EXPECT_EQ(Iso("2199-12-31"), Date::FromYmd(2199, 12, 31));
}

TEST(DateTest, ParseIsoRejectsImpossibleDates) {
  ExpectIsoError("2025-02-30");
  ExpectIsoError("2025-02-29");
  ExpectIsoError("2023-02-29");
  ExpectIsoError("1900-02-29");  // not a leap year
  ExpectIsoError("2100-02-29");
  ExpectIsoError("2025-04-31");
  ExpectIsoError("2025-13-01");
  ExpectIsoError("2025-00-10");
  ExpectIsoError("2025-01-00");
  ExpectIsoError("2025-01-32");
}

TEST(DateTest, ParseIsoRejectsWrongShapes) {
  ExpectIsoError("2025-1-05");
  ExpectIsoError("2025-01-5");
  ExpectIsoError("2025/01/05");
  ExpectIsoError("05/01/2025");
  ExpectIsoError("20250105");
  ExpectIsoError("");
  ExpectIsoError("2025-01-05 ");
  ExpectIsoError(" 2025-01-05");
  ExpectIsoError("2025-01-05T00:00:00");
  ExpectIsoError("2025-0a-05");
  ExpectIsoError("+025-01-05");
  ExpectIsoError("2025-+1-05");
  ExpectIsoError("2025--1-05");
  ExpectIsoError("abcd-ef-gh");
}

TEST(DateTest, ParseIsoRejectsYearsOutOfRange) {
  ExpectIsoError("1899-12-31");
  ExpectIsoError("2200-01-01");
  ExpectIsoError("0000-01-01");
  ExpectIsoError("9999-12-31");
  auto date = Date::ParseIso("1899-12-31");
  ASSERT_FALSE(date.has_value());
  EXPECT_NE(date.error().message.find("1900-2199"), std::string::npos) << date.error().message;
}

TEST(DateTest, ParseDayMonthYear) {
  auto date = Date::ParseDayMonthYear("28/02/2025");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, Date::FromYmd(2025, 2, 28));
  // One- or two-digit day and month are accepted.
  date = Date::ParseDayMonthYear("5/1/2025");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, Date::FromYmd(2025, 1, 5));
  date = Date::ParseDayMonthYear("05/01/2025");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, Date::FromYmd(2025, 1, 5));
  date = Date::ParseDayMonthYear("29/2/2024");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, Date::FromYmd(2024, 2, 29));
  date = Date::ParseDayMonthYear("31/12/2199");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, Date::FromYmd(2199, 12, 31));
}

TEST(DateTest, ParseDayMonthYearRejects) {
  ExpectDmyError("30/02/2025");
  ExpectDmyError("29/02/2023");
  ExpectDmyError("02/28/2025");   // month first
  ExpectDmyError("2025-02-28");
  ExpectDmyError("28/02/25");     // two-digit year
  ExpectDmyError("28/02/02025");
  ExpectDmyError("028/02/2025");  // three-digit day
  ExpectDmyError("28/002/2025");
  ExpectDmyError("28/02");
  ExpectDmyError("28-02-2025");
  ExpectDmyError("/02/2025");
  ExpectDmyError("28//2025");
  ExpectDmyError("28/02/");
  ExpectDmyError("28/02/2025/");
  ExpectDmyError("0/1/2025");
  ExpectDmyError("1/0/2025");
  ExpectDmyError("a/1/2025");
  ExpectDmyError("01/01/1899");
  ExpectDmyError("");
}

TEST(DateTest, ToIsoRoundTrip) {
  for (std::string_view text : {"1900-01-01", "1999-12-31", "2000-02-29", "2024-02-29", "2025-07-04", "2199-12-31"}) {
    EXPECT_EQ(Iso(text).ToIso(), text);
  }
  // Every day of a span covering leap and non-leap years.
  Date date = Date::FromYmd(2023, 1, 1);
  for (int i = 0; i < 3 * 366; ++i, date = date.PlusDays(1)) {
    auto parsed = Date::ParseIso(date.ToIso());
    ASSERT_TRUE(parsed.has_value()) << date.ToIso();
    EXPECT_EQ(*parsed, date);
  }
}

TEST(DateTest, Weekday) {
  EXPECT_EQ(Iso("2026-11-22").weekday(), 0u);  // Sunday
  EXPECT_EQ(Iso("2026-11-23").weekday(), 1u);  // Monday
  EXPECT_EQ(Iso("2026-11-28").weekday(), 6u);  // Saturday
  EXPECT_EQ(Iso("1970-01-01").weekday(), 4u);  // Thursday
  EXPECT_EQ(Iso("2000-01-01").weekday(), 6u);  // Saturday
  EXPECT_EQ(Iso("2025-02-28").weekday(), 5u);  // Friday
}

TEST(DateTest, DaysBetween) {
  EXPECT_EQ(DaysBetween(Iso("2025-01-01"), Iso("2025-01-31")), 30);
  EXPECT_EQ(DaysBetween(Iso("2025-01-31"), Iso("2025-01-01")), -30);
  EXPECT_EQ(DaysBetween(Iso("2025-01-01"), Iso("2025-01-01")), 0);
  EXPECT_EQ(DaysBetween(Iso("2024-01-01"), Iso("2025-01-01")), 366);
  EXPECT_EQ(DaysBetween(Iso("2025-01-01"), Iso("2026-01-01")), 365);
  EXPECT_EQ(DaysBetween(Iso("2025-02-28"), Iso("2025-03-01")), 1);
  EXPECT_EQ(DaysBetween(Iso("2024-02-28"), Iso("2024-03-01")), 2);
}

TEST(DateTest, PlusDays) {
  EXPECT_EQ(Iso("2025-01-31").PlusDays(1).ToIso(), "2025-02-01");
  EXPECT_EQ(Iso("2025-02-28").PlusDays(1).ToIso(), "2025-03-01");
  EXPECT_EQ(Iso("2024-02-28").PlusDays(1).ToIso(), "2024-02-29");
  EXPECT_EQ(Iso("2025-12-31").PlusDays(1).ToIso(), "2026-01-01");
  EXPECT_EQ(Iso("2026-01-01").PlusDays(-1).ToIso(), "2025-12-31");
  EXPECT_EQ(Iso("2025-03-01").PlusDays(-1).ToIso(), "2025-02-28");
  EXPECT_EQ(Iso("2025-01-15").PlusDays(30).ToIso(), "2025-02-14");
  EXPECT_EQ(Iso("2025-11-22").PlusDays(365).ToIso(), "2026-11-22");
  EXPECT_EQ(Iso("2025-06-01").PlusDays(0), Iso("2025-06-01"));
  const Date a = Iso("2025-03-10");
  EXPECT_EQ(DaysBetween(a, a.PlusDays(1000)), 1000);
}

TEST(DateTest, Ordering) {
  EXPECT_LT(Iso("2025-01-01"), Iso("2025-01-02"));
  EXPECT_LT(Iso("2024-12-31"), Iso("2025-01-01"));
  EXPECT_GT(Iso("2025-02-01"), Iso("2025-01-31"));
  EXPECT_EQ(Iso("2025-02-01"), Date::FromYmd(2025, 2, 1));
}

TEST(DateTest, SysDaysConversion) {
  using namespace std::chrono;
  const Date date = Date::FromSysDays(sys_days(year(2026) / November / 22));
  EXPECT_EQ(date.ToIso(), "2026-11-22");
  EXPECT_EQ(date.sys_days(), sys_days(year(2026) / November / 22));
  EXPECT_EQ(date.ymd(), year(2026) / November / 22);
}

}  // namespace
}  // namespace cartera
