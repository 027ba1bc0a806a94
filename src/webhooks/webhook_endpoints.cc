#include "webhooks/webhook_endpoints.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/text_check.h"
#include "webhooks/webhook_events.h"

namespace cartera::webhooks {
namespace {

constexpr const char* kEndpointColumns = "id, tenant_id, url, events, description, created_at, disabled_at";
constexpr const char* kDeliveryColumns =
    "id, tenant_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at, attempted_at, "
    "delivered_at, last_error";

WebhookEndpoint ReadEndpoint(const Statement& row) {
  WebhookEndpoint endpoint;
  endpoint.id = row.GetInt64(0);
  endpoint.tenant_id = row.GetInt64(1);
  endpoint.url = std::string(row.GetText(2));
  const auto events = nlohmann::json::parse(row.GetText(3), nullptr, false);
  if (events.is_array()) {
    for (const auto& event : events) {
      if (event.is_string()) endpoint.events.push_back(event.get<std::string>());
    }
  }
  endpoint.description = row.GetOptionalText(4).value_or("");
  endpoint.created_at = std::string(row.GetText(5));
  endpoint.disabled_at = row.GetOptionalText(6);
  return endpoint;
}

WebhookDelivery ReadDelivery(const Statement& row) {
  WebhookDelivery delivery;
  delivery.id = row.GetInt64(0);
  delivery.tenant_id = row.GetInt64(1);
  delivery.endpoint_id = row.GetInt64(2);
  delivery.event_id = std::string(row.GetText(3));
  delivery.event_type = std::string(row.GetText(4));
  delivery.status = std::string(row.GetText(5));
  delivery.attempts = row.GetInt64(6);
  delivery.next_attempt_at = std::string(row.GetText(7));
  delivery.created_at = std::string(row.GetText(8));
  delivery.attempted_at = row.GetOptionalText(9);
  delivery.delivered_at = row.GetOptionalText(10);
  delivery.last_error = row.GetOptionalText(11);
  return delivery;
}

Result<WebhookEndpoint> LoadEndpoint(Database& database, int64_t tenant_id, int64_t endpoint_id, Language language) {
  auto select =
      database.Prepare(fmt::format("SELECT {} FROM webhook_endpoints WHERE tenant_id = ? AND id = ?", kEndpointColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindInt64(2, endpoint_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(language, "no hay ningún endpoint de webhook con id {}",
                                         "no webhook endpoint with id {}", endpoint_id)));
  }
  return ReadEndpoint(**select);
}

Result<WebhookDelivery> LoadDelivery(Database& database, int64_t tenant_id, int64_t delivery_id, Language language) {
  auto select = database.Prepare(
      fmt::format("SELECT {} FROM webhook_deliveries WHERE tenant_id = ? AND id = ?", kDeliveryColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindInt64(2, delivery_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(language, "no hay ninguna entrega de webhook con id {}",
                                         "no webhook delivery with id {}", delivery_id)));
  }
  return ReadDelivery(**select);
}

std::string NewSigningSecret() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  char text[sodium_base64_ENCODED_LEN(sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof(text), bytes, sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string("whsec_") + text;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

Status CheckEndpointUrl(std::string_view url, Language language) {
  auto refuse = [&](std::string_view spanish, std::string_view english) -> Status {
    return Fail(Error::BadInput(
        TrFormat(language, "url: {}", "url: {}", Tr(language, spanish, english))));
  };
  if (url.empty() || url.size() > kUrlLengthMax) {
    return refuse("entre 1 y 2048 caracteres", "between 1 and 2048 characters");
  }
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return refuse("sin espacios ni caracteres de control o no ASCII", "no spaces, control or non-ASCII characters");
    }
  }
  const std::string lower = ToLower(url);
  const bool https = lower.starts_with("https://");
  const bool http = lower.starts_with("http://");
  if (!https && !http) return refuse("debe empezar por https://", "must start with https://");
  std::string_view rest = std::string_view(url).substr(https ? 8 : 7);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return refuse("sin usuario ni contraseña en la dirección", "no user or password in the address");
  }
  std::string host;
  if (authority.starts_with("[")) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return refuse("dirección IPv6 sin cerrar", "unclosed IPv6 address");
    host = ToLower(authority.substr(0, close + 1));
  } else {
    host = ToLower(authority.substr(0, authority.find(':')));
  }
  if (host.empty()) return refuse("falta el servidor", "the host is missing");
  if (http && host != "127.0.0.1" && host != "localhost" && host != "[::1]") {
    return refuse("debe empezar por https:// (http:// solo hacia esta máquina: 127.0.0.1 o localhost)",
                  "must start with https:// (http:// only to this machine: 127.0.0.1 or localhost)");
  }
  return {};
}

