// Delivery: the channel settings (secrets sealed), the worker that sends
// what the run queued, and resolving items whose fate is unknown.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/time_zone.h"
#include "delivery/channel_settings.h"
#include "delivery/delivery_worker.h"
#include "delivery/opt_out.h"
#include "delivery/secret_box.h"
#include "delivery/signed_token.h"
#include "delivery/twilio_webhook.h"
#include "delivery/worker_lock.h"
#include "store/audit.h"

namespace cartera {
namespace {

volatile std::sig_atomic_t stop_requested = 0;

void AddChannelCommands(CLI::App& app, CliState& state) {
  CLI::App* channel = app.add_subcommand("channel", "How messages leave: the tenant's channel settings");
  channel->require_subcommand(1);
  struct EmailArgs {
    std::string host, security = "starttls", user, password_env, from, from_name, reply_to;
    int port = 587, timeout = 30, max_per_minute = 0;
  };
  auto args = std::make_shared<EmailArgs>();
  CLI::App* set = channel->add_subcommand("set-email", "Send email through this SMTP server");
  set->add_option("--host", args->host, "SMTP server")->required();
  set->add_option("--port", args->port, "Port (default 587)");
  set->add_option("--security", args->security, "none | starttls | tls (implicit TLS, usually port 465)")
      ->check(CLI::IsMember({"none", "starttls", "tls"}));
  set->add_option("--user", args->user, "User for SMTP AUTH (none: no AUTH)");
  set->add_option("--password-env", args->password_env,
                  "Name of the environment variable holding the password (never on the command line)");
  set->add_option("--from", args->from, "Sender address")->required();
  set->add_option("--from-name", args->from_name, "Sender name (default: the company name)");
  set->add_option("--reply-to", args->reply_to, "Where replies go");
  set->add_option("--timeout", args->timeout, "Seconds to wait for the server (default 30)");
  set->add_option("--max-per-minute", args->max_per_minute, "At most this many emails a minute (default: no limit)");
  set->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      delivery::SmtpSettings settings;
      settings.host = args->host;
      settings.port = args->port;
      settings.security = *delivery::ParseSmtpSecurity(args->security);
      settings.user = args->user;
      settings.from_address = args->from;
      settings.from_name = args->from_name;
      settings.reply_to = args->reply_to;
      settings.timeout_seconds = args->timeout;
      settings.max_per_minute = args->max_per_minute;
      if (!args->password_env.empty()) {
        const char* password = std::getenv(args->password_env.c_str());
        if (password == nullptr) {
          return Fail(Error::BadInput(fmt::format("--password-env: {} is not set", args->password_env)));
        }
        settings.password = password;
      }
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto saved = delivery::SaveSmtpSettings(context->database(), context->tenant_id(), settings, *key,
                                                  context->clock().Now());
          !saved) {
        return saved;
      }
      if (!context->quiet()) {
        std::cout << Tr(context->language(), "Correo configurado: ", "Email configured: ") << settings.host << ':'
                  << settings.port << " (" << args->security << ")\n";
      }
      return {};
    });
  });
  struct TwilioArgs {
    std::string account_sid, token_env, sms_from, whatsapp_from, base_url = "https://api.twilio.com";
    int timeout = 30, max_per_minute = 0;
  };
  auto twilio_args = std::make_shared<TwilioArgs>();
  CLI::App* set_twilio = channel->add_subcommand("set-twilio", "Send SMS (and WhatsApp) through Twilio");
  set_twilio->add_option("--account-sid", twilio_args->account_sid, "Twilio account SID (AC...)")->required();
  set_twilio->add_option("--auth-token-env", twilio_args->token_env,
                         "Name of the environment variable holding the auth token")
      ->required();
  set_twilio->add_option("--from", twilio_args->sms_from, "Sender number for SMS (+digits)")->required();
  set_twilio->add_option("--whatsapp-from", twilio_args->whatsapp_from, "Sender number for WhatsApp (none: no WhatsApp)");
  set_twilio->add_option("--base-url", twilio_args->base_url, "API base (default https://api.twilio.com)");
  set_twilio->add_option("--timeout", twilio_args->timeout, "Seconds to wait for Twilio (default 30)");
  set_twilio->add_option("--max-per-minute", twilio_args->max_per_minute,
                         "At most this many messages a minute per channel (default: no limit)");
  set_twilio->callback([&state, twilio_args]() {
    Guarded(state, [&]() -> Status {
      const char* token = std::getenv(twilio_args->token_env.c_str());
      if (token == nullptr) {
        return Fail(Error::BadInput(fmt::format("--auth-token-env: {} is not set", twilio_args->token_env)));
      }
      delivery::TwilioSettings settings;
      settings.base_url = twilio_args->base_url;
      while (settings.base_url.ends_with('/')) settings.base_url.pop_back();
      settings.account_sid = twilio_args->account_sid;
      settings.auth_token = token;
      settings.sms_from = twilio_args->sms_from;
      settings.whatsapp_from = twilio_args->whatsapp_from;
      settings.timeout_seconds = twilio_args->timeout;
      settings.max_per_minute = twilio_args->max_per_minute;
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return delivery::SaveTwilioSettings(context->database(), context->tenant_id(), settings, *key,
                                          context->clock().Now());
    });
  });
  auto base_url = std::make_shared<std::string>();
  CLI::App* set_portal = channel->add_subcommand("set-portal", "The public base URL payment and unsubscribe links use");
  set_portal->add_option("--base-url", *base_url, "e.g. https://cobros.empresa.co")->required();
  set_portal->callback([&state, base_url]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return delivery::SavePortalBaseUrl(context->database(), context->tenant_id(), *base_url, context->clock().Now());
    });
  });
  CLI::App* show = channel->add_subcommand("show", "The channel settings (passwords are never shown)");
  show->callback([&state]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto twilio = delivery::LoadTwilioSettings(context->database(), context->tenant_id(), nullptr);
      if (!twilio) return Fail(twilio.error());
      if (*twilio) {
        std::cout << fmt::format("twilio: {} account={} sms_from={} whatsapp_from={}\n", (*twilio)->base_url,
                                 (*twilio)->account_sid, (*twilio)->sms_from,
                                 (*twilio)->whatsapp_from.empty() ? "-" : (*twilio)->whatsapp_from);
      }
      auto settings = delivery::LoadSmtpSettings(context->database(), context->tenant_id(), nullptr);
      if (!settings) return Fail(settings.error());
      if (!*settings) {
        std::cout << Tr(context->language(), "Correo: sin configurar (cartera channel set-email)\n",
                        "Email: not configured (cartera channel set-email)\n");
        return {};
      }
      auto portal = delivery::LoadPortalBaseUrl(context->database(), context->tenant_id());
      if (!portal) return Fail(portal.error());
      if (!portal->empty()) std::cout << "portal: " << *portal << '\n';
      const delivery::SmtpSettings& smtp = **settings;
      std::cout << fmt::format("email: {}:{} security={} user={} from={} {} max_per_minute={}\n", smtp.host,
                               smtp.port, delivery::SmtpSecurityName(smtp.security), smtp.user.empty() ? "-" : smtp.user,
                               smtp.from_address, smtp.from_name, smtp.max_per_minute);
      return {};
    });
  });
}

