// demo: generate a realistic portfolio, import it like a user would, and
// show it.
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/time_zone.h"
#include "demo/demo_portfolio.h"
#include "importer/import.h"

namespace cartera {

void AddInitCommand(CLI::App& app, CliState& state) {
  CLI::App* command = app.add_subcommand(
      "init", L("Crea una base de datos vacía (o pone al día una existente)", "Create an empty database (or bring one up to date)"));
  command->callback([&state]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "Base de datos lista: {}\n", "Database ready: {}\n",
                              state.global.database_url);
      }
      return {};
    });
  });
}

void AddDemoCommand(CLI::App& app, CliState& state) {
  struct Options {
    int64_t customers = 200;
    uint64_t seed = 42;
    std::string as_of, keep_files;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("demo", L("Crea una cartera de demostración realista (la misma para una semilla) y la muestra", "Create a realistic demo portfolio (deterministic for a seed) and show it"));
  command->add_option("--customers", options->customers, L("Cuántos clientes (por omisión 200; hasta millones)", "How many customers (default 200; up to millions)"))
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  command->add_option("--seed", options->seed, L("Semilla aleatoria (por omisión 42)", "Random seed (default 42)"));
  command->add_option("--as-of", options->as_of, L("Último día de la historia generada (por omisión: hoy en la zona horaria de la empresa)", "Last day of the generated history (default: today in the tenant's time zone)"));
  command->add_option("--keep-files", options->keep_files, L("Escribe los CSV generados en este directorio y los conserva", "Write the generated CSV files to this directory and keep them"));
  command->callback([&state, options]() {
    auto run = [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto as_of = ParseOptionalDate(options->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      const Language language = context->language();
      DemoOptions demo;
      demo.customers = options->customers;
      demo.seed = options->seed;
      demo.as_of = *as_of ? **as_of : DateIn(context->tenant_time_zone(), context->clock().Now());
      const bool keep = !options->keep_files.empty();
      demo.directory = keep ? options->keep_files
                            : (std::filesystem::temp_directory_path() / fmt::format("cartera-demo-{}", ::getpid())).string();
      ProgressLine generating(context->show_progress(), std::string(Tr(language, "clientes generados", "customers generated")));
      demo.on_progress = [&generating](int64_t done) { generating.Update(done); };
      auto files = WriteDemoPortfolio(demo);
      generating.Finish();
      if (!files) return Fail(files.error());
      if (!context->quiet()) {
        std::cout << fmt::format("{}: {} {}, {} {}, {} {}, {} {}\n", Tr(language, "Demo generada", "Demo generated"),
                                 demo.customers, Tr(language, "clientes", "customers"), files->invoice_count,
                                 Tr(language, "facturas", "invoices"), files->payment_count, Tr(language, "pagos", "payments"),
                                 files->credit_note_count, Tr(language, "notas crédito", "credit notes"));
      }
      const std::pair<ImportKind, std::string> steps[] = {{ImportKind::kCustomers, files->customers},
                                                          {ImportKind::kInvoices, files->invoices},
                                                          {ImportKind::kCreditNotes, files->credit_notes},
                                                          {ImportKind::kPayments, files->payments}};
      for (const auto& [kind, path] : steps) {
        ImportOptions import;
        import.kind = kind;
        import.path = path;
        import.tenant_id = context->tenant_id();
        import.audit = context->Audit("cartera demo");
        ProgressLine progress(context->show_progress(), fmt::format("{} ({})", Tr(language, "filas", "rows"),
                                                                    std::filesystem::path(path).filename().string()));
        import.on_progress = [&progress](int64_t rows) { progress.Update(rows); };
        auto report = RunImport(context->database(), import);
        progress.Finish();
        if (!report) return Fail(report.error());
        if (!report->ok()) {
          for (const std::string& error : report->errors) std::cerr << error << '\n';
          return Fail(Error::Internal("the generated demo data did not import (a bug: please report it)"));
        }
      }
      if (!keep) std::filesystem::remove_all(demo.directory);
      if (!context->quiet()) {
        if (keep) std::cout << fmt::format("{}: {}\n", Tr(language, "Archivos CSV en", "CSV files in"), demo.directory);
        state.exit_code = PrintSummary(*context, state.global, std::cout);
      }
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}

}  // namespace cartera
