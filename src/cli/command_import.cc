#include <fmt/format.h>

#include "cli/commands.h"
#include "importer/import.h"

namespace cartera {

void AddImportCommand(CLI::App& app, CliState& state) {
  struct Options {
    std::string kind, path, date_format = "iso", delimiter;
    bool dry_run = false, decimal_comma = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "import", "Import customers, invoices, payments or credit-notes from CSV (all-or-nothing, safe to re-run)");
  command->add_option("kind", options->kind, "customers | invoices | payments | credit-notes")
      ->required()
      ->check(CLI::IsMember({"customers", "invoices", "payments", "credit-notes"}));
  command->add_option("file", options->path, "CSV file (UTF-8, comma or semicolon separated)")->required();
  command->add_flag("--dry-run", options->dry_run, "Validate only; write nothing");
  command->add_option("--date-format", options->date_format, "iso (YYYY-MM-DD, default) or dmy (DD/MM/YYYY)")
      ->check(CLI::IsMember({"iso", "dmy"}));
  command->add_flag("--decimal-comma", options->decimal_comma, "Amounts use ',' for decimals (1250000,50)");
  command->add_option("--delimiter", options->delimiter, "Field separator: , or ; (default: detected)")
      ->check(CLI::IsMember({",", ";"}));
  command->callback([&state, options]() {
    auto context = CommandContext::Open(state.global);
    if (!context) {
      state.exit_code = ReportError(context.error());
      return;
    }
    ImportOptions import;
    import.kind = *ParseImportKind(options->kind);
    import.path = options->path;
    import.tenant_id = context->tenant_id();
    import.dry_run = options->dry_run;
    import.date_format = options->date_format == "dmy" ? DateFormat::kDayMonthYear : DateFormat::kIso;
    import.decimal_separator = options->decimal_comma ? DecimalSeparator::kComma : DecimalSeparator::kPoint;
    if (!options->delimiter.empty()) import.delimiter = options->delimiter[0];
    import.audit = context->Audit(options->path);
    import.language = context->language();
    ProgressLine progress(context->show_progress(), Tr(context->language(), "filas", "rows").data());
    import.on_progress = [&progress](int64_t rows) { progress.Update(rows); };
    auto report = RunImport(context->database(), import);
    progress.Finish();
    if (!report) {
      state.exit_code = ReportError(report.error());
      return;
    }
    const Language language = context->language();
    if (!report->ok()) {
      for (const std::string& error : report->errors) std::cerr << error << '\n';
      if (report->error_count > static_cast<int64_t>(report->errors.size())) {
        std::cerr << fmt::format("... {} {}\n", report->error_count - static_cast<int64_t>(report->errors.size()),
                                 Tr(language, "errores más", "more errors"));
      }
      // Rows and errors counted apart: one row can have several errors.
      const int64_t rows = std::max<int64_t>(report->bad_rows, 1);
      std::cerr << fmt::format("{}: {} {} {} {} {}, {}\n", options->path, report->error_count,
                               report->error_count == 1 ? Tr(language, "error", "error") : Tr(language, "errores", "errors"),
                               Tr(language, "en", "in"), rows,
                               rows == 1 ? Tr(language, "fila", "row") : Tr(language, "filas", "rows"),
                               Tr(language, "no se importó nada", "nothing was imported"));
      state.exit_code = 2;
      return;
    }
    if (!context->quiet()) {
      std::cout << fmt::format("{}{}: {} {}, {} {}, {} {}, {} {}\n",
                               report->dry_run ? Tr(language, "[simulación] ", "[dry run] ") : "", options->path,
                               report->rows, Tr(language, "filas", "rows"), report->created,
                               Tr(language, "creadas", "created"), report->updated, Tr(language, "actualizadas", "updated"),
                               report->unchanged, Tr(language, "sin cambios", "unchanged"));
      if (report->rebalance.allocations_created + report->rebalance.allocations_dropped > 0) {
        std::cout << fmt::format("{}: {} {}, {} {}\n", Tr(language, "Aplicaciones", "Allocations"),
                                 report->rebalance.allocations_created, Tr(language, "creadas", "created"),
                                 report->rebalance.allocations_dropped, Tr(language, "anuladas", "released"));
      }
    }
  });
}

}  // namespace cartera
