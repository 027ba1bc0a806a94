// Argentina: Decree-Law 2446/1956 and what changed it (Laws 21.329, 23.555,
// 24.445, Decree 1584/2010, Law 27.399), plus the bridge days ("feriados
// puente") and one-off holidays decreed for single years.
#include <array>

#include "core/holidays_rules.h"

namespace cartera::holiday_rules {
namespace {

// "Trasladables" (Law 23.555 from 1988, Law 27.399 today): a Tuesday or
// Wednesday goes back to Monday, a Thursday or Friday forward to Monday.
Date Trasladable(Date d) {
  switch (d.weekday()) {
    case kTue:
    case kWed:
      return OnOrBefore(d, kMon);
    case kThu:
    case kFri:
      return OnOrAfter(d, kMon);
    default:
      return d;
  }
}

struct Decreed {
  int year;
  unsigned month, day;
  std::string_view en, es;
};

constexpr std::string_view kBridgeEn = "Bridge Public Holiday", kBridgeEs = "Feriado con fines turísticos";

// Bridge days are decreed a year or so ahead (Decrees 1585/2010, 1768/2013,
// 923/2017, 717/2019, 947/2020, 789/2021, 764/2022, 106/2023, 1027/2024 and
// the one for 2026); none in 2017. Extend when the next decree is published.
constexpr auto kDecreed = std::to_array<Decreed>({
    {2010, 5, 24, "Bicentenary of the May Revolution", "Bicentenario de la Revolución de Mayo"},
    {2010, 10, 27, "National Census Day 2010", "Censo Nacional 2010"},
    {2011, 3, 25, kBridgeEn, kBridgeEs},
    {2011, 12, 9, kBridgeEn, kBridgeEs},
    {2012, 2, 27, "Bicentenary of the creation and first oath of the national flag",
     "Bicentenario de la creación y primera jura de la bandera nacional"},
    {2012, 4, 30, kBridgeEn, kBridgeEs},
    {2012, 9, 24, "Bicentenary of the Battle of Tucumán", "Bicentenario de la Batalla de Tucumán"},
    {2012, 12, 24, kBridgeEn, kBridgeEs},
    {2013, 1, 31, "Bicentenary of the 1813 National Constituent Assembly",
     "Bicentenario de la sesión inaugural de la Asamblea Nacional Constituyente del año 1813"},
    {2013, 2, 20, "Bicentenary of the Battle of Salta", "Bicentenario de la Batalla de Salta"},
    {2013, 4, 1, kBridgeEn, kBridgeEs},
    {2013, 6, 21, kBridgeEn, kBridgeEs},
    {2014, 5, 2, kBridgeEn, kBridgeEs},
    {2014, 12, 26, kBridgeEn, kBridgeEs},
    {2015, 3, 23, kBridgeEn, kBridgeEs},
    {2015, 12, 7, kBridgeEn, kBridgeEs},
    {2016, 7, 8, kBridgeEn, kBridgeEs},
    {2016, 12, 9, kBridgeEn, kBridgeEs},
    {2018, 4, 30, kBridgeEn, kBridgeEs},
    {2018, 12, 24, kBridgeEn, kBridgeEs},
    {2018, 12, 31, kBridgeEn, kBridgeEs},
    {2019, 7, 8, kBridgeEn, kBridgeEs},
    {2019, 8, 19, kBridgeEn, kBridgeEs},
    {2019, 10, 14, kBridgeEn, kBridgeEs},
    {2020, 3, 23, kBridgeEn, kBridgeEs},
    {2020, 7, 10, kBridgeEn, kBridgeEs},
    {2020, 12, 7, kBridgeEn, kBridgeEs},
    {2021, 5, 24, kBridgeEn, kBridgeEs},
    {2021, 10, 8, kBridgeEn, kBridgeEs},
    {2021, 11, 22, kBridgeEn, kBridgeEs},
    {2022, 5, 18, "National Census Day 2022", "Censo Nacional 2022"},
    {2022, 10, 7, kBridgeEn, kBridgeEs},
    {2022, 11, 21, kBridgeEn, kBridgeEs},
    {2022, 12, 9, kBridgeEn, kBridgeEs},
    {2022, 12, 20, "FIFA World Cup 2022 Victory Day", "Día de la Victoria de la Copa Mundial de la FIFA 2022"},
    {2023, 5, 26, kBridgeEn, kBridgeEs},
    {2023, 6, 19, kBridgeEn, kBridgeEs},
    {2023, 10, 13, kBridgeEn, kBridgeEs},
    {2024, 4, 1, kBridgeEn, kBridgeEs},
    {2024, 6, 21, kBridgeEn, kBridgeEs},
    {2024, 10, 11, kBridgeEn, kBridgeEs},
    {2025, 5, 2, kBridgeEn, kBridgeEs},
    {2025, 8, 15, kBridgeEn, kBridgeEs},
    {2025, 11, 21, kBridgeEn, kBridgeEs},
    {2026, 3, 23, kBridgeEn, kBridgeEs},
    {2026, 7, 10, kBridgeEn, kBridgeEs},
    {2026, 12, 7, kBridgeEn, kBridgeEs},
});

}  // namespace

void AddArgentina(YearBuilder& b) {
  const int y = b.year();
  const Date easter = EasterSunday(y);
  auto move = [&](Date d) { return y >= 1988 ? Trasladable(d) : d; };
  auto on = [&](unsigned month, unsigned day) { return Date::FromYmd(y, month, day); };
  // Law 21.329 dropped the religious holidays in 1976-77; some came back.
  const bool old_catholic = y <= 1975;

  b.Add(1, 1, "New Year's Day", "Año Nuevo");
  if (y <= 1976) b.Add(1, 6, "Epiphany", "Día de Reyes");
  if (y <= 1976 || y >= 2011) {  // restored by Decree 1584/2010
    b.Add(easter.PlusDays(-48), "Carnival Monday", "Lunes de Carnaval");
    b.Add(easter.PlusDays(-47), "Carnival Tuesday", "Martes de Carnaval");
  }
  if (y >= 2006) {
    b.Add(3, 24, "National Day of Remembrance for Truth and Justice",
          "Día Nacional de la Memoria por la Verdad y la Justicia");
  }
  if (y >= 1993) {
    // Movable until Law 26.110 (2007); moved to Mar 31 in 2020 by Decree 297/2020.
    const Date apr2 = y == 2020 ? on(3, 31) : y <= 2006 ? Trasladable(on(4, 2)) : on(4, 2);
    if (y <= 2000) {
      b.Add(apr2, "War Veteran's Day", "Día del Veterano de Guerra");
    } else {
      b.Add(apr2, "Veterans Day and the Fallen in the Malvinas War",
            "Día del Veterano y de los Caídos en la Guerra de Malvinas");
    }
  }
  if (y <= 1976 || y >= 2011) b.Add(easter.PlusDays(-3), "Maundy Thursday", "Jueves Santo");
  if (y >= 1977) b.Add(easter.PlusDays(-2), "Good Friday", "Viernes Santo");
  b.Add(5, 1, "Labor Day", "Día del Trabajador");
  b.Add(5, 25, "May Revolution Day", "Día de la Revolución de Mayo");
  if (old_catholic) b.Add(easter.PlusDays(60), "Corpus Christi", "Corpus Christi");
  if (y >= 1983 && y <= 2000) {
    // Law 22.769 set Apr 2; Decree 901/1984 moved it to Jun 10.
    b.Add(y == 1983 ? on(4, 2) : move(on(6, 10)),
          "Day of Affirmation of Argentine Rights over the Malvinas, Islands and Antarctic Sector",
          "Día de la Afirmación de los Derechos Argentinos sobre las Malvinas, Islas y Sector Antártico");
  }
  if (y >= 2016) {
    // Law 27.258. A Friday stays put: the next Monday is Jun 20 already.
    const Date jun17 = on(6, 17);
    b.Add(jun17.weekday() == kFri ? jun17 : Trasladable(jun17),
          "Pass to the Immortality of General Don Martín Miguel de Güemes",
          "Paso a la Inmortalidad del General Don Martín Miguel de Güemes");
  }
  const Date belgrano = y >= 1995 && y <= 2010 ? NthWeekday(y, 6, kMon, 3)  // Law 24.445
                        : y <= 1991            ? move(on(6, 20))
                                               : on(6, 20);
  b.Add(belgrano, "Pass to the Immortality of General Don Manuel Belgrano",
        "Paso a la Inmortalidad del General Don Manuel Belgrano");
  b.Add(7, 9, "Independence Day", "Día de la Independencia");
  const Date san_martin = y == 2011                ? on(8, 22)  // Decree 521/2011 (elections)
                          : y >= 1995 && y <= 2016 ? NthWeekday(y, 8, kMon, 3)
                                                   : move(on(8, 17));
  b.Add(san_martin, "Pass to the Immortality of General Don José de San Martín",
        "Paso a la Inmortalidad del General Don José de San Martín");
  if (old_catholic) b.Add(8, 15, "Assumption Day", "Día de la Asunción");
  if (y <= 1975 || y >= 1982) {  // abolished 1976, restored by Law 22.655
    const Date oct12 = y == 2001                 ? on(10, 8)   // Law 25.442
                       : y == 2002               ? on(10, 14)  // Decree 1932/2002
                       : y >= 2008 && y <= 2016  ? NthWeekday(y, 10, kMon, 2)
                                                 : move(on(10, 12));
    if (y >= 2010) {
      b.Add(oct12, "Respect for Cultural Diversity Day", "Día del Respeto a la Diversidad Cultural");
    } else {
      b.Add(oct12, "Columbus Day", "Día de la Raza");
    }
  }
  if (old_catholic) b.Add(11, 1, "All Saints' Day", "Día de Todos los Santos");
  if (y >= 2010) {
    const Date nov20 = y <= 2014   ? NthWeekday(y, 11, kMon, 4)
                       : y == 2015 ? on(11, 27)  // Decree 2226/2015
                       : y == 2016 ? on(11, 28)
                                   : Trasladable(on(11, 20));
    b.Add(nov20, "National Sovereignty Day", "Día de la Soberanía Nacional");
  }
  if (old_catholic || y >= 1995) b.Add(12, 8, "Immaculate Conception", "Inmaculada Concepción de María");
  b.Add(12, 25, "Christmas Day", "Navidad");

  for (const Decreed& d : kDecreed) {
    if (d.year == y) b.Add(d.month, d.day, d.en, d.es);
  }
}

}  // namespace cartera::holiday_rules
