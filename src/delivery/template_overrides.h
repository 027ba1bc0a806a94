// A tenant's own wording of a shipped script. A script is identified the way
// the shipped catalogue identifies it (templates/default_templates.h:
// DefaultTemplate(stage, channel, language, tone)), so an override row is
// keyed (tenant_id, template_key = stage, channel, language, tone) and
// replaces exactly one shipped script; removing it brings the shipped one
// back. Only scripts that ship can be overridden.
//
// TenantTemplate is THE lookup: the delivery worker (`cartera deliver`, the
// server's loop), `cartera template preview`, POST .../preview and the
// template routes all read scripts through it, so they agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"
#include "templates/default_templates.h"

namespace cartera::delivery {

enum class TemplateSource { kDefault, kTenant };

// "default" | "tenant".
std::string_view TemplateSourceKey(TemplateSource source);

struct TenantScript {
  templates::MessageTemplate script;
  TemplateSource source = TemplateSource::kDefault;
  std::optional<std::string> updated_at;  // tenant overrides only
  std::optional<std::string> updated_by;
};

// The tenant's override of the script if it has one, else the shipped one;
// kNotFound (like DefaultTemplate) when neither exists.
Result<TenantScript> TenantTemplate(Database& database, int64_t tenant_id, templates::Stage stage,
                                    templates::Channel channel, templates::Language language, std::string_view tone);

// Every script of the stage as the tenant sees it: the shipped ones in path
// order, each replaced by the tenant's override when there is one.
Result<std::vector<TenantScript>> TenantStageTemplates(Database& database, int64_t tenant_id,
                                                       templates::Stage stage);

struct TemplateOverrideChange {
  templates::Stage stage = templates::Stage::kOverdue1;
  templates::Channel channel = templates::Channel::kEmail;
  templates::Language language = templates::Language::kEs;
  std::string tone = std::string(templates::kDefaultTone);
  std::string subject;  // email only (required there)
  std::string body;
};

struct SavedTemplateOverride {
  TenantScript saved;
  // Not refusals: an SMS that leaves GSM-7 or takes more than one SMS with
  // the sample debtors (what the shipped SMS scripts are held to).
  std::vector<std::string> warnings;
};

// Checks the script as the shipped ones are checked (known placeholders,
// subject rule, renders for the sample debtors of its language with and
// without a payment link, one and two invoices) and stores it for the
// tenant, audited ("template_override", "update"). kBadInput when it is
// invalid (the message starts with "subject: " or "body: " when it is about
// one of them) or when no shipped script has that channel, language and
// tone; letters are printed from the shipped script and cannot be
// overridden yet.
Result<SavedTemplateOverride> SaveTemplateOverride(Database& database, int64_t tenant_id,
                                                   const TemplateOverrideChange& change, Timestamp now,
                                                   const AuditContext& audit);

// Back to the shipped script, audited ("template_override", "delete");
// kNotFound when the tenant has no override of it.
Status RemoveTemplateOverride(Database& database, int64_t tenant_id, templates::Stage stage,
                              templates::Channel channel, templates::Language language, std::string_view tone,
                              const AuditContext& audit);

}  // namespace cartera::delivery
