// run, outbox, simulate, worklist, task, explain, timeline: the collection
// engine from the command line.
#include <map>

#include <fmt/format.h>

#include "cli/commands.h"
#include "collection/explain.h"
#include "collection/outbox_list.h"
#include "collection/run.h"
#include "collection/simulate.h"
#include "collection/worklist.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "engine/segments.h"
#include "report/list_page.h"

namespace cartera {
namespace {

std::string Join(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : std::string(separator)) + value;
  return out;
}

void PrintOutboxItems(const std::vector<OutboxListItem>& items, OutputFormat format, Language language) {
  if (format == OutputFormat::kJson) {
    nlohmann::json rows = nlohmann::json::array();
    for (const OutboxListItem& item : items) rows.push_back(OutboxItemJson(item));
    std::cout << DumpJson(rows) << '\n';
    return;
  }
  if (format == OutputFormat::kCsv) {
    WriteCsvRow(std::cout, OutboxItemKeys());
    for (const OutboxListItem& item : items) {
      const nlohmann::json row = OutboxItemJson(item);
      std::vector<std::string> cells;
      for (const std::string& key : OutboxItemKeys()) cells.push_back(row[key].get<std::string>());
      WriteCsvRow(std::cout, cells);
    }
    return;
  }
  TextTable table({"Id", std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Acción", "Action")),
                   std::string(Tr(language, "Canal", "Channel")), std::string(Tr(language, "Etapa", "Stage")),
                   std::string(Tr(language, "Programado (UTC)", "Scheduled (UTC)")),
                   std::string(Tr(language, "Hora local del deudor", "Debtor's local time")),
                   std::string(Tr(language, "Estado", "Status")), std::string(Tr(language, "Detalle", "Detail"))});
  for (const OutboxListItem& item : items) {
    table.AddRow({std::to_string(item.id), item.customer_external_id, Label(item.action, language),
                  Label(item.channel, language), Label(item.stage, language), item.scheduled_utc, item.scheduled_local,
                  Label(item.status, language), item.last_error});
  }
  table.Print(std::cout);
}

}  // namespace

