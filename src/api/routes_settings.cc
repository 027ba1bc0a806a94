// Configuration: the collection strategy, the message templates, the
// channels (secrets write-only) and the company. Every route calls the use
// case its CLI command calls: collection/strategy_store.h (`policy`),
// delivery/template_preview.h (`template preview`), delivery/channel_config.h
// (`channel`), delivery/company_settings.h (`company`).
#include <cctype>

#include <nlohmann/json.hpp>

#include "api/route_helpers.h"
#include "api/server_key.h"
#include "api/routes.h"
#include "api/strategy_problem.h"
#include "collection/portfolio.h"
#include "collection/run.h"
#include "collection/strategy_store.h"
#include "delivery/channel_config.h"
#include "delivery/channel_pause.h"
#include "delivery/company_settings.h"
#include "delivery/secret_box.h"
#include "delivery/template_overrides.h"
#include "delivery/template_preview.h"
#include "store/company_profile.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

ApiResponse WithETag(int status, const nlohmann::json& body) {
  return ApiResponse::Json(status, body).Header("ETag", ApiCall::ETagOf(body));
}

// The strategy as `cartera policy export` prints it.
Result<nlohmann::json> ActiveStrategyJson(ApiCall& call) {
  auto active = LoadActiveStrategy(call.database(), call.tenant_id());
  if (!active) return Fail(active.error());
  return StrategyToJson(active->second);
}

HandlerResult GetStrategy(ApiCall& call) {
  auto body = ActiveStrategyJson(call);
  if (!body) return std::unexpected(Problem(body.error()));
  return WithETag(200, *body);
}

HandlerResult ValidateStrategy(ApiCall& call) {
  auto document = call.JsonObject();
  if (!document) return std::unexpected(document.error());
  auto strategy = CheckStrategyDocument(*document, call.language());
  if (!strategy && strategy.error().code != ErrorCode::kBadInput) return std::unexpected(Problem(strategy.error()));
  nlohmann::json problems = nlohmann::json::array();
  if (!strategy) {
    const FieldProblem problem = StrategyFieldProblem(strategy.error(), *document);
    problems.push_back({{"field", problem.field}, {"detail", problem.detail}});
  }
  return ApiResponse::Json(200, {{"valid", strategy.has_value()},
                                 {"name", strategy ? nlohmann::json(strategy->name) : nlohmann::json()},
                                 {"stages", strategy ? nlohmann::json(strategy->stages.size()) : nlohmann::json()},
                                 {"problems", problems}});
}

HandlerResult PutStrategy(ApiCall& call) {
  auto document = call.JsonObject();
  if (!document) return std::unexpected(document.error());
  auto strategy = CheckStrategyDocument(*document, call.language());
  if (!strategy) return std::unexpected(StrategyProblem(strategy.error(), *document));
  auto current = ActiveStrategyJson(call);
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(*current)) return std::unexpected(*stale);
  if (auto saved = SaveActiveStrategy(call.database(), call.tenant_id(), *strategy, call.Audit()); !saved) {
    return std::unexpected(Problem(saved.error()));
  }
  auto body = ActiveStrategyJson(call);
  if (!body) return std::unexpected(Problem(body.error()));
  return WithETag(200, *body);
}

