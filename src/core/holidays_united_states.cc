// United States: federal holidays (5 U.S.C. 6103). A holiday on a Sunday is
// observed the Monday after (since 1953) and one on a Saturday the Friday
// before (since 1966); the observed day is what closes offices and banks.
#include <string>

#include "core/holidays_rules.h"

namespace cartera::holiday_rules {

void AddUnitedStates(YearBuilder& b) {
  const int y = b.year();
  auto observed = [&](Date d, std::string_view en, std::string_view es) {
    b.Add(d, en, es);
    const unsigned wd = d.weekday();
    if (wd == kSun && y >= 1953) {
      b.Add(d.PlusDays(1), std::string(en) + " (observed)", std::string(es) + " (observado)");
    } else if (wd == kSat && y >= 1966) {
      b.Add(d.PlusDays(-1), std::string(en) + " (observed)", std::string(es) + " (observado)");
    }
  };
  auto fixed = [&](unsigned month, unsigned day, std::string_view en, std::string_view es) {
    observed(Date::FromYmd(y, month, day), en, es);
  };
  // Uniform Monday Holiday Act, effective 1971.
  const bool monday_act = y >= 1971;

  fixed(1, 1, "New Year's Day", "Año Nuevo");
  // Next year's New Year's Day on a Saturday is observed on Dec 31 of this one.
  if (y >= 1966 && Date::FromYmd(y + 1, 1, 1).weekday() == kSat) {
    b.Add(12, 31, "New Year's Day (observed)", "Año Nuevo (observado)");
  }
  if (y >= 1986) b.Add(NthWeekday(y, 1, kMon, 3), "Martin Luther King Jr. Day", "Día de Martin Luther King Jr.");
  b.Add(monday_act ? NthWeekday(y, 2, kMon, 3) : Date::FromYmd(y, 2, 22), "Washington's Birthday",
        "Natalicio de Washington");
  b.Add(monday_act ? NthWeekday(y, 5, kMon, -1) : Date::FromYmd(y, 5, 30), "Memorial Day", "Día de los Caídos");
  if (y >= 2021) {
    fixed(6, 19, "Juneteenth National Independence Day", "Día Nacional de la Independencia de Juneteenth");
  }
  fixed(7, 4, "Independence Day", "Día de la Independencia");
  b.Add(NthWeekday(y, 9, kMon, 1), "Labor Day", "Día del Trabajo");
  b.Add(monday_act ? NthWeekday(y, 10, kMon, 2) : Date::FromYmd(y, 10, 12), "Columbus Day", "Día de Colón");
  // Veterans Day spent 1971-1977 on the fourth Monday of October.
  const std::string_view veterans = y >= 1954 ? "Veterans Day" : "Armistice Day";
  if (y >= 1971 && y <= 1977) {
    b.Add(NthWeekday(y, 10, kMon, 4), veterans, "Día de los Veteranos");
  } else {
    fixed(11, 11, veterans, y >= 1954 ? "Día de los Veteranos" : "Día del Armisticio");
  }
  b.Add(NthWeekday(y, 11, kThu, 4), "Thanksgiving Day", "Día de Acción de Gracias");
  fixed(12, 25, "Christmas Day", "Navidad");
}

}  // namespace cartera::holiday_rules
