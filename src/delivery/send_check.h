// The last word before a message leaves: is its stage still current, and
// does the debtor's rulebook allow it now, given what the contact history
// says was really sent (collection/contact_history.h)? The run asked the
// same rules when it planned the item; the worker asks again at the real
// send time, one debtor at a time.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "delivery/due_items.h"
#include "store/database.h"

namespace cartera::delivery {

enum class Verdict {
  kSend = 1,
  kDefer = 2,   // a rule says later: queued again for `retry_at`
  kBlock = 3,   // a rule forbids it and waiting does not help
  kExpire = 4,  // its stage is over (or will be before the law allows it)
};

struct SendCheck {
  Verdict verdict = Verdict::kSend;
  std::optional<Timestamp> retry_at;  // with kDefer
  std::string reason;                 // "code: sentence" for the outbox's last_error
};

Result<SendCheck> CheckBeforeSend(Database& database, int64_t tenant_id, const DueItem& item,
                                  const Recipient& recipient, Timestamp now);

}  // namespace cartera::delivery