void AddDeliverCommand(CLI::App& app, CliState& state) {
  struct Args {
    bool once = false;
    int64_t limit = 1000;
    int interval = 30;
    int max_attempts = 5;
  };
  auto args = std::make_shared<Args>();
  CLI::App* deliver = app.add_subcommand("deliver", "Send the queued messages that are due (email, SMS, WhatsApp)");
  deliver->add_flag("--once", args->once, "One pass over what is due, then exit");
  deliver->add_option("--limit", args->limit, "Items per pass (default 1000)");
  deliver->add_option("--interval", args->interval, "Seconds between passes when not --once (default 30)");
  deliver->add_option("--max-attempts", args->max_attempts, "Attempts before a message is failed (default 5)");
  deliver->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      Database& database = context->database();
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto settings = delivery::LoadSmtpSettings(database, context->tenant_id(), &*key);
      if (!settings) return Fail(settings.error());
      auto twilio_settings = delivery::LoadTwilioSettings(database, context->tenant_id(), &*key);
      if (!twilio_settings) return Fail(twilio_settings.error());
      if (!*settings && !*twilio_settings) {
        return Fail(Error::BadInput(
            "no channel is configured: run `cartera channel set-email ...` or `cartera channel set-twilio ...`"));
      }
      auto lock = delivery::WorkerLock::Acquire(database, state.global.database_url, context->tenant_id());
      if (!lock) return Fail(lock.error());
      delivery::DeliveryOptions options;
      options.tenant_id = context->tenant_id();
      options.limit = args->limit;
      options.max_attempts = args->max_attempts;
      options.audit = context->Audit("cartera deliver");
      auto interrupted = delivery::MarkInterruptedUnknown(database, options, context->clock().Now());
      if (!interrupted) return Fail(interrupted.error());
      if (*interrupted > 0) {
        std::cerr << fmt::format("{} {}\n", *interrupted,
                                 Tr(context->language(),
                                    "envíos quedaron interrumpidos: su estado es 'unknown' (cartera outbox --status unknown)",
                                    "sends were interrupted: their status is 'unknown' (cartera outbox --status unknown)"));
      }
      auto portal = delivery::LoadPortalBaseUrl(database, context->tenant_id());
      if (!portal) return Fail(portal.error());
      options.portal_base_url = *portal;
      options.link_key = &*key;
      std::optional<delivery::SmtpSender> smtp;
      std::optional<delivery::TwilioSender> twilio;
      delivery::Senders senders;
      std::optional<delivery::Pacer> email_pacer, sms_pacer, whatsapp_pacer;
      if (*settings) {
        smtp.emplace(**settings);
        senders.smtp = &*smtp;
        senders.smtp_settings = &**settings;
        senders.email_pacer = &email_pacer.emplace((*settings)->max_per_minute);
      }
      if (*twilio_settings) {
        twilio.emplace(**twilio_settings);
        senders.twilio = &*twilio;
        senders.whatsapp = !(*twilio_settings)->whatsapp_from.empty();
        senders.sms_pacer = &sms_pacer.emplace((*twilio_settings)->max_per_minute);
        senders.whatsapp_pacer = &whatsapp_pacer.emplace((*twilio_settings)->max_per_minute);
      }
      std::signal(SIGINT, [](int) { stop_requested = 1; });
      std::signal(SIGTERM, [](int) { stop_requested = 1; });
      while (true) {
        auto stats = delivery::DeliverDue(database, senders, options, context->clock());
        if (!stats) return Fail(stats.error());
        if (!context->quiet() && (args->once || stats->sent + stats->failed + stats->retrying + stats->blocked > 0)) {
          std::cout << fmt::format("{}: {} {}, {} {}, {} {}, {} {}, {} {}\n", FormatUtc(context->clock().Now()),
                                   stats->sent, Tr(context->language(), "enviados", "sent"), stats->retrying,
                                   Tr(context->language(), "por reintentar", "to retry"), stats->deferred,
                                   Tr(context->language(), "aplazados", "deferred"), stats->blocked,
                                   Tr(context->language(), "bloqueados", "blocked"), stats->failed,
                                   Tr(context->language(), "fallidos", "failed"));
        }
        if (args->once || stop_requested) break;
        for (int waited = 0; waited < args->interval && !stop_requested; ++waited) {
          std::this_thread::sleep_for(std::chrono::seconds(1));
        }
        if (stop_requested) break;
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
      outbox->add_subcommand("resolve", "Settle an item whose delivery is unknown: it was sent, or send it again");
  resolve->add_option("id", args->id, "Outbox item id")->required();
  auto* sent = resolve->add_flag("--sent", args->sent, "It arrived: record it as sent");
  auto* resend = resolve->add_flag("--resend", args->resend, "It did not arrive: queue it again");
  sent->excludes(resend);
  resolve->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      if (!args->sent && !args->resend) return Fail(Error::BadInput("say --sent or --resend"));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      Database& database = context->database();
      auto transaction = Transaction::Begin(database);
      if (!transaction) return Fail(transaction.error());
      const std::string now = FormatUtc(context->clock().Now());
      auto update = database.Prepare(
          args->sent ? "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE tenant_id = ? AND "
                       "id = ? AND status = 'unknown'"
                     : "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = NULL WHERE "
                       "tenant_id = ? AND id = ? AND status = 'unknown'");
      if (!update) return Fail(update.error());
      (*update)->BindText(1, now);
      (*update)->BindInt64(2, context->tenant_id());
      (*update)->BindInt64(3, args->id);
      if (auto ok = (*update)->Run(); !ok) return ok;
      if ((*update)->ChangedRows() != 1) {
        return Fail(Error::Conflict(fmt::format("outbox item {} is not in status 'unknown'", args->id)));
      }
      const std::string after = args->sent ? R"({"status":"sent","resolved":"by hand"})"
                                           : R"({"status":"queued","resolved":"resend"})";
      if (auto ok = WriteAudit(database, context->tenant_id(), context->Audit("cartera outbox resolve"), "message",
                               args->id, "update", R"({"status":"unknown"})", after);
          !ok) {
        return ok;
      }
      return transaction->Commit();
    });
  });
}

