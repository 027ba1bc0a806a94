// cartera: the command-line entry point. Exit codes: 0 ok, 2 bad input,
// 1 anything else (docs/cli.md). No exception leaves main: a library that
// throws is a bug we report in words, never an abort.
#include <exception>
#include <iostream>

#include "cli/arguments.h"
#include "cli/commands.h"

namespace {

int Run(int argc, char** argv, cartera::Language language) {
  using namespace cartera;
  using cartera::L;
  CLI::App app{"Cartera: cuentas por cobrar y cobranza / accounts receivable and collections"};
  // Global options (--db, --tenant, --lang, -q) may also follow the command:
  // `cartera user add ana@empresa.co --role admin --tenant beta`.
  app.fallthrough();
  app.set_version_flag("--version", "cartera 0.1.0",
                       L("Muestra la versión del programa y termina", "Display program version information and exit"));
  app.set_help_flag("-h,--help", L("Muestra esta ayuda y termina", "Print this help message and exit"));
  app.require_subcommand(1);
  CliState state;
  app.add_option("--db", state.global.database_url,
                 L("Base de datos: una ruta de archivo o sqlite:RUTA (SQLite), o postgresql://... (por omisión ./cartera.db)",
                   "Database: a file path or sqlite:PATH (SQLite), or postgresql://... (default ./cartera.db)"))
      ->envname("CARTERA_DB");
  app.add_flag("-q,--quiet", state.global.quiet, L("Sin mensajes de avance", "No progress output"));
  app.add_option("--lang", state.global.language,
                 L("Idioma de tablas y mensajes: es o en (por omisión: CARTERA_LANG, LANG)",
                   "Language of tables and messages: es or en (default: CARTERA_LANG, LANG)"))
      ->check(OneOf({"es", "en"}));
  app.add_option("--tenant", state.global.tenant,
                 L("La empresa (tenant) sobre la que actúa el comando: su id o su slug (por omisión: CARTERA_TENANT, "
                   "si no la 1, 'default'; `cartera tenant list`)",
                   "The tenant the command acts for: its id or slug (default: CARTERA_TENANT, else 1, 'default'; "
                   "`cartera tenant list`)"))
      ->envname("CARTERA_TENANT");

  AddInitCommand(app, state);
  AddDemoCommand(app, state);
  AddSummaryCommand(app, state);
  AddImportCommand(app, state);
  AddAgingCommand(app, state);
  AddStatementCommand(app, state);
  AddListCommands(app, state);
  AddCalendarCommand(app, state);
  AddAuditCommand(app, state);
  AddCollectionCommands(app, state);
  AddRecordCommands(app, state);
  AddDisputeCommands(app, state);
  AddTemplateCommands(app, state);
  AddDeliveryCommands(app, state);
  AddDocumentCommands(app, state);
  AddWebhookEndpointCommands(app, state);
  AddServeCommand(app, state);
  AddAccessCommands(app, state);
  AddTenantCommands(app, state);
  AddCustomerCommands(app, state);
  AddCreditCommands(app, state);
  AddChargesCommands(app, state);
  AddEscalationCommands(app, state);
  AddPlanCommands(app, state);
  AddPlanLimitCommands(app, state);
  AddOfferCommands(app, state);
  AddPromisesCommands(app, state);
  // Only the commands that create data may create a database; the rest say
  // it does not exist (CommandContext::Open).
  // `init` and `tenant create|list` act on the installation, whatever
  // --tenant says (one preparse callback per subcommand: CLI11 keeps the last).
  for (const char* creates : {"demo", "import"}) {
    app.get_subcommand(creates)->preparse_callback([&state](size_t) { state.global.may_create_database = true; });
  }
  app.get_subcommand("init")->preparse_callback([&state](size_t) {
    state.global.may_create_database = true;
    state.global.acts_for_tenant = false;
  });
  app.get_subcommand("tenant")->preparse_callback([&state](size_t) { state.global.acts_for_tenant = false; });

  // `import` registers itself in English (command_import.cc); its help
  // texts are worded here until that file speaks both languages.
  if (CliLanguage() == Language::kSpanish) {
    CLI::App* import = app.get_subcommand("import");
    import->description("Importa clientes, facturas, pagos o notas crédito desde CSV (todo o nada; se puede repetir)");
    const std::pair<const char*, const char*> kImportOptions[] = {
        {"kind", "customers | invoices | payments | credit-notes"},
        {"file", "Archivo CSV (UTF-8, separado por comas o punto y coma)"},
        {"--dry-run", "Solo valida; no escribe nada"},
        {"--date-format", "iso (AAAA-MM-DD, por omisión) o dmy (DD/MM/AAAA)"},
        {"--decimal-comma", "Los valores usan ',' para los decimales (1250000,50)"},
        {"--delimiter", "Separador de campos: , o ; (por omisión: se detecta)"}};
    for (const auto& [name, text] : kImportOptions) {
      if (CLI::Option* option = import->get_option_no_throw(name)) option->description(text);
    }
  }
  LocaliseHelp(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0 || error.get_name() == "CallForHelp" || error.get_name() == "CallForAllHelp" ||
        error.get_name() == "CallForVersion") {
      return app.exit(error) == 0 ? 0 : 2;
    }
    // Usage errors are bad input (2), worded in the reader's language.
    std::cerr << "cartera: " << ParseErrorMessage(error, language) << '\n'
              << Tr(language, "Use --help para ver las opciones.\n", "Run with --help for the options.\n");
    return 2;
  }
  return state.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cartera;
  // Reports can print a million lines: C++ streams need not sync with stdio.
  std::ios::sync_with_stdio(false);
  const Language language = LanguageFromArguments(argc, argv);
  SetCliLanguage(language);
  // Every argument is UTF-8 text without control characters, or refused
  // before anything runs: nothing invalid reaches the database or JSON.
  if (auto refused = CheckArguments(argc, argv, language)) {
    std::cerr << "cartera: " << *refused << '\n';
    return 2;
  }
  try {
    return Run(argc, argv, language);
  } catch (const std::exception& error) {
    std::cerr << "cartera: "
              << TrFormat(language, "error interno inesperado ({}); el comando se detuvo. Por favor repórtelo.",
                          "unexpected internal error ({}); the command stopped. Please report it.", error.what())
              << '\n';
  } catch (...) {
    std::cerr << "cartera: "
              << Tr(language, "error interno inesperado; el comando se detuvo. Por favor repórtelo.",
                    "unexpected internal error; the command stopped. Please report it.")
              << '\n';
  }
  return 1;
}
