// offer create|approve|reject|withdraw|accept|show|limits, offers: offers
// within approval limits (offers/offers.h). The CLI acts with the
// operator's authority (admin, actor cli:<account>) unless --as names a user
// of the tenant: then that user's role and limit apply and the audit names
// them, so a collector's offer above their limit waits for a manager here
// exactly as through the API.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/users.h"
#include "cli/commands.h"
#include "core/currency.h"
#include "core/money.h"
#include "offers/offers.h"
#include "report/output.h"

namespace cartera {
namespace {

using offers::OfferActor;

// The actor and the audit stamp: the operator (admin) or, with --as, a user.
struct Acting {
  OfferActor actor;
  AuditContext audit;
};

Result<Acting> ActingAs(CommandContext& context, const std::string& as, const std::string& source) {
  AuditContext audit = context.Audit(source);
  if (as.empty()) return Acting{OfferActor{audit.actor, access::Role::kAdmin}, audit};
  auto users = access::ListUsers(context.database(), context.tenant_id());
  if (!users) return Fail(users.error());
  for (const access::User& user : *users) {
    if (user.email != as) continue;
    if (user.disabled_at) {
      return Fail(Error::BadInput(TrFormat(context.language(), "--as: el usuario {} está deshabilitado",
                                           "--as: user {} is disabled", as)));
    }
    const std::string actor = "user:" + user.email;
    audit.source = fmt::format("{} ({})", source, audit.actor);
    audit.actor = actor;
    return Acting{OfferActor{actor, user.role}, audit};
  }
  return Fail(Error::BadInput(TrFormat(context.language(), "--as: no hay un usuario {} en este tenant",
                                       "--as: there is no user {} in this tenant", as)));
}

// A use case's field as the CLI option that set it.
std::string OptionFor(const std::string& field) {
  if (field == "expires_on") return "--expires";
  if (field.starts_with("invoices")) return "--invoice";
  return "--" + field;
}

std::string Amount(int64_t minor, const std::string& currency, Language language) {
  return FormatMoneyForTable(minor, currency, language) + " " + currency;
}

void PrintOffer(const offers::Offer& offer, Language language) {
  std::cout << fmt::format("{} {}: {} · {} · {} ({})\n", Tr(language, "Oferta", "Offer"), offer.id, offer.type,
                           Label(offer.status, language), offer.customer_external_id, offer.customer_name);
  std::cout << fmt::format("  {}: {}\n", Tr(language, "Saldo cubierto", "Covered balance"),
                           Amount(offer.balance_minor, offer.currency, language));
  std::cout << fmt::format("  {}: {} ({} %)\n", Tr(language, "Se condona", "Forgiven"),
                           Amount(offer.forgiven_minor, offer.currency, language), offers::FormatPercent(offer.percent_bp));
  std::cout << fmt::format("  {}: {} {} {}\n", Tr(language, "Debe pagar", "Must pay"),
                           Amount(offer.due_minor, offer.currency, language), Tr(language, "a más tardar el", "by"),
                           offer.expires_on.ToIso());
  for (const offers::OfferInvoice& invoice : offer.invoices) {
    std::cout << fmt::format("  - {} {} · {} {} · {} {}\n", Tr(language, "factura", "invoice"), invoice.external_id,
                             Tr(language, "saldo", "open"), Amount(invoice.open_minor, offer.currency, language),
                             Tr(language, "condona", "forgiven"), Amount(invoice.forgiven_minor, offer.currency, language));
  }
  std::cout << fmt::format("  {}: {}", Tr(language, "Creada por", "Made by"), offer.created_by);
  if (offer.decided_by) std::cout << fmt::format(" · {}: {}", Tr(language, "decidida por", "decided by"), *offer.decided_by);
  std::cout << '\n';
}

void AddCreate(CLI::App* parent, CliState& state) {
  struct Args {
    std::string customer, type, percent, amount, expires, note, as;
    std::vector<std::string> invoices;
    bool quote = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* create = parent->add_subcommand(
      "create", L("Hace una oferta (aprobada si está dentro de su límite, si no espera aprobación)",
                  "Make an offer (approved when within your limit, else it waits for approval)"));
  create->add_option("customer", args->customer, L("Id externo del cliente", "Customer external id"))->required();
  create->add_option("--type", args->type, "early_payment_discount | waiver | settlement")
      ->required()
      ->check(OneOf({"early_payment_discount", "waiver", "settlement"}));
  create->add_option("--percent", args->percent,
                     L("Porcentaje condonado del saldo (p. ej. 5 o 2.5)", "Forgiven percent of the balance (e.g. 5 or 2.5)"));
  create->add_option("--amount", args->amount, L("Valor condonado (en vez de --percent)", "Forgiven amount (instead of --percent)"));
  create->add_option("--expires", args->expires, L("Último día para pagar (AAAA-MM-DD)", "Last day to pay (YYYY-MM-DD)"))
      ->required();
  create->add_option("--invoice", args->invoices,
                     L("Id externo de una factura cubierta (repetible; por omisión todas las abiertas)",
                       "External id of a covered invoice (repeatable; default: every open one)"));
  create->add_option("--note", args->note, L("Texto libre", "Free text"));
  create->add_option("--as", args->as, L("Actuar como este usuario (su rol y su límite)", "Act as this user (their role and limit)"));
  create->add_flag("--quote", args->quote, L("Solo calcula, no guarda", "Only compute, save nothing"));
  create->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto expires = Date::ParseIso(args->expires);
      if (!expires) return Fail(Error::BadInput(fmt::format("--expires: {}", expires.error().message)));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto known = RequireCustomer(*context, args->customer); !known) return known;
      auto acting = ActingAs(*context, args->as, "cartera offer create");
      if (!acting) return Fail(acting.error());
      offers::OfferRequest request;
      request.customer_external_id = args->customer;
      request.type = args->type;
      if (!args->percent.empty()) request.percent = args->percent;
      if (!args->amount.empty()) request.amount = args->amount;
      request.expires_on = *expires;
      request.invoice_external_ids = args->invoices;
      request.note = args->note;
      std::string field;
      const Language language = context->language();
      if (args->quote) {
        auto quote = offers::QuoteOffer(context->database(), context->tenant_id(), request, acting->actor,
                                        context->clock().Now(), language, &field);
        if (!quote) {
          return Fail(field.empty() ? quote.error()
                                    : Error{quote.error().code, OptionFor(field) + ": " + quote.error().message});
        }
        std::cout << DumpJson(offers::OfferQuoteJson(*quote)) << '\n';
        return {};
      }
      auto id = offers::CreateOffer(context->database(), context->tenant_id(), request, acting->actor, acting->audit,
                                    &field);
      if (!id) {
        return Fail(field.empty() ? id.error() : Error{id.error().code, OptionFor(field) + ": " + id.error().message});
      }
      auto offer = offers::LoadOffer(context->database(), context->tenant_id(), *id, language);
      if (!offer) return Fail(offer.error());
      PrintOffer(*offer, language);
      if (offer->status == "pending_approval") {
        std::cout << Tr(language, "Pasa de su límite: espera la aprobación de un manager (cartera offers --status pending_approval).\n",
                        "Above your limit: it waits for a manager's approval (cartera offers --status pending_approval).\n");
      }
      return {};
    });
  });
}

