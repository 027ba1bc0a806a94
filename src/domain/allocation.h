// Allocation: which credits (payments and credit notes) pay which invoices.
//
// PlanRebalance is a pure function of one customer's ledger. It keeps every
// stored allocation that is still valid, drops those that a changed document
// made invalid, applies remaining credit (credits that name an invoice go to
// it first, credit notes before payments, then the oldest payment to the
// oldest-due invoice of the same currency) and reports the derived balances
// that changed. A credit note only ever lowers its own invoice; when it
// needs room that payments took there, those payments are released and
// become the customer's credit for other invoices (or stay unapplied). Re-running it on
// its own output plans nothing: rebalancing is idempotent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace cartera {

enum class CreditKind { kPayment = 1, kCreditNote = 2 };

struct LedgerInvoice {
  int64_t id = 0;
  std::string currency;
  Date issue_date;
  Date due_date;
  int64_t amount_minor = 0;
  // Stored derived values, compared against the plan to emit only changes.
  int64_t open_minor = 0;
  std::optional<Date> last_allocation_date;
};

struct LedgerCredit {
  CreditKind kind = CreditKind::kPayment;
  int64_t id = 0;
  std::string currency;
  Date date;
  std::optional<int64_t> invoice_id;  // the invoice it names, if any
  int64_t amount_minor = 0;
  int64_t unapplied_minor = 0;  // stored derived value
};

struct LedgerAllocation {
  int64_t id = 0;  // 0 for an allocation the plan creates
  int64_t invoice_id = 0;
  CreditKind credit_kind = CreditKind::kPayment;
  int64_t credit_id = 0;
  Date date;
  std::string currency;
  int64_t amount_minor = 0;
};

struct CustomerLedger {
  int64_t customer_id = 0;
  std::vector<LedgerInvoice> invoices;
  std::vector<LedgerCredit> credits;
  std::vector<LedgerAllocation> allocations;
};

struct InvoiceBalance {
  int64_t invoice_id = 0;
  int64_t open_minor = 0;
  std::optional<Date> last_allocation_date;
};

struct CreditBalance {
  CreditKind kind = CreditKind::kPayment;
  int64_t credit_id = 0;
  int64_t unapplied_minor = 0;
};

struct RebalancePlan {
  std::vector<LedgerAllocation> dropped;  // stored allocations to delete
  std::vector<LedgerAllocation> created;  // new allocations (id 0)
  std::vector<InvoiceBalance> invoice_changes;
  std::vector<CreditBalance> credit_changes;
  bool empty() const {
    return dropped.empty() && created.empty() && invoice_changes.empty() && credit_changes.empty();
  }
};

RebalancePlan PlanRebalance(const CustomerLedger& ledger);

}  // namespace cartera
