// tenant create / list: the businesses one installation keeps apart
// (store/tenants.h). Every other command acts for one of them, chosen with
// --tenant or CARTERA_TENANT.
#include <fmt/format.h>

#include "cli/commands.h"
#include "store/tenants.h"

namespace cartera {
namespace {

void PrintTenants(const std::vector<Tenant>& tenants, OutputFormat format, Language language) {
  if (format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const Tenant& tenant : tenants) list.push_back(TenantJson(tenant));
    std::cout << DumpJson(list) << '\n';
    return;
  }
  TextTable table(
      {"Id", "Slug", std::string(Tr(language, "Nombre", "Name")), std::string(Tr(language, "País", "Country")),
       std::string(Tr(language, "Moneda", "Currency")), std::string(Tr(language, "Zona horaria", "Time zone")),
       std::string(Tr(language, "Hora del plan", "Daily run")),
       std::string(Tr(language, "Creada (UTC)", "Created (UTC)"))},
      {true});
  for (const Tenant& tenant : tenants) {
    table.AddRow({std::to_string(tenant.id), tenant.slug, tenant.name, tenant.country, tenant.currency,
                  tenant.time_zone, tenant.daily_run_time, tenant.created_at});
  }
  table.Print(std::cout);
}

}  // namespace

void AddTenantCommands(CLI::App& app, CliState& state) {
  CLI::App* command = app.add_subcommand(
      "tenant", L("Las empresas (tenants) de esta instalación: cada una con sus clientes, estrategia y canales",
                  "The tenants of this installation: each with its own customers, strategy and channels"));
  command->require_subcommand(1);

  struct CreateArgs {
    NewTenant tenant;
    std::string format = "table";
  };
  auto create_args = std::make_shared<CreateArgs>();
  CLI::App* create = command->add_subcommand("create", L("Crea una empresa (tenant)", "Create a tenant"));
  create->add_option("name", create_args->tenant.name, L("Nombre de la empresa", "The company's name"))->required();
  create
      ->add_option("--country", create_args->tenant.country,
                   L("País, ISO 3166-1 alfa-2 (CO)", "Country, ISO 3166-1 alpha-2 (CO)"))
      ->required();
  create
      ->add_option("--currency", create_args->tenant.currency, L("Moneda, ISO 4217 (COP)", "Currency, ISO 4217 (COP)"))
      ->required();
  create->add_option("--time-zone", create_args->tenant.time_zone,
                     L("Zona horaria IANA (America/Bogota; por omisión: la principal del país)",
                       "IANA time zone (America/Bogota; default: the country's main zone)"));
  create->add_option("--slug", create_args->tenant.slug,
                     L("Cómo se nombra en --tenant (por omisión: sacado del nombre)",
                       "How --tenant names it (default: made from the name)"));
  create->add_option("--format", create_args->format, "table | json");
  create->callback([&state, create_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(create_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto created = CreateTenant(context->database(), create_args->tenant, context->Audit("cartera tenant create"));
      // A slug already taken is the caller's to change (exit 2, like any
      // bad argument); the API answers kConflict with a 409.
      if (!created && created.error().code == ErrorCode::kConflict) {
        return Fail(Error::BadInput(created.error().message));
      }
      if (!created) return Fail(created.error());
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(TenantJson(*created)) << '\n';
      } else if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "Empresa {} creada: {} ({}, {}, {}). Úsela con --tenant {}\n",
                              "Tenant {} created: {} ({}, {}, {}). Use it with --tenant {}\n", created->id,
                              created->name, created->country, created->currency, created->time_zone, created->slug);
      }
      return {};
    });
  });

  auto list_format = std::make_shared<std::string>("table");
  CLI::App* list = command->add_subcommand("list", L("Lista las empresas (tenants)", "List the tenants"));
  list->add_option("--format", *list_format, "table | json");
  list->callback([&state, list_format]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(*list_format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto tenants = ListTenants(context->database());
      if (!tenants) return Fail(tenants.error());
      PrintTenants(*tenants, *format, context->language());
      return {};
    });
  });
}

}  // namespace cartera
