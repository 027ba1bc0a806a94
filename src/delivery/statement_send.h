// "Send the statement now": a person asks for a customer's account
// statement to go out by e-mail today, outside the strategy's schedule.
//
// The request becomes an ordinary outbox item (channel email, strategy
// "manual", stage "statement_now"), so the delivery worker sends it with
// everything other messages get: the rulebook checked again at the real
// send time (hours, caps, channels the debtor authorised), an opt-out since
// the request wins, exactly-once sending, the statement PDF attached
// (payload attach_statement, delivery/message_composer.cc) and the portal
// link. There is no script of its own yet: the body is the gentlest
// shipped (or tenant) script for what the account holds on the day —
// overdue_1 when an invoice is past due, else due_today, else before_due —
// in the cordial tone, listing the invoices and the total, with the portal
// link; the PDF carries the whole statement.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// Queues the e-mail and audits it (entity "message", action "create");
// returns the outbox item's id. Refusals, worded in audit.language:
//  - kNotFound: the tenant has no such customer;
//  - kBadInput: no usable e-mail address with consent (none on file,
//    revoked, bounced or opted out), nothing open and undisputed to state,
//    or the debtor's rulebook forbids e-mail to them (waiting would not
//    help). A rule that only says "later" (quiet hours, a cap) does not
//    refuse: the worker sends when the law allows.
// REQUIRES: the caller has checked the collector rule.
Result<int64_t> QueueStatementEmail(Database& database, int64_t tenant_id, std::string_view customer_external_id,
                                    Timestamp now, const AuditContext& audit);

}  // namespace cartera::delivery
