// The message scripts as people read them: the shipped templates by stage
// (one JSON shape for the API), and a script rendered for a real customer
// the way the delivery worker would (`cartera template preview`, POST
// /api/v1/templates/{key}/preview).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/language.h"
#include "delivery/template_overrides.h"
#include "store/database.h"
#include "templates/default_templates.h"
#include "templates/gsm7.h"
#include "templates/message_renderer.h"

namespace cartera::delivery {

// {"stage", "channel", "language", "tone", "subject" (null without one),
// "body", "source" ("default" | "tenant"), "updated_at", "updated_by" (null
// for a shipped script)}.
nlohmann::json MessageTemplateJson(const TenantScript& message_template);

// The templates of one stage as the tenant sees them (TenantStageTemplates:
// its overrides, else the shipped ones), in path order; kNotFound (worded in
// `language`) for a stage that does not exist.
Result<std::vector<TenantScript>> StageTemplates(Database& database, int64_t tenant_id, std::string_view stage_key,
                                                 Language language);

struct TemplatePreviewRequest {
  templates::Stage stage = templates::Stage::kOverdue1;
  std::string customer;  // external id
  templates::Channel channel = templates::Channel::kEmail;
  std::string tone = std::string(templates::kDefaultTone);
  std::optional<Date> as_of;  // default: today in the customer's zone
  // A script to render instead of the shipped one (`--file`): its language
  // and stage are set here; it is validated before rendering.
  std::optional<templates::MessageTemplate> custom;
};

struct TemplatePreview {
  templates::RenderedMessage rendered;
  templates::Channel channel = templates::Channel::kEmail;
  templates::Language language = templates::Language::kEs;  // the customer's
  Date as_of;
  std::optional<templates::SmsLength> sms;  // for SMS: encoding and segments
  std::optional<TemplateSource> source;     // nullopt for a custom script
};

// Renders the stage's script (the tenant's, see TenantTemplate) for the customer with the invoices the stage
// speaks of. kNotFound for an unknown customer; kBadInput when the customer
// has nothing the script could speak of, or the custom script is invalid.
Result<TemplatePreview> PreviewTemplate(Database& database, int64_t tenant_id, const TemplatePreviewRequest& request,
                                        Timestamp now, Language language);

// {"stage", "channel", "language", "tone", "as_of", "subject" (null without
// one), "body", "format" ("text" | "html"), "sms": {"encoding", "units",
// "segments"} | null, "source": "default" | "tenant" | null (a custom script)}.
nlohmann::json TemplatePreviewJson(const TemplatePreviewRequest& request, const TemplatePreview& preview);

}  // namespace cartera::delivery
