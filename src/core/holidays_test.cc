#include "core/holidays.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cartera {
namespace {

const HolidayCalendar& Calendar(std::string_view country) {
  const HolidayCalendar* calendar = HolidayCalendar::ForCountry(country);
  EXPECT_NE(calendar, nullptr) << country;
  return *calendar;
}

Date D(int year, unsigned month, unsigned day) { return Date::FromYmd(year, month, day); }

// --- Against the vacanza/python-holidays snapshots (corpus SOURCES.md §8) ---

struct CorpusCase {
  std::string_view country;
  int first_year;  // years where our rules are meant to match the corpus
  int last_year;
  // Dates the corpus has and we deliberately do not, or the reverse. Each
  // entry needs a comment saying why. Empty today: Argentina's decreed
  // bridge days through 2026 are implemented in the calendar itself.
  std::set<std::string> exceptions;
};

void PrintTo(const CorpusCase& c, std::ostream* os) { *os << c.country; }

class HolidayCorpusTest : public testing::TestWithParam<CorpusCase> {};

TEST_P(HolidayCorpusTest, SameDatesAsVacanzaSnapshot) {
  const CorpusCase& param = GetParam();
  const char* root = std::getenv("CARTERA_CORPUS");
  if (root == nullptr) GTEST_SKIP() << "CARTERA_CORPUS is not set (CTest sets it to ../shared/corpus)";
  const std::filesystem::path path = std::filesystem::path(root) / "holidays/vacanza-holidays/_derived" /
                                     "public-by-category" / fmt::format("{}_COMMON.public.json", param.country);
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "holiday corpus not found at " << path;

  std::ifstream in(path);
  const nlohmann::json snapshot = nlohmann::json::parse(in);
  std::map<int, std::set<std::string>> expected;  // year -> ISO dates
  for (const auto& [iso, name] : snapshot.items()) {
    if (!param.exceptions.contains(iso)) expected[std::stoi(iso.substr(0, 4))].insert(iso);
  }

  const HolidayCalendar& calendar = Calendar(param.country);
  std::string mismatches;
  for (int year = param.first_year; year <= param.last_year; ++year) {
    std::set<std::string> actual;
    for (const Holiday& h : calendar.HolidaysIn(year)) {
      if (!param.exceptions.contains(h.date.ToIso())) actual.insert(h.date.ToIso());
    }
    std::vector<std::string> missing, extra;
    std::ranges::set_difference(expected[year], actual, std::back_inserter(missing));
    std::ranges::set_difference(actual, expected[year], std::back_inserter(extra));
    if (!missing.empty() || !extra.empty()) {
      mismatches += fmt::format("\n  {}: missing [{}] extra [{}]", year, fmt::join(missing, ", "),
                                fmt::join(extra, ", "));
    }
  }
  EXPECT_TRUE(mismatches.empty()) << param.country << " differs from " << path << ":" << mismatches;
}

INSTANTIATE_TEST_SUITE_P(
    Countries, HolidayCorpusTest,
    testing::Values(CorpusCase{"CO", 1950, 2050, {}}, CorpusCase{"MX", 1950, 2050, {}},
                    CorpusCase{"CL", 1950, 2050, {}}, CorpusCase{"PE", 1950, 2050, {}},
                    // The snapshot starts in 1957 (Decree-Law 2446).
                    CorpusCase{"AR", 1957, 2050, {}},
                    // The snapshot has no Spain-wide list before 2008.
                    CorpusCase{"ES", 2008, 2050, {}}, CorpusCase{"US", 1950, 2050, {}}),
    [](const testing::TestParamInfo<CorpusCase>& case_info) { return std::string(case_info.param.country); });

// --- Hand-written cases ---

TEST(HolidayCalendarTest, UnknownCountryIsNull) {
  EXPECT_EQ(HolidayCalendar::ForCountry("XX"), nullptr);
  EXPECT_EQ(HolidayCalendar::ForCountry(""), nullptr);
  EXPECT_EQ(HolidayCalendar::ForCountry("co"), nullptr);  // codes are upper case
}

TEST(HolidayCalendarTest, ConcurrentFirstUseIsSafe) {
  // Whichever thread gets there first builds the index; the rest must wait.
  // Keep this test before any other that queries PE's index.
  std::vector<std::thread> threads;
  std::vector<int> counts(8);
  for (size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&counts, t] {
      const HolidayCalendar& pe = *HolidayCalendar::ForCountry("PE");
      counts[t] = pe.BusinessDaysBetween(Date::FromYmd(2024, 1, 1), Date::FromYmd(2024, 12, 31));
    });
  }
  for (std::thread& th : threads) th.join();
  for (int c : counts) EXPECT_EQ(c, counts[0]);
}