Result<RegisteredEndpoint> RegisterEndpoint(Database& database, int64_t tenant_id, const std::string& url,
                                            const std::vector<std::string>& events, const std::string& description,
                                            const delivery::SecretKey& key, const AuditContext& audit) {
  if (auto ok = CheckEndpointUrl(url, audit.language); !ok) return Fail(ok.error());
  std::vector<std::string> subscribed;
  for (const std::string& event : events) {
    if (auto known = CheckEventType(event, audit.language); !known) return Fail(known.error());
    if (std::find(subscribed.begin(), subscribed.end(), event) == subscribed.end()) subscribed.push_back(event);
  }
  if (subscribed.empty()) {
    return Fail(Error::BadInput(std::string(
        Tr(audit.language, "eventos: indique al menos uno", "events: name at least one"))));
  }
  if (description.size() > kDescriptionLengthMax) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "descripción: como máximo 200 caracteres",
                                               "description: at most 200 characters"))));
  }
  if (auto problem = FindTextProblem(description)) {
    return Fail(Error::BadInput(TrFormat(audit.language, "descripción: {}", "description: {}",
                                         DescribeTextProblem(*problem, audit.language))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto count = database.QueryInt64(fmt::format(
      "SELECT COUNT(*) FROM webhook_endpoints WHERE tenant_id = {} AND disabled_at IS NULL", tenant_id));
  if (!count) return Fail(count.error());
  if (count->value_or(0) >= kEndpointsPerTenantMax) {
    return Fail(Error::Conflict(TrFormat(audit.language, "ya hay {} endpoints activos, el máximo; quite uno antes",
                                         "there are already {} active endpoints, the most there may be; remove one first",
                                         kEndpointsPerTenantMax)));
  }
  RegisteredEndpoint registered;
  registered.secret = NewSigningSecret();
  const std::string sealed = delivery::Seal(key, registered.secret);
  auto insert = database.Prepare(
      "INSERT INTO webhook_endpoints (tenant_id, url, events, secret_sealed, description, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, url);
  (*insert)->BindText(3, nlohmann::json(subscribed).dump());
  (*insert)->BindText(4, sealed);
  description.empty() ? (*insert)->BindNull(5) : (*insert)->BindText(5, description);
  (*insert)->BindText(6, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  // The sealed secret has a fresh random nonce: it names the new row.
  auto select = database.Prepare(fmt::format(
      "SELECT {} FROM webhook_endpoints WHERE tenant_id = ? AND secret_sealed = ?", kEndpointColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindText(2, sealed);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal("the webhook endpoint just registered is missing"));
  registered.endpoint = ReadEndpoint(**select);
  select->reset();
  if (auto ok = WriteAudit(database, tenant_id, audit, "webhook_endpoint", registered.endpoint.id, "create", "",
                           WebhookEndpointJson(registered.endpoint).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return registered;
}

Result<std::vector<WebhookEndpoint>> ListEndpoints(Database& database, int64_t tenant_id) {
  auto select = database.Prepare(
      fmt::format("SELECT {} FROM webhook_endpoints WHERE tenant_id = ? ORDER BY id", kEndpointColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  std::vector<WebhookEndpoint> endpoints;
  while (true) {
    auto row = (*select)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    endpoints.push_back(ReadEndpoint(**select));
  }
  return endpoints;
}

Result<WebhookEndpoint> DisableEndpoint(Database& database, int64_t tenant_id, int64_t endpoint_id,
                                        const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadEndpoint(database, tenant_id, endpoint_id, audit.language);
  if (!before) return Fail(before.error());
  if (before->disabled_at) return *before;
  auto update = database.Prepare(
      "UPDATE webhook_endpoints SET disabled_at = ? WHERE tenant_id = ? AND id = ? AND disabled_at IS NULL");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, audit.at);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, endpoint_id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  // What waits for it will never go. One in flight finishes and is recorded.
  auto cancel = database.Prepare(
      "UPDATE webhook_deliveries SET status = 'cancelled', last_error = 'endpoint removed' WHERE tenant_id = ? AND "
      "endpoint_id = ? AND status = 'queued'");
  if (!cancel) return Fail(cancel.error());
  (*cancel)->BindInt64(1, tenant_id);
  (*cancel)->BindInt64(2, endpoint_id);
  if (auto ok = (*cancel)->Run(); !ok) return Fail(ok.error());
  WebhookEndpoint after = *before;
  after.disabled_at = audit.at;
  nlohmann::json after_json = WebhookEndpointJson(after);
  after_json["deliveries_cancelled"] = (*cancel)->ChangedRows();
  if (auto ok = WriteAudit(database, tenant_id, audit, "webhook_endpoint", endpoint_id, "update",
                           WebhookEndpointJson(*before).dump(), after_json.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return after;
}

Result<std::string> EndpointSecret(Database& database, int64_t tenant_id, int64_t endpoint_id,
                                   const delivery::SecretKey& key) {
  auto select = database.Prepare("SELECT secret_sealed FROM webhook_endpoints WHERE tenant_id = ? AND id = ?");
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindInt64(2, endpoint_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no webhook endpoint with id {}", endpoint_id)));
  return delivery::Unseal(key, (*select)->GetText(0));
}

nlohmann::json WebhookEndpointJson(const WebhookEndpoint& endpoint) {
  nlohmann::json json;
  json["id"] = endpoint.id;
  json["url"] = endpoint.url;
  json["events"] = endpoint.events;
  json["description"] = endpoint.description;
  json["status"] = endpoint.disabled_at ? "disabled" : "enabled";
  json["created_at"] = endpoint.created_at;
  json["disabled_at"] = endpoint.disabled_at ? nlohmann::json(*endpoint.disabled_at) : nlohmann::json(nullptr);
  return json;
}

Result<std::vector<WebhookDelivery>> ListDeliveries(Database& database, int64_t tenant_id,
                                                    const DeliveryFilter& filter, Language language) {
  if (filter.status &&
      std::find(kDeliveryStatuses.begin(), kDeliveryStatuses.end(), *filter.status) == kDeliveryStatuses.end()) {
    return Fail(Error::BadInput(TrFormat(language, "estado: '{}' no es queued, sending, delivered, failed ni cancelled",
                                         "status: '{}' is not queued, sending, delivered, failed or cancelled",
                                         *filter.status)));
  }
  if (filter.limit < 1 || filter.limit > 1000) {
    return Fail(Error::BadInput(std::string(Tr(language, "límite: entre 1 y 1000", "limit: between 1 and 1000"))));
  }
  std::string sql = fmt::format("SELECT {} FROM webhook_deliveries WHERE tenant_id = ?", kDeliveryColumns);
  if (filter.endpoint_id) sql += " AND endpoint_id = ?";
  if (filter.status) sql += " AND status = ?";
  sql += fmt::format(" ORDER BY created_at DESC, id DESC LIMIT {}", filter.limit);
  auto select = database.Prepare(sql);
  if (!select) return Fail(select.error());
  int parameter = 1;
  (*select)->BindInt64(parameter++, tenant_id);
  if (filter.endpoint_id) (*select)->BindInt64(parameter++, *filter.endpoint_id);
  if (filter.status) (*select)->BindText(parameter++, *filter.status);
  std::vector<WebhookDelivery> deliveries;
  while (true) {
    auto row = (*select)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    deliveries.push_back(ReadDelivery(**select));
  }
  return deliveries;
}

Result<WebhookDelivery> ReplayDelivery(Database& database, int64_t tenant_id, int64_t delivery_id,
                                       const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadDelivery(database, tenant_id, delivery_id, audit.language);
  if (!before) return Fail(before.error());
  if (before->status != "failed" && before->status != "delivered") {
    return Fail(Error::Conflict(TrFormat(audit.language,
                                         "la entrega {} está '{}': solo se repite una 'failed' o 'delivered'",
                                         "delivery {} is '{}': only a 'failed' or 'delivered' one is replayed",
                                         delivery_id, before->status)));
  }
  auto endpoint = LoadEndpoint(database, tenant_id, before->endpoint_id, audit.language);
  if (!endpoint) return Fail(endpoint.error());
  if (endpoint->disabled_at) {
    return Fail(Error::Conflict(TrFormat(audit.language, "el endpoint {} fue quitado: la entrega no se repite",
                                         "endpoint {} was removed: the delivery is not replayed", endpoint->id)));
  }
  auto update = database.Prepare(
      "UPDATE webhook_deliveries SET status = 'queued', attempts = 0, next_attempt_at = ?, last_error = NULL "
      "WHERE tenant_id = ? AND id = ? AND status = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, audit.at);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, delivery_id);
  (*update)->BindText(4, before->status);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  if ((*update)->ChangedRows() != 1) {
    return Fail(Error::Conflict(TrFormat(audit.language, "la entrega {} cambió mientras tanto; inténtelo de nuevo",
                                         "delivery {} changed meanwhile; try again", delivery_id)));
  }
  auto after = LoadDelivery(database, tenant_id, delivery_id, audit.language);
  if (!after) return Fail(after.error());
  nlohmann::json after_json = WebhookDeliveryJson(*after);
  after_json["replayed"] = true;
  if (auto ok = WriteAudit(database, tenant_id, audit, "webhook_delivery", delivery_id, "update",
                           WebhookDeliveryJson(*before).dump(), after_json.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *after;
}

nlohmann::json WebhookDeliveryJson(const WebhookDelivery& delivery) {
  auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  nlohmann::json json;
  json["id"] = delivery.id;
  json["endpoint_id"] = delivery.endpoint_id;
  json["event_id"] = delivery.event_id;
  json["event_type"] = delivery.event_type;
  json["status"] = delivery.status;
  json["attempts"] = delivery.attempts;
  json["next_attempt_at"] = delivery.next_attempt_at;
  json["attempted_at"] = optional(delivery.attempted_at);
  json["delivered_at"] = optional(delivery.delivered_at);
  json["last_error"] = optional(delivery.last_error);
  json["created_at"] = delivery.created_at;
  return json;
}

}  // namespace cartera::webhooks
