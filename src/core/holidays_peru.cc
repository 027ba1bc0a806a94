// Peru: national holidays (feriados nacionales) for the private and public
// sectors; no weekend moves.
#include "core/holidays_rules.h"

namespace cartera::holiday_rules {

void AddPeru(YearBuilder& b) {
  const int y = b.year();
  const Date easter = EasterSunday(y);

  b.Add(1, 1, "New Year's Day", "Año Nuevo");
  b.Add(easter.PlusDays(-3), "Maundy Thursday", "Jueves Santo");
  b.Add(easter.PlusDays(-2), "Good Friday", "Viernes Santo");
  b.Add(easter, "Easter Sunday", "Domingo de Resurrección");
  b.Add(5, 1, "Labor Day", "Día del Trabajo");
  // Added by laws of 2022-2024.
  if (y >= 2024) b.Add(6, 7, "Battle of Arica and Flag Day", "Batalla de Arica y Día de la Bandera");
  b.Add(6, 29, "Saint Peter and Saint Paul's Day", "San Pedro y San Pablo");
  if (y >= 2023) b.Add(7, 23, "Peruvian Air Force Day", "Día de la Fuerza Aérea del Perú");
  b.Add(7, 28, "Independence Day", "Día de la Independencia");
  b.Add(7, 29, "Great Military Parade Day", "Día de la Gran Parada Militar");
  if (y >= 2022) b.Add(8, 6, "Battle of Junín Day", "Batalla de Junín");
  b.Add(8, 30, "Rose of Lima Day", "Santa Rosa de Lima");
  b.Add(10, 8, "Battle of Angamos Day", "Combate de Angamos");
  b.Add(11, 1, "All Saints' Day", "Día de Todos los Santos");
  b.Add(12, 8, "Immaculate Conception", "Inmaculada Concepción");
  if (y >= 2022) b.Add(12, 9, "Battle of Ayacucho Day", "Batalla de Ayacucho");
  b.Add(12, 25, "Christmas Day", "Navidad");
}

}  // namespace cartera::holiday_rules