TEST(HolidayCalendarTest, EverySupportedCountryHasACalendar) {
  const auto countries = HolidayCalendar::SupportedCountries();
  EXPECT_EQ(countries.size(), 7u);
  for (std::string_view code : {"CO", "MX", "CL", "PE", "AR", "ES", "US"}) {
    EXPECT_NE(std::ranges::find(countries, code), countries.end()) << code;
    EXPECT_EQ(Calendar(code).country(), code);
    EXPECT_EQ(HolidayCalendar::ForCountry(code), HolidayCalendar::ForCountry(code));  // singleton
  }
}

TEST(HolidayCalendarTest, ColombiaLeyEmilianiMovesSaintJoseph) {
  const HolidayCalendar& co = Calendar("CO");
  EXPECT_TRUE(co.IsHoliday(D(2021, 3, 22)));   // Monday after Friday Mar 19
  EXPECT_FALSE(co.IsHoliday(D(2021, 3, 19)));
  EXPECT_TRUE(co.IsHoliday(D(1983, 3, 19)));   // before Ley 51 took effect
  EXPECT_TRUE(co.IsHoliday(D(2026, 7, 13)));   // Chiquinquirá, Jul 9 moved
  EXPECT_FALSE(co.IsHoliday(D(2025, 7, 14)));  // not a holiday before 2026
}

TEST(HolidayCalendarTest, SharedDateJoinsNames) {
  for (const Holiday& h : Calendar("CO").HolidaysIn(1984)) {
    if (h.date == D(1984, 7, 2)) {
      EXPECT_EQ(h.name_en, "Sacred Heart; Saint Peter and Saint Paul's Day");
      EXPECT_EQ(h.name_es, "Sagrado Corazón; San Pedro y San Pablo");
      return;
    }
  }
  ADD_FAILURE() << "1984-07-02 missing";
}

TEST(HolidayCalendarTest, HolidaysInIsSortedWithUniqueDatesInTheYear) {
  for (std::string_view code : HolidayCalendar::SupportedCountries()) {
    for (int year : {1960, 1999, 2021, 2024, 2099}) {
      const auto holidays = Calendar(code).HolidaysIn(year);
      EXPECT_FALSE(holidays.empty()) << code << " " << year;
      for (size_t i = 0; i < holidays.size(); ++i) {
        EXPECT_EQ(holidays[i].date.year(), year) << code;
        EXPECT_FALSE(holidays[i].name_en.empty() || holidays[i].name_es.empty()) << code;
        if (i > 0) {
          EXPECT_LT(holidays[i - 1].date, holidays[i].date) << code;
        }
      }
    }
  }
}

TEST(HolidayCalendarTest, UnitedStatesObservedDates) {
  const HolidayCalendar& us = Calendar("US");
  EXPECT_TRUE(us.IsHoliday(D(2021, 12, 24)));  // Christmas on Saturday
  EXPECT_TRUE(us.IsHoliday(D(2021, 12, 31)));  // New Year's Day 2022 on Saturday
  EXPECT_TRUE(us.IsHoliday(D(2023, 1, 2)));    // New Year's Day 2023 on Sunday
  EXPECT_TRUE(us.IsHoliday(D(2021, 6, 18)));   // first Juneteenth, observed
  EXPECT_FALSE(us.IsBusinessDay(D(2021, 12, 24)));
  EXPECT_TRUE(us.IsHoliday(D(2024, 11, 28)));  // Thanksgiving
}

TEST(HolidayCalendarTest, OtherCountriesSpotChecks) {
  EXPECT_TRUE(Calendar("MX").IsHoliday(D(2024, 2, 5)));    // first Monday of February
  EXPECT_TRUE(Calendar("MX").IsHoliday(D(2024, 10, 1)));   // change of federal government
  EXPECT_TRUE(Calendar("CL").IsHoliday(D(2025, 6, 20)));   // Indigenous Peoples (solstice)
  EXPECT_TRUE(Calendar("CL").IsHoliday(D(2023, 1, 2)));    // Jan 1 on Sunday
  EXPECT_TRUE(Calendar("PE").IsHoliday(D(2024, 6, 7)));
  EXPECT_TRUE(Calendar("AR").IsHoliday(D(2024, 6, 21)));   // bridge day
  EXPECT_TRUE(Calendar("AR").IsHoliday(D(2025, 11, 24)));  // Nov 20 (Thu) moved forward
  EXPECT_FALSE(Calendar("AR").IsHoliday(D(2025, 11, 20)));
  EXPECT_TRUE(Calendar("ES").IsHoliday(D(2024, 12, 6)));
  EXPECT_FALSE(Calendar("ES").IsHoliday(D(2024, 3, 28)));  // Maundy Thursday is regional
}

