#include "delivery/template_overrides.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"
#include "templates/gsm7.h"
#include "templates/test_contexts.h"

namespace cartera::delivery {
namespace {

constexpr int64_t kNoEntityId = 0;  // a script has no numeric id: the audit row names it in its JSON

struct OverrideRow {
  std::string channel, language, tone;
  std::optional<std::string> subject;
  std::string body, updated_at, updated_by;
};

// The tenant's overrides of one stage, optionally of one script.
Result<std::vector<OverrideRow>> LoadOverrides(Database& database, int64_t tenant_id, std::string_view stage_key,
                                               const templates::MessageTemplate* only) {
  std::string sql =
      "SELECT channel, language, tone, subject, body, updated_at, updated_by FROM template_overrides "
      "WHERE tenant_id = ? AND template_key = ?";
  if (only != nullptr) sql += " AND channel = ? AND language = ? AND tone = ?";
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, stage_key);
  if (only != nullptr) {
    (*query)->BindText(3, templates::ChannelKey(only->channel));
    (*query)->BindText(4, templates::LanguageCode(only->language));
    (*query)->BindText(5, only->tone);
  }
  std::vector<OverrideRow> rows;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    rows.push_back({std::string((*query)->GetText(0)), std::string((*query)->GetText(1)),
                    std::string((*query)->GetText(2)), (*query)->GetOptionalText(3),
                    std::string((*query)->GetText(4)), std::string((*query)->GetText(5)),
                    std::string((*query)->GetText(6))});
  }
  return rows;
}

bool SameScript(const OverrideRow& row, const templates::MessageTemplate& shipped) {
  return row.channel == templates::ChannelKey(shipped.channel) &&
         row.language == templates::LanguageCode(shipped.language) && row.tone == shipped.tone;
}

TenantScript Overridden(const templates::MessageTemplate& shipped, const OverrideRow& row) {
  TenantScript tenant;
  tenant.script = shipped;
  tenant.script.subject = row.subject.value_or("");
  tenant.script.body = row.body;
  tenant.source = TemplateSource::kTenant;
  tenant.updated_at = row.updated_at;
  tenant.updated_by = row.updated_by;
  return tenant;
}

nlohmann::json ScriptAuditJson(const templates::MessageTemplate& script) {
  return {{"template", script.stage},
          {"channel", templates::ChannelKey(script.channel)},
          {"language", templates::LanguageCode(script.language)},
          {"tone", script.tone},
          {"subject", templates::HasSubject(script.channel) ? nlohmann::json(script.subject) : nlohmann::json()},
          {"body", script.body}};
}

// "subject: ..." / "body: ..." for the part a refusal is about.
Error PartError(const Error& error, const templates::MessageTemplate& script) {
  const std::string& message = error.message;
  if (message.starts_with("subject: ") || message.starts_with("body: ")) return error;
  if (message.find("subject") != std::string::npos) return Error::BadInput("subject: " + message);
  (void)script;
  return Error::BadInput("body: " + message);
}

// The sample debtor of the language on a day the stage's script is written
// for (as the shipped scripts' tests do).
templates::MessageContext SampleContext(templates::Language language, templates::Stage stage, bool two_invoices,
                                        bool with_link) {
  templates::MessageContext context = language == templates::Language::kEs
                                          ? templates::samples::ColombianContext(two_invoices, with_link)
                                          : templates::samples::UsContext(two_invoices, with_link);
  if (stage == templates::Stage::kBeforeDue) context = templates::samples::AsOf(context, Date::FromYmd(2026, 1, 29));
  if (stage == templates::Stage::kDueToday) context = templates::samples::AsOf(context, Date::FromYmd(2026, 2, 5));
  templates::KeepInvoicesForStage(stage, context.invoices);
  return context;
}

}  // namespace

std::string_view TemplateSourceKey(TemplateSource source) {
  return source == TemplateSource::kTenant ? "tenant" : "default";
}

