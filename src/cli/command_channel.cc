// The tenant's channel settings: SMTP, Twilio, WhatsApp Cloud and the
// portal's base URL. Secrets come from environment variables, are sealed
// with the secret key and are never printed.
#include <cstdlib>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/contact_address.h"
#include "core/text_check.h"
#include "delivery/channel_config.h"
#include "delivery/channel_pause.h"
#include "delivery/channel_settings.h"
#include "delivery/secret_box.h"

namespace cartera {
namespace {

// `channel resume email`: a person says the server's refusals are dealt with.
void AddChannelResumeCommand(CLI::App& channel, CliState& state) {
  auto name = std::make_shared<std::string>();
  CLI::App* resume = channel.add_subcommand("resume", L("Vuelve a usar un canal que los rechazos del servidor pausaron", "Use a channel again after the server's refusals paused it"));
  resume->add_option("channel", *name, "email")->required()->check(CLI::IsMember({"email"}));
  resume->callback([&state, name]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto paused = delivery::IsChannelPaused(context->database(), context->tenant_id(), *name);
      if (!paused) return Fail(paused.error());
      if (!*paused) {
        return Fail(Error::NotFound(TrFormat(context->language(), "el canal {} no está en pausa",
                                             "the {} channel is not paused", *name)));
      }
      if (auto done = delivery::ResumeChannel(context->database(), context->tenant_id(), *name,
                                              context->Audit("cartera channel resume"));
          !done) {
        return done;
      }
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(),
                              "{}: reanudado; lo que está en cola sale en la próxima pasada de `cartera deliver`",
                              "{}: resumed; what is queued goes out on the next `cartera deliver` pass", *name)
                  << '\n';
      }
      return {};
    });
  });
}

// `channel test twilio +573001112233`: one message through the sender the
// worker uses, so a person sees the settings work before the run relies on them.
void AddChannelTestCommand(CLI::App& channel, CliState& state) {
  struct TestArgs {
    std::string channel, to;
  };
  auto args = std::make_shared<TestArgs>();
  CLI::App* test = channel.add_subcommand("test", L("Envía un mensaje de prueba por un canal configurado", "Send one test message through a configured channel"));
  test->add_option("channel", args->channel, "email | twilio | whatsapp")
      ->required()
      ->check(CLI::IsMember({"email", "twilio", "whatsapp"}));
  test->add_option("to", args->to, L("Correo (email) o número E.164 (twilio, whatsapp)", "E-mail address (email) or E.164 number (twilio, whatsapp)"))->required();
  test->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto sent = delivery::SendTestMessage(context->database(), context->tenant_id(), args->channel, args->to, *key,
                                            context->clock().Now(), context->language());
      if (!sent) return Fail(sent.error());
      if (sent->status != "sent") {
        return Fail(Error::BadInput(fmt::format("{}: {}", sent->status, sent->detail)));
      }
      if (!context->quiet()) {
        std::cout << fmt::format("{}: {}{}\n", sent->status, args->to,
                                 sent->provider_id.empty() ? "" : " (" + sent->provider_id + ")");
      }
      return {};
    });
  });
}

}  // namespace

