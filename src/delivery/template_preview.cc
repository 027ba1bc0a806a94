#include "delivery/template_preview.h"

#include <fmt/format.h>

#include "core/text_check.h"
#include "delivery/message_context.h"
#include "report/customer_list.h"

namespace cartera::delivery {

nlohmann::json MessageTemplateJson(const TenantScript& tenant_script) {
  const templates::MessageTemplate& message_template = tenant_script.script;
  auto optional_text = [](const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json();
  };
  return {{"stage", message_template.stage},
          {"channel", templates::ChannelKey(message_template.channel)},
          {"language", templates::LanguageCode(message_template.language)},
          {"tone", message_template.tone},
          {"subject", templates::HasSubject(message_template.channel) ? nlohmann::json(message_template.subject)
                                                                       : nlohmann::json()},
          {"body", message_template.body},
          {"source", TemplateSourceKey(tenant_script.source)},
          {"updated_at", optional_text(tenant_script.updated_at)},
          {"updated_by", optional_text(tenant_script.updated_by)}};
}

Result<std::vector<TenantScript>> StageTemplates(Database& database, int64_t tenant_id, std::string_view stage_key,
                                                 Language language) {
  auto stage = templates::ParseStage(stage_key);
  if (!stage) {
    return Fail(Error::NotFound(TrFormat(language, "no existe la plantilla '{}'", "no template '{}'",
                                         EscapeForDisplay(stage_key))));
  }
  return TenantStageTemplates(database, tenant_id, *stage);
}

Result<TemplatePreview> PreviewTemplate(Database& database, int64_t tenant_id, const TemplatePreviewRequest& request,
                                        Timestamp now, Language language) {
  auto customer_id = CustomerIdByExternalId(database, tenant_id, request.customer, language);
  if (!customer_id) return Fail(customer_id.error());
  auto message = BuildMessageContext(database, tenant_id, *customer_id, {}, request.as_of, now);
  if (!message) return Fail(message.error());
  // Like the engine: overdue stages speak of overdue invoices, reminders of the rest.
  templates::KeepInvoicesForStage(request.stage, message->invoices);
  const std::string stage_key(templates::StageKey(request.stage));
  if (message->invoices.empty()) {
    return Fail(Error::BadInput(TrFormat(
        language, "el cliente '{}' no tiene facturas abiertas y sin disputa {}: el guion {} no tiene de qué hablar",
        "customer '{}' has no open, undisputed invoice {}: the {} script has nothing to write about",
        request.customer, templates::StageInvoicesDescription(request.stage, message->as_of), stage_key)));
  }
  const templates::Language customer_language = templates::LanguageOf(message->locale);
  // A rejected dispute's notice says why; a preview shows where that goes.
  if (request.stage == templates::Stage::kDisputeRejected) {
    message->dispute_reason = customer_language == templates::Language::kEs ? "(el motivo del rechazo)"
                                                                            : "(why the dispute was rejected)";
  }
  Result<templates::MessageTemplate> chosen = Fail(Error::Internal("no template"));
  std::optional<TemplateSource> source;
  if (request.custom) {
    chosen = *request.custom;
    chosen->language = customer_language;
    chosen->stage = stage_key;
    if (auto valid = templates::ValidateMessageTemplate(*chosen); !valid) return Fail(valid.error());
  } else {
    auto tenant_script =
        TenantTemplate(database, tenant_id, request.stage, request.channel, customer_language, request.tone);
    // No script in that tone or channel is the request's fault, not a missing record.
    if (!tenant_script && tenant_script.error().code == ErrorCode::kNotFound) {
      return Fail(Error::BadInput(tenant_script.error().message));
    }
    if (!tenant_script) return Fail(tenant_script.error());
    chosen = std::move(tenant_script->script);
    source = tenant_script->source;
  }
  if (!chosen) return Fail(chosen.error());
  auto rendered = templates::Render(*chosen, *message);
  if (!rendered) return Fail(rendered.error());
  TemplatePreview preview;
  preview.rendered = std::move(*rendered);
  preview.channel = request.channel;
  preview.language = customer_language;
  preview.as_of = message->as_of;
  preview.source = source;
  if (request.channel == templates::Channel::kSms) preview.sms = templates::MeasureSms(preview.rendered.body);
  return preview;
}

nlohmann::json TemplatePreviewJson(const TemplatePreviewRequest& request, const TemplatePreview& preview) {
  nlohmann::json sms;
  if (preview.sms) {
    sms = {{"encoding", preview.sms->encoding == templates::SmsEncoding::kGsm7 ? "GSM-7" : "UCS-2"},
           {"units", preview.sms->units},
           {"segments", preview.sms->segments}};
  }
  return {{"stage", templates::StageKey(request.stage)},
          {"channel", templates::ChannelKey(preview.channel)},
          {"language", templates::LanguageCode(preview.language)},
          {"tone", request.custom ? nlohmann::json() : nlohmann::json(request.tone)},
          {"as_of", preview.as_of.ToIso()},
          {"subject", templates::HasSubject(preview.channel) ? nlohmann::json(preview.rendered.subject) : nlohmann::json()},
          {"body", preview.rendered.body},
          {"format", preview.rendered.format == templates::BodyFormat::kHtml ? "html" : "text"},
          {"sms", sms},
          {"source", preview.source ? nlohmann::json(TemplateSourceKey(*preview.source)) : nlohmann::json()}};
}

}  // namespace cartera::delivery