// Templates: the shipped scripts by stage ("overdue_7"), the name a
// strategy's action gives in `template`.
HandlerResult ListTemplates(ApiCall& call) {
  nlohmann::json data = nlohmann::json::array();
  for (templates::Stage stage : templates::AllStages()) {
    auto found =
        delivery::StageTemplates(call.database(), call.tenant_id(), templates::StageKey(stage), call.language());
    if (!found) return std::unexpected(Problem(found.error()));
    nlohmann::json variants = nlohmann::json::array();
    for (const delivery::TenantScript& one : *found) {
      variants.push_back({{"channel", templates::ChannelKey(one.script.channel)},
                          {"language", templates::LanguageCode(one.script.language)},
                          {"tone", one.script.tone},
                          {"source", delivery::TemplateSourceKey(one.source)}});
    }
    data.push_back({{"key", templates::StageKey(stage)}, {"variants", std::move(variants)}});
  }
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

// GET /api/v1/templates/{key}: the stage's scripts as the tenant sees them.
Result<nlohmann::json> TemplateJson(ApiCall& call) {
  auto found = delivery::StageTemplates(call.database(), call.tenant_id(), call.Param("key"), call.language());
  if (!found) return Fail(found.error());
  nlohmann::json templates_json = nlohmann::json::array();
  for (const delivery::TenantScript& one : *found) templates_json.push_back(delivery::MessageTemplateJson(one));
  return nlohmann::json{{"key", call.Param("key")}, {"templates", std::move(templates_json)}};
}

HandlerResult GetTemplate(ApiCall& call) {
  auto body = TemplateJson(call);
  if (!body) return std::unexpected(Problem(body.error()));
  return WithETag(200, *body);
}

HandlerResult PreviewTemplate(ApiCall& call) {
  auto stage = templates::ParseStage(call.Param("key"));
  if (!stage) return std::unexpected(NotFoundProblem(call.language()));
  const Language language = call.language();
  auto request = ReadBody(call, [&](JsonFields& fields) {
    delivery::TemplatePreviewRequest wanted;
    wanted.stage = *stage;
    wanted.customer = fields.Text("customer", Need::kRequired, 200).value_or("");
    if (auto channel = fields.Text("channel", Need::kOptional, 20)) {
      if (auto parsed = templates::ParseChannel(*channel)) {
        wanted.channel = *parsed;
      } else {
        fields.Reject("channel", ProblemCode::kInvalidRequest,
                      std::string(Tr(language, "el canal es email, sms, whatsapp, call o letter",
                                     "the channel is email, sms, whatsapp, call or letter")));
      }
    }
    wanted.tone = fields.Text("tone", Need::kOptional, 40).value_or(std::string(templates::kDefaultTone));
    wanted.as_of = fields.DateField("as_of", Need::kOptional);
    return wanted;
  });
  if (!request) return std::unexpected(request.error());
  auto preview = delivery::PreviewTemplate(call.database(), call.tenant_id(), *request, call.clock().Now(), language);
  if (!preview) return std::unexpected(Problem(preview.error()));
  return ApiResponse::Json(200, delivery::TemplatePreviewJson(*request, *preview));
}

// Channels. The secret key opens the stored secrets only to say whether
// each is set and to keep the ones a change does not give.
std::expected<delivery::SecretKey, Problem> ServerKey(ApiCall& call) { return ServerSecretKey(call.language()); }

// The channel from the path; a name that is not one is a 404, like an id.
std::optional<Problem> CheckChannel(ApiCall& call) {
  if (delivery::IsConfigurableChannel(call.Param("channel"))) return std::nullopt;
  return NotFoundProblem(call.language());
}

HandlerResult ListChannels(ApiCall& call) {
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  nlohmann::json data = nlohmann::json::array();
  for (const char* channel : {"email", "twilio", "whatsapp"}) {
    auto one = delivery::ChannelJson(call.database(), call.tenant_id(), channel, *key, call.language());
    if (!one) return std::unexpected(Problem(one.error()));
    data.push_back(std::move(*one));
  }
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult GetChannel(ApiCall& call) {
  if (auto problem = CheckChannel(call)) return std::unexpected(*problem);
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  auto body = delivery::ChannelJson(call.database(), call.tenant_id(), call.Param("channel"), *key, call.language());
  if (!body) return std::unexpected(Problem(body.error()));
  return WithETag(200, *body);
}

// "from_address: not an address" -> the problem of /from_address.
Problem ChannelProblem(const Error& error) {
  if (error.code != ErrorCode::kBadInput) return Problem(error);
  const size_t colon = error.message.find(": ");
  if (colon != std::string::npos && colon > 0 &&
      std::all_of(error.message.begin(), error.message.begin() + static_cast<std::ptrdiff_t>(colon),
                  [](unsigned char c) { return std::islower(c) || c == '_'; })) {
    return Problem::Field(ProblemCode::kInvalidRequest, "/" + error.message.substr(0, colon),
                          error.message.substr(colon + 2));
  }
  return Problem(error);
}

int IntegerOr(JsonFields& fields, std::string_view name, int64_t min, int64_t max, int fallback) {
  return static_cast<int>(fields.Integer(name, Need::kOptional, min, max).value_or(fallback));
}

HandlerResult PutChannel(ApiCall& call) {
  if (auto problem = CheckChannel(call)) return std::unexpected(*problem);
  const std::string channel = call.Param("channel");
  const Language language = call.language();
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  auto current = delivery::ChannelJson(call.database(), call.tenant_id(), channel, *key, language);
  if (!current) return std::unexpected(Problem(current.error()));
  Status saved;
  if (channel == "email") {
    struct Change {
      delivery::SmtpSettings settings;
      std::optional<std::string> password;
    };
    auto change = ReadBody(call, [&](JsonFields& fields) {
      Change wanted;
      delivery::SmtpSettings& settings = wanted.settings;
      settings.host = fields.Text("host", Need::kRequired, 253).value_or("");
      settings.port = IntegerOr(fields, "port", 1, 65535, 587);
      if (auto security = fields.Text("security", Need::kOptional, 20)) {
        if (auto parsed = delivery::ParseSmtpSecurity(*security)) {
          settings.security = *parsed;
        } else {
          fields.Reject("security", ProblemCode::kInvalidRequest,
                        std::string(Tr(language, "es none, starttls o tls", "is none, starttls or tls")));
        }
      }
      settings.user = fields.Text("user", Need::kOptional, 254).value_or("");
      wanted.password = fields.Text("password", Need::kOptional, 1000);
      settings.from_address = fields.Text("from_address", Need::kRequired, 254).value_or("");
      settings.from_name = fields.Text("from_name", Need::kOptional, 200).value_or("");
      settings.reply_to = fields.Text("reply_to", Need::kOptional, 254).value_or("");
      settings.timeout_seconds = IntegerOr(fields, "timeout_seconds", 1, 600, 30);
      settings.max_per_minute = IntegerOr(fields, "max_per_minute", 0, 100000, 0);
      return wanted;
    });
    if (!change) return std::unexpected(change.error());
    if (auto stale = call.CheckIfMatch(*current)) return std::unexpected(*stale);
    saved = delivery::UpdateSmtpChannel(call.database(), call.tenant_id(), change->settings, change->password, *key,
                                        call.clock().Now(), call.Audit());
  } else if (channel == "twilio") {
    struct Change {
      delivery::TwilioSettings settings;
      std::optional<std::string> auth_token;
    };
    auto change = ReadBody(call, [&](JsonFields& fields) {
      Change wanted;
      delivery::TwilioSettings& settings = wanted.settings;
      settings.account_sid = fields.Text("account_sid", Need::kRequired, 100).value_or("");
      wanted.auth_token = fields.Text("auth_token", Need::kOptional, 200);
      settings.sms_from = fields.Text("sms_from", Need::kRequired, 20).value_or("");
      settings.whatsapp_from = fields.Text("whatsapp_from", Need::kOptional, 20).value_or("");
      settings.base_url = fields.Text("base_url", Need::kOptional, 500).value_or(settings.base_url);
      settings.timeout_seconds = IntegerOr(fields, "timeout_seconds", 1, 600, 30);
      settings.max_per_minute = IntegerOr(fields, "max_per_minute", 0, 100000, 0);
      return wanted;
    });
    if (!change) return std::unexpected(change.error());
    if (auto stale = call.CheckIfMatch(*current)) return std::unexpected(*stale);
    saved = delivery::UpdateTwilioChannel(call.database(), call.tenant_id(), change->settings, change->auth_token,
                                          *key, call.clock().Now(), call.Audit());
  } else {
    struct Change {
      delivery::WhatsappCloudSettings settings;
      delivery::WhatsappSecrets secrets;
    };
    auto change = ReadBody(call, [&](JsonFields& fields) {
      Change wanted;
      delivery::WhatsappCloudSettings& settings = wanted.settings;
      settings.phone_number_id = fields.Text("phone_number_id", Need::kRequired, 100).value_or("");
      wanted.secrets.access_token = fields.Text("access_token", Need::kOptional, 1000);
      wanted.secrets.app_secret = fields.Text("app_secret", Need::kOptional, 200);
      wanted.secrets.verify_token = fields.Text("verify_token", Need::kOptional, 200);
      settings.base_url = fields.Text("base_url", Need::kOptional, 500).value_or(settings.base_url);
      settings.api_version = fields.Text("api_version", Need::kOptional, 20).value_or(settings.api_version);
      settings.template_prefix = fields.Text("template_prefix", Need::kOptional, 100).value_or(settings.template_prefix);
      settings.timeout_seconds = IntegerOr(fields, "timeout_seconds", 1, 600, 30);
      settings.max_per_minute = IntegerOr(fields, "max_per_minute", 0, 100000, 0);
      return wanted;
    });
    if (!change) return std::unexpected(change.error());
    if (auto stale = call.CheckIfMatch(*current)) return std::unexpected(*stale);
    saved = delivery::UpdateWhatsappChannel(call.database(), call.tenant_id(), change->settings, change->secrets, *key,
                                            call.clock().Now(), call.Audit());
  }
  if (!saved) return std::unexpected(ChannelProblem(saved.error()));
  auto body = delivery::ChannelJson(call.database(), call.tenant_id(), channel, *key, language);
  if (!body) return std::unexpected(Problem(body.error()));
  return WithETag(200, *body);
}

HandlerResult TestChannel(ApiCall& call) {
  if (auto problem = CheckChannel(call)) return std::unexpected(*problem);
  auto to = ReadBody(call, [](JsonFields& fields) { return fields.Text("to", Need::kRequired, 254).value_or(""); });
  if (!to) return std::unexpected(to.error());
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  auto sent = delivery::SendTestMessage(call.database(), call.tenant_id(), call.Param("channel"), *to, *key,
                                        call.clock().Now(), call.language());
  if (!sent) return std::unexpected(ChannelProblem(sent.error()));
  return ApiResponse::Json(200, {{"channel", call.Param("channel")},
                                 {"to", *to},
                                 {"status", sent->status},
                                 {"detail", sent->detail},
                                 {"provider_id", sent->provider_id.empty() ? nlohmann::json() : nlohmann::json(sent->provider_id)}});
}

HandlerResult ResumeChannel(ApiCall& call) {
  if (auto problem = CheckChannel(call)) return std::unexpected(*problem);
  if (auto done = delivery::ResumeChannel(call.database(), call.tenant_id(), call.Param("channel"), call.Audit()); !done) {
    return std::unexpected(Problem(done.error()));
  }
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  auto body = delivery::ChannelJson(call.database(), call.tenant_id(), call.Param("channel"), *key, call.language());
  if (!body) return std::unexpected(Problem(body.error()));
  return WithETag(200, *body);
}

// The company, with the daily run time beside the profile.
HandlerResult GetCompany(ApiCall& call) {
  auto settings = delivery::LoadCompanySettings(call.database(), call.tenant_id());
  if (!settings) return std::unexpected(Problem(settings.error()));
  return WithETag(200, delivery::CompanySettingsJson(*settings));
}

HandlerResult PatchCompany(ApiCall& call) {
  const Language language = call.language();
  auto change = ReadBody(call, [&](JsonFields& fields) {
    delivery::CompanySettingsChange wanted;
    CompanyProfileChange& profile = wanted.profile;
    profile.name = fields.Text("name", Need::kOptional, kCompanyFieldBytesMax);
    profile.tax_id = fields.Text("tax_id", Need::kOptional, kCompanyFieldBytesMax);
    profile.address = fields.Paragraph("address", Need::kOptional, kCompanyFieldBytesMax);
    profile.city = fields.Text("city", Need::kOptional, kCompanyFieldBytesMax);
    profile.phone = fields.Text("phone", Need::kOptional, kCompanyFieldBytesMax);
    profile.email = fields.Text("email", Need::kOptional, kCompanyFieldBytesMax);
    profile.payment_instructions =
        fields.Paragraph("payment_instructions", Need::kOptional, kPaymentInstructionsBytesMax);
    profile.collector_name = fields.Text("collector_name", Need::kOptional, kCompanyFieldBytesMax);
    wanted.daily_run_time = fields.Text("daily_run_time", Need::kOptional, 5);
    if (wanted.daily_run_time && !ParseRunTime(*wanted.daily_run_time)) {
      fields.Reject("daily_run_time", ProblemCode::kInvalidRequest,
                    std::string(Tr(language, "una hora del día HH:MM (00:00-23:59)", "a time of day HH:MM (00:00-23:59)")));
    }
    wanted.portal_base_url = fields.Text("portal_base_url", Need::kOptional, delivery::kPortalBaseUrlBytesMax);
    if (wanted.portal_base_url && !delivery::IsPortalBaseUrl(*wanted.portal_base_url)) {
      fields.Reject("portal_base_url", ProblemCode::kInvalidRequest,
                    std::string(Tr(language, "una URL http(s) sin consulta ni fragmento (p. ej. https://cobros.empresa.co)",
                                   "an http(s) URL without query or fragment (e.g. https://cobros.empresa.co)")));
    }
    return wanted;
  });
  if (!change) return std::unexpected(change.error());
  auto current = delivery::LoadCompanySettings(call.database(), call.tenant_id());
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(delivery::CompanySettingsJson(*current))) return std::unexpected(*stale);
  auto settings = delivery::UpdateCompanySettings(call.database(), call.tenant_id(), *change, call.Audit());
  if (!settings) return std::unexpected(Problem(settings.error()));
  return WithETag(200, delivery::CompanySettingsJson(*settings));
}

// Which script of the stage: channel, language and tone (default cordial).
struct ScriptChoice {
  templates::Channel channel = templates::Channel::kEmail;
  templates::Language language = templates::Language::kEs;
  std::string tone = std::string(templates::kDefaultTone);
};

void ReadScriptChoice(JsonFields& fields, ScriptChoice& choice, Language language) {
  if (auto channel = fields.Text("channel", Need::kRequired, 20)) {
    if (auto parsed = templates::ParseChannel(*channel)) {
      choice.channel = *parsed;
    } else {
      fields.Reject("channel", ProblemCode::kInvalidRequest,
                    std::string(Tr(language, "el canal es email, sms, whatsapp, call o letter",
                                   "the channel is email, sms, whatsapp, call or letter")));
    }
  }
  if (auto code = fields.Text("language", Need::kRequired, 5)) {
    if (auto parsed = templates::ParseLanguage(*code)) {
      choice.language = *parsed;
    } else {
      fields.Reject("language", ProblemCode::kInvalidRequest,
                    std::string(Tr(language, "el idioma es es o en", "the language is es or en")));
    }
  }
  choice.tone = fields.Text("tone", Need::kOptional, 40).value_or(std::string(templates::kDefaultTone));
}

// PUT /api/v1/templates/{key}: the tenant's own wording of one script.
HandlerResult PutTemplate(ApiCall& call) {
  auto stage = templates::ParseStage(call.Param("key"));
  if (!stage) return std::unexpected(NotFoundProblem(call.language()));
  const Language language = call.language();
  auto change = ReadBody(call, [&](JsonFields& fields) {
    ScriptChoice choice;
    ReadScriptChoice(fields, choice, language);
    delivery::TemplateOverrideChange wanted;
    wanted.stage = *stage;
    wanted.channel = choice.channel;
    wanted.language = choice.language;
    wanted.tone = choice.tone;
    wanted.subject = fields.Text("subject", Need::kOptional, 1000).value_or("");
    wanted.body = fields.Paragraph("body", Need::kRequired, 32000).value_or("");
    return wanted;
  });
  if (!change) return std::unexpected(change.error());
  auto current = TemplateJson(call);
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(*current)) return std::unexpected(*stale);
  auto saved = delivery::SaveTemplateOverride(call.database(), call.tenant_id(), *change, call.clock().Now(),
                                              call.Audit());
  if (!saved) return std::unexpected(ChannelProblem(saved.error()));
  auto body = TemplateJson(call);
  if (!body) return std::unexpected(Problem(body.error()));
  // The ETag is the GET's; the warnings come with this answer only.
  nlohmann::json answer = *body;
  answer["warnings"] = saved->warnings;
  return ApiResponse::Json(200, answer).Header("ETag", ApiCall::ETagOf(*body));
}