// What the unsubscribe link does (the portal will call the same code): the
// debtor's own opt-out of that channel at that address, audited.
void AddUnsubscribeCommand(CLI::App& app, CliState& state) {
  auto token = std::make_shared<std::string>();
  CLI::App* unsubscribe =
      app.add_subcommand("unsubscribe", "Record the opt-out an unsubscribe link carries (TOKEN from the link)");
  unsubscribe->add_option("token", *token, "The last part of the unsubscribe link")->required();
  unsubscribe->callback([&state, token]() {
    Guarded(state, [&]() -> Status {
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto claims =
          delivery::VerifyToken(*key, delivery::TokenPurpose::kUnsubscribe, *token, context->clock().Now());
      if (!claims) return Fail(claims.error());
      if (claims->value("tenant", int64_t{0}) != context->tenant_id()) {
        return Fail(Error::BadInput("the link belongs to another tenant"));
      }
      const int64_t customer_id = claims->value("customer", int64_t{0});
      const std::string channel = claims->value("channel", ""), address = claims->value("address", "");
      Database& database = context->database();
      auto transaction = Transaction::Begin(database);
      if (!transaction) return Fail(transaction.error());
      auto recorded = delivery::RecordOptOut(database, context->tenant_id(), customer_id, channel, address,
                                             "unsubscribe link", context->Audit("unsubscribe link"));
      if (!recorded) return Fail(recorded.error());
      if (auto committed = transaction->Commit(); !committed) return committed;
      if (!context->quiet()) {
        std::cout << fmt::format("{} {} ({})\n", Tr(context->language(), "Baja registrada:", "Opt-out recorded:"),
                                 address, channel);
      }
      return {};
    });
  });
}

