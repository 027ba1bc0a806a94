#include "cli/arguments.h"

#include <regex>

#include <fmt/format.h>

#include "core/text_check.h"
#include "report/output.h"

namespace cartera {
namespace {

Language cli_language = Language::kSpanish;

std::string Join(const std::vector<std::string>& values, std::string_view last_separator) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += i + 1 == values.size() ? last_separator : ", ";
    out += values[i];
  }
  return out;
}

}  // namespace

Language LanguageFromArguments(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view argument(argv[i]);
    std::string_view value;
    if (argument == "--lang" && i + 1 < argc) {
      value = argv[i + 1];
    } else if (argument.starts_with("--lang=")) {
      value = argument.substr(7);
    } else {
      continue;
    }
    if (value == "en") return Language::kEnglish;
    if (value == "es") return Language::kSpanish;
  }
  return LanguageFromEnvironment();
}

void SetCliLanguage(Language language) { cli_language = language; }
Language CliLanguage() { return cli_language; }
std::string L(std::string_view spanish, std::string_view english) { return std::string(Tr(cli_language, spanish, english)); }

std::optional<std::string> CheckArguments(int argc, const char* const* argv, Language language) {
  for (int i = 1; i < argc; ++i) {
    std::string_view argument(argv[i]);
    // The option the value belongs to, to name it in the message.
    std::string option;
    if (i > 1 && std::string_view(argv[i - 1]).starts_with("-")) option = fmt::format(" ({})", argv[i - 1]);
    // A postal address and payment instructions may span lines (company
    // set): there, and only there, a line break is text.
    const std::string_view previous = i > 1 ? std::string_view(argv[i - 1]) : std::string_view();
    const bool multiline = previous == "--address" || previous == "--payment-instructions" ||
                           argument.starts_with("--address=") || argument.starts_with("--payment-instructions=");
    std::optional<TextProblem> found;
    if (multiline) {
      size_t offset = 0;
      for (std::string_view rest = argument; !found;) {
        const size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (auto problem = FindTextProblem(line)) {
          problem->byte_offset += offset;
          found = problem;
        }
        if (end == std::string_view::npos) break;
        offset += end + 1;
        rest.remove_prefix(end + 1);
      }
    } else {
      found = FindTextProblem(argument);
    }
    if (auto problem = found) {
      return TrFormat(language,
                      "el argumento {}{} '{}' {}; escríbalo como texto UTF-8 de una sola línea, sin tabuladores ni "
                      "secuencias de escape",
                      "argument {}{} '{}' {}; type it as single-line UTF-8 text without tabs or escape sequences", i,
                      option, EscapeForDisplay(argument), DescribeTextProblem(*problem, language));
    }
  }
  return std::nullopt;
}

namespace {

void LocaliseGroups(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_group() == "Options") option->group("Opciones");
  }
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (command->get_group() == "Subcommands") command->group("Comandos");
    LocaliseGroups(*command);
  }
}

}  // namespace

void LocaliseHelp(CLI::App& app) {
  if (cli_language != Language::kSpanish) return;
  auto formatter = app.get_formatter();
  formatter->label("Usage", "Uso");
  formatter->label("OPTIONS", "OPCIONES");
  formatter->label("SUBCOMMAND", "COMANDO");
  formatter->label("SUBCOMMANDS", "COMANDOS");
  formatter->label("REQUIRED", "OBLIGATORIO");
  formatter->label("Positionals", "Argumentos");
  formatter->label("Env", "Variable de entorno");
  formatter->label("Needs", "Necesita");
  formatter->label("Excludes", "Excluye");
  formatter->label("TEXT", "TEXTO");
  formatter->label("INT", "ENTERO");
  LocaliseGroups(app);
}

