// Delivery: the worker that sends what the run queued, resolving items
// whose fate is unknown, and the unsubscribe link.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/time_zone.h"
#include "delivery/channel_settings.h"
#include "delivery/channel_pause.h"
#include "delivery/delivery_service.h"
#include "delivery/opt_out.h"
#include "delivery/portal.h"
#include "delivery/portal_link.h"
#include "report/customer_list.h"
#include "delivery/secret_box.h"
#include "delivery/signed_token.h"
#include "store/audit.h"

namespace cartera {
namespace {

// Where `cartera serve` listens unless told otherwise: the portal's base
// when none is set.
constexpr std::string_view kDefaultPortalBaseUrl = "http://127.0.0.1:8080";

// Set by SIGINT/SIGTERM; the pass in progress lets what is in flight land.
std::atomic<bool> stop{false};

void AddDeliverCommand(CLI::App& app, CliState& state) {
  struct Args {
    bool once = false;
    int64_t limit = 1000;
    int interval = 30;
    int max_attempts = 5;
    std::string letters_dir;
    int connections = 4;
  };
  auto args = std::make_shared<Args>();
  CLI::App* deliver = app.add_subcommand("deliver", L("Envía los mensajes en cola que ya tocan (correo, SMS, WhatsApp)", "Send the queued messages that are due (email, SMS, WhatsApp)"));
  deliver->add_flag("--once", args->once, L("Una pasada por lo pendiente y termina", "One pass over what is due, then exit"));
  deliver->add_option("--limit", args->limit, L("Elementos por pasada (por omisión 1000)", "Items per pass (default 1000)"))->check(NotNegative());
  deliver->add_option("--interval", args->interval, L("Segundos entre pasadas sin --once (por omisión 30)", "Seconds between passes when not --once (default 30)"));
  deliver->add_option("--max-attempts", args->max_attempts, L("Intentos antes de dar un mensaje por fallido (por omisión 5)", "Attempts before a message is failed (default 5)"));
  deliver->add_option("--connections", args->connections,
                      L("Mensajes en curso a la vez, una conexión cada uno por proveedor (por omisión 4; tras una caída, como máximo estos quedan 'unknown')", "Messages in flight at once, one connection each per provider (default 4; after a crash at most this many are 'unknown')"))
      ->check(CLI::Range(1, 64));
  deliver->add_option("--letters-dir", args->letters_dir,
                      L("Escribe aquí cada carta pendiente en PDF, para imprimir y enviar (por omisión: las cartas esperan)", "Write each due letter here as a PDF, for printing and posting (default: letters wait)"))
      ->check(CLI::ExistingDirectory);
  deliver->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      Database& database = context->database();
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      delivery::TenantDeliveryOptions options;
      options.limit = args->limit;
      options.max_attempts = args->max_attempts;
      options.connections = args->connections;
      options.letters_dir = args->letters_dir;
      options.audit = context->Audit("cartera deliver");
      auto worker = delivery::TenantDelivery::Open(database, state.global.database_url, context->tenant_id(), *key,
                                                   options, delivery::TenantDelivery::IfLockHeld::kFail,
                                                   context->clock().Now());
      if (!worker) return Fail(worker.error());
      if (const int64_t interrupted = (*worker)->interrupted(); interrupted > 0) {
        std::cerr << fmt::format("{} {}\n", interrupted,
                                 Tr(context->language(),
                                    "envíos quedaron interrumpidos: su estado es 'unknown' (cartera outbox --status unknown)",
                                    "sends were interrupted: their status is 'unknown' (cartera outbox --status unknown)"));
      }
      std::signal(SIGINT, [](int) { stop = true; });
      std::signal(SIGTERM, [](int) { stop = true; });
      while (true) {
        auto stats = (*worker)->Pass(context->clock(), &stop);
        if (!stats) return Fail(stats.error());
        if (!context->quiet() &&
            (args->once || stats->sent + stats->failed + stats->retrying + stats->blocked + stats->unknown > 0)) {
          std::cout << fmt::format("{}: {} {}, {} {}, {} {}, {} {}, {} {}", FormatUtc(context->clock().Now()),
                                   stats->sent, Tr(context->language(), "enviados", "sent"), stats->retrying,
                                   Tr(context->language(), "por reintentar", "to retry"), stats->deferred,
                                   Tr(context->language(), "aplazados", "deferred"), stats->blocked,
                                   Tr(context->language(), "bloqueados", "blocked"), stats->failed,
                                   Tr(context->language(), "fallidos", "failed"));
          if (stats->unknown > 0) {
            std::cout << fmt::format(", {} {}", stats->unknown,
                                     Tr(context->language(), "sin respuesta (cartera outbox --status unknown)",
                                        "unanswered (cartera outbox --status unknown)"));
          }
          if (stats->expired > 0) {
            std::cout << fmt::format(", {} {}", stats->expired,
                                     Tr(context->language(), "vencidos (su etapa terminó)", "expired (their stage ended)"));
          }
          std::cout << '\n';
        }
        if (stats->email_paused) {
          auto pause = delivery::LoadChannelPause(database, context->tenant_id(), "email");
          if (!pause) return Fail(pause.error());
          if (*pause) std::cerr << delivery::DescribeChannelPause(**pause, context->language()) << '\n';
        }
        if (args->once || stop) break;
        for (int waited = 0; waited < args->interval && !stop; ++waited) {
          std::this_thread::sleep_for(std::chrono::seconds(1));
        }
        if (stop) break;
      }
      return {};
    });
  });
}

