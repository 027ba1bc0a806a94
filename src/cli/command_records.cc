// promise, dispute, task, policy, segments, explain, timeline.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "collection/explain.h"
#include "collection/notes.h"
#include "collection/records.h"
#include "collection/run.h"
#include "collection/segments_report.h"
#include "collection/strategy_store.h"
#include "collection/timeline.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "engine/segments.h"

namespace cartera {
namespace {

void AddPromiseCommands(CLI::App& app, CliState& state) {
  CLI::App* promise = app.add_subcommand("promise", L("Promesas de pago: registrar, listar, cancelar", "Promises to pay: add, list, cancel"));
  promise->require_subcommand(1);
  struct AddArgs {
    std::string customer, date, amount, currency, note;
  };
  auto add_args = std::make_shared<AddArgs>();
  CLI::App* add = promise->add_subcommand("add", L("Registra una promesa de pago (detiene los mensajes de mora hasta su fecha)", "Record a promise to pay (holds overdue messages until its date)"));
  add->add_option("customer", add_args->customer, L("Id externo del cliente", "Customer external id"))->required();
  add->add_option("--date", add_args->date, L("Fecha de pago prometida (AAAA-MM-DD)", "Promised payment date (YYYY-MM-DD)"))->required();
  add->add_option("--amount", add_args->amount, L("Valor prometido (decimal)", "Promised amount (decimal)"))->required();
  add->add_option("--currency", add_args->currency, L("Moneda (por omisión: la del saldo del cliente)", "Currency (default: the customer's open currency)"));
  add->add_option("--note", add_args->note, L("Texto libre", "Free text"));
  add->callback([&state, add_args]() {
    Guarded(state, [&]() -> Status {
      auto date = Date::ParseIso(add_args->date);
      if (!date) return Fail(Error::BadInput(fmt::format("--date: {}", date.error().message)));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto known = RequireCustomer(*context, add_args->customer); !known) return known;
      auto id = AddPromise(context->database(), context->tenant_id(), add_args->customer, *date, add_args->amount,
                           add_args->currency.empty() ? std::nullopt : std::optional(add_args->currency), "cli",
                           add_args->note, context->Audit("cartera promise add"));
      if (!id) return Fail(id.error());
      std::cout << fmt::format("{} {}\n", Tr(context->language(), "Promesa registrada:", "Promise recorded:"), *id);
      return {};
    });
  });
  struct ListArgs {
    std::string customer, status, format = "table";
  };
  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list = promise->add_subcommand("list", L("Lista las promesas", "List promises"));
  list->add_option("--customer", list_args->customer, L("Solo los de este cliente", "Only this customer's"));
  list->add_option("--status", list_args->status, "open | kept | broken | cancelled")
      ->check(OneOf({"open", "kept", "broken", "cancelled"}));
  list->add_option("--format", list_args->format, "table | json");
  list->callback([&state, list_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(list_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (!list_args->customer.empty()) {
        if (auto known = RequireCustomer(*context, list_args->customer); !known) return known;
      }
      auto records = ListPromises(context->database(), context->tenant_id(),
                                  list_args->customer.empty() ? std::nullopt : std::optional(list_args->customer),
                                  list_args->status.empty() ? std::nullopt : std::optional(list_args->status));
      if (!records) return Fail(records.error());
      const Language language = context->language();
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({"Id", std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Fecha", "Date")),
                       std::string(Tr(language, "Valor", "Amount")), std::string(Tr(language, "Estado", "Status")),
                       std::string(Tr(language, "Origen", "Source"))},
                      {true, false, false, true, false, false});
      for (const PromiseRecord& record : *records) {
        rows.push_back(PromiseJson(record));
        table.AddRow({std::to_string(record.id), record.customer_external_id, record.promised_date.ToIso(),
                      FormatMoneyForTable(record.amount_minor, record.currency, language) + " " + record.currency,
                      Label(record.status, language), record.source});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });
  auto cancel_id = std::make_shared<int64_t>(0);
  CLI::App* cancel = promise->add_subcommand("cancel", L("Cancela una promesa abierta", "Cancel an open promise"));
  cancel->add_option("id", *cancel_id, L("Id de la promesa", "Promise id"))->required();
  cancel->callback([&state, cancel_id]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto ok = CancelPromise(context->database(), context->tenant_id(), *cancel_id, context->Audit("cartera promise cancel"));
          !ok) {
        return ok;
      }
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "Promesa {} cancelada\n", "Promise {} cancelled\n", *cancel_id);
      }
      return {};
    });
  });
}