// approve, reject, withdraw: the same shape.
void AddDecision(CLI::App* parent, CliState& state, const std::string& name, std::string spanish, std::string english) {
  struct Args {
    int64_t id = 0;
    std::string note, as;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = parent->add_subcommand(name, L(spanish, english));
  command->add_option("offer", args->id, L("Id de la oferta", "Offer id"))->required();
  auto* note = command->add_option("--note", args->note, L("Por qué (obligatorio al rechazar)", "Why (required to reject)"));
  if (name == "reject") note->required();
  command->add_option("--as", args->as, L("Actuar como este usuario (su rol y su límite)", "Act as this user (their role and limit)"));
  command->callback([&state, args, name]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto acting = ActingAs(*context, args->as, "cartera offer " + name);
      if (!acting) return Fail(acting.error());
      Status done = name == "approve"
                        ? offers::ApproveOffer(context->database(), context->tenant_id(), args->id, acting->actor,
                                               args->note, acting->audit)
                    : name == "reject"
                        ? offers::RejectOffer(context->database(), context->tenant_id(), args->id, acting->actor,
                                              args->note, acting->audit)
                        : offers::WithdrawOffer(context->database(), context->tenant_id(), args->id, acting->actor,
                                                args->note, acting->audit);
      if (!done) return done;
      auto offer = offers::LoadOffer(context->database(), context->tenant_id(), args->id, context->language());
      if (!offer) return Fail(offer.error());
      if (!context->quiet()) PrintOffer(*offer, context->language());
      return {};
    });
  });
}

