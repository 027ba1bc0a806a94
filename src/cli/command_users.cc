// user and apikey: the people and programs that act for a tenant through
// the API. Thin: parse, call access/, print.
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/api_keys.h"
#include "access/users.h"
#include "cli/commands.h"
#include "report/output.h"

namespace cartera {
namespace {

const std::vector<std::string> kRoles = {"admin", "manager", "collector", "viewer"};

void AddUserCommands(CLI::App& app, CliState& state) {
  CLI::App* user = app.add_subcommand("user", L("Usuarios que entran a la API y la web", "Users who sign in to the API and the web"));
  user->require_subcommand(1);

  struct AddArgs {
    std::string email, role = "viewer", name, password_env, format = "table";
  };
  auto add_args = std::make_shared<AddArgs>();
  CLI::App* add = user->add_subcommand("add", L("Crea un usuario (sin --password-env imprime una contraseña de un solo uso)",
                                                "Add a user (without --password-env a one-time password is printed)"));
  add->add_option("email", add_args->email, L("Su correo, con el que entra", "The e-mail they sign in with"))->required();
  add->add_option("--role", add_args->role, "admin | manager | collector | viewer")->check(CLI::IsMember(kRoles));
  add->add_option("--name", add_args->name, L("Nombre para mostrar", "Display name"));
  add->add_option("--password-env", add_args->password_env,
                  L("Variable de entorno con la contraseña (nunca en la línea de órdenes)",
                    "Environment variable holding the password (never on the command line)"));
  add->add_option("--format", add_args->format, "table | json");
  add->callback([&state, add_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(add_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      access::NewUser wanted;
      wanted.email = add_args->email;
      wanted.role = *access::ParseRole(add_args->role);
      wanted.name = add_args->name;
      if (!add_args->password_env.empty()) {
        const char* password = std::getenv(add_args->password_env.c_str());
        if (password == nullptr) {
          return Fail(Error::BadInput(fmt::format("{}: {}", add_args->password_env,
                                                  L("la variable no está definida", "the variable is not set"))));
        }
        wanted.password = password;
      }
      auto added = access::AddUser(context->database(), context->tenant_id(), wanted, context->Audit("cartera user add"));
      if (!added) return Fail(added.error());
      if (*format == OutputFormat::kJson) {
        nlohmann::json body = access::UserJson(added->user);
        if (added->one_time_password) body["one_time_password"] = *added->one_time_password;
        std::cout << DumpJson(body) << '\n';
        return {};
      }
      std::cout << fmt::format("{} {} ({})\n", L("Usuario creado:", "User added:"), added->user.email,
                               access::RoleName(added->user.role));
      if (added->one_time_password) {
        std::cout << fmt::format("{} {}\n", L("Contraseña de un solo uso (se cambia al entrar):",
                                             "One-time password (changed at the first sign-in):"),
                                 *added->one_time_password);
      }
      return {};
    });
  });

  auto list_format = std::make_shared<std::string>("table");
  CLI::App* list = user->add_subcommand("list", L("Los usuarios de la empresa", "The tenant's users"));
  list->add_option("--format", *list_format, "table | json");
  list->callback([&state, list_format]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(*list_format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto users = access::ListUsers(context->database(), context->tenant_id());
      if (!users) return Fail(users.error());
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({L("Id", "Id"), L("Correo", "E-mail"), L("Rol", "Role"), L("Nombre", "Name"),
                       L("Último ingreso", "Last sign-in"), L("Estado", "State")});
      for (const auto& found : *users) {
        rows.push_back(access::UserJson(found));
        table.AddRow({std::to_string(found.id), found.email, std::string(access::RoleName(found.role)), found.name,
                      found.last_login_at.value_or("-"),
                      found.disabled_at ? L("desactivado", "disabled") : L("activo", "active")});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });

  auto reset_email = std::make_shared<std::string>();
  CLI::App* reset = user->add_subcommand(
      "reset", L("Imprime un código de un solo uso (1 hora) para poner una contraseña nueva",
                 "Print a one-time token (1 hour) to set a new password"));
  reset->add_option("email", *reset_email, L("El correo del usuario", "The user's e-mail"))->required();
  reset->callback([&state, reset_email]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto token = access::StartPasswordReset(context->database(), *reset_email, context->clock().Now(),
                                              context->Audit("cartera user reset"));
      if (!token) return Fail(token.error());
      std::cout << fmt::format("{}\n{}\n", L("Código (válido 1 hora; úselo en la web o en POST /api/v1/password-reset):",
                                             "Token (valid 1 hour; use it in the web app or POST /api/v1/password-reset):"),
                               *token);
      return {};
    });
  });
}