// dispute open|resolve|list: command_disputes.cc.

void AddTaskCommands(CLI::App& app, CliState& state) {
  CLI::App* task = app.add_subcommand("task", L("Llamadas de los gestores: registrar el resultado, asignar", "Collector call tasks: record an outcome, assign"));
  task->require_subcommand(1);
  struct DoneArgs {
    int64_t id = 0;
    std::string outcome, promise_date, promise_amount, reason;
  };
  auto done_args = std::make_shared<DoneArgs>();
  CLI::App* done = task->add_subcommand("done", L("Registra el resultado de una llamada", "Record a call's outcome"));
  done->add_option("id", done_args->id, L("Id de la tarea (de cartera worklist)", "Task id (from cartera worklist)"))->required();
  done->add_option("--outcome", done_args->outcome, "contacted | no_answer | wrong_number | promise | refused | dispute")
      ->required();
  done->add_option("--promise-date", done_args->promise_date, L("Con --outcome promise: la fecha prometida", "With --outcome promise: the promised date"));
  done->add_option("--promise-amount", done_args->promise_amount, L("Con --outcome promise: el valor prometido", "With --outcome promise: the promised amount"));
  done->add_option("--reason", done_args->reason, L("Con --outcome dispute: qué disputa el cliente", "With --outcome dispute: what the customer disputes"));
  done->callback([&state, done_args]() {
    Guarded(state, [&]() -> Status {
      auto date = ParseOptionalDate(done_args->promise_date, "--promise-date");
      if (!date) return Fail(date.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      // The use case names what is missing neutrally (the API calls it too);
      // here it is a flag.
      const Language flags_language = context->language();
      if (done_args->outcome == "promise" && (!*date || done_args->promise_amount.empty())) {
        return Fail(
            Error::BadInput(std::string(Tr(flags_language, "una promesa necesita --promise-date y --promise-amount",
                                           "a promise needs --promise-date and --promise-amount"))));
      }
      if (done_args->outcome == "dispute" && done_args->reason.empty()) {
        return Fail(
            Error::BadInput(std::string(Tr(flags_language, "una disputa necesita --reason (qué reclama el cliente)",
                                           "a dispute needs --reason (what the customer disputes)"))));
      }
      if (auto ok = RecordTaskOutcome(
              context->database(), context->tenant_id(), done_args->id, done_args->outcome, *date,
              done_args->promise_amount.empty() ? std::nullopt : std::optional(done_args->promise_amount),
              context->Audit("cartera task done"), done_args->reason);
          !ok) {
        return ok;
      }
      if (!context->quiet()) {
        const Language language = context->language();
        std::cout << TrFormat(language, "Tarea {} cerrada: {}", "Task {} done: {}", done_args->id,
                              OutcomeLabel(done_args->outcome, language));
        if (done_args->outcome == "wrong_number") {
          std::cout << Tr(language, " (el teléfono queda marcado como no utilizable)", " (the phone is marked unusable)");
        } else if (done_args->outcome == "dispute") {
          std::cout << Tr(language, " (disputa abierta en sus facturas)", " (a dispute is open on its invoices)");
        } else if (done_args->outcome == "promise") {
          std::cout << Tr(language, " (promesa registrada)", " (promise recorded)");
        }
        std::cout << '\n';
      }
      return {};
    });
  });
  struct AssignArgs {
    int64_t id = 0;
    std::string collector;
  };
  auto assign_args = std::make_shared<AssignArgs>();
  CLI::App* assign = task->add_subcommand("assign", L("Asigna una tarea a un gestor", "Assign a task to a collector"));
  assign->add_option("id", assign_args->id, L("Id de la tarea", "Task id"))->required();
  assign->add_option("collector", assign_args->collector, L("Nombre del gestor", "Collector name"))->required();
  assign->callback([&state, assign_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return AssignTask(context->database(), context->tenant_id(), assign_args->id, assign_args->collector,
                        context->Audit("cartera task assign"));
    });
  });
}

