// plan propose|accept|cancel|show|terms, plans: payment plans (acuerdos de
// pago). Thin: each command calls one use case of agreements/payment_plans.h.

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agreements/payment_plans.h"
#include "report/customer_list.h"
#include "cli/commands.h"
#include "core/time_zone.h"

namespace cartera {
namespace {

// A plan's or an installment's status as a person reads it.
std::string StatusLabel(std::string_view code, Language language) {
  static const std::vector<std::tuple<std::string_view, std::string_view, std::string_view>> kLabels = {
      {"proposed", "propuesto", "proposed"},   {"active", "activo", "active"},
      {"completed", "cumplido", "completed"},  {"broken", "incumplido", "broken"},
      {"cancelled", "cancelado", "cancelled"}, {"pending", "pendiente", "pending"},
      {"paid", "pagada", "paid"},              {"partially_paid", "pago parcial", "partially paid"},
      {"missed", "incumplida", "missed"}};
  for (const auto& [known, spanish, english] : kLabels) {
    if (code == known) return std::string(Tr(language, spanish, english));
  }
  return std::string(code);
}

// " (24,50% E.A.)" / " (24.50% EA)".
std::string RateText(compliance::Rate rate, Language language) {
  std::string percent = rate.ToPercentString(2);
  if (language == Language::kSpanish) std::replace(percent.begin(), percent.end(), '.', ',');
  return fmt::format(" ({}% {})", percent, Tr(language, "E.A.", "EA"));
}

std::string MoneyText(int64_t minor, const std::string& currency, Language language) {
  return FormatMoneyForTable(minor, currency, language) + " " + currency;
}

void PrintPlan(const PlanRecord& plan, Language language) {
  std::cout << TrFormat(language, "Acuerdo de pago {} · {} ({}) · {}\n", "Payment plan {} · {} ({}) · {}\n", plan.id,
                        plan.customer_name, plan.customer_external_id, StatusLabel(plan.status, language));
  std::cout << TrFormat(language, "Saldo {} · cuota inicial {} · financiado {} · intereses {}{} · total {}\n",
                        "Balance {} · down payment {} · financed {} · interest {}{} · total {}\n",
                        MoneyText(plan.balance_minor, plan.currency, language),
                        MoneyText(plan.down_payment_minor, plan.currency, language),
                        MoneyText(plan.financed_minor, plan.currency, language),
                        MoneyText(plan.interest_minor, plan.currency, language),
                        plan.annual_interest ? RateText(*plan.annual_interest, language) : "",
                        MoneyText(plan.total_minor, plan.currency, language));
  std::cout << TrFormat(language, "Pagado {} · cuotas incumplidas {} (se rompe con {})\n",
                        "Paid {} · missed installments {} (breaks at {})\n",
                        MoneyText(plan.paid_minor, plan.currency, language), plan.missed_count, plan.missed_to_break);
  TextTable table({"#", std::string(Tr(language, "Fecha", "Due date")), std::string(Tr(language, "Cuota", "Amount")),
                   std::string(Tr(language, "Interés", "Interest")), std::string(Tr(language, "Pagado", "Paid")),
                   std::string(Tr(language, "Estado", "Status"))},
                  {true, false, true, true, true, false});
  for (const Installment& installment : plan.installments) {
    table.AddRow({std::to_string(installment.number), installment.due_date.ToIso(),
                  FormatMoneyForTable(installment.amount_minor, plan.currency, language),
                  FormatMoneyForTable(installment.interest_minor, plan.currency, language),
                  FormatMoneyForTable(installment.paid_minor, plan.currency, language),
                  StatusLabel(installment.status, language)});
  }
  table.Print(std::cout);
}

Status Print(const PlanRecord& plan, OutputFormat format, Language language) {
  if (format == OutputFormat::kJson) {
    std::cout << DumpJson(PlanJson(plan)) << '\n';
  } else {
    PrintPlan(plan, language);
  }
  return {};
}

}  // namespace

void AddPlanCommands(CLI::App& app, CliState& state) {
  CLI::App* plan = app.add_subcommand(
      "plan", L("Acuerdos de pago: proponer, aceptar, cancelar, ver, términos",
                "Payment plans: propose, accept, cancel, show, terms"));
  plan->require_subcommand(1);

  struct ProposeArgs {
    std::string customer, frequency = "monthly", first_date, down_payment, annual_rate, rate_cap, currency,
        format = "table";
    int32_t installments = 0;
    int32_t missed_to_break = 2;
    std::vector<std::string> invoices;
  };
  auto propose_args = std::make_shared<ProposeArgs>();
  CLI::App* propose = plan->add_subcommand(
      "propose", L("Propone un acuerdo de pago sobre el saldo del cliente", "Propose a payment plan for a customer's balance"));
  propose->add_option("customer", propose_args->customer, L("Id externo del cliente", "Customer external id"))->required();
  propose->add_option("--installments", propose_args->installments, L("Número de cuotas", "Number of installments"))
      ->required();
  propose->add_option("--frequency", propose_args->frequency, "weekly | fortnightly | monthly")
      ->check(OneOf({"weekly", "fortnightly", "monthly"}));
  propose->add_option("--first-date", propose_args->first_date,
                      L("Fecha de la primera cuota (AAAA-MM-DD)", "First installment date (YYYY-MM-DD)"))
      ->required();
  propose->add_option("--down-payment", propose_args->down_payment,
                      L("Cuota inicial (decimal), a la aceptación", "Down payment (decimal), due on acceptance"));
  propose->add_option("--annual-rate", propose_args->annual_rate,
                      L("Interés efectivo anual en % (p. ej. 24.5)", "Effective annual interest in % (e.g. 24.5)"));
  propose->add_option("--rate-cap", propose_args->rate_cap,
                      L("Tasa máxima legal (usura) en % E.A. con la que se compara --annual-rate",
                        "The legal cap (usury rate) in % EA that --annual-rate is checked against"));
  propose->add_option("--invoice", propose_args->invoices,
                      L("Id externo de una factura (repetible; por omisión: todas las abiertas sin disputa)",
                        "Invoice external id (repeatable; default: every open, undisputed one)"));
  propose->add_option("--currency", propose_args->currency,
                      L("Moneda del acuerdo (por omisión: la del cliente)", "The plan's currency (default: the customer's)"));
  propose->add_option("--missed-to-break", propose_args->missed_to_break,
                      L("Cuotas incumplidas que rompen el acuerdo (2)", "Missed installments that break the plan (2)"));
  propose->add_option("--format", propose_args->format, "table | json");
  propose->callback([&state, propose_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(propose_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto first = Date::ParseIso(propose_args->first_date);
      if (!first) return Fail(Error::BadInput(fmt::format("--first-date: {}", first.error().message)));
      auto customer_id = CustomerIdByExternalId(context->database(), context->tenant_id(), propose_args->customer, language);
      if (!customer_id) return Fail(customer_id.error());
      PlanProposal proposal;
      proposal.customer_id = *customer_id;
      proposal.currency = propose_args->currency;
      proposal.installments = propose_args->installments;
      proposal.frequency = *ParsePlanFrequency(propose_args->frequency);
      proposal.first_date = *first;
      proposal.missed_to_break = propose_args->missed_to_break;
      proposal.source = "user";
      for (const std::string& invoice : propose_args->invoices) {
        auto id = PlanInvoiceId(context->database(), context->tenant_id(), *customer_id, invoice, language);
        if (!id) return Fail(Error{id.error().code, fmt::format("--invoice: {}", id.error().message)});
        proposal.invoice_ids.push_back(*id);
      }
      if (!propose_args->annual_rate.empty()) {
        auto rate = compliance::Rate::ParsePercent(propose_args->annual_rate);
        if (!rate) return Fail(Error::BadInput(fmt::format("--annual-rate: {}", rate.error().message)));
        proposal.annual_interest = *rate;
      }
      if (!propose_args->rate_cap.empty()) {
        auto cap = compliance::Rate::ParsePercent(propose_args->rate_cap);
        if (!cap) return Fail(Error::BadInput(fmt::format("--rate-cap: {}", cap.error().message)));
        proposal.interest_cap = *cap;
      }
      auto today_of = PlanCustomerToday(context->database(), context->tenant_id(), *customer_id,
                                        context->clock().Now(), language);
      if (!today_of) return Fail(today_of.error());
      const Date today = *today_of;
      if (!propose_args->down_payment.empty()) {
        // The plan's currency decides the decimals: preview without the
        // down payment to learn it, then parse.
        auto preview = PreviewPlan(context->database(), context->tenant_id(), proposal, today, language);
        if (!preview && preview.error().message.rfind("down_payment", 0) != 0) return Fail(preview.error());
        const std::string code = preview ? preview->currency : propose_args->currency;
        auto currency = Currency::FromCode(code);
        if (!currency) return Fail(Error::BadInput("--currency: give the plan's currency"));
        auto amount = Money::Parse(propose_args->down_payment, *currency);
        if (!amount) return Fail(Error::BadInput(fmt::format("--down-payment: {}", amount.error().message)));
        proposal.down_payment_minor = amount->minor_units();
      }
      auto proposed = ProposePlan(context->database(), context->tenant_id(), proposal, today,
                                  context->Audit("cartera plan propose"));
      if (!proposed) return Fail(proposed.error());
      return Print(*proposed, *format, language);
    });
  });