void AddAccept(CLI::App* parent, CliState& state) {
  struct Args {
    int64_t id = 0;
    std::string channel, as;
  };
  auto args = std::make_shared<Args>();
  CLI::App* accept = parent->add_subcommand(
      "accept", L("Registra que el cliente aceptó la oferta (por teléfono, correo o en persona)",
                  "Record that the customer accepted the offer (by phone, e-mail or in person)"));
  accept->add_option("offer", args->id, L("Id de la oferta", "Offer id"))->required();
  accept->add_option("--channel", args->channel, "phone | email | in_person")
      ->required()
      ->check(OneOf({"phone", "email", "in_person"}));
  accept->add_option("--as", args->as, L("Actuar como este usuario", "Act as this user"));
  accept->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto acting = ActingAs(*context, args->as, "cartera offer accept");
      if (!acting) return Fail(acting.error());
      if (auto done = offers::AcceptOffer(context->database(), context->tenant_id(), args->id, args->channel,
                                          acting->audit);
          !done) {
        return done;
      }
      auto offer = offers::LoadOffer(context->database(), context->tenant_id(), args->id, context->language());
      if (!offer) return Fail(offer.error());
      if (!context->quiet()) PrintOffer(*offer, context->language());
      return {};
    });
  });
}

void AddShow(CLI::App* parent, CliState& state) {
  struct Args {
    int64_t id = 0;
    std::string format = "table";
  };
  auto args = std::make_shared<Args>();
  CLI::App* show = parent->add_subcommand("show", L("Muestra una oferta", "Show an offer"));
  show->add_option("offer", args->id, L("Id de la oferta", "Offer id"))->required();
  show->add_option("--format", args->format, "table | json");
  show->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto offer = offers::LoadOffer(context->database(), context->tenant_id(), args->id, context->language());
      if (!offer) return Fail(offer.error());
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(offers::OfferJson(*offer)) << '\n';
      } else {
        PrintOffer(*offer, context->language());
      }
      return {};
    });
  });
}

void PrintLimits(const std::vector<offers::RoleLimit>& limits, Language language) {
  TextTable table({std::string(Tr(language, "Rol", "Role")), std::string(Tr(language, "% máximo", "Max %")),
                   std::string(Tr(language, "Valor máximo", "Max amount"))},
                  {false, true, true});
  for (const offers::RoleLimit& limit : limits) {
    std::string amounts;
    for (const auto& [currency, max_minor] : limit.max_amounts) {
      amounts += (amounts.empty() ? "" : ", ") + Amount(max_minor, currency, language);
    }
    table.AddRow({std::string(access::RoleName(limit.role)),
                  limit.max_basis_points ? offers::FormatPercent(*limit.max_basis_points)
                                         : std::string(Tr(language, "sin límite", "unlimited")),
                  amounts.empty() ? "-" : amounts});
  }
  table.Print(std::cout);
}

void AddLimits(CLI::App* parent, CliState& state) {
  auto format = std::make_shared<std::string>("table");
  CLI::App* limits = parent->add_subcommand(
      "limits", L("Límites de aprobación por rol: ver (sin subcomando) o cambiar (set)",
                  "Approval limits by role: show (no subcommand) or change (set)"));
  limits->add_option("--format", *format, "table | json");
  limits->callback([&state, format, limits]() {
    if (!limits->get_subcommands().empty()) return;
    Guarded(state, [&]() -> Status {
      auto parsed = ParseFormat(*format, false);
      if (!parsed) return Fail(parsed.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto loaded = offers::LoadOfferLimits(context->database(), context->tenant_id());
      if (!loaded) return Fail(loaded.error());
      if (*parsed == OutputFormat::kJson) {
        std::cout << DumpJson(offers::OfferLimitsJson(*loaded)) << '\n';
      } else {
        PrintLimits(*loaded, context->language());
      }
      return {};
    });
  });
  struct SetArgs {
    std::string role, percent;
    bool unlimited = false;
    std::vector<std::string> max_amounts;
  };
  auto args = std::make_shared<SetArgs>();
  CLI::App* set = limits->add_subcommand("set", L("Cambia el límite de un rol", "Change a role's limit"));
  set->add_option("role", args->role, "collector | manager")->required()->check(OneOf({"collector", "manager"}));
  set->add_option("--percent", args->percent,
                  L("Porcentaje máximo condonado sin aprobación", "Largest forgiven percent without approval"));
  set->add_flag("--unlimited", args->unlimited, L("Sin límite de porcentaje", "No percent limit"));
  set->add_option("--max-amount", args->max_amounts,
                  L("Valor máximo condonado en una moneda, MONEDA:VALOR (repetible; p. ej. COP:500000)",
                    "Largest forgiven amount in a currency, CURRENCY:AMOUNT (repeatable; e.g. COP:500000)"));
  set->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      if (args->percent.empty() == !args->unlimited) {
        return Fail(Error::BadInput(std::string(
            Tr(language, "indique --percent P o --unlimited, uno solo", "give --percent P or --unlimited, exactly one"))));
      }
      offers::RoleLimit limit;
      limit.role = *access::ParseRole(args->role);
      if (!args->unlimited) {
        auto basis_points = offers::ParsePercent(args->percent, language);
        if (!basis_points) return Fail(Error::BadInput("--percent: " + basis_points.error().message));
        limit.max_basis_points = *basis_points;
      }
      for (const std::string& text : args->max_amounts) {
        const size_t colon = text.find(':');
        auto currency = colon == std::string::npos ? std::nullopt : Currency::FromCode(text.substr(0, colon));
        if (!currency) {
          return Fail(Error::BadInput(TrFormat(language, "--max-amount: '{}' no es MONEDA:VALOR (p. ej. COP:500000)",
                                               "--max-amount: '{}' is not CURRENCY:AMOUNT (e.g. COP:500000)", text)));
        }
        auto amount = Money::Parse(text.substr(colon + 1), *currency);
        if (!amount) return Fail(Error::BadInput("--max-amount: " + amount.error().message));
        limit.max_amounts.emplace_back(std::string(currency->code()), amount->minor_units());
      }
      auto audit = context->Audit("cartera offer limits set");
      if (auto ok = offers::SetOfferLimits(context->database(), context->tenant_id(), {limit}, audit); !ok) return ok;
      auto loaded = offers::LoadOfferLimits(context->database(), context->tenant_id());
      if (!loaded) return Fail(loaded.error());
      if (!context->quiet()) PrintLimits(*loaded, language);
      return {};
    });
  });
}

