// Spain: the national holidays of Real Decreto 2001/1983 art. 45 that every
// autonomous community keeps (Maundy Thursday, Easter Monday, Mar 19, Jul 25
// and the like vary by region, so they are not listed).
#include "core/holidays_rules.h"

namespace cartera::holiday_rules {

void AddSpain(YearBuilder& b) {
  const int y = b.year();
  // A national holiday on a Sunday is moved (or not) by each community on its
  // own, so neither the Sunday nor any Monday is a holiday everywhere.
  auto national = [&](unsigned month, unsigned day, std::string_view en, std::string_view es) {
    const Date d = Date::FromYmd(y, month, day);
    if (d.weekday() != kSun) b.Add(d, en, es);
  };

  national(1, 1, "New Year's Day", "Año Nuevo");
  national(1, 6, "Epiphany", "Epifanía del Señor");
  b.Add(EasterSunday(y).PlusDays(-2), "Good Friday", "Viernes Santo");
  national(5, 1, "Labor Day", "Fiesta del Trabajo");
  national(8, 15, "Assumption Day", "Asunción de la Virgen");
  national(10, 12, "National Day", "Fiesta Nacional de España");
  national(11, 1, "All Saints' Day", "Todos los Santos");
  national(12, 6, "Constitution Day", "Día de la Constitución Española");
  national(12, 8, "Immaculate Conception", "Inmaculada Concepción");
  national(12, 25, "Christmas Day", "Natividad del Señor");
}

}  // namespace cartera::holiday_rules