// DELETE /api/v1/templates/{key}?channel=&language=&tone=: back to the shipped script.
HandlerResult DeleteTemplate(ApiCall& call) {
  auto stage = templates::ParseStage(call.Param("key"));
  if (!stage) return std::unexpected(NotFoundProblem(call.language()));
  const Language language = call.language();
  ScriptChoice choice;
  nlohmann::json query = nlohmann::json::object();
  for (const char* name : {"channel", "language", "tone"}) {
    if (auto value = call.Query(name)) query[name] = *value;
  }
  JsonFields fields(query, language);
  ReadScriptChoice(fields, choice, language);
  if (auto problem = fields.Finish()) return std::unexpected(*problem);
  auto current = TemplateJson(call);
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(*current)) return std::unexpected(*stale);
  if (auto removed = delivery::RemoveTemplateOverride(call.database(), call.tenant_id(), *stage, choice.channel,
                                                      choice.language, choice.tone, call.Audit());
      !removed) {
    return std::unexpected(Problem(removed.error()));
  }
  auto body = TemplateJson(call);
  if (!body) return std::unexpected(Problem(body.error()));
  return WithETag(200, *body);
}

}  // namespace

void AddSettingsRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/strategy", Role::kViewer, BodyKind::kNone, GetStrategy));
  routes.push_back(RoleRoute("PUT", "/api/v1/strategy", Role::kManager, BodyKind::kJson, PutStrategy));
  routes.push_back(RoleRoute("POST", "/api/v1/strategy/validate", Role::kManager, BodyKind::kJson, ValidateStrategy));
  routes.push_back(RoleRoute("GET", "/api/v1/templates", Role::kViewer, BodyKind::kNone, ListTemplates));
  routes.push_back(RoleRoute("GET", "/api/v1/templates/{key}", Role::kViewer, BodyKind::kNone, GetTemplate));
  routes.push_back(RoleRoute("POST", "/api/v1/templates/{key}/preview", Role::kViewer, BodyKind::kJson, PreviewTemplate));
  routes.push_back(RoleRoute("PUT", "/api/v1/templates/{key}", Role::kManager, BodyKind::kJson, PutTemplate));
  routes.push_back(RoleRoute("DELETE", "/api/v1/templates/{key}", Role::kManager, BodyKind::kNone, DeleteTemplate));
  routes.push_back(RoleRoute("GET", "/api/v1/channels", Role::kAdmin, BodyKind::kNone, ListChannels));
  routes.push_back(RoleRoute("GET", "/api/v1/channels/{channel}", Role::kAdmin, BodyKind::kNone, GetChannel));
  routes.push_back(RoleRoute("PUT", "/api/v1/channels/{channel}", Role::kAdmin, BodyKind::kJson, PutChannel));
  routes.push_back(RoleRoute("POST", "/api/v1/channels/{channel}/test", Role::kAdmin, BodyKind::kJson, TestChannel));
  routes.back().retry_when_busy = false;  // it sends a message: never twice
  routes.push_back(RoleRoute("POST", "/api/v1/channels/{channel}/resume", Role::kAdmin, BodyKind::kNone, ResumeChannel));
  routes.push_back(RoleRoute("GET", "/api/v1/company", Role::kViewer, BodyKind::kNone, GetCompany));
  routes.push_back(RoleRoute("PATCH", "/api/v1/company", Role::kAdmin, BodyKind::kJson, PatchCompany));
}

}  // namespace cartera::api
