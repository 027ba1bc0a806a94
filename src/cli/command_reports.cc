// aging, statement and summary: the figures of the portfolio.
#include <algorithm>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/currency.h"
#include "pdf/customer_documents.h"
#include "report/aging_report.h"
#include "report/portfolio_summary.h"
#include "report/statement.h"

namespace cartera {

void AddAgingCommand(CLI::App& app, CliState& state) {
  struct Options {
    std::string as_of, currency, format = "table", buckets;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("aging", L("Antigüedad de cartera: saldo por cliente según los días de mora", "Open balance per customer by days past due (antigüedad de cartera)"));
  command->add_option("--as-of", options->as_of, L("Como estaban los libros en esta fecha (AAAA-MM-DD; por omisión: hoy)", "As the books stood on this date (YYYY-MM-DD; default: today)"));
  command->add_option("--currency", options->currency, L("Solo esta moneda (ISO 4217)", "Only this currency (ISO 4217)"));
  command->add_option("--format", options->format, "table | json | csv");
  command->add_option("--buckets", options->buckets, L("Límites de los rangos en días (por omisión 30,60,90,180)", "Bucket limits in days (default 30,60,90,180)"));
  command->callback([&state, options]() {
    auto run = [&]() -> Status {
      auto format = ParseFormat(options->format);
      if (!format) return Fail(format.error());
      AgingOptions aging;
      auto as_of = ParseOptionalDate(options->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      aging.as_of = *as_of;
      if (!options->currency.empty()) {
        if (!Currency::FromCode(options->currency)) {
          return Fail(Error::BadInput(TrFormat(CliLanguage(), "--currency '{}' no es un código ISO 4217", "--currency '{}' is not an ISO 4217 code", options->currency)));
        }
        aging.currency = options->currency;
      }
      if (!options->buckets.empty()) {
        auto buckets = AgingBuckets::Parse(options->buckets);
        if (!buckets) return Fail(buckets.error());
        aging.buckets = *buckets;
      }
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      aging.tenant_id = context->tenant_id();
      auto report = BuildAgingReport(context->database(), aging, context->clock());
      if (!report) return Fail(report.error());
      switch (*format) {
        case OutputFormat::kJson: PrintAgingJson(*report, std::cout); break;
        case OutputFormat::kCsv: PrintAgingCsv(*report, std::cout); break;
        case OutputFormat::kTable: PrintAgingTable(*report, context->language(), std::cout); break;
      }
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}

void AddStatementCommand(CLI::App& app, CliState& state) {
  struct Options {
    std::string customer, as_of, format = "table", output = "-", paper;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("statement", L("Estado de cuenta de un cliente", "Account statement of one customer (estado de cuenta)"));
  command->add_option("customer", options->customer, L("El id externo del cliente", "The customer's external id"))->required();
  command->add_option("--as-of", options->as_of, L("Como estaban los libros en esta fecha (por omisión: hoy en la zona del cliente)", "As the books stood on this date (default: today in the customer's zone)"));
  command->add_option("--format", options->format, L("table | json | pdf (para imprimir, en el idioma del cliente)", "table | json | pdf (printable, in the customer's language)"));
  command->add_option("--output", options->output, L("pdf: el archivo a escribir; - para la salida estándar (nunca una terminal)", "pdf: the file to write; - for stdout (never a terminal)"));
  command->add_option("--paper", options->paper, L("pdf: a4 | letter (por omisión: el papel del país de la empresa)", "pdf: a4 | letter (default: the company country's paper)"))
      ->check(CLI::IsMember({"a4", "letter"}));
  command->callback([&state, options]() {
    auto run = [&]() -> Status {
      auto as_of = ParseOptionalDate(options->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      if (options->format == "pdf") {
        if (auto ok = CheckBinaryOutput(options->output); !ok) return ok;
        auto context = CommandContext::Open(state.global);
        if (!context) return Fail(context.error());
        if (auto known = RequireCustomer(*context, options->customer); !known) return known;
        auto customer = pdf::FindCustomerId(context->database(), context->tenant_id(), options->customer);
        if (!customer) return Fail(customer.error());
        auto bytes = pdf::StatementPdfForCustomer(context->database(), context->tenant_id(), *customer, *as_of,
                                                  options->paper.empty() ? std::nullopt : pdf::ParsePaper(options->paper),
                                                  context->clock().Now());
        if (!bytes) return Fail(bytes.error());
        return WriteBinaryOutput(*bytes, options->output);
      }
      if (options->output != "-" || !options->paper.empty()) {
        return Fail(Error::BadInput(L("--output y --paper son para --format pdf", "--output and --paper are for --format pdf")));
      }
      auto format = ParseFormat(options->format, false);
      if (!format) return Fail(Error::BadInput(TrFormat(CliLanguage(), "--format '{}': use table, json o pdf", "--format '{}': use table, json or pdf", options->format)));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto known = RequireCustomer(*context, options->customer); !known) return known;
      auto statement = BuildStatement(context->database(), context->tenant_id(), options->customer, *as_of, context->clock());
      if (!statement) return Fail(statement.error());
      if (*format == OutputFormat::kJson) {
        PrintStatementJson(*statement, std::cout);
      } else {
        PrintStatementTable(*statement, context->language(), std::cout);
      }
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}

int PrintSummary(CommandContext& context, const GlobalOptions& global, std::ostream& out) {
  const Language language = context.language();
  auto summary = BuildPortfolioSummary(context.database(), context.tenant_id(), context.clock());
  if (!summary) return ReportError(summary.error());
  const AgingReport* report = &summary->aging;
  out << fmt::format("\n{}: {} {}, {} {}, {} {}\n\n", Tr(language, "Cartera", "Portfolio"), summary->customers,
                     Tr(language, "clientes", "customers"), summary->invoices, Tr(language, "facturas", "invoices"),
                     // Lines with only credit in the customer's favour owe nothing.
                     summary->open_balances, Tr(language, "con saldo abierto", "with an open balance"));
  AgingReport totals_only = *report;
  totals_only.lines.clear();
  PrintAgingTable(totals_only, language, out);
  out << fmt::format("\n{}\n", Tr(language, "Mayores deudores", "Top debtors"));
  PrintAgingTable(*report, language, out, 10);
  // Hints a person can paste as they are: the program as it was found and
  // the database (and the tenant) it just read.
  std::string cartera = fmt::format("{} --db {}", ProgramForHints(), ShellQuoted(RedactedDatabaseUrl(global.database_url)));
  if (context.tenant_id() != kDefaultTenantId) cartera += fmt::format(" --tenant {}", context.tenant_id());
  out << fmt::format("\n{}\n", Tr(language, "Pruebe ahora:", "Try next:"));
  const std::string example = report->lines.empty() ? "CLI-000001" : report->lines.front().customer_external_id;
  out << fmt::format("  {} aging --format csv\n      # {}\n", cartera, Tr(language, "antigüedad por cliente", "aging per customer"));
  out << fmt::format("  {} statement {}\n      # {}\n", cartera, example, Tr(language, "estado de cuenta", "account statement"));
  out << fmt::format("  {} invoices --status unpaid --min-days-past-due 90\n      # {}\n", cartera,
                     Tr(language, "facturas con más de 90 días", "invoices over 90 days late"));
  out << fmt::format("  {} import invoices {} --dry-run\n      # {}\n", cartera, Tr(language, "facturas.csv", "invoices.csv"),
                     Tr(language, "validar sus propios datos", "validate your own data"));
  out << fmt::format("  {} --help\n", ProgramForHints());
  return 0;
}

void AddSummaryCommand(CLI::App& app, CliState& state) {
  CLI::App* command = app.add_subcommand("summary", L("Resumen de la cartera: totales por antigüedad y mayores deudores", "Portfolio overview: aging totals and top debtors"));
  command->callback([&state]() {
    auto context = CommandContext::Open(state.global);
    if (!context) {
      state.exit_code = ReportError(context.error());
      return;
    }
    state.exit_code = PrintSummary(*context, state.global, std::cout);
  });
}

}  // namespace cartera
