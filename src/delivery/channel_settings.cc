#include "delivery/channel_settings.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"

namespace cartera::delivery {
namespace {

// One row per tenant and channel: plain settings as JSON, the secret sealed.
Status SaveRow(Database& database, int64_t tenant_id, std::string_view channel, const nlohmann::json& plain,
               const std::string& secret, const SecretKey* key, Timestamp now,
               const AlsoInTransaction& also = nullptr) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto remove = database.Prepare("DELETE FROM channel_settings WHERE tenant_id = ? AND channel = ?");
  if (!remove) return Fail(remove.error());
  (*remove)->BindInt64(1, tenant_id);
  (*remove)->BindText(2, channel);
  if (auto ok = (*remove)->Run(); !ok) return ok;
  auto insert = database.Prepare(
      "INSERT INTO channel_settings (tenant_id, channel, settings, sealed_secret, updated_at) VALUES (?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, channel);
  (*insert)->BindText(3, plain.dump());
  if (secret.empty() || key == nullptr) {
    (*insert)->BindNull(4);
  } else {
    (*insert)->BindText(4, Seal(*key, secret));
  }
  (*insert)->BindText(5, FormatUtc(now));
  if (auto ok = (*insert)->Run(); !ok) return ok;
  if (also) {
    if (auto ok = also(database); !ok) return ok;
  }
  return transaction->Commit();
}

struct StoredRow {
  nlohmann::json plain;
  std::string secret;  // opened; empty without a key or a secret
};

Result<std::optional<StoredRow>> LoadRow(Database& database, int64_t tenant_id, std::string_view channel,
                                         const SecretKey* key) {
  auto query =
      database.Prepare("SELECT settings, sealed_secret FROM channel_settings WHERE tenant_id = ? AND channel = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, channel);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<StoredRow>();
  StoredRow stored;
  stored.plain = nlohmann::json::parse((*query)->GetText(0), nullptr, false);
  if (!stored.plain.is_object()) {
    return Fail(Error::Storage(fmt::format("the stored {} settings are not valid JSON", channel)));
  }
  if (key != nullptr && !(*query)->IsNull(1)) {
    auto secret = Unseal(*key, (*query)->GetText(1));
    if (!secret) return Fail(secret.error());
    stored.secret = std::move(*secret);
  }
  return std::optional<StoredRow>(std::move(stored));
}

}  // namespace

Status SaveSmtpSettings(Database& database, int64_t tenant_id, const SmtpSettings& settings, const SecretKey& key,
                        Timestamp now, const AlsoInTransaction& also) {
  const nlohmann::json plain = {{"host", settings.host},
                                {"port", settings.port},
                                {"security", std::string(SmtpSecurityName(settings.security))},
                                {"user", settings.user},
                                {"from_address", settings.from_address},
                                {"from_name", settings.from_name},
                                {"reply_to", settings.reply_to},
                                {"timeout_seconds", settings.timeout_seconds},
                                {"max_per_minute", settings.max_per_minute}};
  return SaveRow(database, tenant_id, "email", plain, settings.password, &key, now, also);
}

Result<std::optional<SmtpSettings>> LoadSmtpSettings(Database& database, int64_t tenant_id, const SecretKey* key) {
  auto stored = LoadRow(database, tenant_id, "email", key);
  if (!stored) return Fail(stored.error());
  if (!*stored) return std::optional<SmtpSettings>();
  const nlohmann::json& plain = (*stored)->plain;
  SmtpSettings settings;
  settings.host = plain.value("host", "");
  settings.port = plain.value("port", 587);
  settings.security = ParseSmtpSecurity(plain.value("security", "starttls")).value_or(SmtpSecurity::kStartTls);
  settings.user = plain.value("user", "");
  settings.from_address = plain.value("from_address", "");
  settings.from_name = plain.value("from_name", "");
  settings.reply_to = plain.value("reply_to", "");
  settings.timeout_seconds = plain.value("timeout_seconds", 30);
  settings.max_per_minute = plain.value("max_per_minute", 0);
  settings.password = std::move((*stored)->secret);
  return std::optional<SmtpSettings>(std::move(settings));
}

Status SaveTwilioSettings(Database& database, int64_t tenant_id, const TwilioSettings& settings, const SecretKey& key,
                          Timestamp now, const AlsoInTransaction& also) {
  const nlohmann::json plain = {{"base_url", settings.base_url},
                                {"account_sid", settings.account_sid},
                                {"sms_from", settings.sms_from},
                                {"whatsapp_from", settings.whatsapp_from},
                                {"timeout_seconds", settings.timeout_seconds},
                                {"max_per_minute", settings.max_per_minute}};
  return SaveRow(database, tenant_id, "twilio", plain, settings.auth_token, &key, now, also);
}

Result<std::optional<TwilioSettings>> LoadTwilioSettings(Database& database, int64_t tenant_id, const SecretKey* key) {
  auto stored = LoadRow(database, tenant_id, "twilio", key);
  if (!stored) return Fail(stored.error());
  if (!*stored) return std::optional<TwilioSettings>();
  const nlohmann::json& plain = (*stored)->plain;
  TwilioSettings settings;
  settings.base_url = plain.value("base_url", settings.base_url);
  settings.account_sid = plain.value("account_sid", "");
  settings.sms_from = plain.value("sms_from", "");
  settings.whatsapp_from = plain.value("whatsapp_from", "");
  settings.timeout_seconds = plain.value("timeout_seconds", 30);
  settings.max_per_minute = plain.value("max_per_minute", 0);
  settings.auth_token = std::move((*stored)->secret);
  return std::optional<TwilioSettings>(std::move(settings));
}

Status SaveWhatsappCloudSettings(Database& database, int64_t tenant_id, const WhatsappCloudSettings& settings,
                                 const SecretKey& key, Timestamp now, const AlsoInTransaction& also) {
  const nlohmann::json plain = {{"base_url", settings.base_url},
                                {"api_version", settings.api_version},
                                {"phone_number_id", settings.phone_number_id},
                                {"template_prefix", settings.template_prefix},
                                {"timeout_seconds", settings.timeout_seconds},
                                {"max_per_minute", settings.max_per_minute}};
  const nlohmann::json secrets = {{"access_token", settings.access_token},
                                  {"app_secret", settings.app_secret},
                                  {"verify_token", settings.verify_token}};
  return SaveRow(database, tenant_id, "whatsapp_cloud", plain, secrets.dump(), &key, now, also);
}

Result<std::optional<WhatsappCloudSettings>> LoadWhatsappCloudSettings(Database& database, int64_t tenant_id,
                                                                       const SecretKey* key) {
  auto stored = LoadRow(database, tenant_id, "whatsapp_cloud", key);
  if (!stored) return Fail(stored.error());
  if (!*stored) return std::optional<WhatsappCloudSettings>();
  const nlohmann::json& plain = (*stored)->plain;
  WhatsappCloudSettings settings;
  settings.base_url = plain.value("base_url", settings.base_url);
  settings.api_version = plain.value("api_version", settings.api_version);
  settings.phone_number_id = plain.value("phone_number_id", "");
  settings.template_prefix = plain.value("template_prefix", settings.template_prefix);
  settings.timeout_seconds = plain.value("timeout_seconds", 30);
  settings.max_per_minute = plain.value("max_per_minute", 0);
  if (!(*stored)->secret.empty()) {
    const nlohmann::json secrets = nlohmann::json::parse((*stored)->secret, nullptr, false);
    if (!secrets.is_object()) return Fail(Error::Storage("the stored WhatsApp secrets are not valid JSON"));
    settings.access_token = secrets.value("access_token", "");
    settings.app_secret = secrets.value("app_secret", "");
    settings.verify_token = secrets.value("verify_token", "");
  }
  return std::optional<WhatsappCloudSettings>(std::move(settings));
}

bool IsPortalBaseUrl(std::string_view base_url) {
  std::string_view rest = base_url;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return false;
  }
  const std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty() || host.starts_with(':') || host.find('@') != std::string_view::npos) return false;
  return base_url.size() <= kPortalBaseUrlBytesMax && std::none_of(base_url.begin(), base_url.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte <= 0x20 || byte == 0x7f || c == '?' || c == '#' || c == '\\';
         });
}

Status SavePortalBaseUrl(Database& database, int64_t tenant_id, const std::string& base_url, Timestamp now,
                         const AlsoInTransaction& also) {
  if (!IsPortalBaseUrl(base_url)) {
    return Fail(Error::BadInput(
        fmt::format("--base-url: '{}' is not an http(s) URL (a host, no query or fragment)", base_url)));
  }
  std::string trimmed = base_url;
  while (trimmed.ends_with('/')) trimmed.pop_back();
  return SaveRow(database, tenant_id, "portal", {{"base_url", trimmed}}, "", nullptr, now, also);
}

Result<std::string> LoadPortalBaseUrl(Database& database, int64_t tenant_id) {
  auto stored = LoadRow(database, tenant_id, "portal", nullptr);
  if (!stored) return Fail(stored.error());
  return *stored ? (*stored)->plain.value("base_url", "") : std::string();
}

}  // namespace cartera::delivery
