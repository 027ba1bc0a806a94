// What providers send back. `cartera webhook ingest`: until the HTTP server
// exists, a saved provider request goes through the code the endpoint will
// run. `cartera bounces ingest`: mail servers' delivery reports (DSNs).
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "delivery/bounce_files.h"
#include "delivery/channel_settings.h"
#include "delivery/secret_box.h"
#include "delivery/webhook_intake.h"

namespace cartera {

namespace {

void PrintOutcomes(CommandContext& context, const std::vector<delivery::WebhookOutcome>& outcomes) {
  if (context.quiet()) return;
  for (const delivery::WebhookOutcome& outcome : outcomes) std::cout << outcome.kind << ": " << outcome.detail << '\n';
}

Status IngestTwilio(CommandContext& context, const delivery::SecretKey& key, const delivery::HttpRequest& request,
                    const std::string& given_url) {
  auto intake = delivery::IngestTwilioRequest(context.database(), context.tenant_id(), key, request, given_url,
                                              context.Audit("webhook twilio"));
  if (!intake) return Fail(intake.error());
  if (!intake->verified) {
    return Fail(Error::BadInput("X-Twilio-Signature does not match: the request is not from Twilio (or the URL differs)"));
  }
  PrintOutcomes(context, intake->outcomes);
  return {};
}

Status IngestWhatsapp(CommandContext& context, const delivery::SecretKey& key, const delivery::HttpRequest& request) {
  auto intake = delivery::IngestWhatsappRequest(context.database(), context.tenant_id(), key, request,
                                                context.Audit("webhook whatsapp"));
  if (!intake) return Fail(intake.error());
  if (!intake->verified) {
    return Fail(Error::BadInput(
        "X-Hub-Signature-256 does not match: the request is not from Meta (or the app secret differs)"));
  }
  PrintOutcomes(context, intake->outcomes);
  return {};
}

}  // namespace

void AddWebhookCommand(CLI::App& app, CliState& state) {
  struct Args {
    std::string provider, file, url;
  };
  auto args = std::make_shared<Args>();
  CLI::App* webhook = app.add_subcommand("webhook", L("Avisos de los proveedores", "Provider callbacks"));
  webhook->require_subcommand(1);
  CLI::App* ingest = webhook->add_subcommand(
      "ingest", L("Procesa una petición de webhook guardada (estados, mensajes entrantes), con la firma verificada", "Process a saved webhook request (status callbacks, inbound messages), signature checked"));
  ingest->add_option("provider", args->provider, L("twilio | whatsapp (Cloud API de Meta)", "twilio | whatsapp (Meta's Cloud API)"))
      ->required()
      ->check(CLI::IsMember({"twilio", "whatsapp"}));
  ingest->add_option("file", args->file, L("La petición HTTP tal cual: línea de petición, cabeceras, línea en blanco, cuerpo", "The raw HTTP request: request line, headers, blank line, body"))->required();
  ingest->add_option("--url", args->url,
                     L("Twilio: la URL que llamó (por omisión: la base del portal + la ruta de la petición)", "Twilio: the URL it called (default: the portal base URL + the request's path)"));
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
      if (args->provider == "whatsapp") return IngestWhatsapp(*context, *key, *request);
      return IngestTwilio(*context, *key, *request, args->url);
    });
  });
}

void AddBouncesCommand(CLI::App& app, CliState& state) {
  auto paths = std::make_shared<std::vector<std::string>>();
  CLI::App* bounces = app.add_subcommand("bounces", L("Informes de entrega de los servidores de correo (rebotes)", "Mail servers' delivery reports (bounces)"));
  bounces->require_subcommand(1);
  CLI::App* ingest = bounces->add_subcommand(
      "ingest", L("Lee correos de rebote (DSN RFC 3464): un rebote permanente marca el mensaje como rebotado y la dirección como no utilizable", "Read bounce emails (RFC 3464 DSNs): a hard bounce marks the message bounced and the address unusable"));
  ingest->add_option("paths", *paths, L("Archivos de correo (.eml) o directorios Maildir", "Email files (.eml) or Maildir directories"))->required();
  ingest->callback([&state, paths]() {
    Guarded(state, [&]() -> Status {
      auto files = delivery::BounceFiles(*paths, CliLanguage());
      if (!files) return Fail(files.error());
      auto key = delivery::LoadSecretKey();  // the Message-IDs we sent are signed with it
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto results = delivery::IngestBounceFiles(context->database(), context->tenant_id(), *files, *key,
                                                 context->clock().Now(), context->Audit("bounce"), context->language());
      if (!results) return Fail(results.error());
      int64_t unread = 0;
      for (const delivery::BounceFileResult& result : *results) {
        if (result.problem) {
          ++unread;
          std::cerr << fmt::format("{}: {}\n", result.file.string(), *result.problem);
          continue;
        }
        if (context->quiet()) continue;
        for (const delivery::WebhookOutcome& outcome : result.outcomes) {
          std::cout << result.file.filename().string() << ": " << outcome.kind << ": " << outcome.detail << '\n';
        }
      }
      if (unread > 0) {
        return Fail(Error::BadInput(TrFormat(context->language(),
                                             "{} de {} archivos no se pudieron leer como correo (arriba); los demás se leyeron",
                                             "{} of {} files could not be read as email (above); the others were read",
                                             unread, results->size())));
      }
      return {};
    });
  });
}

}  // namespace cartera