std::string ParseErrorMessage(const CLI::ParseError& error, Language language) {
  // The kind of error from its type: get_name() is sometimes the command's
  // name (ExtrasError from a subcommand).
  const auto is = [&error]<typename Kind>(Kind*) { return dynamic_cast<const Kind*>(&error) != nullptr; };
  const std::string name = is(static_cast<CLI::RequiredError*>(nullptr))      ? "RequiredError"
                           : is(static_cast<CLI::ExtrasError*>(nullptr))      ? "ExtrasError"
                           : is(static_cast<CLI::ConversionError*>(nullptr))  ? "ConversionError"
                           : is(static_cast<CLI::ValidationError*>(nullptr))  ? "ValidationError"
                           : is(static_cast<CLI::ArgumentMismatch*>(nullptr)) ? "ArgumentMismatch"
                           : is(static_cast<CLI::RequiresError*>(nullptr))    ? "RequiresError"
                           : is(static_cast<CLI::ExcludesError*>(nullptr))    ? "ExcludesError"
                                                                              : error.get_name();
  const std::string what = error.what();
  std::smatch match;
  if (language == Language::kEnglish) {
    if (name == "RequiredError" && what.starts_with("A subcommand")) return "a command is required (see --help)";
    return what;
  }
  if (name == "RequiredError") {
    if (what.starts_with("A subcommand")) return "falta el comando (vea --help)";
    static const std::regex kRequired("(.*) is required");
    if (std::regex_match(what, match, kRequired)) return fmt::format("falta {}", match[1].str());
  }
  if (name == "ExtrasError") {
    static const std::regex kExtras("The following arguments? (?:was|were) not expected: (.*)");
    if (std::regex_match(what, match, kExtras)) return fmt::format("argumentos que no se esperaban: {}", match[1].str());
  }
  if (name == "ConversionError") {
    static const std::regex kConvert("Could not convert: (.*) = (.*)");
    if (std::regex_match(what, match, kConvert)) {
      return fmt::format("{}: '{}' no es un valor válido", match[1].str(), match[2].str());
    }
    static const std::regex kAllowed("The value (.*) is not an allowed value for (.*)");
    if (std::regex_match(what, match, kAllowed)) {
      return fmt::format("{}: '{}' no es un valor permitido", match[2].str(), match[1].str());
    }
  }
  if (name == "ValidationError") {
    static const std::regex kMember("(.*): (.*) not in \\{(.*)\\}");
    if (std::regex_match(what, match, kMember)) {
      return fmt::format("{}: '{}' no es uno de {}", match[1].str(), match[2].str(), match[3].str());
    }
    static const std::regex kRange("(.*): Value (.*) not in range (.*) to (.*)");
    if (std::regex_match(what, match, kRange)) {
      return fmt::format("{}: {} no está entre {} y {}", match[1].str(), match[2].str(), match[3].str(), match[4].str());
    }
    return what;  // our own validators already speak the language
  }
  if (name == "ArgumentMismatch") {
    static const std::regex kExactly("Expected exactly (\\d+) arguments to (.*), got (\\d+)");
    if (std::regex_match(what, match, kExactly)) {
      return fmt::format("{} espera {} valores y recibió {}", match[2].str(), match[1].str(), match[3].str());
    }
    static const std::regex kAtLeast("Expected at least (\\d+) arguments to (.*), got (\\d+)");
    if (std::regex_match(what, match, kAtLeast)) {
      return fmt::format("{} espera al menos {} valores y recibió {}", match[2].str(), match[1].str(), match[3].str());
    }
  }
  if (name == "RequiresError") {
    static const std::regex kRequires("(.*) requires (.*)");
    if (std::regex_match(what, match, kRequires)) return fmt::format("{} necesita {}", match[1].str(), match[2].str());
  }
  if (name == "ExcludesError") {
    static const std::regex kExcludes("(.*) excludes (.*)");
    if (std::regex_match(what, match, kExcludes)) {
      return fmt::format("{} no va junto con {}", match[1].str(), match[2].str());
    }
  }
  return what;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

CLI::Validator NotNegative() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        try {
          if (std::stoll(input) >= 0) return "";
        } catch (const std::exception&) {
        }
        return L(fmt::format("'{}' debe ser un número entero mayor o igual a 0", input),
                 fmt::format("'{}' must be a whole number, 0 or more", input));
      },
      "", "NotNegative");
}

CLI::Validator PortNumber() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        try {
          size_t used = 0;
          const long long port = std::stoll(input, &used);
          if (used == input.size() && port >= 1 && port <= 65535) return "";
        } catch (const std::exception&) {
        }
        return L(fmt::format("'{}' no es un puerto TCP (1 a 65535)", input),
                 fmt::format("'{}' is not a TCP port (1 to 65535)", input));
      },
      "", "Port");
}

CLI::Validator CountryCode() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        const bool ok = input.size() == 2 && input[0] >= 'A' && input[0] <= 'Z' && input[1] >= 'A' && input[1] <= 'Z';
        if (ok) return "";
        return L(fmt::format("'{}' no es un código de país ISO 3166 (dos letras mayúsculas, p. ej. CO)", input),
                 fmt::format("'{}' is not an ISO 3166 country code (two capital letters, e.g. CO)", input));
      },
      "", "Country");
}

CLI::Validator OneOf(std::vector<std::string> values) {
  return CLI::Validator(
      [values](std::string& input) -> std::string {
        for (const std::string& value : values) {
          if (input == value) return "";
        }
        return L(fmt::format("'{}' no es un valor válido; use {}", input, Join(values, " o ")),
                 fmt::format("'{}' is not a valid value; use {}", input, Join(values, " or ")));
      },
      "", "OneOf");
}

}  // namespace cartera
