// charges quote | rate add | rate list: the legal charges calculator
// (compliance/charges_quote.h) and the tenant's own rate rows
// (collection/charge_rates.h). See docs/charges.md.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "collection/charge_rates.h"

namespace cartera {
namespace {

// The CLI option a use case's field name stands for.
std::string OptionFor(std::string_view field) {
  if (field == "valid_from") return "--from";
  if (field == "valid_to") return "--to";
  std::string option = "--";
  for (char c : field) option += c == '_' ? '-' : c;
  return option;
}

Error WithOption(const Error& error, std::string_view field) {
  if (field.empty()) return error;
  return Error{error.code, fmt::format("{}: {}", OptionFor(field), error.message)};
}

std::string RateCell(const std::optional<compliance::Rate>& rate) {
  return rate ? compliance::RatePercentText(*rate) + "%" : "-";
}

void PrintQuoteTable(const compliance::ChargesQuote& quote, Language language) {
  const compliance::ChargesQuoteRequest& request = quote.request;
  const std::string_view currency = request.amount.currency().code();
  auto money = [&](const Money& value) { return FormatMoneyForTable(value.minor_units(), currency, language); };
  std::cout << TrFormat(language, "{}: {} vencido, del {} al {} ({} días de mora)\n",
                        "{}: {} overdue, from {} to {} ({} days late)\n", request.country, money(request.amount),
                        request.from.ToIso(), request.to.ToIso(), quote.days);
  std::vector<std::string> sources;
  if (!quote.periods.empty()) {
    std::cout << '\n';
    TextTable table({std::string(Tr(language, "Desde", "From")), std::string(Tr(language, "Hasta", "To")),
                     std::string(Tr(language, "Días", "Days")), std::string(Tr(language, "Pactada", "Agreed")),
                     std::string(Tr(language, "Aplicada", "Applied")), std::string(Tr(language, "Tope", "Cap")),
                     std::string(Tr(language, "Tasa del periodo", "Period rate")),
                     std::string(Tr(language, "Interés", "Interest")), std::string(Tr(language, "Fuente", "Source"))},
                    {false, false, true, true, true, true, true, true, false});
    for (const compliance::ChargesPeriod& period : quote.periods) {
      sources.push_back(period.rate_source);
      std::string reference = fmt::format("[{}]", sources.size());
      if (!period.cap_source.empty() && period.cap_source != period.rate_source) {
        sources.push_back(period.cap_source);
        reference += fmt::format(" [{}]", sources.size());
      }
      table.AddRow(
          {period.first_day.ToIso(), period.last_day.ToIso(), std::to_string(period.days), RateCell(period.agreed_rate),
           compliance::RatePercentText(period.annual_rate) + "%" + (period.capped ? " *" : ""), RateCell(period.cap),
           period.period_rate.ToPercentString(6) + "%", money(period.interest), reference});
    }
    table.Print(std::cout);
    for (const compliance::ChargesPeriod& period : quote.periods) {
      if (period.capped) std::cout << "* " << period.cap_reason << '\n';
    }
  }
  for (const auto* lines : {&quote.fees, &quote.compensation}) {
    if (lines->empty()) continue;
    std::cout << '\n';
    TextTable table({std::string(Tr(language, "Concepto", "Item")), std::string(Tr(language, "Base", "Base")),
                     std::string(Tr(language, "Importe", "Amount")), std::string(Tr(language, "Fuente", "Source"))},
                    {false, true, true, false});
    for (const compliance::ChargesLine& line : *lines) {
      sources.push_back(line.source);
      table.AddRow({line.description, money(line.base), money(line.amount), fmt::format("[{}]", sources.size())});
    }
    table.Print(std::cout);
  }
  std::cout << '\n';
  TextTable totals({std::string(Tr(language, "Total", "Total")), ""}, {false, true});
  totals.AddRow({std::string(Tr(language, "Intereses", "Interest")), money(quote.interest)});
  totals.AddRow({std::string(Tr(language, "Gastos de cobranza", "Collection costs")), money(quote.fees_total)});
  totals.AddRow(
      {std::string(Tr(language, "Compensación fija", "Fixed compensation")), money(quote.compensation_total)});
  totals.AddSeparator();
  totals.AddRow({std::string(Tr(language, "Total cargos", "Total charges")), money(quote.total)});
  totals.Print(std::cout);
  std::cout << TrFormat(language, "\nBase de cálculo: {}; redondeo: mitad hacia arriba por línea, luego sumado\n",
                        "\nBasis: {}; rounding: half up per line, then summed\n", quote.rate_basis);
  if (!sources.empty()) std::cout << Tr(language, "\nFuentes:\n", "\nSources:\n");
  for (size_t i = 0; i < sources.size(); ++i) std::cout << fmt::format("  [{}] {}\n", i + 1, sources[i]);
  for (const compliance::ChargesNote& note : quote.notes) std::cout << "\n" << note.text << '\n';
}

}  // namespace

void AddChargesCommands(CLI::App& app, CliState& state) {
  CLI::App* command = app.add_subcommand(
      "charges", L("Intereses de mora, gastos de cobranza y compensaciones según la ley de cada país",
                   "Late interest, collection costs and compensation as each country's law allows"));
  command->require_subcommand(1);

  struct QuoteOptions {
    compliance::ChargesQuoteText text;
    std::string format = "table";
  };
  auto quote_options = std::make_shared<QuoteOptions>();
  CLI::App* quote = command->add_subcommand(
      "quote", L("Calcula intereses, gastos y compensación de un monto vencido en un periodo, con tasas, topes y "
                 "fuentes",
                 "Compute the interest, fees and compensation on an overdue amount over a period, with rates, caps "
                 "and sources"));
  quote->add_option("--country", quote_options->text.country, "CO, ES, CL, PE, MX, US")->required();
  quote
      ->add_option("--amount", quote_options->text.amount,
                   L("Monto vencido (1000000.50)", "Overdue amount (1000000.50)"))
      ->required();
  quote->add_option("--currency", quote_options->text.currency,
                    L("Moneda ISO 4217 (por defecto la del país)", "ISO 4217 currency (default: the country's)"));
  quote
      ->add_option(
          "--from", quote_options->text.from,
          L("Fecha de vencimiento: la mora corre desde el día siguiente", "Due date: interest runs from the next day"))
      ->required();
  quote->add_option("--to", quote_options->text.to, L("Último día de mora (AAAA-MM-DD)", "Last day late (YYYY-MM-DD)"))
      ->required();
  quote->add_option("--annual-rate", quote_options->text.annual_rate,
                    L("Tasa anual pactada en % (CO: EA; PE: TEA; CL, MX, US, ES: simple)",
                      "Agreed annual rate in % (CO: EA; PE: TEA; CL, MX, US, ES: simple)"));
  quote->add_option(
      "--uf-value", quote_options->text.uf_value,
      L("Chile: valor de la UF del día en pesos (39123.45)", "Chile: the day's UF value in pesos (39123.45)"));
  quote->add_option("--invoices", quote_options->text.invoices,
                    L("España: facturas impagadas (40 EUR cada una; por defecto 1)",
                      "Spain: unpaid invoices (EUR 40 each; default 1)"));
  quote->add_option("--format", quote_options->format, "table | json");
  quote->callback([&state, quote_options]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(quote_options->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto request = compliance::ParseChargesQuoteRequest(quote_options->text, language);
      if (!request) return Fail(WithOption(request.error().error, request.error().field));
      auto result = QuoteChargesForTenant(context->database(), context->tenant_id(), *request, language);
      if (!result) return Fail(WithOption(result.error().error, result.error().field));
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(ChargesQuoteJson(*result)) << '\n';
      } else {
        PrintQuoteTable(*result, language);
      }
      return {};
    });
  });

  CLI::App* rate = command->add_subcommand(
      "rate", L("Tasas legales propias del inquilino (meses o semestres no incluidos, topes estatales)",
                "The tenant's own legal rates (months or half-years not shipped, state caps)"));
  rate->require_subcommand(1);

  auto add_input = std::make_shared<ChargeRateInput>();
  CLI::App* add = rate->add_subcommand("add", L("Agrega una fila de tasa (auditada)", "Add a rate row (audited)"));
  add->add_option("--country", add_input->country, "CO, ES, CL, PE, MX, US")->required();
  add->add_option("--kind", add_input->kind, compliance::RateKindList())->required();
  add->add_option("--from", add_input->valid_from, L("Primer día de vigencia", "First day in force"))->required();
  add->add_option("--to", add_input->valid_to, L("Último día de vigencia", "Last day in force"))->required();
  add->add_option("--rate", add_input->rate, L("Tasa anual en % (28.04)", "Annual rate in % (28.04)"))->required();
  add->add_option("--source", add_input->source,
                  L("Fuente: resolución, boletín oficial o ley", "Source: resolution, official gazette or statute"))
      ->required();
  add->callback([&state, add_input]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto added = AddChargeRate(context->database(), context->tenant_id(), *add_input,
                                 context->Audit("cartera charges rate add"));
      if (!added) return Fail(WithOption(added.error().error, added.error().field));
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "Tasa {} de {} agregada (id {}): {}% del {} al {}\n",
                              "Rate {} for {} added (id {}): {}% from {} to {}\n",
                              compliance::RateKindName(added->row.kind), added->row.country, added->row.id,
                              compliance::RatePercentText(added->row.rate), added->row.valid_from.ToIso(),
                              added->row.valid_to.ToIso());
      }
      return {};
    });
  });

  struct ListOptions {
    std::string country, kind, format = "table";
    bool tenant_only = false;
  };
  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = rate->add_subcommand(
      "list", L("Lista las tasas incluidas y las del inquilino", "List the shipped rates and the tenant's"));
  list->add_option("--country", list_options->country, "CO, ES, CL, PE, MX, US");
  list->add_option("--kind", list_options->kind, compliance::RateKindList());
  list->add_flag("--tenant-only", list_options->tenant_only,
                 L("Solo las filas del inquilino", "Only the tenant's rows"));
  list->add_option("--format", list_options->format, "table | json");
  list->callback([&state, list_options]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(list_options->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      ChargeRateFilter filter;
      if (!list_options->country.empty()) filter.country = list_options->country;
      if (!list_options->kind.empty()) {
        filter.kind = compliance::ParseRateKind(list_options->kind);
        if (!filter.kind) {
          return Fail(Error::BadInput(TrFormat(language, "--kind: '{}' no es un tipo de tasa ({})",
                                               "--kind: '{}' is not a rate kind ({})", list_options->kind,
                                               compliance::RateKindList())));
        }
      }
      filter.tenant_only = list_options->tenant_only;
      auto rows = ListChargeRates(context->database(), context->tenant_id(), filter);
      if (!rows) return Fail(rows.error());
      if (*format == OutputFormat::kJson) {
        nlohmann::json data = nlohmann::json::array();
        for (const ChargeRateRecord& record : *rows) data.push_back(ChargeRateJson(record));
        std::cout << DumpJson(data) << '\n';
        return {};
      }
      TextTable table({std::string(Tr(language, "País", "Country")), std::string(Tr(language, "Tipo", "Kind")),
                       std::string(Tr(language, "Desde", "From")), std::string(Tr(language, "Hasta", "To")),
                       std::string(Tr(language, "Tasa", "Rate")), std::string(Tr(language, "Origen", "Origin")),
                       std::string(Tr(language, "Fuente", "Source"))},
                      {false, false, false, false, true, false, false});
      for (const ChargeRateRecord& record : *rows) {
        const compliance::RateRow& row = record.row;
        table.AddRow({row.country, std::string(compliance::RateKindName(row.kind)), row.valid_from.ToIso(),
                      row.valid_to.ToIso(), compliance::RatePercentText(row.rate) + "%",
                      row.origin == compliance::RateOrigin::kTenant
                          ? TrFormat(language, "inquilino (id {})", "tenant (id {})", row.id)
                          : std::string(Tr(language, "incluida", "shipped")),
                      row.source});
      }
      table.Print(std::cout);
      return {};
    });
  });
}

}  // namespace cartera
