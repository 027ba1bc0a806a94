// Mexico: Ley Federal del Trabajo art. 74 (mandatory rest days). The 2006
// reform turned three commemorations into "n-th Monday" holidays.
#include "core/holidays_rules.h"

namespace cartera::holiday_rules {

void AddMexico(YearBuilder& b) {
  const int y = b.year();
  const bool mondays = y >= 2006;

  b.Add(1, 1, "New Year's Day", "Año Nuevo");
  b.Add(mondays ? NthWeekday(y, 2, kMon, 1) : Date::FromYmd(y, 2, 5), "Constitution Day",
        "Día de la Constitución");
  // The reform kept Mar 21 for 2006, the bicentennial of Juárez's birth.
  b.Add(y >= 2007 ? NthWeekday(y, 3, kMon, 3) : Date::FromYmd(y, 3, 21), "Benito Juárez's Birthday",
        "Natalicio de Benito Juárez");
  b.Add(5, 1, "Labor Day", "Día del Trabajo");
  b.Add(9, 16, "Independence Day", "Día de la Independencia");
  b.Add(mondays ? NthWeekday(y, 11, kMon, 3) : Date::FromYmd(y, 11, 20), "Revolution Day",
        "Día de la Revolución");
  // Presidential inauguration every six years (LFT 1970): Dec 1, and Oct 1
  // since the 2014 constitutional reform took effect with the 2024 term.
  if (y >= 1970 && (y - 1970) % 6 == 0) {
    b.Add(y >= 2024 ? Date::FromYmd(y, 10, 1) : Date::FromYmd(y, 12, 1), "Change of Federal Government",
          "Transmisión del Poder Ejecutivo Federal");
  }
  b.Add(12, 25, "Christmas Day", "Navidad");
}

}  // namespace cartera::holiday_rules