void AddChannelCommands(CLI::App& app, CliState& state) {
  CLI::App* channel = app.add_subcommand("channel", L("Cómo salen los mensajes: la configuración de canales", "How messages leave: the tenant's channel settings"));
  channel->require_subcommand(1);
  struct EmailArgs {
    std::string host, security = "starttls", user, password_env, from, from_name, reply_to;
    int port = 587, timeout = 30, max_per_minute = 0;
  };
  auto args = std::make_shared<EmailArgs>();
  CLI::App* set = channel->add_subcommand("set-email", L("Enviar correo por este servidor SMTP", "Send email through this SMTP server"));
  set->add_option("--host", args->host, L("Servidor SMTP", "SMTP server"))->required();
  set->add_option("--port", args->port, L("Puerto (por omisión 587)", "Port (default 587)"))->check(PortNumber());
  set->add_option("--security", args->security, L("none | starttls | tls (TLS implícito, normalmente el puerto 465)", "none | starttls | tls (implicit TLS, usually port 465)"))
      ->check(CLI::IsMember({"none", "starttls", "tls"}));
  set->add_option("--user", args->user, L("Usuario para SMTP AUTH (sin él: sin AUTH)", "User for SMTP AUTH (none: no AUTH)"));
  set->add_option("--password-env", args->password_env,
                  L("Nombre de la variable de entorno con la contraseña (nunca en la línea de comandos)", "Name of the environment variable holding the password (never on the command line)"));
  set->add_option("--from", args->from, L("Dirección del remitente", "Sender address"))->required();
  set->add_option("--from-name", args->from_name, L("Nombre del remitente (por omisión: el de la empresa)", "Sender name (default: the company name)"));
  set->add_option("--reply-to", args->reply_to, L("A dónde van las respuestas", "Where replies go"));
  set->add_option("--timeout", args->timeout, L("Segundos de espera al servidor (por omisión 30)", "Seconds to wait for the server (default 30)"));
  set->add_option("--max-per-minute", args->max_per_minute, L("Como máximo estos correos por minuto (por omisión: sin límite)", "At most this many emails a minute (default: no limit)"));
  set->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      const Language language = CliLanguage();
      if (auto problem = EmailAddressProblem(args->from, language)) {
        return Fail(Error::BadInput(fmt::format("--from: {}", *problem)));
      }
      if (auto problem = args->reply_to.empty() ? std::nullopt : EmailAddressProblem(args->reply_to, language)) {
        return Fail(Error::BadInput(fmt::format("--reply-to: {}", *problem)));
      }
      if (args->timeout < 1 || args->max_per_minute < 0) {
        return Fail(Error::BadInput(std::string(Tr(language, "--timeout es de al menos 1 segundo y --max-per-minute no es negativo",
                                                   "--timeout is at least 1 second and --max-per-minute is not negative"))));
      }
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
  CLI::App* set_twilio = channel->add_subcommand("set-twilio", L("Enviar SMS (y WhatsApp) por Twilio", "Send SMS (and WhatsApp) through Twilio"));
  set_twilio->add_option("--account-sid", twilio_args->account_sid, L("SID de la cuenta de Twilio (AC...)", "Twilio account SID (AC...)"))->required();
  set_twilio->add_option("--auth-token-env", twilio_args->token_env,
                         L("Nombre de la variable de entorno con el token de autenticación", "Name of the environment variable holding the auth token"))
      ->required();
  set_twilio->add_option("--from", twilio_args->sms_from, L("Número remitente de los SMS (+dígitos)", "Sender number for SMS (+digits)"))->required();
  set_twilio->add_option("--whatsapp-from", twilio_args->whatsapp_from, L("Número remitente de WhatsApp (sin él: sin WhatsApp)", "Sender number for WhatsApp (none: no WhatsApp)"));
  set_twilio->add_option("--base-url", twilio_args->base_url, L("Base de la API (por omisión https://api.twilio.com)", "API base (default https://api.twilio.com)"));
  set_twilio->add_option("--timeout", twilio_args->timeout, L("Segundos de espera a Twilio (por omisión 30)", "Seconds to wait for Twilio (default 30)"));
  set_twilio->add_option("--max-per-minute", twilio_args->max_per_minute,
                         L("Como máximo estos mensajes por minuto y canal (por omisión: sin límite)", "At most this many messages a minute per channel (default: no limit)"));
  set_twilio->callback([&state, twilio_args]() {
    Guarded(state, [&]() -> Status {
      const char* token = std::getenv(twilio_args->token_env.c_str());
      if (token == nullptr) {
        return Fail(Error::BadInput(fmt::format("--auth-token-env: {} is not set", twilio_args->token_env)));
      }
      // Sender numbers are phones like any other: E.164 (core/contact_address.h).
      for (const auto& [option, number] : {std::pair{"--from", twilio_args->sms_from},
                                           std::pair{"--whatsapp-from", twilio_args->whatsapp_from}}) {
        if (number.empty() || IsE164PhoneNumber(number)) continue;
        return Fail(Error::BadInput(TrFormat(CliLanguage(), "{}: '{}' no es un número E.164 (+ y de 8 a 15 dígitos)",
                                             "{}: '{}' is not an E.164 number (+ and 8 to 15 digits)", option,
                                             EscapeForDisplay(number))));
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
  struct WhatsappArgs {
    std::string phone_number_id, token_env, app_secret_env, verify_token_env, base_url = "https://graph.facebook.com",
                                                              api_version = "v21.0", template_prefix = "cartera_";
    int timeout = 30, max_per_minute = 0;
  };
  auto wa = std::make_shared<WhatsappArgs>();
  CLI::App* set_whatsapp =
      channel->add_subcommand("set-whatsapp", L("Enviar WhatsApp por la API de WhatsApp Business Cloud de Meta", "Send WhatsApp through Meta's WhatsApp Business Cloud API"));
  set_whatsapp->add_option("--phone-number-id", wa->phone_number_id, L("El id del número de la empresa en Meta", "The business number's id in Meta"))->required();
  set_whatsapp->add_option("--access-token-env", wa->token_env,
                           L("Nombre de la variable de entorno con el token de acceso", "Name of the environment variable holding the access token"))
      ->required();
  set_whatsapp->add_option("--app-secret-env", wa->app_secret_env,
                           L("Nombre de la variable de entorno con la clave secreta de la app (verifica los webhooks)", "Name of the environment variable holding the app secret (verifies webhooks)"))
      ->required();
  set_whatsapp->add_option("--verify-token-env", wa->verify_token_env,
                           L("Nombre de la variable de entorno con el token de verificación del webhook (hub.verify_token)", "Name of the environment variable holding the webhook's verify token (hub.verify_token)"));
  set_whatsapp->add_option("--template-prefix", wa->template_prefix,
                           L("Las plantillas aprobadas se llaman prefijo + etapa (por omisión cartera_)", "Approved templates are named prefix + stage (default cartera_)"));
  set_whatsapp->add_option("--base-url", wa->base_url, L("Base de la API (por omisión https://graph.facebook.com)", "API base (default https://graph.facebook.com)"));
  set_whatsapp->add_option("--api-version", wa->api_version, L("Versión de la Graph API (por omisión v21.0)", "Graph API version (default v21.0)"));
  set_whatsapp->add_option("--timeout", wa->timeout, L("Segundos de espera a Meta (por omisión 30)", "Seconds to wait for Meta (default 30)"));
  set_whatsapp->add_option("--max-per-minute", wa->max_per_minute,
                           L("Como máximo estos WhatsApp por minuto (por omisión: sin límite)", "At most this many WhatsApp messages a minute (default: no limit)"));
  set_whatsapp->callback([&state, wa]() {
    Guarded(state, [&]() -> Status {
      const char* token = std::getenv(wa->token_env.c_str());
      if (token == nullptr) return Fail(Error::BadInput(fmt::format("--access-token-env: {} is not set", wa->token_env)));
      const char* secret = std::getenv(wa->app_secret_env.c_str());
      if (secret == nullptr) {
        return Fail(Error::BadInput(fmt::format("--app-secret-env: {} is not set", wa->app_secret_env)));
      }
      // An empty app secret would make every webhook signature forgeable
      // (anyone can compute an HMAC under the empty key).
      if (std::string_view(secret).find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return Fail(Error::BadInput(TrFormat(
            CliLanguage(), "--app-secret-env: {} está vacía; ponga en ella el secreto de la aplicación de Meta "
            "(Configuración > Básica > Clave secreta de la app): sin él, cualquiera podría falsificar los webhooks",
            "--app-secret-env: {} is empty; put the Meta app's secret in it (Settings > Basic > App secret): "
            "without it anyone could forge webhooks",
            wa->app_secret_env)));
      }
      if (*token == '\0') {
        return Fail(Error::BadInput(TrFormat(CliLanguage(), "--access-token-env: {} está vacía",
                                             "--access-token-env: {} is empty", wa->token_env)));
      }
      delivery::WhatsappCloudSettings settings;
      settings.base_url = wa->base_url;
      while (settings.base_url.ends_with('/')) settings.base_url.pop_back();
      settings.api_version = wa->api_version;
      settings.phone_number_id = wa->phone_number_id;
      settings.access_token = token;
      settings.app_secret = secret;
      if (!wa->verify_token_env.empty()) {
        const char* verify_token = std::getenv(wa->verify_token_env.c_str());
        if (verify_token == nullptr || *verify_token == '\0') {
          return Fail(Error::BadInput(fmt::format("--verify-token-env: {} is not set", wa->verify_token_env)));
        }
        settings.verify_token = verify_token;
      }
      settings.template_prefix = wa->template_prefix;
      settings.timeout_seconds = wa->timeout;
      settings.max_per_minute = wa->max_per_minute;
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return delivery::SaveWhatsappCloudSettings(context->database(), context->tenant_id(), settings, *key,
                                                 context->clock().Now());
    });
  });
  auto base_url = std::make_shared<std::string>();
  CLI::App* set_portal = channel->add_subcommand("set-portal", L("La URL pública de los enlaces de pago y de baja", "The public base URL payment and unsubscribe links use"));
  set_portal->add_option("--base-url", *base_url, L("p. ej. https://cobros.empresa.co", "e.g. https://cobros.empresa.co"))->required();
  set_portal->callback([&state, base_url]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      return delivery::SavePortalBaseUrl(context->database(), context->tenant_id(), *base_url, context->clock().Now());
    });
  });
  CLI::App* show = channel->add_subcommand("show", L("La configuración de canales (las contraseñas nunca se muestran)", "The channel settings (passwords are never shown)"));
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
      auto whatsapp = delivery::LoadWhatsappCloudSettings(context->database(), context->tenant_id(), nullptr);
      if (!whatsapp) return Fail(whatsapp.error());
      if (*whatsapp) {
        std::cout << fmt::format("whatsapp: {}/{} phone_number_id={} template_prefix={} max_per_minute={}\n",
                                 (*whatsapp)->base_url, (*whatsapp)->api_version, (*whatsapp)->phone_number_id,
                                 (*whatsapp)->template_prefix, (*whatsapp)->max_per_minute);
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
      auto pause = delivery::LoadChannelPause(context->database(), context->tenant_id(), "email");
      if (!pause) return Fail(pause.error());
      if (*pause && ((*pause)->paused() || (*pause)->refusals_in_row > 0)) {
        std::cout << delivery::DescribeChannelPause(**pause, context->language()) << '\n';
      }
      return {};
    });
  });
  AddChannelResumeCommand(*channel, state);
  AddChannelTestCommand(*channel, state);
}

}  // namespace cartera
