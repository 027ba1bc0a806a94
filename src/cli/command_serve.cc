// serve: the HTTP API, the scheduler and the delivery loop in one process.
#include <charconv>

#include <fmt/format.h>

#include "cli/commands.h"
#include <nlohmann/json.hpp>

#include "access/roles.h"
#include "api/openapi_document.h"
#include "api/routes.h"
#include "server/serve.h"
#include "server/static_site.h"

namespace cartera {

void AddOpenApiCommand(CLI::App& app);

void AddServeCommand(CLI::App& app, CliState& state) {
  AddOpenApiCommand(app);
  struct Args {
    std::string listen = "127.0.0.1:8080";
    bool no_scheduler = false, no_delivery = false, secure_cookies = false;
    int threads = 16;
    double rate_limit = 50;
    std::string web_root;
    bool no_web = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* serve = app.add_subcommand(
      "serve", L("Sirve la API HTTP, programa la corrida diaria de cada empresa y envía lo pendiente",
                 "Serve the HTTP API, run each tenant's day at its time and deliver what is due"));
  serve->add_option("--listen", args->listen, L("HOST:PUERTO (por omisión 127.0.0.1:8080)", "HOST:PORT (default 127.0.0.1:8080)"));
  serve->add_flag("--no-scheduler", args->no_scheduler, L("Sin corridas programadas (nodo solo de API)", "No scheduled runs (an API-only node)"));
  serve->add_flag("--no-delivery", args->no_delivery, L("Sin envíos (nodo solo de API)", "No delivery (an API-only node)"));
  serve->add_flag("--secure-cookies", args->secure_cookies,
                  L("Cookies con Secure (detrás de TLS)", "Cookies marked Secure (behind TLS)"));
  serve->add_option("--web-root", args->web_root,
                    L("Carpeta de la aplicación web construida (por omisión build/web o CARTERA_WEB_ROOT)",
                      "Folder of the built web app (default build/web or CARTERA_WEB_ROOT)"));
  serve->add_flag("--no-web", args->no_web, L("Sin aplicación web ni portal (solo la API)", "No web app or portal (the API only)"));
  serve->add_option("--threads", args->threads, L("Hilos para solicitudes (por omisión 16)", "Request threads (default 16)"))
      ->check(CLI::Range(2, 512));
  serve->add_option("--rate-limit", args->rate_limit,
                    L("Solicitudes por segundo por clave o usuario (por omisión 50; 0 sin límite)",
                      "Requests a second per key or user (default 50; 0 for none)"))
      ->check(CLI::Range(0.0, 1e9));
  serve->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      server::ServeOptions options;
      const size_t colon = args->listen.rfind(':');
      int port = 0;
      if (colon == std::string::npos ||
          std::from_chars(args->listen.data() + colon + 1, args->listen.data() + args->listen.size(), port).ec !=
              std::errc() ||
          port <= 0 || port > 65535) {
        return Fail(Error::BadInput(L("--listen: se espera HOST:PUERTO, como 127.0.0.1:8080",
                                      "--listen: expected HOST:PORT, like 127.0.0.1:8080")));
      }
      options.host = args->listen.substr(0, colon);
      options.port = port;
      options.database_url = state.global.database_url;
      options.scheduler = !args->no_scheduler;
      options.delivery = !args->no_delivery;
      options.threads = args->threads;
      options.api.secure_cookies = args->secure_cookies;
      options.api.rate_per_second = args->rate_limit;
      options.api.rate_burst = args->rate_limit * 2;
      if (!args->no_web) options.web_root = args->web_root.empty() ? server::DefaultWebRoot() : args->web_root;
      auto context = CommandContext::Open(state.global);  // the same checks as every command
      if (!context) return Fail(context.error());
      options.language = context->language();
      options.clock = &context->clock();
      const bool quiet = context->quiet();
      options.on_listening = [&](const std::string& url) {
        if (!quiet) std::cout << fmt::format("{} {}\n", L("Cartera escucha en", "Cartera is listening on"), url) << std::flush;
      };
      return server::Serve(options);
    });
  });
}

void AddOpenApiCommand(CLI::App& app) {
  auto routes = std::make_shared<bool>(false);
  CLI::App* openapi = app.add_subcommand(
      "openapi", L("Imprime el documento OpenAPI 3.1 de la API (o, con --routes, la tabla de rutas y permisos)",
                   "Print the API's OpenAPI 3.1 document (or, with --routes, the route and permission table)"));
  openapi->add_flag("--routes", *routes, L("La tabla de rutas: método, ruta, acceso, rol mínimo", "The route table: method, path, access, least role"));
  openapi->callback([routes]() {
    if (!*routes) {
      std::cout << api::OpenApiDocument() << '\n';
      return;
    }
    nlohmann::json table = nlohmann::json::array();
    for (const api::Route& route : api::AllRoutes()) {
      table.push_back({{"method", route.method},
                       {"path", route.pattern},
                       {"access", route.access == api::Access::kPublic     ? "public"
                                  : route.access == api::Access::kSignedIn ? "signed_in"
                                                                           : "role"},
                       {"least_role", access::RoleName(route.least_role)},
                       {"body", route.body == api::BodyKind::kJson  ? "json"
                                : route.body == api::BodyKind::kRaw ? "raw"
                                                                    : "none"},
                       {"max_body_bytes", route.max_body_bytes}});
    }
    std::cout << table.dump(1) << '\n';
  });
}

}  // namespace cartera
