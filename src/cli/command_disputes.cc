// dispute open|resolve|list, disputes reasons [set], disputes report: the
// disputes of issue 17 (collection/dispute_reasons.h, collection/disputes.h,
// delivery/dispute_resolution.h). Thin: one use case per command.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "collection/dispute_reasons.h"
#include "collection/disputes.h"
#include "core/money.h"
#include "delivery/dispute_resolution.h"
#include "report/list_page.h"
#include "report/output.h"

namespace cartera {
namespace {

std::vector<std::string> ReasonCodeList() {
  std::vector<std::string> codes;
  for (const DisputeReasonDefault& reason : kDisputeReasonDefaults) codes.emplace_back(reason.code);
  return codes;
}

std::string MoneyText(int64_t minor, const std::string& currency) {
  auto parsed = Currency::FromCode(currency);
  if (!parsed) return fmt::format("{} {}", minor, currency);
  return fmt::format("{} {}", FormatMinorUnits(minor, parsed->exponent()), currency);
}

std::string MoneyListText(const std::map<std::string, int64_t>& sums) {
  std::string text;
  for (const auto& [currency, minor] : sums) text += (text.empty() ? "" : "; ") + MoneyText(minor, currency);
  return text;
}

std::string DaysText(const std::optional<double>& days) { return days ? fmt::format("{:.1f}", *days) : "-"; }

Result<Date> Today(CommandContext& context) {
  return TenantToday(context.database(), context.tenant_id(), context.clock().Now());
}

void AddDisputeCommand(CLI::App& app, CliState& state) {
  CLI::App* dispute = app.add_subcommand(
      "dispute", L("Disputas (una disputa abierta saca su factura de todo mensaje)",
                   "Disputes (an open dispute keeps its invoice out of every message)"));
  dispute->require_subcommand(1);

  struct OpenArgs {
    std::string invoice, reason, text;
  };
  auto open_args = std::make_shared<OpenArgs>();
  CLI::App* open = dispute->add_subcommand(
      "open", L("Abre una disputa sobre una factura (responsable y plazo según el motivo)",
                "Open a dispute on an invoice (owner and deadline from its reason)"));
  open->add_option("invoice", open_args->invoice, L("Id externo de la factura", "Invoice external id"))->required();
  open->add_option("--reason", open_args->reason,
                   "not_received | wrong_amount | defective | already_paid | not_ordered | other")
      ->required();
  open->add_option("--text", open_args->text, L("Lo que dice el cliente (opcional)", "What the customer says (optional)"));
  open->callback([&state, open_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      if (!IsDisputeReasonCode(open_args->reason)) {
        return Fail(Error::BadInput(TrFormat(language, "--reason: '{}' no es un motivo del catálogo (use {})",
                                             "--reason: '{}' is not a reason of the catalogue (use {})",
                                             open_args->reason, DisputeReasonCodes())));
      }
      auto id = OpenDisputeFromCatalogue(context->database(), context->tenant_id(),
                                         {open_args->invoice, open_args->reason, open_args->text},
                                         context->Audit("cartera dispute open"));
      if (!id) return Fail(id.error());
      auto today = Today(*context);
      if (!today) return Fail(today.error());
      auto view = LoadDisputeView(context->database(), context->tenant_id(), *id, *today, language);
      if (!view) return Fail(view.error());
      std::cout << TrFormat(language, "Disputa abierta: {} (responsable: {}, plazo: {})\n",
                            "Dispute opened: {} (owner: {}, deadline: {})\n", *id,
                            view->owner.empty() ? std::string(Tr(language, "cualquier gerente", "any manager"))
                                                : view->owner,
                            view->deadline ? view->deadline->ToIso() : "-");
      return {};
    });
  });

