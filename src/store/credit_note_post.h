// One credit note posted by Cartera itself, not imported: a dispute
// accepted, a discount or settlement earned, interest waived, a debt
// written off. The note is allocated to its invoice by the ledger's own
// rebalance and audited; its kind and origin are kept in its attributes
// ({"kind": "dispute", "source": "dispute:12"}), its external id is
// "CN-<source>", so the same origin can never post twice.
#pragma once

#include <cstdint>
#include <string>

#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// The kinds a posted credit note can have; codes stay stable in JSON.
inline constexpr const char* kCreditNoteKinds[] = {"dispute", "discount", "waiver", "settlement", "write_off"};

struct CreditNotePost {
  int64_t customer_id = 0;
  int64_t invoice_id = 0;
  Date date;
  Money amount = Money::Zero(*Currency::FromCode("USD"));  // the invoice's currency; 0 < amount <= its open amount
  std::string kind;    // one of kCreditNoteKinds
  std::string reason;  // what a person reads (statement, timeline)
  std::string source;  // unique per origin: "dispute:12", "offer:7:invoice:12"
};

// Posts the note in its own transaction, holding the tenant's ledger lock.
// Returns the note's id; the same `source` again returns the first note's
// id and changes nothing. Refusals (worded in audit.language): an unknown
// kind, an invoice of another customer or tenant (kNotFound), another
// currency, an amount that is not positive or above what is still owed.
Result<int64_t> PostCreditNote(Database& database, int64_t tenant_id, const CreditNotePost& note,
                               const AuditContext& audit);

// The same inside the caller's transaction. REQUIRES: the caller holds the
// tenant's ledger lock (LockTenantLedger) in an open transaction.
Result<int64_t> PostCreditNoteIn(Database& database, int64_t tenant_id, const CreditNotePost& note,
                                 const AuditContext& audit);

}  // namespace cartera
