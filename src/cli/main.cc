// cartera: the command-line entry point. Exit codes: 0 ok, 2 bad input,
// 1 anything else (docs/cli.md).
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace cartera;
  // Reports can print a million lines: C++ streams need not sync with stdio.
  std::ios::sync_with_stdio(false);
  CLI::App app{"Cartera: cuentas por cobrar y cobranza / accounts receivable and collections"};
  app.set_version_flag("--version", "cartera 0.1.0");
  app.require_subcommand(1);
  CliState state;
  app.add_option("--db", state.global.database_url,
                 "Database: a file path or sqlite:PATH (SQLite), or postgresql://... (default ./cartera.db)")
      ->envname("CARTERA_DB");
  app.add_flag("-q,--quiet", state.global.quiet, "No progress output");
  app.add_option("--lang", state.global.language, "Language of tables and messages: es or en (default: CARTERA_LANG, LANG)")
      ->check(CLI::IsMember({"es", "en"}));

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
  AddTemplateCommands(app, state);
  AddDeliveryCommands(app, state);
  AddDocumentCommands(app, state);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    // Usage errors are bad input (2); --help and --version are success.
    return code == 0 ? 0 : 2;
  }
  return state.exit_code;
}