void AddOffersList(CLI::App& app, CliState& state) {
  struct Args {
    std::string status, customer, format = "table";
    int64_t limit = 100;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = app.add_subcommand("offers", L("Lista las ofertas (la cola de aprobación: --status pending_approval)",
                                                  "List offers (the approval queue: --status pending_approval)"));
  command->add_option("--status", args->status, "pending_approval | approved | accepted | fulfilled | rejected | expired | withdrawn")
      ->check(OneOf({"pending_approval", "approved", "accepted", "fulfilled", "rejected", "expired", "withdrawn"}));
  command->add_option("--customer", args->customer, L("Solo las de este cliente", "Only this customer's"));
  command->add_option("--limit", args->limit, L("A lo sumo tantas (las más nuevas)", "At most this many (newest first)"))
      ->check(CLI::Range(1, 1000));
  command->add_option("--format", args->format, "table | json");
  command->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      offers::OfferFilter filter;
      if (!args->status.empty()) filter.status = args->status;
      if (!args->customer.empty()) filter.customer_external_id = args->customer;
      filter.limit = args->limit;
      auto list = offers::ListOffers(context->database(), context->tenant_id(), filter, context->language());
      if (!list) return Fail(list.error());
      const Language language = context->language();
      if (*format == OutputFormat::kJson) {
        nlohmann::json rows = nlohmann::json::array();
        for (const offers::Offer& offer : *list) rows.push_back(offers::OfferJson(offer));
        std::cout << DumpJson(rows) << '\n';
        return {};
      }
      TextTable table({"Id", std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Tipo", "Type")),
                       "%", std::string(Tr(language, "Condona", "Forgiven")),
                       std::string(Tr(language, "Debe pagar", "Must pay")), std::string(Tr(language, "Vence", "Expires")),
                       std::string(Tr(language, "Estado", "Status")), std::string(Tr(language, "Creada por", "Made by"))},
                      {true, false, false, true, true, true, false, false, false});
      for (const offers::Offer& offer : *list) {
        table.AddRow({std::to_string(offer.id), offer.customer_external_id, offer.type,
                      offers::FormatPercent(offer.percent_bp), Amount(offer.forgiven_minor, offer.currency, language),
                      Amount(offer.due_minor, offer.currency, language), offer.expires_on.ToIso(),
                      Label(offer.status, language), offer.created_by});
      }
      table.Print(std::cout);
      return {};
    });
  });
}

}  // namespace

void AddOfferCommands(CLI::App& app, CliState& state) {
  CLI::App* offer = app.add_subcommand(
      "offer", L("Ofertas (descuento por pronto pago, condonación, acuerdo con quita) con límites de aprobación",
                 "Offers (early-payment discount, waiver, settlement) within approval limits"));
  offer->require_subcommand(1);
  AddCreate(offer, state);
  AddDecision(offer, state, "approve", "Aprueba una oferta pendiente (dentro de su límite; no la propia)",
              "Approve a pending offer (within your limit; not your own)");
  AddDecision(offer, state, "reject", "Rechaza una oferta pendiente, con una nota", "Reject a pending offer, with a note");
  AddDecision(offer, state, "withdraw", "Retira una oferta que no se ha cumplido", "Withdraw an offer not yet fulfilled");
  AddAccept(offer, state);
  AddShow(offer, state);
  AddLimits(offer, state);
  AddOffersList(app, state);
}

}  // namespace cartera
