// Colombia: Código Sustantivo del Trabajo art. 177 (1950, in force 1951) and
// Ley 51 de 1983 ("Ley Emiliani", from 1984), which moves most holidays to
// the following Monday so they make long weekends.
#include "core/holidays_rules.h"

namespace cartera::holiday_rules {

void AddColombia(YearBuilder& b) {
  const int y = b.year();
  const Date easter = EasterSunday(y);
  auto emiliani = [&](Date d, std::string_view en, std::string_view es) {
    b.Add(y >= 1984 ? OnOrAfter(d, kMon) : d, en, es);
  };
  auto fixed_emiliani = [&](unsigned month, unsigned day, std::string_view en, std::string_view es) {
    emiliani(Date::FromYmd(y, month, day), en, es);
  };

  b.Add(1, 1, "New Year's Day", "Año Nuevo");
  b.Add(5, 1, "Labor Day", "Día del Trabajo");
  b.Add(7, 20, "Independence Day", "Día de la Independencia");
  b.Add(8, 7, "Battle of Boyacá", "Batalla de Boyacá");
  fixed_emiliani(10, 12, "Columbus Day", "Día de la Raza");
  fixed_emiliani(11, 11, "Independence of Cartagena", "Independencia de Cartagena");
  b.Add(12, 25, "Christmas Day", "Navidad");
  if (y < 1951) return;  // The religious holidays came with the 1950 labour code.

  fixed_emiliani(1, 6, "Epiphany", "Día de los Reyes Magos");
  fixed_emiliani(3, 19, "Saint Joseph's Day", "Día de San José");
  b.Add(easter.PlusDays(-3), "Maundy Thursday", "Jueves Santo");
  b.Add(easter.PlusDays(-2), "Good Friday", "Viernes Santo");
  emiliani(easter.PlusDays(39), "Ascension Day", "Ascensión del Señor");
  emiliani(easter.PlusDays(60), "Corpus Christi", "Corpus Christi");
  if (y >= 1984) emiliani(easter.PlusDays(68), "Sacred Heart", "Sagrado Corazón");  // added by Ley 51
  fixed_emiliani(6, 29, "Saint Peter and Saint Paul's Day", "San Pedro y San Pablo");
  // Ley 2578 de 2026, moved like the others under Ley 51 de 1983.
  if (y >= 2026) {
    fixed_emiliani(7, 9, "Day of Our Lady of the Rosary of Chiquinquirá",
                   "Día de Nuestra Señora del Rosario de Chiquinquirá");
  }
  fixed_emiliani(8, 15, "Assumption Day", "La Asunción");
  fixed_emiliani(11, 1, "All Saints' Day", "Día de Todos los Santos");
  b.Add(12, 8, "Immaculate Conception", "La Inmaculada Concepción");
}

}  // namespace cartera::holiday_rules
