// template preview / validate: the message scripts, rendered for a real
// customer or checked against the variable catalogue.

#include <fmt/format.h>

#include "cli/commands.h"
#include "delivery/template_overrides.h"
#include "delivery/template_preview.h"
#include "templates/default_templates.h"
#include "templates/gsm7.h"
#include "templates/message_renderer.h"

namespace cartera {
namespace {

// SMS are billed per segment: say how many this one takes, and warn when a
// script (or a long name or invoice list) makes it too long.
void ReportSmsLength(CommandContext& context, const std::string& body, size_t max_segments) {
  const templates::SmsLength length = templates::MeasureSms(body);
  const bool gsm = length.encoding == templates::SmsEncoding::kGsm7;
  const bool one = length.segments == 1;
  std::cout << fmt::format("-- SMS: {} {} ({}, {} {})\n", length.segments,
                           one ? Tr(context.language(), "segmento", "segment")
                               : Tr(context.language(), "segmentos", "segments"), gsm ? "GSM-7" : "UCS-2", length.units,
                           Tr(context.language(), "caracteres", "characters"));
  if (length.segments <= max_segments) return;
  std::cerr << fmt::format(
      "{} {} {} {}{}\n", Tr(context.language(), "Aviso: el SMS ocupa", "Warning: the SMS takes"), length.segments,
      Tr(context.language(), "segmentos; el máximo es", "segments; the limit is"), max_segments,
      gsm ? "" : Tr(context.language(), " (una letra con tilde o un emoji lo pasa a UCS-2: 70 caracteres por SMS)",
                    " (an accented letter or an emoji makes it UCS-2: 70 characters per SMS)"));
}

}  // namespace

void AddTemplateValidateCommand(CLI::App* command, CliState& state);
void AddTemplateOverrideCommands(CLI::App* command, CliState& state);

void AddTemplateCommands(CLI::App& app, CliState& state) {
  CLI::App* command = app.add_subcommand("template", L("Guiones de mensajes: vista previa para un cliente, validar un archivo", "Message scripts: preview for a customer, validate a file"));
  command->require_subcommand(1);
  struct PreviewArgs {
    std::string stage, customer, channel = "email", as_of, tone = "cordial", file;
    size_t max_segments = templates::kDefaultMaxSmsSegments;
  };
  auto args = std::make_shared<PreviewArgs>();
  CLI::App* preview = command->add_subcommand("preview", L("Muestra un guion para un cliente real", "Render a script for a real customer"));
  preview->add_option("stage", args->stage, "before_due, due_today, overdue_1, overdue_7, overdue_15, overdue_30, "
                                            "overdue_60, overdue_90, legal, broken_promise")
      ->required();
  preview->add_option("customer", args->customer, L("Id externo del cliente", "Customer external id"))->required();
  preview->add_option("--channel", args->channel, "email | sms | whatsapp | call | letter");
  preview->add_option("--tone", args->tone, L("Tono del guion (por omisión cordial)", "Tone of the script (default cordial)"));
  preview->add_option("--as-of", args->as_of, L("Fecha para los días de mora (por omisión: hoy en la zona del cliente)", "Date for days late (default: today in the customer's zone)"));
  preview->add_option("--file", args->file, L("Usa este archivo de plantilla en vez del guion por omisión", "Render this template file instead of the default script"));
  preview->add_option("--max-segments", args->max_segments,
                      L("SMS: avisa si el mensaje ocupa más segmentos que estos (por omisión 2)", "SMS: warn when the message takes more segments than this (default 2)"));
  AddTemplateValidateCommand(command, state);
  AddTemplateOverrideCommands(command, state);
  preview->callback([&state, args]() {
    auto run = [&]() -> Status {
      auto stage = templates::ParseStage(args->stage);
      if (!stage) return Fail(Error::BadInput(TrFormat(CliLanguage(), "etapa desconocida '{}'", "unknown stage '{}'", args->stage)));
      auto channel = templates::ParseChannel(args->channel);
      if (!channel) return Fail(Error::BadInput(TrFormat(CliLanguage(), "canal desconocido '{}'", "unknown channel '{}'", args->channel)));
      auto as_of = ParseOptionalDate(args->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      delivery::TemplatePreviewRequest request;
      request.stage = *stage;
      request.customer = args->customer;
      request.channel = *channel;
      request.tone = args->tone;
      request.as_of = *as_of;
      if (!args->file.empty()) {
        auto text = ReadTextFile(args->file);
        if (!text) return Fail(text.error());
        auto parsed = templates::ParseTemplateFile(*text, *channel);
        if (!parsed) return Fail(parsed.error());
        if (auto valid = templates::ValidateMessageTemplate(*parsed); !valid) {
          return Fail(Error::BadInput(fmt::format("{}: {}", args->file, valid.error().message)));
        }
        request.custom = std::move(*parsed);
      }
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto shown = delivery::PreviewTemplate(context->database(), context->tenant_id(), request,
                                             context->clock().Now(), context->language());
      if (!shown) return Fail(shown.error());
      const templates::RenderedMessage* rendered = &shown->rendered;
      if (!rendered->subject.empty()) {
        std::cout << Tr(context->language(), "Asunto: ", "Subject: ") << rendered->subject << "\n\n";
      }
      std::cout << rendered->body << '\n';
      if (*channel == templates::Channel::kSms) ReportSmsLength(*context, rendered->body, args->max_segments);
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}


void AddTemplateValidateCommand(CLI::App* command, CliState& state) {
  struct ValidateArgs {
    std::string file, channel = "email", language = "es";
  };
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* validate = command->add_subcommand("validate", L("Revisa un archivo de plantilla: sintaxis y variables conocidas", "Check a template file: syntax and known variables only"));
  validate->add_option("file", args->file, L("Archivo de plantilla (los de correo y carta empiezan con 'subject:')", "Template file (email and letter files start with 'subject:')"))->required();
  validate->add_option("--channel", args->channel, "email | sms | whatsapp | call | letter");
  validate->add_option("--language", args->language, "es | en")->check(CLI::IsMember({"es", "en"}));
  validate->callback([&state, args]() {
    auto run = [&]() -> Status {
      auto channel = templates::ParseChannel(args->channel);
      if (!channel) return Fail(Error::BadInput(TrFormat(CliLanguage(), "canal desconocido '{}'", "unknown channel '{}'", args->channel)));
      auto text = ReadTextFile(args->file);
      if (!text) return Fail(text.error());
      auto parsed = templates::ParseTemplateFile(*text, *channel);
      if (!parsed) return Fail(Error::BadInput(fmt::format("{}: {}", args->file, parsed.error().message)));
      parsed->language = args->language == "en" ? templates::Language::kEn : templates::Language::kEs;
      if (auto valid = templates::ValidateMessageTemplate(*parsed); !valid) {
        return Fail(Error::BadInput(fmt::format("{}: {}", args->file, valid.error().message)));
      }
      std::cout << fmt::format("{}: ok\n", args->file);
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}

// template set / reset: the tenant's own wording of a shipped script
// (delivery/template_overrides.h), and back to the shipped one.
void AddTemplateOverrideCommands(CLI::App* command, CliState& state) {
  struct OverrideArgs {
    std::string stage, channel, language, tone = std::string(templates::kDefaultTone), file;
  };
  struct Choice {
    templates::Stage stage;
    templates::Channel channel;
    templates::Language language;
  };
  auto parse = [](const OverrideArgs& args) -> Result<Choice> {
    auto stage = templates::ParseStage(args.stage);
    if (!stage) return Fail(Error::BadInput(TrFormat(CliLanguage(), "etapa desconocida '{}'", "unknown stage '{}'", args.stage)));
    auto channel = templates::ParseChannel(args.channel);
    if (!channel) return Fail(Error::BadInput(TrFormat(CliLanguage(), "canal desconocido '{}'", "unknown channel '{}'", args.channel)));
    auto language = templates::ParseLanguage(args.language);
    if (!language) return Fail(Error::BadInput(TrFormat(CliLanguage(), "idioma desconocido '{}'", "unknown language '{}'", args.language)));
    return Choice{*stage, *channel, *language};
  };
  auto add_choice = [](CLI::App* sub, OverrideArgs& args) {
    sub->add_option("stage", args.stage, "before_due, due_today, overdue_1, ..., legal, broken_promise")->required();
    sub->add_option("--channel", args.channel, "email | sms | whatsapp | call")->required();
    sub->add_option("--language", args.language, "es | en")->required()->check(CLI::IsMember({"es", "en"}));
    sub->add_option("--tone", args.tone, L("Tono del guion (por omisión cordial)", "Tone of the script (default cordial)"));
  };

  auto set_args = std::make_shared<OverrideArgs>();
  CLI::App* set = command->add_subcommand(
      "set", L("Reemplaza un guion incluido por el texto propio de la empresa", "Replace a shipped script with the tenant's own text"));
  add_choice(set, *set_args);
  set->add_option("--file", set_args->file, L("Archivo de plantilla (los de correo empiezan con 'subject:')", "Template file (email files start with 'subject:')"))->required();
  set->callback([&state, set_args, parse]() {
    auto run = [&]() -> Status {
      auto choice = parse(*set_args);
      if (!choice) return Fail(choice.error());
      auto text = ReadTextFile(set_args->file);
      if (!text) return Fail(text.error());
      auto parsed = templates::ParseTemplateFile(*text, choice->channel);
      if (!parsed) return Fail(Error::BadInput(fmt::format("{}: {}", set_args->file, parsed.error().message)));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      delivery::TemplateOverrideChange change;
      change.stage = choice->stage;
      change.channel = choice->channel;
      change.language = choice->language;
      change.tone = set_args->tone;
      change.subject = parsed->subject;
      change.body = parsed->body;
      auto saved = delivery::SaveTemplateOverride(context->database(), context->tenant_id(), change,
                                                  context->clock().Now(), context->Audit("cartera template set"));
      if (!saved && saved.error().code == ErrorCode::kBadInput) {
        return Fail(Error::BadInput(fmt::format("{}: {}", set_args->file, saved.error().message)));
      }
      if (!saved) return Fail(saved.error());
      for (const std::string& warning : saved->warnings) {
        std::cerr << Tr(context->language(), "Aviso: ", "Warning: ") << warning << '\n';
      }
      std::cout << TrFormat(context->language(), "Guion {} por {} en {} ({}): texto propio de la empresa\n",
                            "Script {} by {} in {} ({}): the tenant's own text\n", set_args->stage,
                            set_args->channel, set_args->language, set_args->tone);
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });

  auto reset_args = std::make_shared<OverrideArgs>();
  CLI::App* reset = command->add_subcommand(
      "reset", L("Vuelve al guion incluido (quita el texto propio)", "Back to the shipped script (removes the tenant's own text)"));
  add_choice(reset, *reset_args);
  reset->callback([&state, reset_args, parse]() {
    auto run = [&]() -> Status {
      auto choice = parse(*reset_args);
      if (!choice) return Fail(choice.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto removed = delivery::RemoveTemplateOverride(context->database(), context->tenant_id(), choice->stage,
                                                          choice->channel, choice->language, reset_args->tone,
                                                          context->Audit("cartera template reset"));
          !removed) {
        return Fail(removed.error());
      }
      std::cout << TrFormat(context->language(), "Guion {} por {} en {} ({}): vuelve al incluido\n",
                            "Script {} by {} in {} ({}): back to the shipped one\n", reset_args->stage,
                            reset_args->channel, reset_args->language, reset_args->tone);
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}

}  // namespace cartera
