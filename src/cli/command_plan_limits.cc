// plan limits [set FILE | reset], plan approvals, plan approve|reject: the
// payment-plan limits of the portal's plan builder and the approval of
// debtors' plans outside them (agreements/plan_limits.h,
// agreements/plan_approval.h). Thin: each command calls one use case.
// These commands join the "plan" command of command_plans.cc (created here
// when it is not registered yet).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agreements/plan_approval.h"
#include "agreements/plan_limits.h"
#include "cli/commands.h"
#include "core/currency.h"
#include "core/time_zone.h"
#include "report/output.h"

namespace cartera {
namespace {

CLI::App* PlanCommand(CLI::App& app) {
  auto found = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "plan"; });
  if (!found.empty()) return found.front();
  CLI::App* plan = app.add_subcommand("plan", L("Acuerdos de pago", "Payment plans"));
  plan->require_subcommand(1);
  return plan;
}

std::string Amount(int64_t minor, const std::string& currency, Language language) {
  return FormatMoneyForTable(minor, currency, language);
}

void PrintLimits(const PlanLimits& limits, Language language) {
  if (limits.is_default) {
    std::cout << Tr(language, "Límites de los acuerdos de pago (los predeterminados)\n",
                    "Payment-plan limits (the defaults)\n");
  } else {
    std::cout << TrFormat(language, "Límites de los acuerdos de pago (de la empresa; {} por {})\n",
                          "Payment-plan limits (the company's; {} by {})\n", limits.updated_at, limits.updated_by);
  }
  TextTable table({"#", std::string(Tr(language, "Segmento", "Segment")), std::string(Tr(language, "Moneda", "Currency")),
                   std::string(Tr(language, "Saldo desde", "Balance from")),
                   std::string(Tr(language, "Saldo hasta", "Balance to")), std::string(Tr(language, "Cuotas", "Inst.")),
                   std::string(Tr(language, "Inicial %", "Down %")),
                   std::string(Tr(language, "Cuota mínima", "Min. installment")),
                   std::string(Tr(language, "Días máx.", "Max days")),
                   std::string(Tr(language, "1.ª cuota (días)", "1st date (days)"))},
                  {true, false, false, true, true, true, true, true, true, false});
  for (size_t i = 0; i < limits.rules.size(); ++i) {
    const PlanLimitRule& rule = limits.rules[i];
    table.AddRow({std::to_string(i + 1), rule.segment, rule.currency,
                  Amount(rule.balance_min_minor, rule.currency, language),
                  rule.balance_max_minor ? Amount(*rule.balance_max_minor, rule.currency, language) : "-",
                  std::to_string(rule.max_installments), std::to_string(rule.min_down_payment_percent),
                  Amount(rule.min_installment_minor, rule.currency, language), std::to_string(rule.max_duration_days),
                  fmt::format("{}..{}", rule.earliest_start_days, rule.latest_start_days)});
  }
  table.Print(std::cout);
}

std::string_view StatusText(std::string_view status, Language language) {
  if (status == kApprovalPending) return Tr(language, "pendiente", "pending");
  if (status == kApprovalApproved) return Tr(language, "aprobado", "approved");
  return Tr(language, "rechazado", "rejected");
}

void PrintApproval(const PlanApproval& approval, Language language) {
  std::cout << TrFormat(language, "Plan {} · {} ({}) · {} · {} {} en {} cuotas desde {}\n",
                        "Plan {} · {} ({}) · {} · {} {} in {} installments from {}\n", approval.plan_id,
                        approval.plan.customer_name, approval.plan.customer_external_id, StatusText(approval.status, language),
                        Amount(approval.plan.balance_minor, approval.plan.currency, language), approval.plan.currency,
                        approval.plan.installment_count, approval.plan.first_date.ToIso());
  for (const PlanLimitViolation& violation : approval.violations) {
    std::cout << "  - " << violation.code << ": " << violation.message << '\n';
  }
}

}  // namespace

