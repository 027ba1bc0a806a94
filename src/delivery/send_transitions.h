// The send state machine of an outbox item, one owner for every status
// write the worker makes:
//   queued --Claim--> sending --Finish--> sent | failed | unknown
//   queued --Finish--> blocked | expired | failed (before any send)
//   queued|sending --Requeue--> queued (later: a rule, a transient failure)
// Every write names the status it expects (DueItem::expected_status), so a
// stale worker can never overwrite a newer state; each change is audited.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "delivery/delivery_options.h"
#include "delivery/due_items.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

class SendTransitions {
 public:
  SendTransitions(Database& database, const DeliveryOptions& options, const Clock& clock)
      : database_(database), options_(options), clock_(clock) {}

  // Marks the item `sending` (one attempt more, the claim time kept as the
  // contact's instant) in its own committed transaction. false: another
  // worker took it.
  Result<bool> Claim(DueItem& item, const std::string& address, const std::string& message_id, Timestamp now);
  // The same inside the caller's transaction.
  Result<bool> ClaimIn(DueItem& item, const std::string& address, const std::string& message_id, Timestamp now);
  // Sets a final status and ends the current attempt (own transaction / the caller's).
  Status Finish(const DueItem& item, std::string_view status, const std::string& message_id, const std::string& detail,
                const std::string& recipient);
  Status WriteFinish(const DueItem& item, std::string_view status, const std::string& message_id,
                     const std::string& detail, const std::string& recipient);
  // Back to `queued` for `at` (own transaction / the caller's); `attempted`
  // ends the current attempt as transient.
  Status Requeue(const DueItem& item, Timestamp at, const std::string& detail, bool attempted);
  Status WriteRequeue(const DueItem& item, Timestamp at, const std::string& detail, bool attempted);
  // The address refused for good: not used again until someone fixes it.
  Status WriteAddressBad(const DueItem& item, const std::string& address, const std::string& detail);
  // The pass's audit context, stamped with the clock's now.
  AuditContext Stamped() const;

 private:
  Status EndAttempt(const DueItem& item, std::string_view status, const std::string& message_id,
                    const std::string& detail, const std::string& now);

  Database& database_;
  const DeliveryOptions& options_;
  const Clock& clock_;
};

// Items left in `sending` by a worker that died become `unknown`. Returns
// how many. REQUIRES: no other delivery worker of the tenant is running.
Result<int64_t> MarkInterruptedUnknown(Database& database, const DeliveryOptions& options, Timestamp now);

}  // namespace cartera::delivery