void AddResolveCommand(CLI::App& app, CliState& state) {
  struct Args {
    int64_t id = 0;
    bool sent = false, resend = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* outbox = app.get_subcommand("outbox");
  CLI::App* resolve =
      outbox->add_subcommand("resolve", L("Resuelve un elemento de entrega desconocida: se envió, o se envía de nuevo", "Settle an item whose delivery is unknown: it was sent, or send it again"));
  resolve->add_option("id", args->id, L("Id del elemento del outbox", "Outbox item id"))->required();
  auto* sent = resolve->add_flag("--sent", args->sent, L("Llegó: registrarlo como enviado", "It arrived: record it as sent"));
  auto* resend = resolve->add_flag("--resend", args->resend, L("No llegó: ponerlo en cola de nuevo", "It did not arrive: queue it again"));
  sent->excludes(resend);
  resolve->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      if (!args->sent && !args->resend) return Fail(Error::BadInput(L("indique --sent o --resend", "say --sent or --resend")));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return delivery::ResolveUnknownItem(context->database(), context->tenant_id(), args->id,
                                          args->sent ? delivery::Resolution::kSent : delivery::Resolution::kResend,
                                          context->Audit("cartera outbox resolve"));
    });
  });
}

// What the unsubscribe link does (the portal will call the same code): the
// debtor's own opt-out of that channel at that address, audited.
void AddUnsubscribeCommand(CLI::App& app, CliState& state) {
  auto token = std::make_shared<std::string>();
  CLI::App* unsubscribe =
      app.add_subcommand("unsubscribe", L("Registra la baja que trae un enlace de baja (TOKEN del enlace)", "Record the opt-out an unsubscribe link carries (TOKEN from the link)"));
  unsubscribe->add_option("token", *token, L("La última parte del enlace de baja", "The last part of the unsubscribe link"))->required();
  unsubscribe->callback([&state, token]() {
    Guarded(state, [&]() -> Status {
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto done = delivery::Unsubscribe(context->database(), *key, *token, context->clock().Now(), context->tenant_id(),
                                        context->Audit("unsubscribe link"));
      if (!done) return Fail(done.error());
      if (!context->quiet()) {
        std::cout << fmt::format("{} {} ({})\n", Tr(context->language(), "Baja registrada:", "Opt-out recorded:"),
                                 done->address, done->channel);
      }
      return {};
    });
  });
}

// The debtor portal's link of one customer: the one its messages carry.
void AddPortalCommand(CLI::App& app, CliState& state) {
  struct Args {
    std::string customer;
    int valid_days = static_cast<int>(delivery::kPortalLinkValid.count());
    std::string expires;
  };
  auto args = std::make_shared<Args>();
  CLI::App* portal = app.add_subcommand("portal", L("El portal del deudor", "The debtor portal"));
  portal->require_subcommand(1);
  CLI::App* link = portal->add_subcommand(
      "link", L("Imprime el enlace al portal de un cliente (el mismo que llevan sus mensajes)",
                "Print a customer's portal link (the one its messages carry)"));
  link->add_option("customer", args->customer, L("El id externo del cliente", "The customer's external id"))->required();
  link->add_option("--valid-days", args->valid_days, L("Días que vale el enlace (por omisión 30)", "Days the link is valid (default 30)"))
      ->check(CLI::Range(1, 366));
  link->add_option("--expires", args->expires,
                   L("Vence en este instante UTC (AAAA-MM-DDTHH:MM:SSZ), incluso pasado: para probar",
                     "Expires at this UTC instant (YYYY-MM-DDTHH:MM:SSZ), even a past one: for testing"))
      ->excludes("--valid-days");
  link->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Timestamp now = context->clock().Now();
      Timestamp expires = now + std::chrono::days(args->valid_days);
      if (!args->expires.empty()) {
        auto at = ParseUtc(args->expires);
        if (!at) return Fail(Error::BadInput(fmt::format("--expires: {}", at.error().message)));
        expires = *at;
      }
      auto customer_id =
          CustomerIdByExternalId(context->database(), context->tenant_id(), args->customer, context->language());
      if (!customer_id) return Fail(customer_id.error());
      auto base = delivery::LoadPortalBaseUrl(context->database(), context->tenant_id());
      if (!base) return Fail(base.error());
      if (base->empty()) {
        *base = std::string(kDefaultPortalBaseUrl);
        std::cerr << fmt::format("{} {} ({})\n",
                                 Tr(context->language(), "cartera: sin URL del portal; se usa",
                                    "cartera: no portal base URL; using"),
                                 *base,
                                 Tr(context->language(), "configúrela con: cartera channel set-portal --base-url URL",
                                    "set it with: cartera channel set-portal --base-url URL"));
      }
      std::cout << delivery::PortalLinkUntil(*key, context->tenant_id(), *customer_id, *base, expires) << '\n';
      return {};
    });
  });
}

}  // namespace

void AddDeliveryCommands(CLI::App& app, CliState& state) {
  AddUnsubscribeCommand(app, state);
  AddPortalCommand(app, state);
  AddWebhookCommand(app, state);
  AddBouncesCommand(app, state);
  AddChannelCommands(app, state);
  AddDeliverCommand(app, state);
  AddResolveCommand(app, state);
  CLI::App* secret = app.add_subcommand("secret-key", L("Imprime una clave aleatoria nueva para CARTERA_SECRET_KEY", "Print a new random key for CARTERA_SECRET_KEY"));
  secret->callback([]() { std::cout << delivery::NewSecretKeyHex() << '\n'; });
}

}  // namespace cartera