  struct ResolveArgs {
    int64_t id = 0;
    std::string outcome, credit_amount, resolution;
  };
  auto resolve_args = std::make_shared<ResolveArgs>();
  CLI::App* resolve = dispute->add_subcommand(
      "resolve", L("Resuelve una disputa: accepted (nota crédito) o rejected (el cobro se reanuda y se avisa al deudor)",
                   "Resolve a dispute: accepted (a credit note) or rejected (collection resumes, the debtor is told)"));
  resolve->add_option("id", resolve_args->id, L("Id de la disputa", "Dispute id"))->required();
  resolve->add_option("--outcome", resolve_args->outcome, "accepted | rejected")
      ->required()
      ->check(OneOf({"accepted", "rejected"}));
  resolve->add_option("--credit-amount", resolve_args->credit_amount,
                      L("Con accepted: el valor de la nota crédito (por omisión, el saldo de la factura)",
                        "With accepted: the credit note's amount (default: what the invoice owes)"));
  resolve->add_option("--resolution", resolve_args->resolution,
                      L("Por qué (obligatorio al rechazar: el deudor lo leerá)",
                        "Why (required to reject: the debtor reads it)"));
  resolve->callback([&state, resolve_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      delivery::DisputeDecision decision;
      decision.outcome = resolve_args->outcome;
      if (!resolve_args->credit_amount.empty()) decision.credit_amount = resolve_args->credit_amount;
      decision.resolution = resolve_args->resolution;
      auto resolved = delivery::ResolveDisputeWithOutcome(context->database(), context->tenant_id(), resolve_args->id,
                                                          decision, context->clock().Now(),
                                                          context->Audit("cartera dispute resolve"));
      if (!resolved) {
        Error error = resolved.error();
        // The option as the person typed it, not the API field.
        for (auto [field, option] : {std::pair{"credit_amount:", "--credit-amount:"},
                                     std::pair{"resolution:", "--resolution:"}, std::pair{"outcome:", "--outcome:"}}) {
          if (error.message.starts_with(field)) error.message = option + error.message.substr(std::string(field).size());
        }
        return Fail(error);
      }
      if (context->quiet()) return {};
      if (resolved->credit_note_id) {
        std::cout << TrFormat(language, "Disputa {} aceptada: nota crédito {}\n", "Dispute {} accepted: credit note {}\n",
                              resolve_args->id, *resolved->credit_note_id);
      } else {
        std::cout << TrFormat(language, "Disputa {} rechazada; el cobro de la factura se reanuda\n",
                              "Dispute {} rejected; collection of the invoice resumes\n", resolve_args->id);
        if (resolved->notice_id) {
          std::cout << TrFormat(language, "Aviso al deudor en cola: mensaje {} por {}\n",
                                "Notice to the debtor queued: message {} by {}\n", *resolved->notice_id,
                                resolved->notice_channel);
        } else {
          std::cout << TrFormat(language, "No se avisó al deudor: {}\n", "The debtor was not told: {}\n",
                                resolved->notice_refusal);
        }
      }
      return {};
    });
  });

  struct ListArgs {
    std::string status, reason, owner, customer, format = "table";
    bool overdue = false;
  };
  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list = dispute->add_subcommand("list", L("Lista las disputas", "List disputes"));
  list->add_option("--status", list_args->status, "open | resolved")->check(OneOf({"open", "resolved"}));
  list->add_option("--reason", list_args->reason, L("Solo este motivo", "Only this reason"))->check(OneOf(ReasonCodeList()));
  list->add_option("--owner", list_args->owner, L("Solo las de este responsable (none: sin responsable)",
                                                  "Only this owner's (none: the unowned)"));
  list->add_option("--customer", list_args->customer, L("Solo las de este cliente", "Only this customer's"));
  list->add_flag("--overdue", list_args->overdue, L("Solo las vencidas (abiertas tras su plazo)",
                                                    "Only the overdue (open past their deadline)"));
  list->add_option("--format", list_args->format, "table | json");
  list->callback([&state, list_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(list_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto today = Today(*context);
      if (!today) return Fail(today.error());
      DisputeFilter filter;
      filter.as_of = *today;
      if (!list_args->status.empty()) filter.status = list_args->status;
      if (!list_args->reason.empty()) filter.reason_code = list_args->reason;
      if (!list_args->owner.empty()) filter.owner = list_args->owner;
      if (!list_args->customer.empty()) filter.customer_external_id = list_args->customer;
      if (list_args->overdue) filter.overdue = true;
      auto views = ListDisputeViews(context->database(), context->tenant_id(), filter, language);
      if (!views) return Fail(views.error());
      if (*format == OutputFormat::kJson) {
        nlohmann::json rows = nlohmann::json::array();
        for (const DisputeView& view : *views) rows.push_back(DisputeViewJson(view));
        std::cout << DumpJson(rows) << '\n';
        return {};
      }
      TextTable table({"Id", std::string(Tr(language, "Cliente", "Customer")),
                       std::string(Tr(language, "Factura", "Invoice")), std::string(Tr(language, "Motivo", "Reason")),
                       std::string(Tr(language, "Estado", "Status")), std::string(Tr(language, "Plazo", "Deadline")),
                       std::string(Tr(language, "Responsable", "Owner")), std::string(Tr(language, "Retenido", "Held")),
                       std::string(Tr(language, "Resolución", "Resolution"))});
      for (const DisputeView& view : *views) {
        std::string status = view.outcome.empty() ? Label(view.status, language) : view.outcome;
        if (view.overdue) status += Tr(language, " (vencida)", " (overdue)");
        table.AddRow({std::to_string(view.id), view.customer_external_id, view.invoice_external_id,
                      std::string(DisputeReasonLabel(view.reason_code, language)), status,
                      view.deadline ? view.deadline->ToIso() : "-", view.owner.empty() ? "-" : view.owner,
                      MoneyText(view.held_minor, view.currency), view.resolution});
      }
      table.Print(std::cout);
      return {};
    });
  });
}

