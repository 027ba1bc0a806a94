// The tenant's channels as an admin manages them through the API (and
// `cartera channel test`): what is configured without its secrets, a
// change that keeps a secret unless a new one is given (secrets are
// write-only), and one test message through the sender the worker uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "core/language.h"
#include "delivery/channel_settings.h"
#include "delivery/secret_box.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// "email" (SMTP), "twilio" (SMS and WhatsApp through Twilio), "whatsapp"
// (Meta's WhatsApp Cloud API).
bool IsConfigurableChannel(std::string_view channel);

// {"channel", "configured", "settings": {...} | null, "secrets": {"<name>":
// {"set": bool}}, "pause": {...} | null}: the settings without any secret,
// each secret only as set or not. kNotFound for a channel that is not one
// of the three. `key` opens the stored secrets (to say whether each is set).
Result<nlohmann::json> ChannelJson(Database& database, int64_t tenant_id, std::string_view channel,
                                   const SecretKey& key, Language language);

// A change of a channel's settings: the plain fields are all given (they
// replace what is stored); a secret left nullopt keeps the stored one, and
// must then be stored already. Checked like `cartera channel set-*`
// (addresses, E.164 numbers, http(s) base URLs, no empty WhatsApp app
// secret); kBadInput worded in audit.language with the field's name first
// ("from_address: ..."). One audit row (entity "channel", action "update",
// the plain settings before and after, never a secret; which secrets
// changed is named in "secrets_changed").
Status UpdateSmtpChannel(Database& database, int64_t tenant_id, SmtpSettings settings,
                         std::optional<std::string> password, const SecretKey& key, Timestamp now,
                         const AuditContext& audit);
Status UpdateTwilioChannel(Database& database, int64_t tenant_id, TwilioSettings settings,
                           std::optional<std::string> auth_token, const SecretKey& key, Timestamp now,
                           const AuditContext& audit);
struct WhatsappSecrets {
  std::optional<std::string> access_token, app_secret, verify_token;
};
Status UpdateWhatsappChannel(Database& database, int64_t tenant_id, WhatsappCloudSettings settings,
                             const WhatsappSecrets& secrets, const SecretKey& key, Timestamp now,
                             const AuditContext& audit);

struct TestMessageResult {
  std::string status;       // "sent" | "failed" | "unknown"
  std::string detail;       // the provider's words
  std::string provider_id;  // Twilio's SID or Meta's id, when sent
};

// Sends one short test message to `to` (an e-mail address for "email", an
// E.164 number otherwise) through the sender the delivery worker uses
// (SmtpSender, TwilioSender's SMS, WhatsappCloudSender's text), worded
// in `language`. Nothing is written: no outbox item, no contact point, no
// audit row (the audit log records changes; a test changes nothing).
// kBadInput ("to: ...") for a bad address or a channel not configured.
Result<TestMessageResult> SendTestMessage(Database& database, int64_t tenant_id, std::string_view channel,
                                          const std::string& to, const SecretKey& key, Timestamp now,
                                          Language language);

}  // namespace cartera::delivery
