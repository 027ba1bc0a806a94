// calendar: public holidays and business days per country.
#include <fmt/format.h>

#include "cli/commands.h"
#include "core/holidays.h"

namespace cartera {

void AddCalendarCommand(CLI::App& app, CliState& state) {
  struct Options {
    std::string country;
    int year = 0;
    std::vector<std::string> business_days;
    std::string format = "table";
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("calendar", L("Festivos de un año, o días hábiles entre dos fechas", "Public holidays of a year, or business days between two dates"));
  command->add_option("country", options->country, L("CO, MX, CL, PE, AR, ES o US", "CO, MX, CL, PE, AR, ES or US"))->required();
  command->add_option("year", options->year, L("El año a listar", "The year to list"));
  command->add_option("--business-days", options->business_days, L("DESDE HASTA: cuenta los días hábiles (ambos incluidos)", "FROM TO: count business days (both inclusive)"))
      ->expected(2);
  command->add_option("--format", options->format, "table | json");
  command->callback([&state, options]() {
    auto run = [&]() -> Status {
      auto format = ParseFormat(options->format, false);
      if (!format) return Fail(format.error());
      const HolidayCalendar* calendar = HolidayCalendar::ForCountry(options->country);
      if (calendar == nullptr) {
        std::string supported;
        for (std::string_view country : HolidayCalendar::SupportedCountries()) {
          supported += supported.empty() ? "" : ", ";
          supported += country;
        }
        return Fail(Error::BadInput(TrFormat(CliLanguage(), "no hay calendario de festivos para '{}' (disponibles: {})", "no holiday calendar for '{}' (supported: {})", options->country, supported)));
      }
      const Language language = CliLanguage();  // --lang, else the environment
      if (!options->business_days.empty()) {
        auto from = Date::ParseIso(options->business_days[0]);
        auto to = Date::ParseIso(options->business_days[1]);
        if (!from || !to) return Fail(Error::BadInput(fmt::format("--business-days: {}", (!from ? from : to).error().message)));
        if (*to < *from) {
          return Fail(Error::BadInput(TrFormat(language, "--business-days: {} es posterior a {}; ponga primero la fecha inicial",
                                               "--business-days: {} is after {}; give the first date first",
                                               from->ToIso(), to->ToIso())));
        }
        const int count = calendar->BusinessDaysBetween(*from, *to);
        if (*format == OutputFormat::kJson) {
          std::cout << DumpJson(nlohmann::json{{"country", options->country}, {"from", from->ToIso()}, {"to", to->ToIso()},
                                               {"business_days", count}})
                    << '\n';
        } else {
          std::cout << count << '\n';
        }
        return {};
      }
      if (options->year < 1900 || options->year > 2199) {
        return Fail(Error::BadInput(L("indique un año entre 1900 y 2199, o --business-days DESDE HASTA", "give a year between 1900 and 2199, or --business-days FROM TO")));
      }
      auto holidays = calendar->HolidaysIn(options->year);
      if (*format == OutputFormat::kJson) {
        nlohmann::json list = nlohmann::json::array();
        for (const Holiday& holiday : holidays) {
          list.push_back({{"date", holiday.date.ToIso()}, {"name_en", holiday.name_en}, {"name_es", holiday.name_es}});
        }
        std::cout << DumpJson(nlohmann::json{{"country", options->country}, {"year", options->year}, {"holidays", list}})
                  << '\n';
        return {};
      }
      static constexpr std::string_view kDaysEs[] = {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"};
      static constexpr std::string_view kDaysEn[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
      TextTable table({std::string(Tr(language, "Fecha", "Date")), std::string(Tr(language, "Día", "Day")),
                       std::string(Tr(language, "Festivo", "Holiday"))});
      for (const Holiday& holiday : holidays) {
        table.AddRow({holiday.date.ToIso(),
                      std::string(language == Language::kSpanish ? kDaysEs[holiday.date.weekday()] : kDaysEn[holiday.date.weekday()]),
                      language == Language::kSpanish ? holiday.name_es : holiday.name_en});
      }
      table.Print(std::cout);
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}

}  // namespace cartera
