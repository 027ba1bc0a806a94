#include "delivery/channel_settings.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"

namespace cartera::delivery {

Status SaveSmtpSettings(Database& database, int64_t tenant_id, const SmtpSettings& settings, const SecretKey& key,
                        Timestamp now) {
  const nlohmann::json plain = {{"host", settings.host},
                                {"port", settings.port},
                                {"security", std::string(SmtpSecurityName(settings.security))},
                                {"user", settings.user},
                                {"from_address", settings.from_address},
                                {"from_name", settings.from_name},
                                {"reply_to", settings.reply_to},
                                {"timeout_seconds", settings.timeout_seconds}};
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto remove = database.Prepare("DELETE FROM channel_settings WHERE tenant_id = ? AND channel = 'email'");
  if (!remove) return Fail(remove.error());
  (*remove)->BindInt64(1, tenant_id);
  if (auto ok = (*remove)->Run(); !ok) return ok;
  auto insert = database.Prepare(
      "INSERT INTO channel_settings (tenant_id, channel, settings, sealed_secret, updated_at) VALUES (?, 'email', ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, plain.dump());
  if (settings.password.empty()) {
    (*insert)->BindNull(3);
  } else {
    (*insert)->BindText(3, Seal(key, settings.password));
  }
  (*insert)->BindText(4, FormatUtc(now));
  if (auto ok = (*insert)->Run(); !ok) return ok;
  return transaction->Commit();
}

Result<std::optional<SmtpSettings>> LoadSmtpSettings(Database& database, int64_t tenant_id, const SecretKey* key) {
  auto query =
      database.Prepare("SELECT settings, sealed_secret FROM channel_settings WHERE tenant_id = ? AND channel = 'email'");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<SmtpSettings>();
  const nlohmann::json plain = nlohmann::json::parse((*query)->GetText(0), nullptr, false);
  if (!plain.is_object()) return Fail(Error::Storage("the stored email settings are not valid JSON"));
  SmtpSettings settings;
  settings.host = plain.value("host", "");
  settings.port = plain.value("port", 587);
  settings.security = ParseSmtpSecurity(plain.value("security", "starttls")).value_or(SmtpSecurity::kStartTls);
  settings.user = plain.value("user", "");
  settings.from_address = plain.value("from_address", "");
  settings.from_name = plain.value("from_name", "");
  settings.reply_to = plain.value("reply_to", "");
  settings.timeout_seconds = plain.value("timeout_seconds", 30);
  if (key != nullptr && !(*query)->IsNull(1)) {
    auto password = Unseal(*key, (*query)->GetText(1));
    if (!password) return Fail(password.error());
    settings.password = std::move(*password);
  }
  return std::optional<SmtpSettings>(std::move(settings));
}

Status SavePortalBaseUrl(Database& database, int64_t tenant_id, const std::string& base_url, Timestamp now) {
  if (!base_url.starts_with("https://") && !base_url.starts_with("http://")) {
    return Fail(Error::BadInput(fmt::format("--base-url: '{}' is not an http(s) URL", base_url)));
  }
  std::string trimmed = base_url;
  while (trimmed.ends_with('/')) trimmed.pop_back();
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto remove = database.Prepare("DELETE FROM channel_settings WHERE tenant_id = ? AND channel = 'portal'");
  if (!remove) return Fail(remove.error());
  (*remove)->BindInt64(1, tenant_id);
  if (auto ok = (*remove)->Run(); !ok) return ok;
  auto insert = database.Prepare(
      "INSERT INTO channel_settings (tenant_id, channel, settings, updated_at) VALUES (?, 'portal', ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, nlohmann::json({{"base_url", trimmed}}).dump());
  (*insert)->BindText(3, FormatUtc(now));
  if (auto ok = (*insert)->Run(); !ok) return ok;
  return transaction->Commit();
}

Result<std::string> LoadPortalBaseUrl(Database& database, int64_t tenant_id) {
  auto query = database.Prepare("SELECT settings FROM channel_settings WHERE tenant_id = ? AND channel = 'portal'");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::string();
  const nlohmann::json settings = nlohmann::json::parse((*query)->GetText(0), nullptr, false);
  return settings.is_object() ? settings.value("base_url", "") : std::string();
}

}  // namespace cartera::delivery