void AddPolicyCommands(CLI::App& app, CliState& state) {
  CLI::App* policy = app.add_subcommand("policy", L("Estrategias de cobro: importar, exportar, mostrar, validar", "Collection strategies: import, export, show, validate"));
  policy->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* validate = policy->add_subcommand("validate", L("Revisa un archivo de estrategia (YAML o JSON) sin guardarlo", "Check a strategy file (YAML or JSON) without storing it"));
  validate->add_option("file", *file, L("Archivo de estrategia", "Strategy file"))->required();
  validate->callback([&state, file]() {
    Guarded(state, [&]() -> Status {
      auto text = ReadTextFile(*file);
      if (!text) return Fail(text.error());
      auto strategy = CheckStrategyText(*text, CliLanguage());
      if (!strategy) return Fail(Error::BadInput(fmt::format("{}: {}", *file, strategy.error().message)));
      std::cout << TrFormat(CliLanguage(), "{}: {} ({} etapas)\n", "{}: {} ({} stages)\n", *file, strategy->name,
                            strategy->stages.size());
      return {};
    });
  });
  auto import_file = std::make_shared<std::string>();
  CLI::App* import = policy->add_subcommand("import", L("Guarda una estrategia y la deja activa", "Store a strategy and make it the tenant's default"));
  import->add_option("file", *import_file, L("Archivo de estrategia (YAML o JSON)", "Strategy file (YAML or JSON)"))->required();
  import->callback([&state, import_file]() {
    Guarded(state, [&]() -> Status {
      auto text = ReadTextFile(*import_file);
      if (!text) return Fail(text.error());
      auto strategy = CheckStrategyText(*text, CliLanguage());
      if (!strategy) return Fail(Error::BadInput(fmt::format("{}: {}", *import_file, strategy.error().message)));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto ok = SaveActiveStrategy(context->database(), context->tenant_id(), *strategy, context->Audit(*import_file));
          !ok) {
        return ok;
      }
      std::cout << fmt::format("{}: {}\n", Tr(context->language(), "Estrategia activa", "Active strategy"), strategy->name);
      return {};
    });
  });
  auto export_format = std::make_shared<std::string>("json");
  CLI::App* show = policy->add_subcommand("export", L("Imprime la estrategia activa en JSON (edítela e impórtela de nuevo)", "Print the active strategy as JSON (edit it and import it back)"));
  CLI::App* show_alias = policy->add_subcommand("show", L("Muestra la estrategia activa", "Show the active strategy"));
  for (CLI::App* command : {show, show_alias}) {
    command->callback([&state, command, show_alias]() {
      Guarded(state, [&]() -> Status {
        auto context = CommandContext::Open(state.global);
        if (!context) return Fail(context.error());
        auto active = LoadActiveStrategy(context->database(), context->tenant_id());
        if (!active) return Fail(active.error());
        if (command != show_alias) {
          std::cout << DumpJson(StrategyToJson(active->second)) << '\n';
          return {};
        }
        const Language language = context->language();
        TextTable table({std::string(Tr(language, "Etapa", "Stage")), std::string(Tr(language, "Día", "Day")),
                         std::string(Tr(language, "Acciones", "Actions"))});
        for (const Stage& stage : active->second.stages) {
          std::string actions;
          for (const Action& action : stage.actions) {
            actions += fmt::format("{}{}{}", actions.empty() ? "" : ", ", Label(ActionTypeName(action.type), language),
                                   action.type == ActionType::kMessage
                                       ? fmt::format(" ({})", Label(ChannelName(action.channel), language))
                                       : "");
          }
          table.AddRow({Label(stage.key, language), std::to_string(stage.day), actions});
        }
        std::cout << active->first << "\n";
        table.Print(std::cout);
        return {};
      });
    });
  }
}

