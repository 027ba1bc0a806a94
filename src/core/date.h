// Date: a calendar date with no time of day and no zone (a business date).
// Stored as days since 1970-01-01 so comparisons and differences are cheap.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cartera {

class Date {
 public:
  Date() = default;  // 1970-01-01
  static Date FromDaysSinceEpoch(int32_t days) { return Date(days); }
  // REQUIRES: a real date (checked by assert; parse user input with ParseIso).
  static Date FromYmd(int year, unsigned month, unsigned day);
  static Date FromSysDays(std::chrono::sys_days days) {
    return Date(static_cast<int32_t>(days.time_since_epoch().count()));
  }

  // "2025-02-28". Rejects dates that do not exist ("2025-02-30") and years
  // outside 1900..2199, with a message that quotes the text.
  static Result<Date> ParseIso(std::string_view text);
  // "28/02/2025" (day first, as written in Colombia and Spain).
  static Result<Date> ParseDayMonthYear(std::string_view text);

  int32_t days_since_epoch() const { return days_; }
  std::chrono::sys_days sys_days() const { return std::chrono::sys_days(std::chrono::days(days_)); }
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day(sys_days()); }
  int year() const { return static_cast<int>(ymd().year()); }
  unsigned month() const { return static_cast<unsigned>(ymd().month()); }
  unsigned day() const { return static_cast<unsigned>(ymd().day()); }
  // 0 = Sunday ... 6 = Saturday.
  unsigned weekday() const { return std::chrono::weekday(sys_days()).c_encoding(); }

  Date PlusDays(int32_t days) const { return Date(days_ + days); }
  std::string ToIso() const;

  friend auto operator<=>(const Date&, const Date&) = default;
  friend int32_t DaysBetween(Date from, Date to) { return to.days_ - from.days_; }

 private:
  explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace cartera
