// A tenant's channel configuration, stored in channel_settings: the plain
// fields as JSON, the secret (password, token) sealed with the secret key.
#pragma once

#include <functional>
#include <optional>

#include "core/clock.h"
#include "delivery/secret_box.h"
#include "delivery/smtp_sender.h"
#include "delivery/twilio_sender.h"
#include "delivery/whatsapp_cloud_sender.h"
#include "store/database.h"

namespace cartera::delivery {

// What else a save writes in its own transaction (the audit row of a change
// made through the API: delivery/channel_config.h); may be empty.
using AlsoInTransaction = std::function<Status(Database&)>;

Status SaveSmtpSettings(Database& database, int64_t tenant_id, const SmtpSettings& settings, const SecretKey& key,
                        Timestamp now, const AlsoInTransaction& also = nullptr);
// nullopt when email is not configured. `key` may be null when the caller
// does not need the password (it is then left empty).
Result<std::optional<SmtpSettings>> LoadSmtpSettings(Database& database, int64_t tenant_id, const SecretKey* key);

Status SaveTwilioSettings(Database& database, int64_t tenant_id, const TwilioSettings& settings, const SecretKey& key,
                          Timestamp now, const AlsoInTransaction& also = nullptr);
Result<std::optional<TwilioSettings>> LoadTwilioSettings(Database& database, int64_t tenant_id, const SecretKey* key);

// Both secrets (access token, app secret) are sealed together.
Status SaveWhatsappCloudSettings(Database& database, int64_t tenant_id, const WhatsappCloudSettings& settings,
                                 const SecretKey& key, Timestamp now, const AlsoInTransaction& also = nullptr);
Result<std::optional<WhatsappCloudSettings>> LoadWhatsappCloudSettings(Database& database, int64_t tenant_id,
                                                                       const SecretKey* key);

// The tenant's public base URL ("https://cobros.empresa.co"): payment and
// unsubscribe links are built on it. Empty when not set. Saved without its
// trailing slashes; kBadInput unless IsPortalBaseUrl.
Status SavePortalBaseUrl(Database& database, int64_t tenant_id, const std::string& base_url, Timestamp now,
                         const AlsoInTransaction& also = nullptr);
// An http(s) URL with a host and no query, fragment, spaces or control
// characters: what links can be built on.
bool IsPortalBaseUrl(std::string_view base_url);
inline constexpr size_t kPortalBaseUrlBytesMax = 2000;
Result<std::string> LoadPortalBaseUrl(Database& database, int64_t tenant_id);

}  // namespace cartera::delivery
