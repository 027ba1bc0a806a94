// Chile: Law 2.977 (1915) and its many amendments. Law 19.668 (2000) moves
// some holidays to a Monday; Laws 20.215 and 20.983 add bridge days around
// the Fiestas Patrias and New Year.
#include <cmath>

#include "core/holidays_rules.h"

namespace cartera::holiday_rules {
namespace {

// Law 19.668: Tuesday to Thursday go back to Monday, Friday goes forward to
// Monday, weekends and Mondays stay.
Date NearestMonday(Date d) {
  switch (d.weekday()) {
    case kTue:
    case kWed:
    case kThu:
      return OnOrBefore(d, kMon);
    case kFri:
      return OnOrAfter(d, kMon);
    default:
      return d;
  }
}

// Law 21.357: the June (winter) solstice in continental Chile (UTC-4).
// Meeus' mean-solstice polynomial; its few minutes of error never cross a
// day boundary before 2100.
Date JuneSolstice(int year) {
  const double t = (year - 2000) / 1000.0;
  const double jde = 2451716.56767 + 365241.62603 * t + 0.00325 * t * t + 0.00888 * t * t * t -
                     0.00030 * t * t * t * t;
  const double local_days = jde - 2440587.5 - 4.0 / 24.0;  // Julian day of 1970-01-01 00:00 UTC
  return Date::FromDaysSinceEpoch(static_cast<int32_t>(std::floor(local_days)));
}

}  // namespace

void AddChile(YearBuilder& b) {
  const int y = b.year();
  const Date easter = EasterSunday(y);
  auto movable = [&](Date d) { return y >= 2000 ? NearestMonday(d) : d; };
  auto weekday_of = [&](unsigned month, unsigned day) { return Date::FromYmd(y, month, day).weekday(); };
  constexpr std::string_view kBridgeEn = "National Holiday", kBridgeEs = "Feriado nacional";

  b.Add(1, 1, "New Year's Day", "Año Nuevo");
  if (y >= 2017 && weekday_of(1, 1) == kSun) b.Add(1, 2, kBridgeEn, kBridgeEs);
  b.Add(easter.PlusDays(-2), "Good Friday", "Viernes Santo");
  b.Add(easter.PlusDays(-1), "Holy Saturday", "Sábado Santo");
  if (y <= 1967) b.Add(easter.PlusDays(39), "Ascension Day", "Ascensión del Señor");
  // Dropped in 1968 (Law 16.840), back from 1987 to 2006.
  if (y <= 1967 || (y >= 1987 && y <= 2006)) b.Add(movable(easter.PlusDays(60)), "Corpus Christi", "Corpus Christi");
  b.Add(5, 1, "Labor Day", "Día Nacional del Trabajo");
  b.Add(5, 21, "Navy Day", "Día de las Glorias Navales");
  if (y == 2021) {
    b.Add(6, 21, "National Day of Indigenous Peoples", "Día Nacional de los Pueblos Indígenas");
  } else if (y >= 2022) {
    b.Add(JuneSolstice(y), "National Day of Indigenous Peoples", "Día Nacional de los Pueblos Indígenas");
  }
  if (y <= 1967 || y >= 1986) {  // dropped 1968-1985
    b.Add(movable(Date::FromYmd(y, 6, 29)), "Saint Peter and Saint Paul's Day", "San Pedro y San Pablo");
  }
  if (y >= 2007) b.Add(7, 16, "Our Lady of Mount Carmel", "Virgen del Carmen");
  b.Add(8, 15, "Assumption Day", "Asunción de la Virgen");
  if (y >= 1981 && y <= 1998) {
    b.Add(9, 11, "Day of National Liberation", "Día de la Liberación Nacional");
  } else if (y >= 1999 && y <= 2001) {
    b.Add(NthWeekday(y, 9, kMon, 1), "Day of National Unity", "Día de la Unidad Nacional");
  }
  // Bridges so Fiestas Patrias (Sep 18-19) never leave a lone working day.
  if ((y >= 2007 && weekday_of(9, 18) == kTue) || (y >= 2017 && weekday_of(9, 18) == kSat)) {
    b.Add(9, 17, kBridgeEn, kBridgeEs);
  }
  b.Add(9, 18, "Independence Day", "Día de la Independencia");
  b.Add(9, 19, "Army Day", "Día de las Glorias del Ejército");
  if (y >= 2008 && weekday_of(9, 19) == kThu) b.Add(9, 20, kBridgeEn, kBridgeEs);
  if (y != 1973) {  // suspended that year
    b.Add(movable(Date::FromYmd(y, 10, 12)), y >= 2000 ? "Meeting of Two Worlds' Day" : "Columbus Day",
          y >= 2000 ? "Día del Encuentro de Dos Mundos" : "Día de la Raza");
  }
  if (y >= 2008) {
    // Law 20.299: a Tuesday goes to the Friday before, a Wednesday to the Friday after.
    Date reformation = Date::FromYmd(y, 10, 31);
    if (reformation.weekday() == kTue) reformation = reformation.PlusDays(-4);
    if (reformation.weekday() == kWed) reformation = reformation.PlusDays(2);
    b.Add(reformation, "Reformation Day", "Día de las Iglesias Evangélicas y Protestantes");
  }
  b.Add(11, 1, "All Saints' Day", "Día de Todos los Santos");
  b.Add(12, 8, "Immaculate Conception", "Inmaculada Concepción");
  if (y >= 1944 && y <= 1988) b.Add(12, 24, "Christmas Eve", "Víspera de Navidad");
  b.Add(12, 25, "Christmas Day", "Navidad");

  // One-off holidays set by their own laws.
  switch (y) {
    case 1999: b.Add(12, 31, kBridgeEn, kBridgeEs); break;
    case 2002: b.Add(4, 24, "National Population and Housing Census", "Censo Nacional"); break;
    case 2004: b.Add(9, 17, kBridgeEn, kBridgeEs); break;
    case 2010:  // Bicentennial
      b.Add(9, 17, kBridgeEn, kBridgeEs);
      b.Add(9, 20, kBridgeEn, kBridgeEs);
      break;
    case 2017: b.Add(4, 19, "National Population and Housing Census", "Censo Nacional"); break;
    case 2022: b.Add(9, 16, kBridgeEn, kBridgeEs); break;
    default: break;
  }
}

}  // namespace cartera::holiday_rules