void AddCollectionCommands(CLI::App& app, CliState& state) {
  // run
  struct RunArgs {
    std::string as_of, format = "table";
    bool dry_run = false;
  };
  auto run_args = std::make_shared<RunArgs>();
  CLI::App* run = app.add_subcommand("run", L("Evalúa la cartera y escribe las acciones de hoy en el outbox (repetirla no duplica nada)", "Evaluate the portfolio and write today's actions to the outbox (idempotent)"));
  run->add_option("--as-of", run_args->as_of, L("Fecha de negocio para todos los clientes (por omisión: el hoy de cada cliente)", "Business date for every customer (default: each customer's today)"));
  run->add_flag("--dry-run", run_args->dry_run, L("Muestra el plan; no escribe nada", "Print the plan; write nothing"));
  run->add_option("--format", run_args->format, L("table | json (las cifras y, con --dry-run, el plan)", "table | json (the counts and, with --dry-run, the plan)"))
      ->check(OneOf({"table", "json"}));
  run->callback([&state, run_args]() {
    Guarded(state, [&]() -> Status {
      auto as_of = ParseOptionalDate(run_args->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      RunOptions options{context->tenant_id(), *as_of, context->clock().Now(), run_args->dry_run,
                         context->Audit("cartera run"), std::nullopt, std::nullopt};
      auto report = RunCollection(context->database(), options);
      if (!report) return Fail(report.error());
      if (run_args->format == "json") {
        std::cout << DumpJson(RunReportJson(*report, run_args->dry_run)) << '\n';
        return {};
      }
      const Language language = context->language();
      if (run_args->dry_run) {
        TextTable table({std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Etapa", "Stage")),
                         std::string(Tr(language, "Acción", "Action")), std::string(Tr(language, "Canal", "Channel")),
                         std::string(Tr(language, "Hora local", "Local time")), std::string(Tr(language, "Facturas", "Invoices"))});
        for (const PlannedItem& item : report->plan.items) {
          const CustomerState& customer = report->portfolio.customers[item.customer];
          table.AddRow({customer.external_id, Label(item.stage, language), Label(ActionTypeName(item.action), language),
                        item.channel ? Label(ChannelName(*item.channel), language) : "",
                        FormatLocalTime(customer.time_zone, item.scheduled_at),
                        std::to_string(item.invoice_ids.size())});
        }
        table.Print(std::cout);
      }
      std::cout << fmt::format("{}{}: {} {}, {} {}, {} {}, {} {}, {} {}\n",
                               run_args->dry_run ? Tr(language, "[simulación] ", "[dry run] ") : "",
                               Tr(language, "Corrida", "Run"), report->customers,
                               Tr(language, "clientes con saldo", "customers with debt"), report->planned,
                               Tr(language, "acciones", "actions"), report->added,
                               Tr(language, "nuevas en el outbox", "new in the outbox"), report->deferred,
                               Tr(language, "aplazadas por la ley", "deferred by the law"), report->blocked,
                               Tr(language, "bloqueadas", "blocked"));
      return {};
    });
  });

  // outbox
  struct OutboxArgs {
    std::string status, format = "table", customer;
    int64_t limit = 200;
  };
  auto outbox_args = std::make_shared<OutboxArgs>();
  CLI::App* outbox = app.add_subcommand("outbox", L("Lista el outbox (lo que el motor decidió hacer)", "List outbox items (what the engine decided to do)"));
  outbox->add_option("--status", outbox_args->status, L("Solo los de este estado: ", "Only items in this status: ") + Join(OutboxStatuses(), " | "))
      ->check(OneOf(OutboxStatuses()));
  outbox->add_option("--customer", outbox_args->customer, L("Solo los de este cliente", "Only this customer's"));
  outbox->add_option("--limit", outbox_args->limit, L("Como máximo estos (por omisión 200)", "At most this many (default 200)"))->check(NotNegative());
  outbox->add_option("--format", outbox_args->format, "table | json | csv");
  outbox->callback([&state, outbox_args, outbox]() {
    if (!outbox->get_subcommands().empty()) return;  // `outbox resolve` runs alone
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(outbox_args->format);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (!outbox_args->customer.empty()) {
        if (auto known = RequireCustomer(*context, outbox_args->customer); !known) return known;
      }
      OutboxFilter filter;
      if (!outbox_args->status.empty()) filter.status = outbox_args->status;
      if (!outbox_args->customer.empty()) filter.customer_external_id = outbox_args->customer;
      filter.limit = outbox_args->limit;
      auto items = ListOutbox(context->database(), context->tenant_id(), filter);
      if (!items) return Fail(items.error());
      PrintOutboxItems(*items, *format, context->language());
      return {};
    });
  });

  // simulate
  struct SimulateArgs {
    int32_t days = 90;
    std::string from, format = "table";
    bool with_payments = false;
  };
  auto simulate_args = std::make_shared<SimulateArgs>();
  CLI::App* simulate = app.add_subcommand("simulate", L("Simula la estrategia N días sobre la cartera (no envía nada)", "Play the strategy forward N days over the portfolio (sends nothing)"));
  simulate->add_option("--days", simulate_args->days, L("Cuántos días (por omisión 90)", "How many days (default 90)"))->check(CLI::Range(1, 3650));
  simulate->add_option("--from,--as-of", simulate_args->from, L("Primer día simulado (por omisión: hoy)", "First simulated day (default: today)"));
  simulate->add_flag("--with-payments", simulate_args->with_payments, L("Los clientes pagan como suele pagar su segmento", "Customers pay as their segment usually does"));
  simulate->add_option("--format", simulate_args->format, L("table (por día y canal) | json | csv (cada contacto)", "table (per day and channel) | json | csv (every contact)"));
  simulate->callback([&state, simulate_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(simulate_args->format);
      if (!format) return Fail(format.error());
      auto from = ParseOptionalDate(simulate_args->from, "--from");
      if (!from) return Fail(from.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      SimulationOptions options{context->tenant_id(),
                                *from ? **from : DateIn(context->tenant_time_zone(), context->clock().Now()), simulate_args->days,
                                simulate_args->with_payments};
      auto report = Simulate(context->database(), options);
      if (!report) return Fail(report.error());
      const Language language = context->language();
      if (*format == OutputFormat::kTable) {
        std::map<Date, std::array<int64_t, 7>> per_day;  // channels 1..5, deferred, blocked
        for (const SimulatedContact& contact : report->contacts) ++per_day[contact.day][static_cast<size_t>(contact.channel) - 1];
        for (const LogItem& item : report->blocked_or_deferred) ++per_day[item.business_date][item.kind == LogKind::kDeferred ? 5 : 6];
        TextTable table({std::string(Tr(language, "Día", "Day")), "email", "sms", "whatsapp",
                         std::string(Tr(language, "llamada", "call")), std::string(Tr(language, "carta", "letter")),
                         std::string(Tr(language, "aplazados", "deferred")), std::string(Tr(language, "bloqueados", "blocked"))},
                        {false, true, true, true, true, true, true, true});
        for (const auto& [day, counts] : per_day) {
          std::vector<std::string> cells{day.ToIso()};
          for (int64_t count : counts) cells.push_back(std::to_string(count));
          table.AddRow(cells);
        }
        table.Print(std::cout);
        std::map<std::string, int64_t> reasons;
        for (const LogItem& item : report->blocked_or_deferred) {
          ++reasons[fmt::format("{}: {}", Label(LogKindName(item.kind), language), Label(item.code, language))];
        }
        for (const auto& [reason, count] : reasons) std::cout << fmt::format("{}: {}\n", reason, count);
        std::cout << fmt::format("{}: {}\n", Tr(language, "Contactos simulados", "Simulated contacts"), report->contacts.size());
        return {};
      }
      nlohmann::json rows = nlohmann::json::array();
      if (*format == OutputFormat::kCsv) WriteCsvRow(std::cout, SimulatedContactKeys());
      for (const SimulatedContact& contact : report->contacts) {
        nlohmann::json row = SimulatedContactJson(contact);
        if (*format == OutputFormat::kCsv) {
          std::vector<std::string> cells;
          for (const std::string& key : SimulatedContactKeys()) cells.push_back(row[key].get<std::string>());
          WriteCsvRow(std::cout, cells);
        } else {
          rows.push_back(std::move(row));
        }
      }
      if (*format == OutputFormat::kJson) std::cout << DumpJson(rows) << '\n';
      return {};
    });
  });

  // worklist
  struct WorklistArgs {
    std::string collector, format = "table";
    int64_t limit = 50;
  };
  auto worklist_args = std::make_shared<WorklistArgs>();
  CLI::App* worklist = app.add_subcommand("worklist", L("Llamadas pendientes, primero las de mayor impacto esperado en caja", "Open call tasks, the largest expected cash impact first"));
  worklist->add_option("--collector", worklist_args->collector, L("Solo las tareas de este gestor", "Only tasks assigned to this collector"));
  worklist->add_option("--limit", worklist_args->limit, L("Como máximo estas (por omisión 50)", "At most this many (default 50)"))->check(NotNegative());
  worklist->add_option("--format", worklist_args->format, "table | json");
  worklist->callback([&state, worklist_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(worklist_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      // Overdue disputes come first, as items of kind "dispute" (collection/worklist.h).
      auto today = TenantToday(context->database(), context->tenant_id(), context->clock().Now());
      if (!today) return Fail(today.error());
      auto tasks = LoadWorklist(context->database(), context->tenant_id(),
                                worklist_args->collector.empty() ? std::nullopt
                                                                 : std::optional<std::string>(worklist_args->collector),
                                worklist_args->limit, std::nullopt, *today);
      if (!tasks) return Fail(tasks.error());
      const Language language = context->language();
      if (*format == OutputFormat::kJson) {
        nlohmann::json rows = nlohmann::json::array();
        for (const WorklistTask& task : *tasks) rows.push_back(WorklistTaskJson(task));
        std::cout << DumpJson(rows) << '\n';
        return {};
      }
      TextTable table({std::string(Tr(language, "Tarea", "Task")), std::string(Tr(language, "Cliente", "Customer")),
                       std::string(Tr(language, "Nombre", "Name")), std::string(Tr(language, "Segmento", "Segment")),
                       std::string(Tr(language, "Etapa", "Stage")), std::string(Tr(language, "Saldo", "Open")),
                       std::string(Tr(language, "Impacto esperado", "Expected impact")),
                       std::string(Tr(language, "Días mora", "Days late")), std::string(Tr(language, "Teléfono", "Phone"))},
                      {true, false, false, false, false, true, true, true, false});
      for (const WorklistTask& task : *tasks) {
        // Money stays integer minor units from the ledger to the table.
        table.AddRow({task.kind == "dispute" ? fmt::format("D{}", task.dispute_id) : std::to_string(task.task_id),
                      task.customer_external_id, task.customer_name,
                      Label(task.segment, language), Label(task.stage, language),
                      FormatMoneyForTable(task.open_minor, task.currency, language),
                      FormatMoneyForTable(task.expected_impact_minor, task.currency, language),
                      std::to_string(task.days_past_due), task.phone});
      }
      table.Print(std::cout);
      return {};
    });
  });
}

}  // namespace cartera