void AddInsightCommands(CLI::App& app, CliState& state) {
  struct SegmentArgs {
    std::string format = "table", segment, as_of;
  };
  auto segment_args = std::make_shared<SegmentArgs>();
  CLI::App* segments = app.add_subcommand("segments", L("El segmento de cada cliente con sus cifras (de la última corrida, o a una fecha)", "Each customer's segment with the figures behind it (from the last run, or as of a date)"));
  segments->add_option("--segment", segment_args->segment, "habitual | occasional | high_risk | new")
      ->check(OneOf({"habitual", "occasional", "high_risk", "new"}));
  segments->add_option("--as-of", segment_args->as_of, L("Calculados para esta fecha (no se guarda nada)", "Computed for this date (nothing is written)"));
  segments->add_option("--format", segment_args->format, "table | json");
  segments->callback([&state, segment_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(segment_args->format, false);
      if (!format) return Fail(format.error());
      auto as_of = ParseOptionalDate(segment_args->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto found = LoadCustomerSegments(context->database(), context->tenant_id(), *as_of,
                                        segment_args->segment.empty() ? std::nullopt
                                                                      : std::optional<std::string>(segment_args->segment));
      if (!found) return Fail(found.error());
      const Language language = context->language();
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Nombre", "Name")),
                       std::string(Tr(language, "Segmento", "Segment")), std::string(Tr(language, "Tamaño", "Size")),
                       std::string(Tr(language, "Cifras", "Figures"))});
      for (const CustomerSegmentRow& row : *found) {
        // JSON keeps the codes and figures; the table words them.
        rows.push_back(CustomerSegmentJson(row));
        table.AddRow({row.external_id, row.name, Label(row.segment, language), row.size_segment,
                      DescribeSegmentReason(row.reason, language)});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });

  auto explain_customer = std::make_shared<std::string>();
  CLI::App* explain = app.add_subcommand("explain", L("Por qué el motor contacta (o no) a un cliente hoy", "Why the engine does (or does not) contact a customer today"));
  explain->add_option("customer", *explain_customer, L("Id externo del cliente", "Customer external id"))->required();
  auto explain_as_of = std::make_shared<std::string>();
  explain->add_option("--as-of", *explain_as_of, L("Fecha de negocio (por omisión: el hoy del cliente)", "Business date (default: the customer's today)"));
  auto explain_format = std::make_shared<std::string>("text");
  explain->add_option("--format", *explain_format, "text | json")->check(OneOf({"text", "json"}));
  explain->callback([&state, explain_customer, explain_as_of, explain_format]() {
    Guarded(state, [&]() -> Status {
      auto as_of = ParseOptionalDate(*explain_as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      AuditContext audit = context->Audit("explain");
      audit.language = CliLanguage();
      auto explanation =
          ExplainCustomer(context->database(), context->tenant_id(), *explain_customer, *as_of, context->clock().Now(), audit);
      if (!explanation) return Fail(explanation.error());
      const Language language = context->language();
      if (*explain_format == "json") {
        std::cout << DumpJson(CustomerExplanationJson(*explanation, language)) << '\n';
        return {};
      }
      const CustomerSegmentRow& customer = explanation->customer;
      std::cout << fmt::format("{} — {}\n", customer.external_id, customer.name);
      std::cout << fmt::format("{}: {} ({}); {}: {}\n", Tr(language, "Segmento", "Segment"), Label(customer.segment, language),
                               DescribeSegmentReason(customer.reason, language), Tr(language, "tamaño", "size"),
                               customer.size_segment);
      std::cout << fmt::format("{}: {}\n", Tr(language, "Reglas", "Rulebook"), explanation->rulebook);
      std::string channels;
      for (const ChannelStanding& standing : explanation->channels) {
        channels += fmt::format("{}{} {}", channels.empty() ? "" : ", ", Label(ChannelName(standing.channel), language),
                                !standing.allowed ? Tr(language, "(sin consentimiento)", "(no consent)")
                                : standing.by_debtor ? Tr(language, "(autorizado por el deudor)", "(authorised by the debtor)")
                                                     : Tr(language, "(autorizado por la empresa)", "(authorised by the business)"));
      }
      std::cout << fmt::format("{}: {}\n", Tr(language, "Canales", "Channels"), channels);
      if (explanation->promise) {
        std::cout << fmt::format("{}: {}{}\n", Tr(language, "Promesa de pago", "Promise to pay"),
                                 explanation->promise->promised_date.ToIso(),
                                 explanation->promise->broken ? Tr(language, " (incumplida)", " (broken)") : "");
      }
      std::cout << Tr(language, "Hoy:", "Today:") << '\n';
      for (const PlannedItem& item : explanation->planned) {
        std::cout << fmt::format("  [{}] {} {}: {}\n", Tr(language, "planeado", "planned"), Label(item.stage, language),
                                 Label(ActionTypeName(item.action), language),
                                 item.channel ? fmt::format("{} {} {} {}", item.template_name, Tr(language, "por", "by"),
                                                            Label(ChannelName(*item.channel), language),
                                                            FormatLocalTime(explanation->time_zone, item.scheduled_at))
                                              : Label(ActionTypeName(item.action), language));
      }
      for (const LogItem& item : explanation->log) {
        const std::string& detail = language == Language::kSpanish ? item.detail_es : item.detail;
        std::cout << fmt::format("  [{}] {} {}: {}{}\n", Label(LogKindName(item.kind), language), Label(item.stage, language),
                                 Label(item.action, language), Label(item.code, language),
                                 detail.empty() ? "" : " — " + detail);
      }
      if (explanation->planned.empty() && explanation->log.empty()) {
        std::cout << Tr(language, "  nada que hacer hoy según la estrategia\n", "  nothing to do today per the strategy\n");
      }
      return {};
    });
  });

  auto timeline_customer = std::make_shared<std::string>();
  CLI::App* timeline = app.add_subcommand(
      "timeline", L("Todo lo que el motor hizo u omitió con un cliente, lo enviado y lo recibido, por fecha", "Everything the engine did or skipped for a customer, what was sent and what came back, by date"));
  timeline->add_option("customer", *timeline_customer, L("Id externo del cliente", "Customer external id"))->required();
  auto timeline_format = std::make_shared<std::string>("table");
  timeline->add_option("--format", *timeline_format, "table | json")->check(OneOf({"table", "json"}));
  timeline->callback([&state, timeline_customer, timeline_format]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto known = RequireCustomer(*context, *timeline_customer); !known) return known;
      auto entries = LoadTimeline(context->database(), context->tenant_id(), *timeline_customer);
      if (!entries) return Fail(entries.error());
      if (*timeline_format == "json") {
        nlohmann::json rows = nlohmann::json::array();
        for (const TimelineEntry& entry : *entries) rows.push_back(TimelineEntryJson(entry));
        std::cout << DumpJson(rows) << '\n';
        return {};
      }
      const Language language = context->language();
      TextTable table({std::string(Tr(language, "Fecha", "Date")), std::string(Tr(language, "Fuente", "Source")),
                       std::string(Tr(language, "Tipo", "Kind")), std::string(Tr(language, "Etapa", "Stage")),
                       std::string(Tr(language, "Acción", "Action")), std::string(Tr(language, "Detalle", "Detail"))});
      for (const TimelineEntry& entry : *entries) {
        std::string detail = entry.detail;
        if (entry.source == "promise" && entry.amount_minor) {
          // A promise's amount in the currency's units, not minor units.
          detail = fmt::format("{} {}", FormatMoneyForTable(*entry.amount_minor, entry.currency, language), entry.currency);
        } else if (entry.source == "outbox") {
          // The channel and an outcome are codes: worded here.
          std::string words;
          for (const std::string& code : {entry.channel, entry.outcome}) {
            if (!code.empty()) words += (words.empty() ? "" : " ") + Label(code, language);
          }
          detail = words.empty() ? detail : detail.empty() ? words : words + " " + detail;
        } else if (entry.source == "engine" && language == Language::kSpanish) {
          // The engine keeps its sentence in both languages (logs of older
          // runs only in English: their code is worded here).
          detail = !entry.detail_es.empty() ? entry.detail_es : !entry.code.empty() ? Label(entry.code, language) : detail;
        }
        table.AddRow({entry.date, Label(entry.source, language), Label(entry.kind, language), Label(entry.stage, language),
                      Label(entry.action, language), detail});
      }
      table.Print(std::cout);
      return {};
    });
  });
}

}  // namespace

