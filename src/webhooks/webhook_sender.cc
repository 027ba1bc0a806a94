#include "webhooks/webhook_sender.h"

#include <sodium.h>

#include <array>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"
#include "store/audit.h"
#include "store/retry.h"
#include "webhooks/webhook_endpoints.h"

namespace cartera::webhooks {
namespace {

std::string HmacHex(std::string_view secret, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  return std::string(hex.data(), crypto_auth_hmacsha256_BYTES * 2);
}

int64_t UnixSeconds(Timestamp at) { return at.time_since_epoch().count(); }

// A delivery this sender holds.
struct Claimed {
  int64_t tenant_id = 0, id = 0, endpoint_id = 0, attempts = 0;
  std::string event_id, payload;
};

// The claim: one statement, so it is atomic on both databases; the
// subquery picks the next due row, and on PostgreSQL skips rows another
// sender is claiming this instant instead of waiting for them.
std::string ClaimSql(Dialect dialect) {
  const std::string pick =
      "SELECT tenant_id, id FROM webhook_deliveries WHERE status = 'queued' AND next_attempt_at <= ? "
      "ORDER BY next_attempt_at, id LIMIT 1";
  return fmt::format(
      "UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1, attempted_at = ? WHERE {} AND "
      "status = 'queued' RETURNING tenant_id, id, endpoint_id, attempts, event_id, payload",
      dialect == Dialect::kPostgres ? fmt::format("(tenant_id, id) = ({} FOR UPDATE SKIP LOCKED)", pick)
                                    : fmt::format("id = (SELECT id FROM ({}) AS next)", pick));
}

Result<std::optional<Claimed>> ClaimNext(Database& database, const std::string& now) {
  auto claim = database.Prepare(ClaimSql(database.dialect()));
  if (!claim) return Fail(claim.error());
  (*claim)->BindText(1, now);
  (*claim)->BindText(2, now);
  auto row = (*claim)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Claimed>();
  const Statement& r = **claim;
  Claimed claimed{r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), std::string(r.GetText(4)),
                  std::string(r.GetText(5))};
  // Drain the statement so the change is done before the row is used.
  while (true) {
    auto more = (*claim)->Step();
    if (!more) return Fail(more.error());
    if (!*more) break;
  }
  return std::optional<Claimed>(std::move(claimed));
}

// What a person reads in last_error: short, one line, printable.
std::string Summarise(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte == 0x7f ? ' ' : c;
  }
  return out;
}

struct Endpoint {
  std::string url;
  Result<std::string> secret = Fail(Error::Internal("not loaded"));
};