void AddApiKeyCommands(CLI::App& app, CliState& state) {
  CLI::App* apikey = app.add_subcommand("apikey", L("Claves de API para programas", "API keys for programs"));
  apikey->require_subcommand(1);
  struct CreateArgs {
    std::string name, role = "viewer";
  };
  auto create_args = std::make_shared<CreateArgs>();
  CLI::App* create = apikey->add_subcommand("create", L("Crea una clave (se muestra una sola vez)", "Make a key (shown once)"));
  create->add_option("name", create_args->name, L("Para qué es, como 'erp-sync'", "What it is for, like 'erp-sync'"))->required();
  create->add_option("--role", create_args->role, "admin | manager | collector | viewer")->check(CLI::IsMember(kRoles));
  create->callback([&state, create_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto created = access::CreateApiKey(context->database(), context->tenant_id(), create_args->name,
                                          *access::ParseRole(create_args->role), context->Audit("cartera apikey create"));
      if (!created) return Fail(created.error());
      std::cout << created->secret << '\n';
      if (!context->quiet()) {
        std::cerr << L("Guárdela ahora: no se vuelve a mostrar. Úsela como 'Authorization: Bearer <clave>'.",
                       "Keep it now: it is not shown again. Send it as 'Authorization: Bearer <key>'.")
                  << '\n';
      }
      return {};
    });
  });
  auto list_format = std::make_shared<std::string>("table");
  CLI::App* list = apikey->add_subcommand("list", L("Las claves de la empresa", "The tenant's keys"));
  list->add_option("--format", *list_format, "table | json");
  list->callback([&state, list_format]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(*list_format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto keys = access::ListApiKeys(context->database(), context->tenant_id());
      if (!keys) return Fail(keys.error());
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({L("Id", "Id"), L("Nombre", "Name"), L("Prefijo", "Prefix"), L("Rol", "Role"),
                       L("Último uso", "Last used"), L("Estado", "State")});
      for (const auto& key : *keys) {
        rows.push_back(access::ApiKeyJson(key));
        table.AddRow({std::to_string(key.id), key.name, "ck_" + key.prefix, std::string(access::RoleName(key.role)),
                      key.last_used_at.value_or("-"), key.revoked_at ? L("revocada", "revoked") : L("activa", "active")});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });
  auto revoke_id = std::make_shared<int64_t>(0);
  CLI::App* revoke = apikey->add_subcommand("revoke", L("Revoca una clave", "Revoke a key"));
  revoke->add_option("id", *revoke_id, L("El id de la clave (apikey list)", "The key's id (apikey list)"))->required();
  revoke->callback([&state, revoke_id]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto revoked = access::RevokeApiKey(context->database(), context->tenant_id(), *revoke_id,
                                          context->Audit("cartera apikey revoke"));
      if (!revoked) return Fail(revoked.error());
      if (!context->quiet()) std::cout << L("Clave revocada:", "Key revoked:") << ' ' << revoked->name << '\n';
      return {};
    });
  });
}

}  // namespace

void AddAccessCommands(CLI::App& app, CliState& state) {
  AddUserCommands(app, state);
  AddApiKeyCommands(app, state);
}

}  // namespace cartera