// `note add CUSTOMER TEXT`: a collector's note (collection/notes.h), in the
// customer's timeline and the audit log.
void AddNoteCommands(CLI::App& app, CliState& state) {
  CLI::App* note = app.add_subcommand("note", L("Notas de cobro sobre un cliente", "Collection notes on a customer"));
  note->require_subcommand(1);
  struct AddArgs {
    std::string customer, text;
  };
  auto args = std::make_shared<AddArgs>();
  CLI::App* add = note->add_subcommand("add", L("Agrega una nota al cliente (se ve en su línea de tiempo)",
                                                "Add a note to the customer (shown in its timeline)"));
  add->add_option("customer", args->customer, L("Id externo del cliente", "Customer external id"))->required();
  add->add_option("text", args->text, L("El texto de la nota (una línea)", "The note's text (one line)"))->required();
  add->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto added = AddNote(context->database(), context->tenant_id(), args->customer, args->text,
                           context->Audit("cartera note add"));
      if (!added) return Fail(added.error());
      std::cout << fmt::format("{} {}\n", Tr(context->language(), "Nota agregada:", "Note added:"), added->id);
      return {};
    });
  });
}

void AddRecordCommands(CLI::App& app, CliState& state) {
  AddNoteCommands(app, state);
  AddPromiseCommands(app, state);
  AddTaskCommands(app, state);
  AddPolicyCommands(app, state);
  AddInsightCommands(app, state);
}

}  // namespace cartera