Result<Endpoint> LoadEndpointForSend(Database& database, const delivery::SecretKey& key, int64_t tenant_id,
                                     int64_t endpoint_id) {
  auto select = database.Prepare("SELECT url, secret_sealed FROM webhook_endpoints WHERE tenant_id = ? AND id = ?");
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindInt64(2, endpoint_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  Endpoint endpoint;
  if (!*row) {
    endpoint.secret = Fail(Error::NotFound("the endpoint no longer exists"));
    return endpoint;
  }
  endpoint.url = std::string((*select)->GetText(0));
  endpoint.secret = delivery::Unseal(key, (*select)->GetText(1));
  return endpoint;
}

class Sender {
 public:
  Sender(Database& database, const delivery::SecretKey& key, const Clock& clock, delivery::HttpClient& http,
         const WebhookSendOptions& options)
      : database_(database), key_(key), clock_(clock), http_(http), options_(options) {}

  Result<WebhookSendStats> Run(const std::atomic<bool>& stop) {
    if (auto reclaimed = ReclaimStale(); !reclaimed) return Fail(reclaimed.error());
    for (int64_t done = 0; done < options_.limit && !stop.load(); ++done) {
      const std::string now = FormatUtc(clock_.Now());
      auto claimed = RetryTransient(RetryPolicy{}, RealSleep(), [&] { return ClaimNext(database_, now); });
      if (!claimed) return Fail(claimed.error());
      if (!*claimed) break;
      if (auto sent = Send(**claimed); !sent) return Fail(sent.error());
    }
    return stats_;
  }

 private:
  Status ReclaimStale() {
    const Timestamp now = clock_.Now();
    auto update = database_.Prepare(
        "UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = ?, last_error = 'interrupted: the sender "
        "stopped before an answer was recorded' WHERE status = 'sending' AND attempted_at < ?");
    if (!update) return Fail(update.error());
    auto ran = RetryTransient(RetryPolicy{}, RealSleep(), [&]() -> Status {
      (*update)->Reset();
      (*update)->BindText(1, FormatUtc(now));
      (*update)->BindText(2, FormatUtc(now - options_.stale_claim_after));
      return (*update)->Run();
    });
    if (!ran) return ran;
    stats_.reclaimed += (*update)->ChangedRows();
    return {};
  }

  Status Send(const Claimed& delivery) {
    auto endpoint = LoadEndpointForSend(database_, key_, delivery.tenant_id, delivery.endpoint_id);
    if (!endpoint) return Fail(endpoint.error());
    if (!endpoint->secret) {
      // Nothing to sign with (the secret key changed): a person must act.
      return Finish(delivery, "failed", "cannot open the endpoint's signing secret: " + endpoint->secret.error().message);
    }
    if (auto allowed = CheckEndpointUrl(endpoint->url, Language::kEnglish); !allowed) {
      return Finish(delivery, "failed", allowed.error().message);
    }
    const Timestamp signed_at = clock_.Now();
    delivery::HttpPost post;
    post.url = endpoint->url;
    post.content_type = "application/json";
    post.body = delivery.payload;
    post.timeout_seconds = options_.timeout_seconds;
    post.headers = {"Cartera-Signature: " + SignatureHeader(*endpoint->secret, signed_at, delivery.payload),
                    "Cartera-Event-Id: " + delivery.event_id, "User-Agent: Cartera-Webhooks/1"};
    const delivery::HttpAnswer answer = http_.Post(post);
    if (answer.reached && answer.status >= 200 && answer.status < 300) return Finish(delivery, "delivered", "");
    const std::string error = answer.reached ? Summarise(fmt::format("HTTP {}: {}", answer.status, answer.body))
                                             : Summarise("no answer: " + answer.error);
    if (delivery.attempts >= options_.attempts_max) return Finish(delivery, "failed", error);
    return Finish(delivery, "queued", error);
  }

  // Records the attempt's end, audited when the delivery is settled.
  Status Finish(const Claimed& delivery, std::string_view status, const std::string& error) {
    const Timestamp now = clock_.Now();
    const std::string at = FormatUtc(now);
    auto recorded = RetryTransient(RetryPolicy{}, RealSleep(), [&]() -> Status {
      auto transaction = Transaction::Begin(database_);
      if (!transaction) return Fail(transaction.error());
      auto update = database_.Prepare(
          status == "delivered"
              ? "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ?, last_error = NULL WHERE "
                "tenant_id = ? AND id = ? AND status = 'sending'"
          : status == "queued"
              ? "UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = ?, last_error = ? WHERE "
                "tenant_id = ? AND id = ? AND status = 'sending'"
              : "UPDATE webhook_deliveries SET status = 'failed', attempted_at = COALESCE(attempted_at, ?), "
                "last_error = ? WHERE tenant_id = ? AND id = ? AND status = 'sending'");
      if (!update) return Fail(update.error());
      int parameter = 1;
      (*update)->BindText(parameter++,
                          status == "queued" ? FormatUtc(now + WebhookRetryDelay(static_cast<int32_t>(delivery.attempts)))
                                             : at);
      if (status != "delivered") (*update)->BindText(parameter++, error);
      (*update)->BindInt64(parameter++, delivery.tenant_id);
      (*update)->BindInt64(parameter++, delivery.id);
      if (auto ok = (*update)->Run(); !ok) return ok;
      // 0 rows: the claim was taken back as stale meanwhile; the newer state stands.
      if ((*update)->ChangedRows() == 1 && status != "queued") {
        nlohmann::json after = {{"status", status}, {"attempts", delivery.attempts}, {"event_id", delivery.event_id}};
        if (!error.empty()) after["last_error"] = error;
        const AuditContext audit{options_.actor, at, "webhook delivery", Language::kEnglish};
        if (auto ok = WriteAudit(database_, delivery.tenant_id, audit, "webhook_delivery", delivery.id, "update",
                                 R"({"status":"sending"})", after.dump());
            !ok) {
          return ok;
        }
      }
      return transaction->Commit();
    });
    if (!recorded) return recorded;
    if (status == "delivered") ++stats_.delivered;
    if (status == "queued") ++stats_.retrying;
    if (status == "failed") ++stats_.failed;
    return {};
  }

  Database& database_;
  const delivery::SecretKey& key_;
  const Clock& clock_;
  delivery::HttpClient& http_;
  const WebhookSendOptions& options_;
  WebhookSendStats stats_;
};

}  // namespace

std::string SignatureHeader(std::string_view secret, Timestamp at, std::string_view payload) {
  const int64_t t = UnixSeconds(at);
  return fmt::format("t={},v1={}", t, HmacHex(secret, fmt::format("{}.{}", t, payload)));
}

bool VerifySignature(std::string_view secret, std::string_view header, std::string_view payload, Timestamp now,
                     std::chrono::seconds tolerance) {
  std::optional<int64_t> t;
  std::vector<std::string_view> signatures;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    const std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (part.starts_with("t=")) {
      int64_t value = 0;
      const std::string_view digits = part.substr(2);
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (error == std::errc() && end == digits.data() + digits.size()) t = value;
    } else if (part.starts_with("v1=")) {
      signatures.push_back(part.substr(3));
    }
  }
  if (!t) return false;
  const int64_t skew = UnixSeconds(now) - *t;
  if (skew > tolerance.count() || -skew > tolerance.count()) return false;
  const std::string expected = HmacHex(secret, fmt::format("{}.{}", *t, payload));
  for (std::string_view signature : signatures) {
    if (signature.size() == expected.size() &&
        sodium_memcmp(signature.data(), expected.data(), expected.size()) == 0) {
      return true;
    }
  }
  return false;
}

std::chrono::seconds WebhookRetryDelay(int32_t attempts) {
  using std::chrono::hours, std::chrono::minutes, std::chrono::seconds;
  static const std::array<seconds, 5> kDelays = {minutes(1), minutes(5), minutes(30), hours(2), hours(12)};
  if (attempts < 1) return kDelays[0];
  if (static_cast<size_t>(attempts) <= kDelays.size()) return kDelays[static_cast<size_t>(attempts) - 1];
  return hours(24);
}

Result<WebhookSendStats> DeliverWebhooks(Database& database, const delivery::SecretKey& key, const Clock& clock,
                                         delivery::HttpClient& http, const std::atomic<bool>& stop,
                                         const WebhookSendOptions& options) {
  Sender sender(database, key, clock, http, options);
  return sender.Run(stop);
}

}  // namespace cartera::webhooks
