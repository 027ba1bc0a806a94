#include "core/date.h"

#include <cassert>
#include <charconv>

#include <fmt/format.h>

namespace cartera {
namespace {

bool ParseDigits(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

Result<Date> Build(std::string_view text, int year, int month, int day) {
  using namespace std::chrono;
  if (year < 1900 || year > 2199) {
    return Fail(Error::BadInput(fmt::format("'{}' is not a date: year out of range 1900-2199", text)));
  }
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (month < 1 || day < 1 || !ymd.ok()) return Fail(Error::BadInput(fmt::format("'{}' is not a date", text)));
  return Date::FromSysDays(sys_days(ymd));
}

}  // namespace

Date Date::FromYmd(int year, unsigned month, unsigned day) {
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  assert(ymd.ok());
  return FromSysDays(std::chrono::sys_days(ymd));
}

Result<Date> Date::ParseIso(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text.substr(0, 4), year) ||
      !ParseDigits(text.substr(5, 2), month) || !ParseDigits(text.substr(8, 2), day)) {
    return Fail(Error::BadInput(fmt::format("'{}' is not a date (expected YYYY-MM-DD)", text)));
  }
  return Build(text, year, month, day);
}

Result<Date> Date::ParseDayMonthYear(std::string_view text) {
  int year = 0, month = 0, day = 0;
  const size_t first = text.find('/');
  const size_t second = first == std::string_view::npos ? first : text.find('/', first + 1);
  if (second == std::string_view::npos || !ParseDigits(text.substr(0, first), day) ||
      !ParseDigits(text.substr(first + 1, second - first - 1), month) ||
      text.size() - second - 1 != 4 || !ParseDigits(text.substr(second + 1), year) || first > 2 ||
      second - first - 1 > 2) {
    return Fail(Error::BadInput(fmt::format("'{}' is not a date (expected DD/MM/YYYY)", text)));
  }
  return Build(text, year, month, day);
}

std::string Date::ToIso() const {
  auto ymd_value = ymd();
  const int year = static_cast<int>(ymd_value.year());
  if (year >= 0 && year <= 9999) {
    // By hand: the run writes a few million dates.
    const unsigned month = static_cast<unsigned>(ymd_value.month()), day = static_cast<unsigned>(ymd_value.day());
    const char text[10] = {static_cast<char>('0' + year / 1000),     static_cast<char>('0' + year / 100 % 10),
                           static_cast<char>('0' + year / 10 % 10),  static_cast<char>('0' + year % 10),
                           '-',
                           static_cast<char>('0' + month / 10),      static_cast<char>('0' + month % 10),
                           '-',
                           static_cast<char>('0' + day / 10),        static_cast<char>('0' + day % 10)};
    return std::string(text, sizeof text);
  }
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd_value.year()),
                     static_cast<unsigned>(ymd_value.month()), static_cast<unsigned>(ymd_value.day()));
}

}  // namespace cartera
