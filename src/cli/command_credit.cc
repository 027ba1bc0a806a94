// credit policy | credit policy set | credit review | credit reviews: the
// tenant's credit rules per segment and the customers' credit reviews
// (credit/credit_policy.h, credit/credit_reviews.h; docs/credit-policy.md).
#include <charconv>

#include <fmt/format.h>

#include "cli/commands.h"
#include "credit/credit_policy.h"
#include "credit/credit_reviews.h"
#include "report/list_page.h"
#include "report/output.h"

namespace cartera {
namespace {

void PrintPolicy(const credit::CreditPolicy& policy, OutputFormat format, Language language) {
  if (format == OutputFormat::kJson) {
    std::cout << DumpJson(credit::CreditPolicyJson(policy)) << '\n';
    return;
  }
  TextTable table({std::string(Tr(language, "Segmento", "Segment")),
                   std::string(Tr(language, "Bloquear sobre el cupo", "Hold over the limit")),
                   std::string(Tr(language, "Bloquear con mora de más de", "Hold past due more than")),
                   std::string(Tr(language, "Revisar cada", "Review every")),
                   std::string(Tr(language, "Origen", "Source"))},
                  {false, false, true, true, false});
  for (size_t i = 0; i < policy.rules.size(); ++i) {
    const credit::CreditRule& rule = policy.rules[i];
    table.AddRow({Label(rule.segment, language), std::string(rule.hold_over_limit ? Tr(language, "sí", "yes") : Tr(language, "no", "no")),
                  rule.hold_days_past_due ? TrFormat(language, "{} días", "{} days", *rule.hold_days_past_due)
                                          : std::string(Tr(language, "nunca", "never")),
                  TrFormat(language, "{} meses", "{} months", rule.review_months),
                  std::string(policy.is_default[i] ? Tr(language, "por omisión", "default")
                                                   : Tr(language, "de la empresa", "tenant's"))});
  }
  table.Print(std::cout);
}

struct PolicySetArgs {
  std::string segment, hold_days, hold_over_limit;
  int review_months = 0;
  std::string format = "table";
};

struct ReviewArgs {
  std::string customer, limit, note, date;
  bool has_limit = false;
};

Status SetPolicy(const PolicySetArgs& args, CommandContext& context) {
  const Language language = context.language();
  auto format = ParseFormat(args.format, false);
  if (!format) return Fail(format.error());
  credit::CreditRuleChange change;
  change.segment = args.segment;
  if (!args.hold_days.empty()) {
    if (args.hold_days == "off") {
      change.hold_days_past_due = std::optional<int32_t>();
    } else {
      int32_t days = 0;
      auto [end, error] = std::from_chars(args.hold_days.data(), args.hold_days.data() + args.hold_days.size(), days);
      if (error != std::errc() || end != args.hold_days.data() + args.hold_days.size()) {
        return Fail(Error::BadInput(TrFormat(language, "--hold-days '{}': un número de días (1 a {}) u off",
                                             "--hold-days '{}': a number of days (1 to {}) or off", args.hold_days,
                                             credit::kHoldDaysMax)));
      }
      change.hold_days_past_due = std::optional<int32_t>(days);
    }
  }
  if (args.review_months != 0) change.review_months = args.review_months;
  if (!args.hold_over_limit.empty()) {
    if (args.hold_over_limit != "yes" && args.hold_over_limit != "no") {
      return Fail(Error::BadInput(TrFormat(language, "--hold-over-limit '{}': use yes o no",
                                           "--hold-over-limit '{}': use yes or no", args.hold_over_limit)));
    }
    change.hold_over_limit = args.hold_over_limit == "yes";
  }
  if (!change.hold_days_past_due && !change.review_months && !change.hold_over_limit) {
    return Fail(Error::BadInput(std::string(Tr(language, "indique --hold-days, --review-months o --hold-over-limit",
                                               "give --hold-days, --review-months or --hold-over-limit"))));
  }
  auto changed = credit::ChangeCreditPolicy(context.database(), context.tenant_id(), {change},
                                            context.Audit("cartera credit policy set"));
  if (!changed) {
    const std::string option = changed.error().field == "hold_days_past_due" ? "--hold-days"
                               : changed.error().field == "review_months"    ? "--review-months"
                                                                             : changed.error().field;
    Error error = changed.error().error;
    if (!option.empty() && option != "segment") error.message = fmt::format("{}: {}", option, error.message);
    return Fail(error);
  }
  if (!context.quiet()) PrintPolicy(*changed, *format, language);
  return {};
}

Status RecordReview(const ReviewArgs& args, CommandContext& context) {
  const Language language = context.language();
  credit::CreditReviewRequest request;
  request.customer_external_id = args.customer;
  request.note = args.note;
  if (args.has_limit) request.new_limit = args.limit;
  auto date = ParseOptionalDate(args.date, "--date");
  if (!date) return Fail(date.error());
  if (*date) {
    request.reviewed_on = **date;
  } else {
    auto today = TenantToday(context.database(), context.tenant_id(), context.clock().Now());
    if (!today) return Fail(today.error());
    request.reviewed_on = *today;
  }
  auto review = credit::RecordCreditReview(context.database(), context.tenant_id(), request,
                                           context.Audit("cartera credit review"));
  if (!review) {
    Error error = review.error().error;
    if (review.error().field == "limit") error.message = "--limit: " + error.message;
    if (review.error().field == "note") error.message = "--note: " + error.message;
    return Fail(error);
  }
  if (context.quiet()) return {};
  if (review->limit_after_minor != review->limit_before_minor && review->currency) {
    std::cout << TrFormat(language, "Revisión {} registrada para {}; cupo {} -> {} {}\n",
                          "Review {} recorded for {}; credit limit {} -> {} {}\n", review->id, args.customer,
                          review->limit_before_minor
                              ? FormatMoneyForTable(*review->limit_before_minor, *review->currency, language)
                              : std::string("-"),
                          FormatMoneyForTable(*review->limit_after_minor, *review->currency, language),
                          *review->currency);
  } else {
    std::cout << TrFormat(language, "Revisión {} registrada para {}\n", "Review {} recorded for {}\n", review->id,
                          args.customer);
  }
  return {};
}

}  // namespace

void AddCreditCommands(CLI::App& app, CliState& state) {
  CLI::App* command = app.add_subcommand(
      "credit", L("Política de crédito: bloqueo por cupo o mora y revisiones periódicas",
                  "Credit policy: holds for the limit or lateness, and periodic reviews"));
  command->require_subcommand(1);

  auto show_format = std::make_shared<std::string>("table");
  CLI::App* policy = command->add_subcommand(
      "policy", L("Muestra las reglas por segmento (o las cambia con set)", "Show the rules per segment (or change them with set)"));
  policy->add_option("--format", *show_format, "table | json");
  policy->callback([&state, show_format, policy]() {
    if (!policy->get_subcommands().empty()) return;  // `set` did the work
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto format = ParseFormat(*show_format, false);
      if (!format) return Fail(format.error());
      auto loaded = credit::LoadCreditPolicy(context->database(), context->tenant_id());
      if (!loaded) return Fail(loaded.error());
      PrintPolicy(*loaded, *format, context->language());
      return {};
    });
  });

  auto set_args = std::make_shared<PolicySetArgs>();
  CLI::App* set = policy->add_subcommand("set", L("Cambia la regla de un segmento", "Change one segment's rule"));
  set->add_option("segment", set_args->segment, "habitual | occasional | high_risk | new")->required();
  set->add_option("--hold-days", set_args->hold_days,
                  L("Bloquear cuando una factura tenga más de N días de mora (off: nunca por mora)",
                    "Hold when an invoice is more than N days past due (off: never for lateness)"))
      ->option_text("N|off");
  set->add_option("--review-months", set_args->review_months,
                  L("Revisar el crédito cada M meses (1 a 120)", "Review the credit every M months (1 to 120)"))
      ->option_text("M");
  set->add_option("--hold-over-limit", set_args->hold_over_limit,
                  L("Bloquear cuando la exposición supera el cupo: yes | no",
                    "Hold when exposure is over the credit limit: yes | no"));
  set->add_option("--format", set_args->format, "table | json");
  set->callback([&state, set_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return SetPolicy(*set_args, *context);
    });
  });

  auto review_args = std::make_shared<ReviewArgs>();
  CLI::App* review = command->add_subcommand(
      "review", L("Registra la revisión de crédito de un cliente (reinicia el plazo; puede cambiar el cupo)",
                  "Record a customer's credit review (restarts the timer; may change the limit)"));
  review->add_option("customer", review_args->customer, L("Id externo del cliente", "The customer's external id"))
      ->required();
  CLI::Option* limit = review->add_option("--limit", review_args->limit,
                                          L("Nuevo cupo en la moneda del cliente (p. ej. 25000000.00)",
                                            "New credit limit in the customer's currency (e.g. 25000000.00)"));
  review->add_option("--note", review_args->note, L("Qué se revisó y por qué", "What was reviewed and why"))
      ->required();
  review->add_option("--date", review_args->date,
                     L("Fecha de la revisión (por omisión: hoy en la zona de la empresa)",
                       "Date of the review (default: today in the tenant's zone)"));
  review->callback([&state, review_args, limit]() {
    review_args->has_limit = limit->count() > 0;
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return RecordReview(*review_args, *context);
    });
  });

  struct ListArgs {
    std::string customer, format = "table";
    int64_t limit = 20;
  };
  auto list_args = std::make_shared<ListArgs>();
  CLI::App* reviews = command->add_subcommand(
      "reviews", L("Lista las revisiones de crédito de un cliente, la más reciente primero",
                   "List a customer's credit reviews, newest first"));
  reviews->add_option("customer", list_args->customer, L("Id externo del cliente", "The customer's external id"))
      ->required();
  reviews->add_option("--limit", list_args->limit, L("Como máximo estas revisiones", "At most this many reviews"))
      ->check(CLI::Range(1, 1000));
  reviews->add_option("--format", list_args->format, "table | json");
  reviews->callback([&state, list_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      auto format = ParseFormat(list_args->format, false);
      if (!format) return Fail(format.error());
      auto found = credit::ListCreditReviews(context->database(), context->tenant_id(), list_args->customer,
                                             list_args->limit, language);
      if (!found) return Fail(found.error());
      if (*format == OutputFormat::kJson) {
        nlohmann::json data = nlohmann::json::array();
        for (const credit::CreditReview& one : *found) data.push_back(credit::CreditReviewJson(one));
        std::cout << DumpJson(data) << '\n';
        return {};
      }
      TextTable table({std::string(Tr(language, "Fecha", "Date")), std::string(Tr(language, "Cupo antes", "Limit before")),
                       std::string(Tr(language, "Cupo después", "Limit after")),
                       std::string(Tr(language, "Revisó", "Reviewer")), std::string(Tr(language, "Nota", "Note"))},
                      {false, true, true, false, false});
      for (const credit::CreditReview& one : *found) {
        auto money = [&](const std::optional<int64_t>& minor) {
          return minor && one.currency ? FormatMoneyForTable(*minor, *one.currency, language) : std::string();
        };
        table.AddRow({one.reviewed_on, money(one.limit_before_minor), money(one.limit_after_minor), one.reviewer,
                      one.note});
      }
      table.Print(std::cout);
      return {};
    });
  });
}

}  // namespace cartera
