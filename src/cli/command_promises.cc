// promises report: the promise-kept rate per collector or per customer over
// a period (collection/promise_report.h). Thin: one use case.

#include <fmt/format.h>

#include "cli/commands.h"
#include "collection/promise_report.h"
#include "core/money.h"
#include "report/list_page.h"
#include "report/output.h"

namespace cartera {
namespace {

std::string AmountText(int64_t minor, const std::string& currency) {
  auto parsed = Currency::FromCode(currency);
  if (!parsed) return fmt::format("{} {}", minor, currency);
  return fmt::format("{} {}", FormatMinorUnits(minor, parsed->exponent()), currency);
}

// "1.00 COP; 2.00 USD" for one of the amounts of every currency; in a
// table, grouped in the reader's language.
std::string AmountsText(const std::vector<PromiseAmounts>& amounts, int64_t PromiseAmounts::*field,
                        std::optional<Language> table_language) {
  std::string text;
  for (const PromiseAmounts& each : amounts) {
    text += (text.empty() ? "" : "; ") + (table_language ? FormatMoneyForTable(each.*field, each.currency, *table_language) + " " + each.currency
                                                         : AmountText(each.*field, each.currency));
  }
  return text;
}

std::string RateText(const PromiseCounts& counts) {
  auto basis_points = KeptRateBasisPoints(counts);
  return basis_points ? fmt::format("{}.{:02}%", *basis_points / 100, *basis_points % 100) : "-";
}

}  // namespace

void AddPromisesCommands(CLI::App& app, CliState& state) {
  CLI::App* promises = app.add_subcommand(
      "promises", L("Informes de promesas de pago (registrar y listar: `cartera promise`)",
                    "Promises to pay reports (add and list: `cartera promise`)"));
  promises->require_subcommand(1);
  struct ReportArgs {
    std::string from, to, by = "collector", customer, format = "table";
  };
  auto args = std::make_shared<ReportArgs>();
  CLI::App* report = promises->add_subcommand(
      "report", L("Tasa de promesas cumplidas por gestor o cliente: cumplidas, parciales, incumplidas, abiertas",
                  "Promise-kept rate by collector or customer: kept, partially kept, broken, open"));
  report->add_option("--from", args->from,
                     L("Prometidas desde (AAAA-MM-DD; por omisión: 90 días hasta --to)",
                       "Promised from (YYYY-MM-DD; default: 90 days up to --to)"));
  report->add_option("--to", args->to, L("Prometidas hasta (AAAA-MM-DD; por omisión: hoy)", "Promised until (YYYY-MM-DD; default: today)"));
  report->add_option("--by", args->by, "collector | customer")->check(OneOf({"collector", "customer"}));
  report->add_option("--customer", args->customer, L("Solo este cliente (id externo)", "Only this customer (external id)"));
  report->add_option("--format", args->format, "table | json | csv");
  report->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(args->format);
      if (!format) return Fail(format.error());
      PromiseReportOptions options;
      auto from = ParseOptionalDate(args->from, "--from");
      if (!from) return Fail(from.error());
      auto to = ParseOptionalDate(args->to, "--to");
      if (!to) return Fail(to.error());
      options.from = *from;
      options.to = *to;
      if (!args->customer.empty()) options.customer_external_id = args->customer;
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto by = ParsePromiseReportBy(args->by, "--by", language);
      if (!by) return Fail(by.error());
      options.by = *by;
      auto today = TenantToday(context->database(), context->tenant_id(), context->clock().Now());
      if (!today) return Fail(today.error());
      auto built = BuildPromiseReport(context->database(), context->tenant_id(), options, *today, language);
      if (!built) {
        Error error = built.error();
        if (error.message.starts_with("from:")) error.message = "--" + error.message;
        return Fail(error);
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(PromiseReportJson(*built)) << '\n';
        return {};
      }
      const bool by_customer = *by == PromiseReportBy::kCustomer;
      const auto cells = [&](const PromiseReportRow& row, bool total, std::optional<Language> table = std::nullopt) {
        std::vector<std::string> out;
        if (total) {
          out = {std::string(Tr(language, "Total", "Total"))};
          if (by_customer) out.insert(out.end(), {"", ""});
        } else if (by_customer) {
          out = {row.key, row.customer_name, row.collector.value_or("")};
        } else {
          out = {row.key.empty() ? std::string(Tr(language, "(sin asignar)", "(unassigned)")) : row.key};
        }
        for (int64_t count : {row.counts.kept, row.counts.partially_kept, row.counts.broken, row.counts.open}) {
          out.push_back(std::to_string(count));
        }
        out.push_back(RateText(row.counts));
        out.push_back(AmountsText(row.amounts, &PromiseAmounts::promised_minor, table));
        out.push_back(AmountsText(row.amounts, &PromiseAmounts::received_minor, table));
        out.push_back(AmountsText(row.amounts, &PromiseAmounts::open_minor, table));
        return out;
      };
      if (*format == OutputFormat::kCsv) {
        std::vector<std::string> header = by_customer ? std::vector<std::string>{"customer", "name", "collector"}
                                                      : std::vector<std::string>{"collector"};
        header.insert(header.end(), {"kept", "partially_kept", "broken", "open", "kept_rate", "promised", "received",
                                     "open_amount"});
        WriteCsvRow(std::cout, header);
        for (const PromiseReportRow& row : built->rows) WriteCsvRow(std::cout, cells(row, false));
        WriteCsvRow(std::cout, cells(built->total, true));
        return {};
      }
      std::vector<std::string> headers;
      if (by_customer) {
        headers = {std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Nombre", "Name")),
                   std::string(Tr(language, "Gestor", "Collector"))};
      } else {
        headers = {std::string(Tr(language, "Gestor", "Collector"))};
      }
      for (auto [es, en] : {std::pair{"Cumplidas", "Kept"}, std::pair{"Parciales", "Partly kept"},
                            std::pair{"Incumplidas", "Broken"}, std::pair{"Abiertas", "Open"},
                            std::pair{"Tasa", "Kept rate"}, std::pair{"Prometido", "Promised"},
                            std::pair{"Recibido", "Received"}, std::pair{"Por cumplir", "Still open"}}) {
        headers.emplace_back(Tr(language, es, en));
      }
      std::vector<bool> right(headers.size(), true);
      for (size_t i = 0; i < (by_customer ? 3u : 1u); ++i) right[i] = false;
      std::cout << TrFormat(language, "Promesas con fecha del {} al {}\n", "Promises dated {} to {}\n",
                            built->from.ToIso(), built->to.ToIso());
      TextTable table(headers, right);
      for (const PromiseReportRow& row : built->rows) table.AddRow(cells(row, false, language));
      table.AddSeparator();
      table.AddRow(cells(built->total, true, language));
      table.Print(std::cout);
      return {};
    });
  });
}

}  // namespace cartera