void AddDisputesCommand(CLI::App& app, CliState& state) {
  CLI::App* disputes = app.add_subcommand(
      "disputes", L("Catálogo de motivos de disputa e informe de causas", "Dispute reasons catalogue and root-cause report"));
  disputes->require_subcommand(1);

  auto reasons_format = std::make_shared<std::string>("table");
  CLI::App* reasons = disputes->add_subcommand(
      "reasons", L("Los motivos de disputa con su plazo y responsable", "The dispute reasons with their deadline and owner"));
  reasons->add_option("--format", *reasons_format, "table | json");
  reasons->callback([&state, reasons, reasons_format]() {
    if (!reasons->get_subcommands().empty()) return;  // `reasons set`
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(*reasons_format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto all = LoadDisputeReasons(context->database(), context->tenant_id());
      if (!all) return Fail(all.error());
      if (*format == OutputFormat::kJson) {
        nlohmann::json rows = nlohmann::json::array();
        for (const DisputeReasonSetting& setting : *all) rows.push_back(DisputeReasonJson(setting));
        std::cout << DumpJson(rows) << '\n';
        return {};
      }
      TextTable table({std::string(Tr(language, "Código", "Code")), std::string(Tr(language, "Motivo", "Reason")),
                       std::string(Tr(language, "Plazo (días)", "Deadline (days)")),
                       std::string(Tr(language, "Responsable", "Owner"))},
                      {false, false, true, false});
      for (const DisputeReasonSetting& setting : *all) {
        table.AddRow({setting.code, language == Language::kSpanish ? setting.label_es : setting.label_en,
                      std::to_string(setting.deadline_days),
                      setting.owner.empty()
                          ? std::string(Tr(language, "el gestor del cliente o un gerente",
                                           "the customer's collector or a manager"))
                          : setting.owner});
      }
      table.Print(std::cout);
      return {};
    });
  });

  struct SetArgs {
    std::string code, owner;
    int32_t deadline_days = 0;
  };
  auto set_args = std::make_shared<SetArgs>();
  CLI::App* set = reasons->add_subcommand(
      "set", L("Cambia el plazo o el responsable de un motivo (gerente)", "Change a reason's deadline or owner (manager)"));
  set->add_option("code", set_args->code, L("Código del motivo", "Reason code"))->required()->check(OneOf(ReasonCodeList()));
  CLI::Option* days = set->add_option("--deadline-days", set_args->deadline_days,
                                      L("Días para resolverla desde que se abre", "Days to resolve it from its opening"));
  CLI::Option* owner = set->add_option("--owner", set_args->owner,
                                       L("Usuario responsable (e-mail); \"\" lo quita", "Owner user (e-mail); \"\" clears it"));
  set->callback([&state, set_args, days, owner]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      if (days->count() == 0 && owner->count() == 0) {
        return Fail(Error::BadInput(std::string(Tr(language, "indique --deadline-days, --owner o ambos",
                                                   "give --deadline-days, --owner or both"))));
      }
      DisputeReasonChange change;
      if (days->count() > 0) change.deadline_days = set_args->deadline_days;
      if (owner->count() > 0) change.owner = set_args->owner;
      auto saved = SetDisputeReason(context->database(), context->tenant_id(), set_args->code, change,
                                    context->Audit("cartera disputes reasons set"));
      if (!saved) {
        Error error = saved.error();
        for (auto [field, option] : {std::pair{"deadline_days:", "--deadline-days:"}, std::pair{"owner:", "--owner:"}}) {
          if (error.message.starts_with(field)) error.message = option + error.message.substr(std::string(field).size());
        }
        return Fail(error);
      }
      if (!context->quiet()) {
        std::cout << TrFormat(language, "Motivo {}: {} días, responsable {}\n", "Reason {}: {} days, owner {}\n",
                              saved->code, saved->deadline_days,
                              saved->owner.empty() ? std::string(Tr(language, "el gestor del cliente o un gerente",
                                                                    "the customer's collector or a manager"))
                                                   : saved->owner);
      }
      return {};
    });
  });

  struct ReportArgs {
    std::string from, to, by = "reason", format = "table";
  };
  auto report_args = std::make_shared<ReportArgs>();
  CLI::App* report = disputes->add_subcommand(
      "report", L("Causas de las disputas: por motivo, cliente o mes, tiempo para resolver y valor retenido",
                  "Dispute root causes: by reason, customer or month, time to resolve and the amount held back"));
  report->add_option("--from", report_args->from, L("Abiertas desde (AAAA-MM-DD)", "Opened from (YYYY-MM-DD)"));
  report->add_option("--to", report_args->to, L("Abiertas hasta (AAAA-MM-DD)", "Opened until (YYYY-MM-DD)"));
  report->add_option("--by", report_args->by, "reason | customer | month")->check(OneOf({"reason", "customer", "month"}));
  report->add_option("--format", report_args->format, "table | json | csv");
  report->callback([&state, report_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(report_args->format);
      if (!format) return Fail(format.error());
      DisputeReportOptions options;
      options.by = report_args->by;
      auto from = ParseOptionalDate(report_args->from, "--from");
      if (!from) return Fail(from.error());
      auto to = ParseOptionalDate(report_args->to, "--to");
      if (!to) return Fail(to.error());
      options.from = *from;
      options.to = *to;
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto today = Today(*context);
      if (!today) return Fail(today.error());
      auto built = BuildDisputeReport(context->database(), context->tenant_id(), options, *today, language);
      if (!built) {
        Error error = built.error();
        if (error.message.starts_with("from:")) error.message = "--" + error.message;
        return Fail(error);
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(DisputeReportJson(*built)) << '\n';
        return {};
      }
      const std::vector<std::string> headers = {
          std::string(Tr(language, "Clave", "Key")),         std::string(Tr(language, "Nombre", "Name")),
          std::string(Tr(language, "Abiertas", "Opened")),   std::string(Tr(language, "Sin resolver", "Open")),
          std::string(Tr(language, "Aceptadas", "Accepted")), std::string(Tr(language, "Rechazadas", "Rejected")),
          std::string(Tr(language, "Vencidas", "Overdue")),
          std::string(Tr(language, "Mediana días", "Median days")),
          std::string(Tr(language, "Promedio días", "Average days")),
          std::string(Tr(language, "Retenido", "Held back")), std::string(Tr(language, "Acreditado", "Credited"))};
      const auto cells = [](const DisputeReportRow& row) {
        return std::vector<std::string>{row.key,
                                        row.label,
                                        std::to_string(row.opened),
                                        std::to_string(row.open),
                                        std::to_string(row.accepted),
                                        std::to_string(row.rejected),
                                        std::to_string(row.overdue),
                                        DaysText(row.median_days_to_resolve),
                                        DaysText(row.average_days_to_resolve),
                                        MoneyListText(row.held_minor),
                                        MoneyListText(row.credited_minor)};
      };
      if (*format == OutputFormat::kCsv) {
        WriteCsvRow(std::cout, {"key", "label", "opened", "open", "accepted", "rejected", "overdue",
                                "median_days_to_resolve", "average_days_to_resolve", "held_back", "credited"});
        for (const DisputeReportRow& row : built->rows) WriteCsvRow(std::cout, cells(row));
        WriteCsvRow(std::cout, cells(built->total));
        return {};
      }
      TextTable table(headers, {false, false, true, true, true, true, true, true, true, true, true});
      for (const DisputeReportRow& row : built->rows) table.AddRow(cells(row));
      table.AddSeparator();
      table.AddRow(cells(built->total));
      table.Print(std::cout);
      return {};
    });
  });
}

}  // namespace

void AddDisputeCommands(CLI::App& app, CliState& state) {
  AddDisputeCommand(app, state);
  AddDisputesCommand(app, state);
}

}  // namespace cartera