Result<TenantScript> TenantTemplate(Database& database, int64_t tenant_id, templates::Stage stage,
                                    templates::Channel channel, templates::Language language, std::string_view tone) {
  auto shipped = templates::DefaultTemplate(stage, channel, language, tone);
  if (!shipped) return Fail(shipped.error());
  auto rows = LoadOverrides(database, tenant_id, templates::StageKey(stage), &*shipped);
  if (!rows) return Fail(rows.error());
  if (!rows->empty()) return Overridden(*shipped, rows->front());
  TenantScript tenant;
  tenant.script = std::move(*shipped);
  return tenant;
}

Result<std::vector<TenantScript>> TenantStageTemplates(Database& database, int64_t tenant_id,
                                                       templates::Stage stage) {
  const std::string stage_key(templates::StageKey(stage));
  auto all = templates::AllDefaultTemplates();
  if (!all) return Fail(all.error());
  auto rows = LoadOverrides(database, tenant_id, stage_key, nullptr);
  if (!rows) return Fail(rows.error());
  std::vector<TenantScript> found;
  for (templates::MessageTemplate& shipped : *all) {
    if (shipped.stage != stage_key) continue;
    const OverrideRow* row = nullptr;
    for (const OverrideRow& one : *rows) {
      if (SameScript(one, shipped)) row = &one;
    }
    if (row != nullptr) {
      found.push_back(Overridden(shipped, *row));
    } else {
      TenantScript tenant;
      tenant.script = std::move(shipped);
      found.push_back(std::move(tenant));
    }
  }
  return found;
}

Result<SavedTemplateOverride> SaveTemplateOverride(Database& database, int64_t tenant_id,
                                                   const TemplateOverrideChange& change, Timestamp now,
                                                   const AuditContext& audit) {
  const Language language = audit.language;
  const std::string stage_key(templates::StageKey(change.stage));
  if (change.channel == templates::Channel::kLetter) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "channel: las cartas se imprimen con el guion incluido; aún no se pueden reemplazar",
           "channel: letters are printed from the shipped script and cannot be overridden yet"))));
  }
  auto shipped = templates::DefaultTemplate(change.stage, change.channel, change.language, change.tone);
  if (!shipped) {
    if (shipped.error().code != ErrorCode::kNotFound) return Fail(shipped.error());
    return Fail(Error::BadInput(TrFormat(
        language, "tone: no hay un guion {} por {} en {} con tono '{}' que reemplazar",
        "tone: there is no shipped {} script by {} in {} with tone '{}' to override", stage_key,
        templates::ChannelKey(change.channel), templates::LanguageCode(change.language), change.tone)));
  }
  templates::MessageTemplate script = *shipped;
  script.subject = templates::HasSubject(change.channel) ? change.subject : std::string();
  if (!templates::HasSubject(change.channel) && !change.subject.empty()) {
    return Fail(Error::BadInput(TrFormat(language, "subject: los guiones por {} no tienen asunto",
                                         "subject: {} scripts have no subject", templates::ChannelKey(change.channel))));
  }
  script.body = change.body;
  if (script.body.empty()) {
    return Fail(Error::BadInput(std::string(Tr(language, "body: el texto está vacío", "body: the text is empty"))));
  }
  if (auto valid = templates::ValidateMessageTemplate(script); !valid) return Fail(PartError(valid.error(), script));
  SavedTemplateOverride result;
  for (bool two_invoices : {true, false}) {
    for (bool with_link : {true, false}) {
      auto rendered = templates::Render(script, SampleContext(change.language, change.stage, two_invoices, with_link));
      if (!rendered) return Fail(PartError(rendered.error(), script));
      if (change.channel != templates::Channel::kSms || !two_invoices || !with_link) continue;
      const templates::SmsLength length = templates::MeasureSms(rendered->body);
      if (length.encoding == templates::SmsEncoding::kUcs2) {
        result.warnings.push_back(std::string(
            Tr(language,
               "body: el SMS no cabe en GSM-7 (una letra con tilde o un emoji lo pasa a UCS-2: 70 caracteres por SMS)",
               "body: the SMS is not GSM-7 (an accented letter or an emoji makes it UCS-2: 70 characters per SMS)")));
      }
      if (length.segments > 1) {
        result.warnings.push_back(TrFormat(language, "body: con el deudor de muestra el SMS ocupa {} segmentos ({} caracteres)",
                                           "body: with the sample debtor the SMS takes {} segments ({} characters)",
                                           length.segments, length.units));
      }
    }
  }

  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = TenantTemplate(database, tenant_id, change.stage, change.channel, change.language, change.tone);
  if (!before) return Fail(before.error());
  auto upsert = database.Prepare(
      "INSERT INTO template_overrides (tenant_id, template_key, channel, language, tone, subject, body, updated_at, "
      "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, template_key, channel, language, tone) "
      "DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at, "
      "updated_by = excluded.updated_by");
  if (!upsert) return Fail(upsert.error());
  (*upsert)->BindInt64(1, tenant_id);
  (*upsert)->BindText(2, stage_key);
  (*upsert)->BindText(3, templates::ChannelKey(script.channel));
  (*upsert)->BindText(4, templates::LanguageCode(script.language));
  (*upsert)->BindText(5, script.tone);
  if (templates::HasSubject(script.channel)) {
    (*upsert)->BindText(6, script.subject);
  } else {
    (*upsert)->BindNull(6);
  }
  (*upsert)->BindText(7, script.body);
  (*upsert)->BindText(8, FormatUtc(now));
  (*upsert)->BindText(9, audit.actor);
  if (auto done = (*upsert)->Run(); !done) return Fail(done.error());
  nlohmann::json before_json = ScriptAuditJson(before->script);
  before_json["source"] = TemplateSourceKey(before->source);
  nlohmann::json after_json = ScriptAuditJson(script);
  after_json["source"] = "tenant";
  if (auto done = WriteAudit(database, tenant_id, audit, "template_override", kNoEntityId, "update",
                             before_json.dump(), after_json.dump());
      !done) {
    return Fail(done.error());
  }
  auto saved = TenantTemplate(database, tenant_id, change.stage, change.channel, change.language, change.tone);
  if (!saved) return Fail(saved.error());
  if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
  result.saved = std::move(*saved);
  return result;
}

