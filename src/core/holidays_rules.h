// Building blocks shared by the per-country holiday rules (holidays_<country>.cc).
// Internal to cartera_core: callers use core/holidays.h.
#pragma once

#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/holidays.h"

namespace cartera::holiday_rules {

enum Weekday : unsigned { kSun = 0, kMon, kTue, kWed, kThu, kFri, kSat };

// Collects one year's holidays; dates outside the year are dropped so a rule
// may move a holiday across New Year without special cases.
class YearBuilder {
 public:
  explicit YearBuilder(int year) : year_(year) {}
  int year() const { return year_; }
  void Add(Date date, std::string_view name_en, std::string_view name_es);
  void Add(unsigned month, unsigned day, std::string_view name_en, std::string_view name_es) {
    Add(Date::FromYmd(year_, month, day), name_en, name_es);
  }
  // Sorted by date; holidays sharing a date merged with "; ".
  std::vector<Holiday> Finish() &&;

 private:
  int year_;
  std::vector<Holiday> holidays_;
};

// Western (Gregorian) Easter Sunday.
Date EasterSunday(int year);
// The n-th `weekday` of the month (n >= 1), or the last one when n == -1.
Date NthWeekday(int year, unsigned month, unsigned weekday, int n);
// The first `weekday` on or after `date`.
Date OnOrAfter(Date date, unsigned weekday);
// The last `weekday` on or before `date`.
Date OnOrBefore(Date date, unsigned weekday);

void AddArgentina(YearBuilder& b);
void AddChile(YearBuilder& b);
void AddColombia(YearBuilder& b);
void AddMexico(YearBuilder& b);
void AddPeru(YearBuilder& b);
void AddSpain(YearBuilder& b);
void AddUnitedStates(YearBuilder& b);

}  // namespace cartera::holiday_rules
