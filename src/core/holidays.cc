#include "core/holidays.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <utility>

#include "core/holidays_rules.h"

namespace cartera {
namespace holiday_rules {

void YearBuilder::Add(Date date, std::string_view name_en, std::string_view name_es) {
  if (date.year() != year_) return;
  holidays_.push_back(Holiday{date, std::string(name_en), std::string(name_es)});
}

std::vector<Holiday> YearBuilder::Finish() && {
  std::stable_sort(holidays_.begin(), holidays_.end(),
                   [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  std::vector<Holiday> merged;
  for (Holiday& h : holidays_) {
    if (!merged.empty() && merged.back().date == h.date) {
      // Two rules landing on one day (e.g. a moved holiday onto a fixed one).
      merged.back().name_en += "; " + h.name_en;
      merged.back().name_es += "; " + h.name_es;
    } else {
      merged.push_back(std::move(h));
    }
  }
  return merged;
}

Date EasterSunday(int year) {
  // Anonymous Gregorian computus (Meeus/Jones/Butcher).
  const int a = year % 19, b = year / 100, c = year % 100;
  const int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date::FromYmd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date OnOrAfter(Date date, unsigned weekday) {
  return date.PlusDays(static_cast<int32_t>((weekday + 7 - date.weekday()) % 7));
}

Date OnOrBefore(Date date, unsigned weekday) {
  return date.PlusDays(-static_cast<int32_t>((date.weekday() + 7 - weekday) % 7));
}

Date NthWeekday(int year, unsigned month, unsigned weekday, int n) {
  if (n < 0) {
    const Date next_month = month == 12 ? Date::FromYmd(year + 1, 1, 1) : Date::FromYmd(year, month + 1, 1);
    return OnOrBefore(next_month.PlusDays(-1), weekday);
  }
  return OnOrAfter(Date::FromYmd(year, month, 1), weekday).PlusDays(7 * (n - 1));
}

}  // namespace holiday_rules

namespace {

using holiday_rules::YearBuilder;
using Rules = void (*)(YearBuilder&);

class RuleCalendar final : public HolidayCalendar {
 public:
  RuleCalendar(std::string_view country, Rules rules) : country_(country), rules_(rules) {}
  std::string_view country() const override { return country_; }
  std::vector<Holiday> HolidaysIn(int year) const override {
    YearBuilder builder(year);
    rules_(builder);
    return std::move(builder).Finish();
  }

 private:
  std::string_view country_;
  Rules rules_;
};

bool IsWeekend(int32_t days_since_epoch) {
  // 1970-01-01 was a Thursday (4); weekday 0 = Sunday.
  const int32_t weekday = ((days_since_epoch % 7) + 7 + 4) % 7;
  return weekday == 0 || weekday == 6;
}

}  // namespace

// One bit per day for "holiday" and for "business day", plus the number of
// business days before each 64-day word so BusinessDaysBetween is O(1).
struct HolidayCalendar::Index {
  static constexpr int kFirstYear = 1900;  // Date::ParseIso's range
  static constexpr int kEndYear = 2200;
  int32_t first_day = 0;
  int32_t end_day = 0;
  std::vector<uint64_t> holiday;
  std::vector<uint64_t> business;
  std::vector<int32_t> business_before;

  bool Contains(int32_t day) const { return day >= first_day && day < end_day; }
  static bool Bit(const std::vector<uint64_t>& bits, int32_t offset) {
    return (bits[static_cast<size_t>(offset) >> 6] >> (offset & 63)) & 1u;
  }
  // Business days in [first_day, day), for day in [first_day, end_day].
  int32_t Rank(int32_t day) const {
    const auto offset = static_cast<size_t>(day - first_day);
    const size_t word = offset >> 6;
    if (word == business.size()) return business_before[word];
    const uint64_t below = business[word] & ((uint64_t{1} << (offset & 63)) - 1);
    return business_before[word] + std::popcount(below);
  }
};

HolidayCalendar::HolidayCalendar() = default;
HolidayCalendar::~HolidayCalendar() = default;

const HolidayCalendar::Index& HolidayCalendar::index() const {
  std::call_once(index_once_, [this] {
    auto idx = std::make_unique<Index>();
    idx->first_day = Date::FromYmd(Index::kFirstYear, 1, 1).days_since_epoch();
    idx->end_day = Date::FromYmd(Index::kEndYear, 1, 1).days_since_epoch();
    const auto days = static_cast<size_t>(idx->end_day - idx->first_day);
    const size_t words = (days + 63) / 64;
    idx->holiday.assign(words, 0);
    idx->business.assign(words, 0);
    for (int year = Index::kFirstYear; year < Index::kEndYear; ++year) {
      for (const Holiday& h : HolidaysIn(year)) {
        const auto offset = static_cast<size_t>(h.date.days_since_epoch() - idx->first_day);
        idx->holiday[offset >> 6] |= uint64_t{1} << (offset & 63);
      }
    }
    for (size_t offset = 0; offset < days; ++offset) {
      const int32_t day = idx->first_day + static_cast<int32_t>(offset);
      if (!IsWeekend(day) && !Index::Bit(idx->holiday, static_cast<int32_t>(offset))) {
        idx->business[offset >> 6] |= uint64_t{1} << (offset & 63);
      }
    }
    idx->business_before.resize(words + 1);
    int32_t total = 0;
    for (size_t w = 0; w < words; ++w) {
      idx->business_before[w] = total;
      total += std::popcount(idx->business[w]);
    }
    idx->business_before[words] = total;
    index_ = std::move(idx);
  });
  return *index_;
}

bool HolidayCalendar::IsHoliday(Date date) const {
  const Index& idx = index();
  const int32_t day = date.days_since_epoch();
  if (idx.Contains(day)) return Index::Bit(idx.holiday, day - idx.first_day);
  // Outside the index: rare, so recomputing the year is fine.
  const std::vector<Holiday> year = HolidaysIn(date.year());
  return std::ranges::any_of(year, [&](const Holiday& h) { return h.date == date; });
}

bool HolidayCalendar::IsBusinessDay(Date date) const {
  const Index& idx = index();
  const int32_t day = date.days_since_epoch();
  if (idx.Contains(day)) return Index::Bit(idx.business, day - idx.first_day);
  return !IsWeekend(day) && !IsHoliday(date);
}

int HolidayCalendar::BusinessDaysBetween(Date from, Date to) const {
  if (to < from) return 0;
  const Index& idx = index();
  const int32_t lo = from.days_since_epoch();
  const int32_t hi = to.days_since_epoch() + 1;  // half-open
  const int32_t in_lo = std::clamp(lo, idx.first_day, idx.end_day);
  const int32_t in_hi = std::clamp(hi, idx.first_day, idx.end_day);
  int count = idx.Rank(in_hi) - idx.Rank(in_lo);
  // Parts outside the index, day by day.
  for (int32_t day = lo; day < std::min(hi, idx.first_day); ++day) {
    count += IsBusinessDay(Date::FromDaysSinceEpoch(day)) ? 1 : 0;
  }
  for (int32_t day = std::max(lo, idx.end_day); day < hi; ++day) {
    count += IsBusinessDay(Date::FromDaysSinceEpoch(day)) ? 1 : 0;
  }
  return count;
}

Date HolidayCalendar::NextBusinessDay(Date date) const {
  // Never more than a handful of iterations: holidays do not run for weeks.
  while (!IsBusinessDay(date)) date = date.PlusDays(1);
  return date;
}

namespace {

// Sorted by code.
constexpr std::array<std::pair<std::string_view, Rules>, 7> kCountries = {{
    {"AR", &holiday_rules::AddArgentina},
    {"CL", &holiday_rules::AddChile},
    {"CO", &holiday_rules::AddColombia},
    {"ES", &holiday_rules::AddSpain},
    {"MX", &holiday_rules::AddMexico},
    {"PE", &holiday_rules::AddPeru},
    {"US", &holiday_rules::AddUnitedStates},
}};

template <size_t... I>
const auto& Calendars(std::index_sequence<I...>) {
  static const RuleCalendar calendars[] = {RuleCalendar(kCountries[I].first, kCountries[I].second)...};
  return calendars;
}

}  // namespace

const HolidayCalendar* HolidayCalendar::ForCountry(std::string_view country) {
  for (const RuleCalendar& calendar : Calendars(std::make_index_sequence<kCountries.size()>())) {
    if (calendar.country() == country) return &calendar;
  }
  return nullptr;
}

std::vector<std::string_view> HolidayCalendar::SupportedCountries() {
  std::vector<std::string_view> codes;
  for (const auto& [code, rules] : kCountries) codes.push_back(code);
  return codes;
}

}  // namespace cartera