Status RemoveTemplateOverride(Database& database, int64_t tenant_id, templates::Stage stage,
                              templates::Channel channel, templates::Language language, std::string_view tone,
                              const AuditContext& audit) {
  const std::string stage_key(templates::StageKey(stage));
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto current = TenantTemplate(database, tenant_id, stage, channel, language, tone);
  if (!current && current.error().code != ErrorCode::kNotFound) return Fail(current.error());
  if (!current || current->source != TemplateSource::kTenant) {
    return Fail(Error::NotFound(TrFormat(audit.language, "la empresa no tiene un guion propio {} por {} en {} con tono '{}'",
                                         "the tenant has no own {} script by {} in {} with tone '{}'", stage_key,
                                         templates::ChannelKey(channel), templates::LanguageCode(language), tone)));
  }
  auto removal = database.Prepare(
      "DELETE FROM template_overrides WHERE tenant_id = ? AND template_key = ? AND channel = ? AND language = ? AND "
      "tone = ?");
  if (!removal) return Fail(removal.error());
  (*removal)->BindInt64(1, tenant_id);
  (*removal)->BindText(2, stage_key);
  (*removal)->BindText(3, templates::ChannelKey(channel));
  (*removal)->BindText(4, templates::LanguageCode(language));
  (*removal)->BindText(5, tone);
  if (auto done = (*removal)->Run(); !done) return done;
  nlohmann::json before_json = ScriptAuditJson(current->script);
  before_json["source"] = "tenant";
  auto shipped = templates::DefaultTemplate(stage, channel, language, tone);
  if (!shipped) return Fail(shipped.error());
  nlohmann::json after_json = ScriptAuditJson(*shipped);
  after_json["source"] = "default";
  if (auto done = WriteAudit(database, tenant_id, audit, "template_override", kNoEntityId, "delete",
                             before_json.dump(), after_json.dump());
      !done) {
    return done;
  }
  return transaction->Commit();
}

}  // namespace cartera::delivery
