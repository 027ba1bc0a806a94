#include "delivery/channel_config.h"

#include <fmt/format.h>

#include "core/contact_address.h"
#include "core/text_check.h"
#include "core/time_zone.h"
#include "delivery/channel_pause.h"
#include "delivery/email_message.h"
#include "delivery/smtp_sender.h"
#include "delivery/twilio_sender.h"
#include "delivery/whatsapp_cloud_sender.h"

namespace cartera::delivery {
namespace {

nlohmann::json SmtpPlain(const SmtpSettings& settings) {
  return {{"host", settings.host},
          {"port", settings.port},
          {"security", std::string(SmtpSecurityName(settings.security))},
          {"user", settings.user},
          {"from_address", settings.from_address},
          {"from_name", settings.from_name},
          {"reply_to", settings.reply_to},
          {"timeout_seconds", settings.timeout_seconds},
          {"max_per_minute", settings.max_per_minute}};
}

nlohmann::json TwilioPlain(const TwilioSettings& settings) {
  return {{"base_url", settings.base_url},
          {"account_sid", settings.account_sid},
          {"sms_from", settings.sms_from},
          {"whatsapp_from", settings.whatsapp_from},
          {"timeout_seconds", settings.timeout_seconds},
          {"max_per_minute", settings.max_per_minute}};
}

nlohmann::json WhatsappPlain(const WhatsappCloudSettings& settings) {
  return {{"base_url", settings.base_url},
          {"api_version", settings.api_version},
          {"phone_number_id", settings.phone_number_id},
          {"template_prefix", settings.template_prefix},
          {"timeout_seconds", settings.timeout_seconds},
          {"max_per_minute", settings.max_per_minute}};
}

nlohmann::json SecretSet(bool set) { return {{"set", set}}; }

Error Bad(std::string_view field, std::string detail) { return Error::BadInput(fmt::format("{}: {}", field, detail)); }

Status CheckBaseUrl(std::string_view field, std::string& base_url, Language language) {
  while (base_url.ends_with('/')) base_url.pop_back();
  if (!base_url.starts_with("https://") && !base_url.starts_with("http://")) {
    return Fail(Bad(field, TrFormat(language, "'{}' no es una URL http(s)", "'{}' is not an http(s) URL",
                                    EscapeForDisplay(base_url))));
  }
  return {};
}

Status CheckLimits(int timeout_seconds, int max_per_minute, Language language) {
  if (timeout_seconds < 1 || timeout_seconds > 600) {
    return Fail(Bad("timeout_seconds", std::string(Tr(language, "de 1 a 600 segundos", "1 to 600 seconds"))));
  }
  if (max_per_minute < 0) {
    return Fail(Bad("max_per_minute", std::string(Tr(language, "no puede ser negativo", "cannot be negative"))));
  }
  return {};
}

Status CheckPhone(std::string_view field, const std::string& number, Language language) {
  if (number.empty() || IsE164PhoneNumber(number)) return {};
  return Fail(Bad(field, TrFormat(language, "'{}' no es un número E.164 (+ y de 8 a 15 dígitos)",
                                  "'{}' is not an E.164 number (+ and 8 to 15 digits)", EscapeForDisplay(number))));
}

Status CheckOneLine(std::string_view field, const std::string& text, Language language) {
  if (IsCleanText(text)) return {};
  return Fail(Bad(field, std::string(Tr(language, "no puede tener saltos de línea ni caracteres de control",
                                        "cannot hold line breaks or control characters"))));
}

Status MissingSecret(std::string_view field, Language language) {
  return Fail(Bad(field, std::string(Tr(language, "falta: el canal aún no tiene uno guardado",
                                        "missing: the channel has none stored yet"))));
}

Status AuditChange(Database& database, int64_t tenant_id, std::string_view channel, const nlohmann::json& before,
                   nlohmann::json after, nlohmann::json secrets_changed, const AuditContext& audit) {
  after["channel"] = channel;
  after["secrets_changed"] = std::move(secrets_changed);
  return WriteAudit(database, tenant_id, audit, "channel", 0, "update", before.is_null() ? "" : before.dump(),
                    after.dump());
}

}  // namespace

bool IsConfigurableChannel(std::string_view channel) {
  return channel == "email" || channel == "twilio" || channel == "whatsapp";
}

Result<nlohmann::json> ChannelJson(Database& database, int64_t tenant_id, std::string_view channel,
                                   const SecretKey& key, Language language) {
  nlohmann::json body = {{"channel", channel}, {"configured", false}, {"settings", nullptr}, {"pause", nullptr}};
  if (channel == "email") {
    auto settings = LoadSmtpSettings(database, tenant_id, &key);
    if (!settings) return Fail(settings.error());
    body["secrets"] = {{"password", SecretSet(*settings && !(*settings)->password.empty())}};
    if (*settings) body["settings"] = SmtpPlain(**settings);
    auto pause = LoadChannelPause(database, tenant_id, "email");
    if (!pause) return Fail(pause.error());
    if (*pause) {
      body["pause"] = {{"paused", (*pause)->paused()},
                       {"refusals_in_row", (*pause)->refusals_in_row},
                       {"last_reply", (*pause)->last_reply},
                       {"last_refusal_at", (*pause)->last_refusal_at},
                       {"paused_at", (*pause)->paused_at ? nlohmann::json(*(*pause)->paused_at) : nlohmann::json()},
                       {"description", DescribeChannelPause(**pause, language)}};
    }
  } else if (channel == "twilio") {
    auto settings = LoadTwilioSettings(database, tenant_id, &key);
    if (!settings) return Fail(settings.error());
    body["secrets"] = {{"auth_token", SecretSet(*settings && !(*settings)->auth_token.empty())}};
    if (*settings) body["settings"] = TwilioPlain(**settings);
  } else if (channel == "whatsapp") {
    auto settings = LoadWhatsappCloudSettings(database, tenant_id, &key);
    if (!settings) return Fail(settings.error());
    const bool configured = settings->has_value();
    body["secrets"] = {{"access_token", SecretSet(configured && !(*settings)->access_token.empty())},
                       {"app_secret", SecretSet(configured && !(*settings)->app_secret.empty())},
                       {"verify_token", SecretSet(configured && !(*settings)->verify_token.empty())}};
    if (configured) body["settings"] = WhatsappPlain(**settings);
  } else {
    return Fail(Error::NotFound(TrFormat(language, "no existe el canal '{}' (email, twilio, whatsapp)",
                                         "no channel '{}' (email, twilio, whatsapp)", EscapeForDisplay(channel))));
  }
  body["configured"] = !body["settings"].is_null();
  return body;
}

Status UpdateSmtpChannel(Database& database, int64_t tenant_id, SmtpSettings settings,
                         std::optional<std::string> password, const SecretKey& key, Timestamp now,
                         const AuditContext& audit) {
  const Language language = audit.language;
  if (settings.host.empty() || !IsCleanText(settings.host)) {
    return Fail(Bad("host", std::string(Tr(language, "falta el servidor SMTP", "the SMTP server is missing"))));
  }
  if (settings.port < 1 || settings.port > 65535) {
    return Fail(Bad("port", std::string(Tr(language, "de 1 a 65535", "1 to 65535"))));
  }
  if (auto problem = EmailAddressProblem(settings.from_address, language)) return Fail(Bad("from_address", *problem));
  if (auto problem = settings.reply_to.empty() ? std::nullopt : EmailAddressProblem(settings.reply_to, language)) {
    return Fail(Bad("reply_to", *problem));
  }
  if (auto ok = CheckOneLine("user", settings.user, language); !ok) return ok;
  if (auto ok = CheckOneLine("from_name", settings.from_name, language); !ok) return ok;
  if (auto ok = CheckLimits(settings.timeout_seconds, settings.max_per_minute, language); !ok) return ok;
  auto stored = LoadSmtpSettings(database, tenant_id, &key);
  if (!stored) return Fail(stored.error());
  const nlohmann::json before = *stored ? SmtpPlain(**stored) : nlohmann::json();
  nlohmann::json changed = nlohmann::json::array();
  if (password) {
    settings.password = *password;
    changed.push_back("password");
  } else if (*stored) {
    settings.password = (*stored)->password;
  }
  // A server without AUTH needs no password; with a user it is the one stored or given.
  if (!settings.user.empty() && settings.password.empty()) return MissingSecret("password", language);
  // The row and its audit row in one transaction.
  return SaveSmtpSettings(database, tenant_id, settings, key, now, [&](Database& inside) {
    return AuditChange(inside, tenant_id, "email", before, SmtpPlain(settings), changed, audit);
  });
}

Status UpdateTwilioChannel(Database& database, int64_t tenant_id, TwilioSettings settings,
                           std::optional<std::string> auth_token, const SecretKey& key, Timestamp now,
                           const AuditContext& audit) {
  const Language language = audit.language;
  if (settings.account_sid.empty() || !IsCleanText(settings.account_sid)) {
    return Fail(Bad("account_sid", std::string(Tr(language, "falta el SID de la cuenta", "the account SID is missing"))));
  }
  if (settings.sms_from.empty()) {
    return Fail(Bad("sms_from", std::string(Tr(language, "falta el número remitente", "the sender number is missing"))));
  }
  if (auto ok = CheckPhone("sms_from", settings.sms_from, language); !ok) return ok;
  if (auto ok = CheckPhone("whatsapp_from", settings.whatsapp_from, language); !ok) return ok;
  if (auto ok = CheckBaseUrl("base_url", settings.base_url, language); !ok) return ok;
  if (auto ok = CheckLimits(settings.timeout_seconds, settings.max_per_minute, language); !ok) return ok;
  auto stored = LoadTwilioSettings(database, tenant_id, &key);
  if (!stored) return Fail(stored.error());
  const nlohmann::json before = *stored ? TwilioPlain(**stored) : nlohmann::json();
  nlohmann::json changed = nlohmann::json::array();
  if (auth_token) {
    settings.auth_token = *auth_token;
    changed.push_back("auth_token");
  } else if (*stored) {
    settings.auth_token = (*stored)->auth_token;
  }
  // The token signs every webhook Twilio sends: without one nothing could be verified.
  if (settings.auth_token.empty()) return MissingSecret("auth_token", language);
  // The row and its audit row in one transaction.
  return SaveTwilioSettings(database, tenant_id, settings, key, now, [&](Database& inside) {
    return AuditChange(inside, tenant_id, "twilio", before, TwilioPlain(settings), changed, audit);
  });
}

Status UpdateWhatsappChannel(Database& database, int64_t tenant_id, WhatsappCloudSettings settings,
                             const WhatsappSecrets& secrets, const SecretKey& key, Timestamp now,
                             const AuditContext& audit) {
  const Language language = audit.language;
  if (settings.phone_number_id.empty() || !IsCleanText(settings.phone_number_id)) {
    return Fail(Bad("phone_number_id", std::string(Tr(language, "falta el id del número", "the number's id is missing"))));
  }
  if (auto ok = CheckBaseUrl("base_url", settings.base_url, language); !ok) return ok;
  if (auto ok = CheckOneLine("api_version", settings.api_version, language); !ok) return ok;
  if (auto ok = CheckOneLine("template_prefix", settings.template_prefix, language); !ok) return ok;
  if (auto ok = CheckLimits(settings.timeout_seconds, settings.max_per_minute, language); !ok) return ok;
  auto stored = LoadWhatsappCloudSettings(database, tenant_id, &key);
  if (!stored) return Fail(stored.error());
  const nlohmann::json before = *stored ? WhatsappPlain(**stored) : nlohmann::json();
  nlohmann::json changed = nlohmann::json::array();
  auto take = [&](const std::optional<std::string>& given, std::string WhatsappCloudSettings::*field,
                  std::string_view name) {
    if (given) {
      settings.*field = *given;
      changed.push_back(name);
    } else if (*stored) {
      settings.*field = (**stored).*field;
    }
  };
  take(secrets.access_token, &WhatsappCloudSettings::access_token, "access_token");
  take(secrets.app_secret, &WhatsappCloudSettings::app_secret, "app_secret");
  take(secrets.verify_token, &WhatsappCloudSettings::verify_token, "verify_token");
  if (settings.access_token.empty()) return MissingSecret("access_token", language);
  // An empty app secret would make every webhook signature forgeable
  // (anyone can compute an HMAC under the empty key).
  if (settings.app_secret.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(Bad("app_secret", std::string(Tr(
        language, "falta o está vacía: sin ella, cualquiera podría falsificar los webhooks",
        "missing or empty: without it anyone could forge webhooks"))));
  }
  // The row and its audit row in one transaction.
  return SaveWhatsappCloudSettings(database, tenant_id, settings, key, now, [&](Database& inside) {
    return AuditChange(inside, tenant_id, "whatsapp", before, WhatsappPlain(settings), changed, audit);
  });
}

Result<TestMessageResult> SendTestMessage(Database& database, int64_t tenant_id, std::string_view channel,
                                          const std::string& to, const SecretKey& key, Timestamp now,
                                          Language language) {
  auto not_configured = [&]() {
    return Fail(Error::BadInput(TrFormat(language, "el canal {} no está configurado", "the {} channel is not configured",
                                         channel)));
  };
  const std::string text = std::string(Tr(language, "Mensaje de prueba de Cartera: el canal funciona.",
                                          "Cartera test message: the channel works."));
  SendOutcome outcome;
  std::string provider_id;
  if (channel == "email") {
    if (auto problem = EmailAddressProblem(to, language)) return Fail(Bad("to", *problem));
    auto settings = LoadSmtpSettings(database, tenant_id, &key);
    if (!settings) return Fail(settings.error());
    if (!*settings) return not_configured();
    EmailMessage message;
    message.from_address = (*settings)->from_address;
    message.from_name = (*settings)->from_name;
    message.reply_to = (*settings)->reply_to;
    message.to_address = to;
    message.subject = std::string(Tr(language, "Prueba de Cartera", "Cartera test"));
    message.text = text;
    message.message_id = MessageIdFor(fmt::format("test-{}-{}", tenant_id, FormatUtc(now)), (*settings)->from_address);
    message.date = now;
    SmtpSender sender(**settings);
    outcome = sender.Send(message);
  } else if (channel == "twilio" || channel == "whatsapp") {
    if (!IsE164PhoneNumber(to)) {
      return Fail(Bad("to", TrFormat(language, "'{}' no es un número E.164 (+ y de 8 a 15 dígitos)",
                                     "'{}' is not an E.164 number (+ and 8 to 15 digits)", EscapeForDisplay(to))));
    }
    if (channel == "twilio") {
      auto settings = LoadTwilioSettings(database, tenant_id, &key);
      if (!settings) return Fail(settings.error());
      if (!*settings) return not_configured();
      TwilioSender sender(**settings);
      TextSendOutcome sent = sender.Send(TextChannel::kSms, to, text);
      outcome = sent.outcome;
      provider_id = sent.provider_id;
    } else {
      auto settings = LoadWhatsappCloudSettings(database, tenant_id, &key);
      if (!settings) return Fail(settings.error());
      if (!*settings) return not_configured();
      WhatsappCloudSender sender(**settings);
      WhatsappMessage message;
      message.to = to;
      message.text = text;
      TextSendOutcome sent = sender.Send(message);
      outcome = sent.outcome;
      provider_id = sent.provider_id;
    }
  } else {
    return Fail(Error::NotFound(TrFormat(language, "no existe el canal '{}' (email, twilio, whatsapp)",
                                         "no channel '{}' (email, twilio, whatsapp)", EscapeForDisplay(channel))));
  }
  TestMessageResult result;
  result.status = outcome.result == SendResult::kSent      ? "sent"
                  : outcome.result == SendResult::kUnknown ? "unknown"
                                                           : "failed";
  result.detail = outcome.detail;
  result.provider_id = provider_id;
  return result;
}

}  // namespace cartera::delivery
