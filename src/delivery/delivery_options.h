// What a delivery pass is told (tenant, limits, retries, links, letters)
// and what it reports; shared by the worker and the parts it is made of.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "delivery/secret_box.h"
#include "store/audit.h"

namespace cartera::delivery {

struct DeliveryOptions {
  int64_t tenant_id = 1;
  int64_t limit = 1000;            // items per pass
  int32_t max_attempts = 5;        // transient failures before `failed`
  std::chrono::seconds first_retry{60};  // doubles per attempt ...
  std::chrono::seconds max_retry{6 * 3600};  // ... up to this
  AuditContext audit;
  // With both, messages carry a payment link and a List-Unsubscribe link.
  std::string portal_base_url;
  const SecretKey* link_key = nullptr;
  std::chrono::days payment_link_valid{30};
  // Letters are printed, not sent: with a directory, each due letter is
  // written there as a PDF (one file per item) for printing and posting.
  std::string letters_dir;
  // Set (SIGTERM, a server stopping): the pass claims nothing more, lets
  // the sends in flight finish and record their answers, and returns, so
  // no item is left `sending`. Null: the pass runs to its limit.
  const std::atomic<bool>* stop = nullptr;
};

struct DeliveryStats {
  int64_t sent = 0;
  int64_t retrying = 0;   // transient failure, queued again
  int64_t failed = 0;     // permanent failure or out of attempts
  int64_t deferred = 0;   // a rule says later: queued with a new time
  int64_t blocked = 0;    // no consented address, or a rule forbids it
  int64_t unknown = 0;    // no answer after the message left: a person resolves it
  int64_t expired = 0;    // its stage was over before it could go
  bool email_paused = false;  // the server's refusals in a row paused email in this pass
};

// The wait before attempt `attempts + 1` after `attempts` transient failures.
std::chrono::seconds RetryDelay(const DeliveryOptions& options, int32_t attempts);

}  // namespace cartera::delivery