  struct AcceptArgs {
    int64_t id = 0;
    std::string channel, by, format = "table";
  };
  auto accept_args = std::make_shared<AcceptArgs>();
  CLI::App* accept = plan->add_subcommand(
      "accept", L("Registra la aceptación del deudor (a nombre de él, por un canal)",
                  "Record the debtor's acceptance (on their behalf, through a channel)"));
  accept->add_option("plan", accept_args->id, L("Id del acuerdo", "Plan id"))->required();
  accept->add_option("--channel", accept_args->channel, "phone | email | in_person")
      ->required()
      ->check(OneOf({"phone", "email", "in_person"}));
  accept->add_option("--by", accept_args->by,
                     L("Quién registra la aceptación (por omisión: el usuario)", "Who records it (default: the user)"));
  accept->add_option("--format", accept_args->format, "table | json");
  accept->callback([&state, accept_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(accept_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      AuditContext audit = context->Audit("cartera plan accept");
      PlanAcceptance acceptance;
      acceptance.plan_id = accept_args->id;
      acceptance.channel = accept_args->channel;
      acceptance.accepted_by = accept_args->by.empty() ? audit.actor : accept_args->by;
      auto accepted = AcceptPlan(context->database(), context->tenant_id(), acceptance, audit);
      if (!accepted) return Fail(accepted.error());
      return Print(*accepted, *format, context->language());
    });
  });

  struct CancelArgs {
    int64_t id = 0;
    std::string reason;
  };
  auto cancel_args = std::make_shared<CancelArgs>();
  CLI::App* cancel = plan->add_subcommand("cancel", L("Cancela un acuerdo propuesto o activo", "Cancel a proposed or active plan"));
  cancel->add_option("plan", cancel_args->id, L("Id del acuerdo", "Plan id"))->required();
  cancel->add_option("--reason", cancel_args->reason, L("Motivo", "Reason"))->required();
  cancel->callback([&state, cancel_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto cancelled = CancelPlan(context->database(), context->tenant_id(), cancel_args->id, cancel_args->reason,
                                  context->Audit("cartera plan cancel"));
      if (!cancelled) return Fail(cancelled.error());
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "Acuerdo de pago {} cancelado\n", "Payment plan {} cancelled\n",
                              cancelled->id);
      }
      return {};
    });
  });

  struct ShowArgs {
    int64_t id = 0;
    std::string format = "table";
  };
  auto show_args = std::make_shared<ShowArgs>();
  CLI::App* show = plan->add_subcommand("show", L("Muestra un acuerdo con sus cuotas", "Show a plan and its installments"));
  show->add_option("plan", show_args->id, L("Id del acuerdo", "Plan id"))->required();
  show->add_option("--format", show_args->format, "table | json");
  show->callback([&state, show_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(show_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto found = GetPlan(context->database(), context->tenant_id(), show_args->id, context->language());
      if (!found) return Fail(found.error());
      return Print(*found, *format, context->language());
    });
  });

  struct TermsArgs {
    int64_t id = 0;
    std::string output;
  };
  auto terms_args = std::make_shared<TermsArgs>();
  CLI::App* terms = plan->add_subcommand(
      "terms", L("Escribe los términos del acuerdo en PDF (en el idioma del deudor)",
                 "Write the plan's terms as a PDF (in the debtor's language)"));
  terms->add_option("plan", terms_args->id, L("Id del acuerdo", "Plan id"))->required();
  terms->add_option("-o,--output", terms_args->output, L("Archivo PDF (- para la salida estándar)", "PDF file (- for stdout)"))
      ->required();
  terms->callback([&state, terms_args]() {
    Guarded(state, [&]() -> Status {
      if (auto ok = CheckBinaryOutput(terms_args->output); !ok) return ok;
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto pdf = PlanTermsPdf(context->database(), context->tenant_id(), terms_args->id, context->language());
      if (!pdf) return Fail(pdf.error());
      return WriteBinaryOutput(*pdf, terms_args->output);
    });
  });

  struct ListArgs {
    std::string customer, status, format = "table";
  };
  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list = app.add_subcommand("plans", L("Lista los acuerdos de pago", "List payment plans"));
  list->add_option("--customer", list_args->customer, L("Solo los de este cliente (id externo)", "Only this customer's (external id)"));
  list->add_option("--status", list_args->status, "proposed | active | completed | broken | cancelled")
      ->check(OneOf({"proposed", "active", "completed", "broken", "cancelled"}));
  list->add_option("--format", list_args->format, "table | json");
  list->callback([&state, list_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(list_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      PlanFilter filter;
      filter.language = language;
      filter.limit = 10'000;
      if (!list_args->customer.empty()) {
        auto id = CustomerIdByExternalId(context->database(), context->tenant_id(), list_args->customer, language);
        if (!id) return Fail(id.error());
        filter.customer_id = *id;
      }
      if (!list_args->status.empty()) filter.status = list_args->status;
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({"Id", std::string(Tr(language, "Cliente", "Customer")),
                       std::string(Tr(language, "Estado", "Status")), std::string(Tr(language, "Cuotas", "Installments")),
                       std::string(Tr(language, "Total", "Total")), std::string(Tr(language, "Pagado", "Paid")),
                       std::string(Tr(language, "Primera cuota", "First date"))},
                      {true, false, false, true, true, true, false});
      while (true) {
        auto plans = ListPlans(context->database(), context->tenant_id(), filter);
        if (!plans) return Fail(plans.error());
        for (const PlanRecord& each : *plans) {
          rows.push_back(PlanJson(each));
          table.AddRow({std::to_string(each.id), each.customer_external_id, StatusLabel(each.status, language),
                        std::to_string(each.installment_count), MoneyText(each.total_minor, each.currency, language),
                        MoneyText(each.paid_minor, each.currency, language), each.first_date.ToIso()});
        }
        if (static_cast<int32_t>(plans->size()) < filter.limit) break;
        filter.after_id = plans->back().id;
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });
}

}  // namespace cartera