// Until the HTTP server exists, a saved webhook request goes through the
// same code the endpoint will run.
void AddWebhookCommand(CLI::App& app, CliState& state) {
  struct Args {
    std::string provider, file, url;
  };
  auto args = std::make_shared<Args>();
  CLI::App* webhook = app.add_subcommand("webhook", "Provider callbacks");
  webhook->require_subcommand(1);
  CLI::App* ingest = webhook->add_subcommand(
      "ingest", "Process a saved webhook request (status callback or inbound message), signature checked");
  ingest->add_option("provider", args->provider, "twilio")->required()->check(CLI::IsMember({"twilio"}));
  ingest->add_option("file", args->file, "The raw HTTP request: request line, headers, blank line, body")->required();
  ingest->add_option("--url", args->url,
                     "The URL the provider called (default: the portal base URL + the request's path)");
  ingest->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto raw = ReadTextFile(args->file);
      if (!raw) return Fail(raw.error());
      auto request = delivery::ParseHttpRequest(*raw);
      if (!request) return Fail(Error::BadInput(fmt::format("{}: {}", args->file, request.error().message)));
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto settings = delivery::LoadTwilioSettings(context->database(), context->tenant_id(), &*key);
      if (!settings) return Fail(settings.error());
      if (!*settings) return Fail(Error::BadInput("Twilio is not configured: run `cartera channel set-twilio ...`"));
      std::string url = args->url;
      if (url.empty()) {
        auto portal = delivery::LoadPortalBaseUrl(context->database(), context->tenant_id());
        if (!portal) return Fail(portal.error());
        if (portal->empty()) return Fail(Error::BadInput("give --url, or set the portal base URL first"));
        url = *portal + request->target;
      }
      auto outcome = delivery::IngestTwilioWebhook(context->database(), context->tenant_id(), (*settings)->auth_token,
                                                   url, *request, context->Audit("webhook twilio"));
      if (!outcome) return Fail(outcome.error());
      if (!context->quiet()) std::cout << outcome->kind << ": " << outcome->detail << '\n';
      return {};
    });
  });
}

}  // namespace

void AddDeliveryCommands(CLI::App& app, CliState& state) {
  AddUnsubscribeCommand(app, state);
  AddWebhookCommand(app, state);
  AddChannelCommands(app, state);
  AddDeliverCommand(app, state);
  AddResolveCommand(app, state);
  CLI::App* secret = app.add_subcommand("secret-key", "Print a new random key for CARTERA_SECRET_KEY");
  secret->callback([]() { std::cout << delivery::NewSecretKeyHex() << '\n'; });
}

}  // namespace cartera
