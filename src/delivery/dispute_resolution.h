// Resolving a dispute (issue 17), in one transaction with one audit trail:
//  - accepted: a credit note of kind "dispute" for the whole open amount of
//    the invoice or part of it (store/credit_note_post.h, source
//    "dispute:<id>"), allocated to the invoice at once;
//  - rejected: the invoice is collectible again and the debtor is told why
//    through the strategy's channel — one outbox message with the script
//    dispute_rejected, which the delivery worker sends like any other
//    (the rulebook checked again at the real send time, opt-outs, exactly
//    once). The channel is the one the strategy last reached the debtor by,
//    else the first of the active strategy's message channels the debtor
//    can be reached on, else e-mail, SMS, WhatsApp, letter. When the
//    debtor's rulebook forbids every such channel or no address is usable,
//    the dispute is still rejected and the reason it could not be told is
//    returned and audited (nothing is sent by a side door).
// Both emit the webhook event dispute.resolved with the outcome.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

struct DisputeDecision {
  std::string outcome;                       // accepted | rejected
  std::optional<std::string> credit_amount;  // accepted: a decimal in the invoice's currency; default its open amount
  std::string resolution;                    // rejected: why (required; the debtor reads it); accepted: optional note
};

struct DisputeResolved {
  int64_t dispute_id = 0;
  std::optional<int64_t> credit_note_id;  // accepted
  std::optional<int64_t> notice_id;       // rejected and queued: the outbox item
  std::string notice_channel;             // its channel
  std::string notice_refusal;             // rejected and not queued: why, worded in audit.language
};

// kNotFound: no such dispute in the tenant. kBadInput (audit.language), the
// field first: "outcome: ...", "credit_amount: ..." (not a decimal, zero,
// more than the invoice owes, the invoice owes nothing), "resolution: ..."
// (a rejection needs its reason), or the dispute is not open.
Result<DisputeResolved> ResolveDisputeWithOutcome(Database& database, int64_t tenant_id, int64_t dispute_id,
                                                  const DisputeDecision& decision, Timestamp now,
                                                  const AuditContext& audit);

}  // namespace cartera::delivery
