// Delivery as a use case: what `cartera deliver` and `cartera serve` both
// call. TenantDelivery is one tenant's worker (its channels, pacers and
// sender lanes, under the tenant's worker lock); AllTenantsDelivery is the
// server's pass over every tenant that has something to deliver with; and
// ResolveUnknownItem is a person settling an item whose fate is unknown.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "delivery/delivery_options.h"
#include "delivery/delivery_worker.h"
#include "delivery/secret_box.h"
#include "delivery/worker_lock.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// What a person tells the worker (`cartera deliver` options, server flags).
struct TenantDeliveryOptions {
  int64_t limit = 1000;            // items per pass
  int32_t max_attempts = 5;        // transient failures before `failed`
  int connections = 4;             // messages in flight at once (one lane each)
  std::string letters_dir;         // empty: letters wait
  AuditContext audit;              // actor and source; `at` is stamped per change
};

// A tenant's per-minute limits, kept across passes and across the
// TenantDelivery objects of one process (the server makes one per pass), so
// a pass every few seconds still keeps the limit per minute. A pacer is
// made again when the tenant's limit changes.
class TenantPacers {
 public:
  Pacer* Email(int per_minute) { return Get(email_, per_minute); }
  Pacer* Sms(int per_minute) { return Get(sms_, per_minute); }
  Pacer* Whatsapp(int per_minute) { return Get(whatsapp_, per_minute); }

 private:
  struct Slot {
    int per_minute = 0;
    std::unique_ptr<Pacer> pacer;
  };
  static Pacer* Get(Slot& slot, int per_minute) {
    if (!slot.pacer || slot.per_minute != per_minute) {
      slot.pacer = std::make_unique<Pacer>(per_minute);
      slot.per_minute = per_minute;
    }
    return slot.pacer.get();
  }
  Slot email_, sms_, whatsapp_;
};

class TenantDelivery {
 public:
  enum class IfLockHeld {
    kFail,  // kConflict, worded in options.audit.language (`cartera deliver`)
    kSkip,  // Open returns nullptr (the server: another process has the tenant)
  };

  // Loads the tenant's channel settings (secrets unsealed with `key`),
  // takes the tenant's worker lock, turns the items a dead worker left
  // `sending` into `unknown` (interrupted() says how many), and opens one
  // sender lane per connection. kBadInput when no channel is configured and
  // no letters directory is given. The lock is held until the object is
  // destroyed. `pacers` may be null (the object keeps its own); otherwise it
  // outlives the object.
  // REQUIRES: `database` outlives the object.
  static Result<std::unique_ptr<TenantDelivery>> Open(Database& database, const std::string& database_url,
                                                      int64_t tenant_id, const SecretKey& key,
                                                      const TenantDeliveryOptions& options, IfLockHeld if_held,
                                                      Timestamp now, TenantPacers* pacers = nullptr);

  // One pass over the items due at clock.Now(). With `stop` set during the
  // pass, no item more is claimed and those in flight finish first.
  Result<DeliveryStats> Pass(const Clock& clock, const std::atomic<bool>* stop = nullptr);

  int64_t tenant_id() const { return tenant_id_; }
  // Items found `sending` when the lock was taken, now `unknown`.
  int64_t interrupted() const { return interrupted_; }

  TenantDelivery(const TenantDelivery&) = delete;
  TenantDelivery& operator=(const TenantDelivery&) = delete;

 private:
  TenantDelivery(Database& database, int64_t tenant_id) : database_(database), tenant_id_(tenant_id) {}

  Database& database_;
  int64_t tenant_id_;
  SecretKey key_{};
  std::unique_ptr<WorkerLock> lock_;
  std::optional<SmtpSettings> smtp_;
  std::optional<TwilioSettings> twilio_;
  std::optional<WhatsappCloudSettings> whatsapp_;
  TenantPacers own_pacers_;
  DeliveryOptions options_;
  Senders senders_;
  int64_t interrupted_ = 0;
};

// What one server pass did over all tenants.
struct AllTenantsStats {
  DeliveryStats total;
  int64_t tenants_delivered = 0;    // a pass ran under the tenant's lock
  int64_t tenants_held_elsewhere = 0;  // another process had the lock: skipped
  int64_t interrupted = 0;          // items found `sending` (now `unknown`)
  // A tenant whose pass failed (a secret that no longer opens, a channel
  // misconfigured) does not stop the others; each is said here.
  struct TenantFailure {
    int64_t tenant_id = 0;
    Error error;
  };
  std::vector<TenantFailure> failures;
};

// The server's delivery worker: each pass walks every tenant with a channel
// configured (every tenant when letters are printed), takes its lock without
// waiting, delivers one pass and lets the lock go, so several processes on
// one PostgreSQL split the tenants and never send an item twice (see
// worker_lock.h). The pacers outlive passes (one per tenant).
class AllTenantsDelivery {
 public:
  AllTenantsDelivery(std::string database_url, const SecretKey& key, TenantDeliveryOptions options)
      : database_url_(std::move(database_url)), key_(key), options_(std::move(options)) {}

  // Checks `stop` before each tenant and between items; returns early when set.
  // Errors of the database itself (listing the tenants) fail the pass.
  Result<AllTenantsStats> Pass(Database& database, const Clock& clock, const std::atomic<bool>& stop);

 private:
  std::string database_url_;
  SecretKey key_;
  TenantDeliveryOptions options_;
  std::map<int64_t, TenantPacers> pacers_;
};

// The tenants with a message channel configured (email, Twilio, WhatsApp
// Cloud), in id order.
Result<std::vector<int64_t>> TenantsWithChannels(Database& database);

// How a person settles an item in status `unknown`.
enum class Resolution {
  kSent = 1,    // it arrived: `sent` now
  kResend = 2,  // it did not: `queued` again, due now
};

// In its own transaction, audited. kNotFound for an id that is not one of
// the tenant's outbox items; kConflict when the item is not `unknown`;
// messages worded in audit.language.
Status ResolveUnknownItem(Database& database, int64_t tenant_id, int64_t item_id, Resolution resolution,
                          const AuditContext& audit);

}  // namespace cartera::delivery