TEST(HolidayCalendarTest, BusinessDays) {
  const HolidayCalendar& co = Calendar("CO");
  // Mon 2021-03-15 .. Fri 2021-03-26: ten weekdays, one of them San José.
  EXPECT_EQ(co.BusinessDaysBetween(D(2021, 3, 15), D(2021, 3, 26)), 9);
  EXPECT_EQ(co.BusinessDaysBetween(D(2021, 3, 26), D(2021, 3, 15)), 0);  // reversed
  EXPECT_EQ(co.BusinessDaysBetween(D(2021, 3, 23), D(2021, 3, 23)), 1);
  EXPECT_EQ(co.BusinessDaysBetween(D(2021, 3, 22), D(2021, 3, 22)), 0);  // holiday
  EXPECT_EQ(co.BusinessDaysBetween(D(2021, 3, 20), D(2021, 3, 21)), 0);  // weekend
  EXPECT_FALSE(co.IsBusinessDay(D(2021, 3, 20)));
  EXPECT_TRUE(co.IsBusinessDay(D(2021, 3, 19)));
  EXPECT_EQ(co.NextBusinessDay(D(2021, 3, 20)), D(2021, 3, 23));
  EXPECT_EQ(co.NextBusinessDay(D(2021, 3, 23)), D(2021, 3, 23));
  // Holy week 2021: Thu Apr 1 and Fri Apr 2 off.
  EXPECT_EQ(co.NextBusinessDay(D(2021, 4, 1)), D(2021, 4, 5));
  EXPECT_EQ(Calendar("US").NextBusinessDay(D(2021, 12, 24)), D(2021, 12, 27));
  // Whole of 2021 in the US: 261 weekdays minus 12 weekday holidays, counting
  // the observed Jun 18, Jul 5, Dec 24 and Dec 31 (New Year's Day 2022).
  EXPECT_EQ(Calendar("US").BusinessDaysBetween(D(2021, 1, 1), D(2021, 12, 31)), 249);
}

// The bitset index must agree with HolidaysIn, including at its edges.
TEST(HolidayCalendarTest, IndexMatchesHolidaysIn) {
  for (std::string_view code : HolidayCalendar::SupportedCountries()) {
    const HolidayCalendar& calendar = Calendar(code);
    for (int year : {1899, 1900, 1950, 2024, 2199, 2200, 2300}) {
      std::set<Date> holidays;
      for (const Holiday& h : calendar.HolidaysIn(year)) holidays.insert(h.date);
      int business = 0;
      for (Date d = D(year, 1, 1); d <= D(year, 12, 31); d = d.PlusDays(1)) {
        ASSERT_EQ(calendar.IsHoliday(d), holidays.contains(d)) << code << " " << d.ToIso();
        const bool expect_business = d.weekday() != 0 && d.weekday() != 6 && !holidays.contains(d);
        ASSERT_EQ(calendar.IsBusinessDay(d), expect_business) << code << " " << d.ToIso();
        business += expect_business ? 1 : 0;
      }
      EXPECT_EQ(calendar.BusinessDaysBetween(D(year, 1, 1), D(year, 12, 31)), business) << code << year;
    }
  }
}

TEST(HolidayCalendarTest, BusinessDaysBetweenMatchesDayByDayCount) {
  const HolidayCalendar& ar = Calendar("AR");
  auto naive = [&](Date from, Date to) {
    int n = 0;
    for (Date d = from; d <= to; d = d.PlusDays(1)) n += ar.IsBusinessDay(d) ? 1 : 0;
    return n;
  };
  const Date ranges[][2] = {{D(2020, 1, 1), D(2020, 1, 1)},     {D(2019, 12, 30), D(2026, 3, 3)},
                            {D(1899, 12, 1), D(1900, 2, 1)},    {D(2199, 12, 1), D(2200, 1, 31)},
                            {D(1899, 6, 1), D(2200, 6, 1)},     {D(2023, 2, 3), D(2023, 2, 9)}};
  for (const auto& [from, to] : ranges) {
    EXPECT_EQ(ar.BusinessDaysBetween(from, to), naive(from, to)) << from.ToIso() << ".." << to.ToIso();
  }
}

}  // namespace
}  // namespace cartera
