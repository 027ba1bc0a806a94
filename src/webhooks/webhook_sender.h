// Sends the queued webhook deliveries of every tenant, signed like Stripe's:
//
//   Cartera-Signature: t=1763650800,v1=<hex HMAC-SHA256(secret, "1763650800.<body>")>
//   Cartera-Event-Id: evt_...
//   Content-Type: application/json
//
// A receiver recomputes v1 with its endpoint's secret ("whsec_...", the
// whole text is the HMAC key), compares in constant time and refuses a `t`
// far from its clock (replays); it deduplicates on Cartera-Event-Id.
//
// Exactly one sender has a delivery at a time: a claim is one conditional
// UPDATE (queued -> sending, one attempt more, attempted_at stamped) of a row
// picked with FOR UPDATE SKIP LOCKED on PostgreSQL, so several processes
// share the queue without waiting on each other and never post one delivery
// twice at once. 2xx: delivered. Anything else (no answer, 3xx, 4xx, 5xx):
// queued again after 1 min, 5 min, 30 min, 2 h, 12 h, then a day, and
// `failed` after kAttemptsMax attempts, for a person to replay.
//
// Unlike a message to a debtor (delivery/delivery_worker.h), a delivery
// found in `sending` long after its claim (its sender died mid-post) is
// queued again: the event id lets the receiver drop a second copy, so a
// retry is safe here where a second reminder to a debtor would not be.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "delivery/http_client.h"
#include "delivery/secret_box.h"
#include "store/database.h"

namespace cartera::webhooks {

inline constexpr int32_t kAttemptsMax = 8;

struct WebhookSendOptions {
  int64_t limit = 100;          // deliveries per pass
  int32_t attempts_max = kAttemptsMax;
  int timeout_seconds = 10;     // per POST
  // A claim older than this is a sender that died (far above the timeout,
  // so a live sender's claim is never taken from it).
  std::chrono::seconds stale_claim_after{300};
  std::string actor = "system:webhooks";  // in the audit log
};

struct WebhookSendStats {
  int64_t delivered = 0;
  int64_t retrying = 0;   // queued again for later
  int64_t failed = 0;     // out of attempts (or the secret cannot be opened)
  int64_t reclaimed = 0;  // stale claims queued again
};

// "t=<unix>,v1=<hex>" for `payload` signed at `at`.
std::string SignatureHeader(std::string_view secret, Timestamp at, std::string_view payload);
// True when `header` has a v1 that matches `payload` under `secret` and its
// t is within `tolerance` of `now` (what a receiver does; for tests and docs).
bool VerifySignature(std::string_view secret, std::string_view header, std::string_view payload, Timestamp now,
                     std::chrono::seconds tolerance = std::chrono::minutes(5));

// The wait before the next attempt after `attempts` failed ones (1 -> 1 min).
std::chrono::seconds WebhookRetryDelay(int32_t attempts);

// One pass: queues stale claims again, then claims and posts due deliveries
// one at a time until none is due, `limit` is reached or `stop` is set (the
// post in flight finishes and is recorded first: nothing is left `sending`).
Result<WebhookSendStats> DeliverWebhooks(Database& database, const delivery::SecretKey& key, const Clock& clock,
                                         delivery::HttpClient& http, const std::atomic<bool>& stop,
                                         const WebhookSendOptions& options = {});

}  // namespace cartera::webhooks