void AddPlanLimitCommands(CLI::App& app, CliState& state) {
  CLI::App* plan = PlanCommand(app);

  // plan limits [--format] | plan limits set FILE | plan limits reset
  auto limits_format = std::make_shared<std::string>("table");
  CLI::App* limits = plan->add_subcommand(
      "limits", L("Límites de los acuerdos que el deudor arma en el portal (ver, cambiar, restablecer)",
                  "Limits of the plans a debtor builds in the portal (show, change, reset)"));
  limits->add_option("--format", *limits_format, "table | json");
  limits->callback([&state, limits, limits_format]() {
    if (!limits->get_subcommands().empty()) return;  // set / reset ran
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(*limits_format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto loaded = LoadPlanLimits(context->database(), context->tenant_id());
      if (!loaded) return Fail(loaded.error());
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(PlanLimitsJson(*loaded)) << '\n';
      } else {
        PrintLimits(*loaded, context->language());
      }
      return {};
    });
  });

  auto set_file = std::make_shared<std::string>();
  CLI::App* set = limits->add_subcommand(
      "set", L("Reemplaza las reglas por las de un archivo JSON {\"rules\": [...]} (como GET /api/v1/plan-limits)",
               "Replace the rules with a JSON file {\"rules\": [...]} (as GET /api/v1/plan-limits answers)"));
  set->add_option("file", *set_file, L("Archivo JSON", "JSON file"))->required();
  set->callback([&state, set_file]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto text = ReadTextFile(*set_file);
      if (!text) return Fail(text.error());
      auto document = nlohmann::json::parse(*text, nullptr, false);
      if (document.is_discarded()) {
        return Fail(Error::BadInput(TrFormat(language, "{}: no es JSON válido", "{}: not valid JSON", *set_file)));
      }
      // The file may be a whole GET answer: only its rules are read.
      if (document.is_object() && document.contains("object")) document = {{"rules", document.value("rules", nlohmann::json::array())}};
      auto rules = ParsePlanLimitRules(document, language);
      if (!rules) return Fail(Error::BadInput(fmt::format("{}: {}", *set_file, rules.error().message)));
      auto saved = SavePlanLimits(context->database(), context->tenant_id(), *rules,
                                  context->Audit("cartera plan limits set"));
      if (!saved) return Fail(saved.error());
      if (!context->quiet()) PrintLimits(*saved, language);
      return {};
    });
  });

  CLI::App* reset =
      limits->add_subcommand("reset", L("Vuelve a los límites predeterminados", "Go back to the default limits"));
  reset->callback([&state]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto done = ResetPlanLimits(context->database(), context->tenant_id(), context->Audit("cartera plan limits reset"));
      if (!done) return Fail(done.error());
      if (!context->quiet()) PrintLimits(*done, context->language());
      return {};
    });
  });

  // plan approvals [--status pending|approved|rejected] [--format]
  struct ApprovalsArgs {
    std::string status = "pending", format = "table";
  };
  auto approvals_args = std::make_shared<ApprovalsArgs>();
  CLI::App* approvals = plan->add_subcommand(
      "approvals", L("Acuerdos del portal fuera de los límites que esperan aprobación (y sus decisiones)",
                     "Portal plans outside the limits waiting for approval (and their decisions)"));
  approvals->add_option("--status", approvals_args->status, "pending | approved | rejected | all")
      ->check(OneOf({"pending", "approved", "rejected", "all"}));
  approvals->add_option("--format", approvals_args->format, "table | json");
  approvals->callback([&state, approvals_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(approvals_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      PlanApprovalFilter filter;
      filter.language = context->language();
      if (approvals_args->status != "all") filter.status = approvals_args->status;
      nlohmann::json all = nlohmann::json::array();
      std::vector<PlanApproval> listed;
      // Every page (100 a read): a queue is short, a decided history may not be.
      while (true) {
        auto page = ListPlanApprovals(context->database(), context->tenant_id(), filter);
        if (!page) return Fail(page.error());
        if (page->empty()) break;
        filter.after_id = page->back().plan_id;
        for (PlanApproval& approval : *page) listed.push_back(std::move(approval));
        if (page->size() < static_cast<size_t>(filter.limit)) break;
      }
      if (*format == OutputFormat::kJson) {
        for (const PlanApproval& approval : listed) all.push_back(PlanApprovalJson(approval));
        std::cout << DumpJson(all) << '\n';
        return {};
      }
      if (listed.empty()) {
        std::cout << Tr(context->language(), "No hay acuerdos.\n", "No plans.\n");
      }
      for (const PlanApproval& approval : listed) PrintApproval(approval, context->language());
      return {};
    });
  });

  struct DecideArgs {
    int64_t plan_id = 0;
    std::string text, format = "table";
  };
  auto approve_args = std::make_shared<DecideArgs>();
  CLI::App* approve = plan->add_subcommand(
      "approve", L("Aprueba un acuerdo del portal fuera de los límites: queda activo",
                   "Approve a portal plan outside the limits: it becomes active"));
  approve->add_option("plan", approve_args->plan_id, L("Id del acuerdo", "Plan id"))->required();
  approve->add_option("--note", approve_args->text, L("Nota de la aprobación", "A note on the approval"));
  approve->add_option("--format", approve_args->format, "table | json");
  approve->callback([&state, approve_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(approve_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Date today = DateIn(context->tenant_time_zone(), context->clock().Now());
      auto approval = ApprovePlan(context->database(), context->tenant_id(), approve_args->plan_id, approve_args->text,
                                  today, context->Audit("cartera plan approve"));
      if (!approval) return Fail(approval.error());
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(PlanApprovalJson(*approval)) << '\n';
      } else if (!context->quiet()) {
        PrintApproval(*approval, context->language());
      }
      return {};
    });
  });

  auto reject_args = std::make_shared<DecideArgs>();
  CLI::App* reject = plan->add_subcommand(
      "reject", L("Rechaza un acuerdo del portal fuera de los límites: queda cancelado",
                  "Reject a portal plan outside the limits: it is cancelled"));
  reject->add_option("plan", reject_args->plan_id, L("Id del acuerdo", "Plan id"))->required();
  reject->add_option("--reason", reject_args->text, L("Por qué se rechaza", "Why it is rejected"))->required();
  reject->add_option("--format", reject_args->format, "table | json");
  reject->callback([&state, reject_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(reject_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto approval = RejectPlan(context->database(), context->tenant_id(), reject_args->plan_id, reject_args->text,
                                 context->Audit("cartera plan reject"));
      if (!approval) return Fail(approval.error());
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(PlanApprovalJson(*approval)) << '\n';
      } else if (!context->quiet()) {
        PrintApproval(*approval, context->language());
      }
      return {};
    });
  });
}

}  // namespace cartera
