// Public-holiday calendars computed from each country's rules (fixed dates,
// Easter-based days, Monday moves such as Colombia's Ley Emiliani, weekend
// observance), so any year works without shipping tables.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace cartera {

struct Holiday {
  Date date;
  std::string name_en;
  std::string name_es;
};

class HolidayCalendar {
 public:
  HolidayCalendar();
  virtual ~HolidayCalendar();
  HolidayCalendar(const HolidayCalendar&) = delete;
  HolidayCalendar& operator=(const HolidayCalendar&) = delete;

  // The calendar of an ISO 3166 alpha-2 country we support (CO, MX, CL, PE,
  // AR, ES, US), or nullptr. Calendars are immutable singletons.
  static const HolidayCalendar* ForCountry(std::string_view country);
  static std::vector<std::string_view> SupportedCountries();

  virtual std::string_view country() const = 0;

  // The nationwide public holidays of `year`, sorted by date. A date that is
  // two holidays at once appears once with both names joined by "; ".
  virtual std::vector<Holiday> HolidaysIn(int year) const = 0;

  bool IsHoliday(Date date) const;
  // Not a Saturday, not a Sunday and not a public holiday.
  bool IsBusinessDay(Date date) const;
  // Business days in the closed range [from, to]; 0 when to < from.
  int BusinessDaysBetween(Date from, Date to) const;
  // The first business day on or after `date`.
  Date NextBusinessDay(Date date) const;

 private:
  // Bitsets over 1900-2199 built on first use, so the collection engine's
  // millions of IsHoliday calls are a bit test. Dates outside fall back to
  // HolidaysIn.
  struct Index;
  const Index& index() const;
  mutable std::once_flag index_once_;
  mutable std::unique_ptr<const Index> index_;
};

}  // namespace cartera
