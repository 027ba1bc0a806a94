#include "domain/allocation.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace cartera {
namespace {

using CreditKey = std::pair<CreditKind, int64_t>;

struct CreditState {
  const LedgerCredit* credit;
  int64_t unapplied;
};

struct InvoiceState {
  const LedgerInvoice* invoice;
  int64_t open;
  std::optional<Date> last_allocation_date;
};

Date AllocationDate(const LedgerCredit& credit, const LedgerInvoice& invoice) {
  return std::max(credit.date, invoice.issue_date);
}

// A credit note lowers its own invoice and nothing else: its excess is
// never money the customer paid, so it may not settle other invoices.
bool PaysAnotherInvoice(const LedgerCredit& credit, int64_t invoice_id) {
  return credit.kind == CreditKind::kCreditNote && credit.invoice_id && *credit.invoice_id != invoice_id;
}

}  // namespace

RebalancePlan PlanRebalance(const CustomerLedger& ledger) {
  RebalancePlan plan;
  std::unordered_map<int64_t, InvoiceState> invoices;
  for (const LedgerInvoice& invoice : ledger.invoices) invoices[invoice.id] = {&invoice, invoice.amount_minor, {}};
  std::map<CreditKey, CreditState> credits;
  for (const LedgerCredit& credit : ledger.credits) credits[{credit.kind, credit.id}] = {&credit, credit.amount_minor};

  // 1. An allocation stays only while it still fits its documents: both
  // exist, currencies agree and the date still follows from the documents.
  std::vector<const LedgerAllocation*> kept;
  for (const LedgerAllocation& allocation : ledger.allocations) {
    auto invoice = invoices.find(allocation.invoice_id);
    auto credit = credits.find({allocation.credit_kind, allocation.credit_id});
    bool valid = invoice != invoices.end() && credit != credits.end() &&
                 invoice->second.invoice->currency == allocation.currency &&
                 credit->second.credit->currency == allocation.currency &&
                 AllocationDate(*credit->second.credit, *invoice->second.invoice) == allocation.date &&
                 !PaysAnotherInvoice(*credit->second.credit, allocation.invoice_id);
    if (valid) {
      kept.push_back(&allocation);
    } else {
      plan.dropped.push_back(allocation);
    }
  }
  // Sums may no longer fit after an amount was lowered: then every
  // allocation of the over-applied credit or invoice is released.
  std::map<CreditKey, int64_t> credit_applied;
  std::unordered_map<int64_t, int64_t> invoice_applied;
  for (const LedgerAllocation* allocation : kept) {
    credit_applied[{allocation->credit_kind, allocation->credit_id}] += allocation->amount_minor;
    invoice_applied[allocation->invoice_id] += allocation->amount_minor;
  }
  std::vector<const LedgerAllocation*> still_kept;
  for (const LedgerAllocation* allocation : kept) {
    const CreditKey key{allocation->credit_kind, allocation->credit_id};
    if (credit_applied[key] > credits[key].credit->amount_minor ||
        invoice_applied[allocation->invoice_id] > invoices[allocation->invoice_id].invoice->amount_minor) {
      plan.dropped.push_back(*allocation);
    } else {
      still_kept.push_back(allocation);
    }
  }
  // A credit that names an invoice must pay it before anything else; if it
  // pays other invoices while its own is still open, it was re-pointed at a
  // new invoice since: release its allocations and apply it afresh.
  std::map<CreditKey, bool> repointed;
  {
    std::unordered_map<int64_t, int64_t> open_after_kept;
    for (const auto& [id, state] : invoices) open_after_kept[id] = state.invoice->amount_minor;
    std::map<CreditKey, std::vector<const LedgerAllocation*>> by_credit;
    for (const LedgerAllocation* allocation : still_kept) {
      open_after_kept[allocation->invoice_id] -= allocation->amount_minor;
      by_credit[{allocation->credit_kind, allocation->credit_id}].push_back(allocation);
    }
    // Releasing one credit can reopen the invoice another credit names, so
    // repeat until nothing more is released. A named invoice in another
    // currency can never be paid by the credit and does not count.
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [key, allocations] : by_credit) {
        const LedgerCredit& credit = *credits[key].credit;
        if (repointed.count(key) != 0 || !credit.invoice_id) continue;
        auto named = invoices.find(*credit.invoice_id);
        if (named == invoices.end() || named->second.invoice->currency != credit.currency ||
            open_after_kept[*credit.invoice_id] <= 0) {
          continue;
        }
        const bool pays_elsewhere = std::any_of(allocations.begin(), allocations.end(), [&](const auto* allocation) {
          return allocation->invoice_id != *credit.invoice_id;
        });
        if (!pays_elsewhere) continue;
        repointed[key] = true;
        for (const LedgerAllocation* allocation : allocations) {
          open_after_kept[allocation->invoice_id] += allocation->amount_minor;
        }
        changed = true;
      }
    }
  }
  // A credit note comes before payments on its invoice: when the invoice's
  // own credit notes need room that other credits took, those are
  // released, and go on as the customer's credit (to other invoices, or
  // unapplied: a balance in the customer's favour).
  auto is_own_credit_note = [&](const LedgerAllocation& allocation) {
    if (allocation.credit_kind != CreditKind::kCreditNote) return false;
    const LedgerCredit& credit = *credits[{allocation.credit_kind, allocation.credit_id}].credit;
    return credit.invoice_id && *credit.invoice_id == allocation.invoice_id;
  };
  std::unordered_map<int64_t, bool> others_released;
  {
    std::unordered_map<int64_t, int64_t> credit_note_need, room;
    for (const auto& [key, state] : credits) {
      const LedgerCredit& credit = *state.credit;
      if (credit.kind != CreditKind::kCreditNote || !credit.invoice_id) continue;
      auto named = invoices.find(*credit.invoice_id);
      if (named == invoices.end() || named->second.invoice->currency != credit.currency) continue;
      credit_note_need[*credit.invoice_id] += credit.amount_minor;
    }
    for (const auto& [id, state] : invoices) room[id] = state.invoice->amount_minor;
    for (const LedgerAllocation* allocation : still_kept) {
      if (is_own_credit_note(*allocation)) credit_note_need[allocation->invoice_id] -= allocation->amount_minor;
      room[allocation->invoice_id] -= allocation->amount_minor;
    }
    for (const auto& [invoice_id, need] : credit_note_need) {
      if (need > 0 && room[invoice_id] < need) others_released[invoice_id] = true;
    }
  }
  for (const LedgerAllocation* allocation : still_kept) {
    if (others_released.count(allocation->invoice_id) != 0 && !is_own_credit_note(*allocation)) {
      plan.dropped.push_back(*allocation);
      continue;
    }
    if (repointed.count({allocation->credit_kind, allocation->credit_id}) != 0) {
      plan.dropped.push_back(*allocation);
      continue;
    }
    InvoiceState& invoice = invoices[allocation->invoice_id];
    invoice.open -= allocation->amount_minor;
    if (!invoice.last_allocation_date || *invoice.last_allocation_date < allocation->date) {
      invoice.last_allocation_date = allocation->date;
    }
    credits[{allocation->credit_kind, allocation->credit_id}].unapplied -= allocation->amount_minor;
  }

  auto apply = [&](CreditState& credit, InvoiceState& invoice) {
    const int64_t amount = std::min(credit.unapplied, invoice.open);
    if (amount <= 0 || credit.credit->currency != invoice.invoice->currency) return;
    LedgerAllocation allocation;
    allocation.invoice_id = invoice.invoice->id;
    allocation.credit_kind = credit.credit->kind;
    allocation.credit_id = credit.credit->id;
    allocation.date = AllocationDate(*credit.credit, *invoice.invoice);
    allocation.currency = credit.credit->currency;
    allocation.amount_minor = amount;
    credit.unapplied -= amount;
    invoice.open -= amount;
    if (!invoice.last_allocation_date || *invoice.last_allocation_date < allocation.date) {
      invoice.last_allocation_date = allocation.date;
    }
    plan.created.push_back(std::move(allocation));
  };

  // 2. Credits oldest first (payments before credit notes on the same day).
  std::vector<CreditState*> ordered_credits;
  for (auto& [key, state] : credits) ordered_credits.push_back(&state);
  std::stable_sort(ordered_credits.begin(), ordered_credits.end(), [](const CreditState* a, const CreditState* b) {
    if (a->credit->date != b->credit->date) return a->credit->date < b->credit->date;
    if (a->credit->kind != b->credit->kind) return a->credit->kind < b->credit->kind;
    return a->credit->id < b->credit->id;
  });
  // A credit that names an invoice pays that invoice first: credit notes
  // before payments, since a credit note lowers what the invoice is worth.
  for (CreditKind kind : {CreditKind::kCreditNote, CreditKind::kPayment}) {
    for (CreditState* credit : ordered_credits) {
      if (credit->credit->kind != kind || credit->unapplied <= 0 || !credit->credit->invoice_id) continue;
      auto target = invoices.find(*credit->credit->invoice_id);
      if (target != invoices.end()) apply(*credit, target->second);
    }
  }
  // 3. The rest goes to the invoices that fell due first.
  std::vector<InvoiceState*> ordered_invoices;
  for (auto& [id, state] : invoices) ordered_invoices.push_back(&state);
  std::sort(ordered_invoices.begin(), ordered_invoices.end(), [](const InvoiceState* a, const InvoiceState* b) {
    if (a->invoice->due_date != b->invoice->due_date) return a->invoice->due_date < b->invoice->due_date;
    if (a->invoice->issue_date != b->invoice->issue_date) return a->invoice->issue_date < b->invoice->issue_date;
    return a->invoice->id < b->invoice->id;
  });
  for (CreditState* credit : ordered_credits) {
    if (credit->credit->kind == CreditKind::kCreditNote && credit->credit->invoice_id) continue;
    for (InvoiceState* invoice : ordered_invoices) {
      if (credit->unapplied <= 0) break;
      if (invoice->open > 0) apply(*credit, *invoice);
    }
  }

  // 4. Report the derived values that differ from what is stored.
  for (InvoiceState* invoice : ordered_invoices) {
    if (invoice->open != invoice->invoice->open_minor ||
        invoice->last_allocation_date != invoice->invoice->last_allocation_date) {
      plan.invoice_changes.push_back({invoice->invoice->id, invoice->open, invoice->last_allocation_date});
    }
  }
  for (CreditState* credit : ordered_credits) {
    if (credit->unapplied != credit->credit->unapplied_minor) {
      plan.credit_changes.push_back({credit->credit->kind, credit->credit->id, credit->unapplied});
    }
  }
  return plan;
}

}  // namespace cartera
