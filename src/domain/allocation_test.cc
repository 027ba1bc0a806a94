#include "domain/allocation.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cartera {
namespace {

Date D(int year, unsigned month, unsigned day) { return Date::FromYmd(year, month, day); }

// A freshly stored invoice: nothing applied yet, open = amount.
LedgerInvoice Invoice(int64_t id, std::string currency, Date issue, Date due, int64_t amount) {
  LedgerInvoice invoice;
  invoice.id = id;
  invoice.currency = std::move(currency);
  invoice.issue_date = issue;
  invoice.due_date = due;
  invoice.amount_minor = amount;
  invoice.open_minor = amount;
  return invoice;
}

// A freshly stored credit: unapplied = amount.
LedgerCredit Credit(CreditKind kind, int64_t id, std::string currency, Date date, int64_t amount,
                    std::optional<int64_t> invoice_id = std::nullopt) {
  LedgerCredit credit;
  credit.kind = kind;
  credit.id = id;
  credit.currency = std::move(currency);
  credit.date = date;
  credit.invoice_id = invoice_id;
  credit.amount_minor = amount;
  credit.unapplied_minor = amount;
  return credit;
}

LedgerCredit Payment(int64_t id, std::string currency, Date date, int64_t amount,
                     std::optional<int64_t> invoice_id = std::nullopt) {
  return Credit(CreditKind::kPayment, id, std::move(currency), date, amount, invoice_id);
}

LedgerCredit CreditNote(int64_t id, std::string currency, Date date, int64_t amount,
                        std::optional<int64_t> invoice_id = std::nullopt) {
  return Credit(CreditKind::kCreditNote, id, std::move(currency), date, amount, invoice_id);
}

std::string Describe(const LedgerAllocation& a) {
  std::ostringstream out;
  out << "{id " << a.id << " inv " << a.invoice_id << " " << (a.credit_kind == CreditKind::kPayment ? "pay " : "note ")
      << a.credit_id << " " << a.date.ToIso() << " " << a.currency << " " << a.amount_minor << "}";
  return out.str();
}

std::string Describe(const CustomerLedger& ledger) {
  std::ostringstream out;
  for (const auto& i : ledger.invoices) {
    out << "invoice " << i.id << " " << i.currency << " issue " << i.issue_date.ToIso() << " due "
        << i.due_date.ToIso() << " amount " << i.amount_minor << " open " << i.open_minor << "\n";
  }
  for (const auto& c : ledger.credits) {
    out << (c.kind == CreditKind::kPayment ? "payment " : "note ") << c.id << " " << c.currency << " "
        << c.date.ToIso() << " amount " << c.amount_minor << " unapplied " << c.unapplied_minor;
    if (c.invoice_id) out << " names " << *c.invoice_id;
    out << "\n";
  }
  for (const auto& a : ledger.allocations) out << Describe(a) << "\n";
  return out.str();
}

std::string Describe(const RebalancePlan& plan) {
  std::ostringstream out;
  for (const auto& a : plan.dropped) out << "drop " << Describe(a) << "\n";
  for (const auto& a : plan.created) out << "create " << Describe(a) << "\n";
  for (const auto& b : plan.invoice_changes) {
    out << "invoice " << b.invoice_id << " open " << b.open_minor << " last "
        << (b.last_allocation_date ? b.last_allocation_date->ToIso() : "-") << "\n";
  }
  for (const auto& b : plan.credit_changes) {
    out << (b.kind == CreditKind::kPayment ? "payment " : "note ") << b.credit_id << " unapplied " << b.unapplied_minor
        << "\n";
  }
  return out.str();
}

// What the store does with a plan: delete dropped allocations (by id), insert
// created ones with fresh ids and write the reported derived balances.
CustomerLedger Apply(const CustomerLedger& ledger, const RebalancePlan& plan) {
  CustomerLedger next = ledger;
  std::set<int64_t> dropped_ids;
  for (const LedgerAllocation& allocation : plan.dropped) {
    EXPECT_NE(allocation.id, 0) << "a dropped allocation must be a stored one";
    EXPECT_TRUE(dropped_ids.insert(allocation.id).second) << "dropped twice: " << Describe(allocation);
  }
  next.allocations.clear();
  int64_t next_id = 1;
  for (const LedgerAllocation& allocation : ledger.allocations) {
    next_id = std::max(next_id, allocation.id + 1);
    if (dropped_ids.count(allocation.id) == 0) next.allocations.push_back(allocation);
  }
  for (LedgerAllocation allocation : plan.created) {
    EXPECT_EQ(allocation.id, 0) << "a created allocation has no id yet";
    allocation.id = next_id++;
    next.allocations.push_back(allocation);
  }
  for (const InvoiceBalance& balance : plan.invoice_changes) {
    auto it = std::find_if(next.invoices.begin(), next.invoices.end(),
                           [&](const LedgerInvoice& i) { return i.id == balance.invoice_id; });
    EXPECT_NE(it, next.invoices.end()) << "change for unknown invoice " << balance.invoice_id;
    if (it == next.invoices.end()) continue;
    it->open_minor = balance.open_minor;
    it->last_allocation_date = balance.last_allocation_date;
  }
  for (const CreditBalance& balance : plan.credit_changes) {
    auto it = std::find_if(next.credits.begin(), next.credits.end(), [&](const LedgerCredit& c) {
      return c.kind == balance.kind && c.id == balance.credit_id;
    });
    EXPECT_NE(it, next.credits.end()) << "change for unknown credit " << balance.credit_id;
    if (it == next.credits.end()) continue;
    it->unapplied_minor = balance.unapplied_minor;
  }
  return next;
}

// Plans, applies, and checks that planning again on the result is a no-op.
CustomerLedger Rebalance(const CustomerLedger& ledger, RebalancePlan* plan_out = nullptr) {
  const RebalancePlan plan = PlanRebalance(ledger);
  CustomerLedger next = Apply(ledger, plan);
  const RebalancePlan again = PlanRebalance(next);
  EXPECT_TRUE(again.empty()) << "not idempotent; ledger before:\n"
                             << Describe(ledger) << "first plan:\n"
                             << Describe(plan) << "second plan:\n"
                             << Describe(again);
  if (plan_out != nullptr) *plan_out = plan;
  return next;
}

const LedgerInvoice& FindInvoice(const CustomerLedger& ledger, int64_t id) {
  return *std::find_if(ledger.invoices.begin(), ledger.invoices.end(),
                       [&](const LedgerInvoice& i) { return i.id == id; });
}

const LedgerCredit& FindCredit(const CustomerLedger& ledger, CreditKind kind, int64_t id) {
  return *std::find_if(ledger.credits.begin(), ledger.credits.end(),
                       [&](const LedgerCredit& c) { return c.kind == kind && c.id == id; });
}

// Sum of allocations from one credit to one invoice.
int64_t Applied(const CustomerLedger& ledger, CreditKind kind, int64_t credit_id, int64_t invoice_id) {
  int64_t sum = 0;
  for (const auto& a : ledger.allocations) {
    if (a.credit_kind == kind && a.credit_id == credit_id && a.invoice_id == invoice_id) sum += a.amount_minor;
  }
  return sum;
}

int64_t PaidTo(const CustomerLedger& ledger, int64_t payment_id, int64_t invoice_id) {
  return Applied(ledger, CreditKind::kPayment, payment_id, invoice_id);
}

// Checks every invariant the stored state must satisfy after a rebalance.
void ExpectConsistent(const CustomerLedger& ledger) {
  SCOPED_TRACE(Describe(ledger));
  std::map<int64_t, const LedgerInvoice*> invoices;
  for (const auto& i : ledger.invoices) invoices[i.id] = &i;
  std::map<std::pair<CreditKind, int64_t>, const LedgerCredit*> credits;
  for (const auto& c : ledger.credits) credits[{c.kind, c.id}] = &c;

  std::map<int64_t, int64_t> invoice_applied;
  std::map<int64_t, std::optional<Date>> invoice_last;
  std::map<std::pair<CreditKind, int64_t>, int64_t> credit_applied;
  for (const auto& a : ledger.allocations) {
    ASSERT_EQ(invoices.count(a.invoice_id), 1u) << Describe(a);
    ASSERT_EQ(credits.count({a.credit_kind, a.credit_id}), 1u) << Describe(a);
    const LedgerInvoice& invoice = *invoices[a.invoice_id];
    const LedgerCredit& credit = *credits[{a.credit_kind, a.credit_id}];
    EXPECT_GT(a.amount_minor, 0) << Describe(a);
    EXPECT_EQ(a.currency, invoice.currency) << Describe(a);
    EXPECT_EQ(a.currency, credit.currency) << Describe(a);
    EXPECT_EQ(a.date, std::max(credit.date, invoice.issue_date)) << Describe(a);
    invoice_applied[a.invoice_id] += a.amount_minor;
    credit_applied[{a.credit_kind, a.credit_id}] += a.amount_minor;
    auto& last = invoice_last[a.invoice_id];
    if (!last || *last < a.date) last = a.date;
  }
  std::map<std::string, bool> open_in_currency;
  for (const auto& invoice : ledger.invoices) {
    const int64_t open = invoice.amount_minor - invoice_applied[invoice.id];
    EXPECT_GE(open, 0) << "invoice " << invoice.id << " over-applied";
    EXPECT_EQ(invoice.open_minor, open) << "stored open of invoice " << invoice.id;
    EXPECT_EQ(invoice.last_allocation_date, invoice_last[invoice.id]) << "invoice " << invoice.id;
    if (open > 0) open_in_currency[invoice.currency] = true;
  }
  for (const auto& credit : ledger.credits) {
    const int64_t unapplied = credit.amount_minor - credit_applied[{credit.kind, credit.id}];
    EXPECT_GE(unapplied, 0) << "credit " << credit.id << " over-applied";
    EXPECT_EQ(credit.unapplied_minor, unapplied) << "stored unapplied of credit " << credit.id;
    // Auto-application is complete: no credit is left unapplied while an
    // invoice of its currency is open.
    // A credit note that names an invoice only ever lowers that one.
    const bool named_credit_note = credit.kind == CreditKind::kCreditNote && credit.invoice_id;
    if (named_credit_note) {
      const int64_t applied_total = credit_applied[{credit.kind, credit.id}];
      EXPECT_EQ(applied_total, Applied(ledger, credit.kind, credit.id, *credit.invoice_id))
          << "credit note " << credit.id << " pays another invoice than its own";
      // ...and comes before payments there: room it lacks is never a payment's.
      if (unapplied > 0 && invoices.count(*credit.invoice_id) != 0 &&
          invoices[*credit.invoice_id]->currency == credit.currency) {
        for (const auto& a : ledger.allocations) {
          EXPECT_FALSE(a.credit_kind == CreditKind::kPayment && a.invoice_id == *credit.invoice_id)
              << "payment " << a.credit_id << " holds room credit note " << credit.id << " needs";
        }
      }
    }
    if (unapplied > 0 && !named_credit_note) {
      EXPECT_FALSE(open_in_currency[credit.currency]) << "credit " << credit.id << " has " << unapplied
                                                      << " unapplied while a " << credit.currency
                                                      << " invoice is open";
    }
    // A credit naming an invoice (of its currency) pays it before any other.
    if (credit.invoice_id && invoices.count(*credit.invoice_id) != 0 &&
        invoices[*credit.invoice_id]->currency == credit.currency) {
      int64_t elsewhere = credit_applied[{credit.kind, credit.id}] -
                          Applied(ledger, credit.kind, credit.id, *credit.invoice_id);
      const LedgerInvoice& named = *invoices[*credit.invoice_id];
      if (elsewhere > 0) {
        EXPECT_EQ(named.amount_minor - invoice_applied[named.id], 0)
            << "credit " << credit.id << " pays other invoices while its invoice " << named.id << " is open";
      }
    }
  }
}

// ---------------------------------------------------------------------------

TEST(AllocationTest, EmptyLedgerPlansNothing) {
  CustomerLedger ledger;
  EXPECT_TRUE(PlanRebalance(ledger).empty());
}

TEST(AllocationTest, NothingToDoWhenThereAreNoCredits) {
  CustomerLedger ledger;
  ledger.invoices = {Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 1000)};
  EXPECT_TRUE(PlanRebalance(ledger).empty());
  // A wrongly stored open amount is corrected.
  ledger.invoices[0].open_minor = 7;
  RebalancePlan plan = PlanRebalance(ledger);
  ASSERT_EQ(plan.invoice_changes.size(), 1u);
  EXPECT_EQ(plan.invoice_changes[0].open_minor, 1000);
  EXPECT_TRUE(plan.created.empty());
}

TEST(AllocationTest, NamedPaymentPaysItsInvoiceFirstExcessToOldestDue) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
      Invoice(3, "COP", D(2025, 3, 1), D(2025, 3, 31), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 5), 150, 3)};
  RebalancePlan plan;
  CustomerLedger after = Rebalance(ledger, &plan);
  ExpectConsistent(after);
  EXPECT_TRUE(plan.dropped.empty());
  ASSERT_EQ(plan.created.size(), 2u);
  // The named invoice first, in full.
  EXPECT_EQ(plan.created[0].invoice_id, 3);
  EXPECT_EQ(plan.created[0].amount_minor, 100);
  EXPECT_EQ(plan.created[0].credit_kind, CreditKind::kPayment);
  EXPECT_EQ(plan.created[0].credit_id, 10);
  EXPECT_EQ(plan.created[0].currency, "COP");
  EXPECT_EQ(plan.created[0].id, 0);
  // The excess to the oldest-due other invoice.
  EXPECT_EQ(plan.created[1].invoice_id, 1);
  EXPECT_EQ(plan.created[1].amount_minor, 50);
  EXPECT_EQ(FindInvoice(after, 1).open_minor, 50);
  EXPECT_EQ(FindInvoice(after, 2).open_minor, 100);
  EXPECT_EQ(FindInvoice(after, 3).open_minor, 0);
  EXPECT_EQ(FindCredit(after, CreditKind::kPayment, 10).unapplied_minor, 0);
  // Only what changed is reported: invoice 2 stays as stored.
  for (const auto& change : plan.invoice_changes) EXPECT_NE(change.invoice_id, 2);
  ASSERT_EQ(plan.credit_changes.size(), 1u);
  EXPECT_EQ(plan.credit_changes[0].unapplied_minor, 0);
}

TEST(AllocationTest, NamedPaymentSmallerThanItsInvoice) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 5), 60, 2)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  EXPECT_EQ(PaidTo(after, 10, 2), 60);
  EXPECT_EQ(PaidTo(after, 10, 1), 0);  // the older invoice is not touched
}

TEST(AllocationTest, UnnamedPaymentPaysOldestDueFirst) {
  CustomerLedger ledger;
  // Order by due date, then issue date, then id: 4, 2, 3, 1.
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 2, 1), D(2025, 3, 1), 100),
      Invoice(2, "COP", D(2025, 1, 1), D(2025, 2, 1), 100),
      Invoice(3, "COP", D(2025, 1, 1), D(2025, 2, 1), 100),
      Invoice(4, "COP", D(2024, 12, 15), D(2025, 2, 1), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 10), 250)};
  RebalancePlan plan;
  CustomerLedger after = Rebalance(ledger, &plan);
  ExpectConsistent(after);
  ASSERT_EQ(plan.created.size(), 3u);
  EXPECT_EQ(plan.created[0].invoice_id, 4);
  EXPECT_EQ(plan.created[0].amount_minor, 100);
  EXPECT_EQ(plan.created[1].invoice_id, 2);
  EXPECT_EQ(plan.created[1].amount_minor, 100);
  EXPECT_EQ(plan.created[2].invoice_id, 3);
  EXPECT_EQ(plan.created[2].amount_minor, 50);
  EXPECT_EQ(FindInvoice(after, 1).open_minor, 100);
  EXPECT_EQ(FindInvoice(after, 3).open_minor, 50);
}

TEST(AllocationTest, OlderCreditsApplyFirst) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
  };
  // Listed newest first; the older payment still takes the older invoice.
  ledger.credits = {Payment(20, "COP", D(2025, 3, 20), 100), Payment(10, "COP", D(2025, 3, 1), 100)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  EXPECT_EQ(PaidTo(after, 10, 1), 100);
  EXPECT_EQ(PaidTo(after, 20, 2), 100);
}

TEST(AllocationTest, PaymentsBeforeCreditNotesOnTheSameDay) {
  CustomerLedger ledger;
  ledger.invoices = {Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100)};
  // Same id and date in both kinds: they are different credits.
  ledger.credits = {CreditNote(1, "COP", D(2025, 2, 1), 50), Payment(1, "COP", D(2025, 2, 1), 80)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  EXPECT_EQ(Applied(after, CreditKind::kPayment, 1, 1), 80);
  EXPECT_EQ(Applied(after, CreditKind::kCreditNote, 1, 1), 20);
  EXPECT_EQ(FindCredit(after, CreditKind::kCreditNote, 1).unapplied_minor, 30);
  EXPECT_EQ(FindCredit(after, CreditKind::kPayment, 1).unapplied_minor, 0);
}

// Regression (issue 14): a credit note larger than what was left of its
// invoice paid another invoice with the excess.
TEST(AllocationTest, CreditNoteNeverPaysAnotherInvoice) {
  CustomerLedger ledger;
  ledger.invoices = {Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
                     Invoice(2, "COP", D(2025, 1, 2), D(2025, 2, 1), 100)};
  ledger.credits = {CreditNote(7, "COP", D(2025, 2, 1), 150, 1)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  EXPECT_EQ(Applied(after, CreditKind::kCreditNote, 7, 1), 100);
  EXPECT_EQ(Applied(after, CreditKind::kCreditNote, 7, 2), 0);
  EXPECT_EQ(FindInvoice(after, 2).open_minor, 100);
  // Allocations stored by older versions to another invoice are released.
  CustomerLedger stored = after;
  LedgerAllocation old;
  old.id = 99, old.invoice_id = 2, old.credit_kind = CreditKind::kCreditNote, old.credit_id = 7;
  old.date = D(2025, 2, 1), old.currency = "COP", old.amount_minor = 50;
  stored.allocations.push_back(old);
  for (auto& invoice : stored.invoices) {
    if (invoice.id == 2) invoice.open_minor = 50;
  }
  for (auto& credit : stored.credits) credit.unapplied_minor = 0;
  CustomerLedger healed = Rebalance(stored);
  ExpectConsistent(healed);
  EXPECT_EQ(FindInvoice(healed, 2).open_minor, 100);
}

// A credit note that arrives after a payment settled its invoice lowers the
// invoice; the payment it displaces is the customer's credit, which pays
// the next invoice (here there is none: it stays in the customer's favour).
TEST(AllocationTest, CreditNoteDisplacesAPaymentOnItsInvoice) {
  CustomerLedger ledger;
  ledger.invoices = {Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100)};
  ledger.credits = {Payment(1, "COP", D(2025, 1, 20), 100)};
  CustomerLedger paid = Rebalance(ledger);
  ASSERT_EQ(PaidTo(paid, 1, 1), 100);
  paid.credits.push_back(CreditNote(2, "COP", D(2025, 2, 1), 30, 1));
  CustomerLedger after = Rebalance(paid);
  ExpectConsistent(after);
  EXPECT_EQ(Applied(after, CreditKind::kCreditNote, 2, 1), 30);
  EXPECT_EQ(PaidTo(after, 1, 1), 70);
  EXPECT_EQ(FindCredit(after, CreditKind::kPayment, 1).unapplied_minor, 30);
  // A later invoice takes the displaced payment.
  after.invoices.push_back(Invoice(2, "COP", D(2025, 3, 1), D(2025, 3, 31), 50));
  CustomerLedger later = Rebalance(after);
  ExpectConsistent(later);
  EXPECT_EQ(PaidTo(later, 1, 2), 30);
}

TEST(AllocationTest, CurrenciesNeverMix) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100000),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100000),
  };
  ledger.credits = {Payment(10, "USD", D(2025, 3, 1), 5000)};
  RebalancePlan plan = PlanRebalance(ledger);
  EXPECT_TRUE(plan.empty()) << Describe(plan);  // the USD payment stays unapplied, as stored

  // With a USD invoice too, each currency pays its own.
  ledger.invoices.push_back(Invoice(3, "USD", D(2025, 2, 15), D(2025, 3, 15), 3000));
  ledger.credits.push_back(Payment(11, "COP", D(2025, 3, 2), 150000));
  CustomerLedger after = Rebalance(ledger, &plan);
  ExpectConsistent(after);
  for (const auto& a : after.allocations) {
    EXPECT_EQ(a.currency, a.credit_id == 10 ? "USD" : "COP") << Describe(a);
  }
  EXPECT_EQ(PaidTo(after, 10, 3), 3000);
  EXPECT_EQ(FindCredit(after, CreditKind::kPayment, 10).unapplied_minor, 2000);
  EXPECT_EQ(PaidTo(after, 11, 1), 100000);
  EXPECT_EQ(PaidTo(after, 11, 2), 50000);
}

TEST(AllocationTest, AllocationDateIsTheLaterOfCreditDateAndIssueDate) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 4, 1), D(2025, 4, 30), 100),  // issued after the payment
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 200)};
  RebalancePlan plan;
  CustomerLedger after = Rebalance(ledger, &plan);
  ExpectConsistent(after);
  ASSERT_EQ(plan.created.size(), 2u);
  EXPECT_EQ(plan.created[0].invoice_id, 1);
  EXPECT_EQ(plan.created[0].date, D(2025, 3, 1));
  EXPECT_EQ(plan.created[1].invoice_id, 2);
  EXPECT_EQ(plan.created[1].date, D(2025, 4, 1));
  EXPECT_EQ(FindInvoice(after, 1).last_allocation_date, D(2025, 3, 1));
  EXPECT_EQ(FindInvoice(after, 2).last_allocation_date, D(2025, 4, 1));
}

TEST(AllocationTest, LastAllocationDateIsTheLatest) {
  CustomerLedger ledger;
  ledger.invoices = {Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100)};
  ledger.credits = {Payment(10, "COP", D(2025, 2, 10), 30), Payment(11, "COP", D(2025, 2, 20), 30),
                    Payment(12, "COP", D(2025, 2, 5), 30)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  EXPECT_EQ(FindInvoice(after, 1).last_allocation_date, D(2025, 2, 20));
  EXPECT_EQ(FindInvoice(after, 1).open_minor, 10);
}

TEST(AllocationTest, CreditNoteReducesItsInvoice) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 200),
  };
  ledger.credits = {CreditNote(5, "COP", D(2025, 2, 10), 30, 2)};
  RebalancePlan plan;
  CustomerLedger after = Rebalance(ledger, &plan);
  ExpectConsistent(after);
  ASSERT_EQ(plan.created.size(), 1u);
  EXPECT_EQ(plan.created[0].credit_kind, CreditKind::kCreditNote);
  EXPECT_EQ(plan.created[0].credit_id, 5);
  EXPECT_EQ(plan.created[0].invoice_id, 2);
  EXPECT_EQ(plan.created[0].amount_minor, 30);
  EXPECT_EQ(FindInvoice(after, 1).open_minor, 100);
  EXPECT_EQ(FindInvoice(after, 2).open_minor, 170);
  EXPECT_EQ(FindCredit(after, CreditKind::kCreditNote, 5).unapplied_minor, 0);
}

TEST(AllocationTest, OverPaymentLeavesUnappliedCredit) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 200),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 500)};
  RebalancePlan plan;
  CustomerLedger after = Rebalance(ledger, &plan);
  ExpectConsistent(after);
  ASSERT_EQ(plan.credit_changes.size(), 1u);
  EXPECT_EQ(plan.credit_changes[0].kind, CreditKind::kPayment);
  EXPECT_EQ(plan.credit_changes[0].credit_id, 10);
  EXPECT_EQ(plan.credit_changes[0].unapplied_minor, 200);
  EXPECT_EQ(FindInvoice(after, 1).open_minor, 0);
  EXPECT_EQ(FindInvoice(after, 2).open_minor, 0);

  // A new invoice later takes the unapplied credit.
  after.invoices.push_back(Invoice(3, "COP", D(2025, 4, 1), D(2025, 4, 30), 150));
  CustomerLedger later = Rebalance(after, &plan);
  ExpectConsistent(later);
  EXPECT_EQ(plan.created.size(), 1u);
  EXPECT_TRUE(plan.dropped.empty());
  EXPECT_EQ(PaidTo(later, 10, 3), 150);
  EXPECT_EQ(FindCredit(later, CreditKind::kPayment, 10).unapplied_minor, 50);
}

TEST(AllocationTest, IdempotentAfterApplyingThePlan) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 200),
      Invoice(3, "USD", D(2025, 2, 1), D(2025, 2, 28), 50),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 120, 2), CreditNote(3, "COP", D(2025, 1, 5), 40, 1),
                    Payment(11, "USD", D(2025, 3, 1), 80)};
  RebalancePlan plan;
  CustomerLedger after = Rebalance(ledger, &plan);  // asserts the second plan is empty
  EXPECT_FALSE(plan.empty());
  ExpectConsistent(after);
  EXPECT_TRUE(PlanRebalance(after).empty());
  // And stays so on a third run.
  CustomerLedger third = Apply(after, PlanRebalance(after));
  EXPECT_TRUE(PlanRebalance(third).empty());
}

TEST(AllocationTest, LoweringAnInvoiceBelowItsAllocationsDropsAndReapplies) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 80), Payment(11, "COP", D(2025, 3, 2), 60)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  // 10 -> inv 1: 80; 11 -> inv 1: 20, inv 2: 40.
  ASSERT_EQ(PaidTo(after, 10, 1), 80);
  ASSERT_EQ(PaidTo(after, 11, 1), 20);
  ASSERT_EQ(PaidTo(after, 11, 2), 40);

  // Invoice 1 is corrected down to 50: its allocations (100) no longer fit.
  ASSERT_EQ(after.invoices[0].id, 1);
  after.invoices[0].amount_minor = 50;
  RebalancePlan plan;
  CustomerLedger corrected = Rebalance(after, &plan);
  ExpectConsistent(corrected);
  ASSERT_EQ(plan.dropped.size(), 2u) << Describe(plan);
  for (const auto& dropped : plan.dropped) EXPECT_EQ(dropped.invoice_id, 1);
  EXPECT_EQ(PaidTo(corrected, 10, 1), 50);
  EXPECT_EQ(PaidTo(corrected, 10, 2), 30);
  EXPECT_EQ(PaidTo(corrected, 11, 1), 0);
  EXPECT_EQ(PaidTo(corrected, 11, 2), 60);  // 40 kept, 20 more
  EXPECT_EQ(FindInvoice(corrected, 2).open_minor, 10);
}

TEST(AllocationTest, LoweringACreditBelowItsAllocationsDropsAndReapplies) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 150)};
  CustomerLedger after = Rebalance(ledger);
  after.credits[0].amount_minor = 120;
  RebalancePlan plan;
  CustomerLedger corrected = Rebalance(after, &plan);
  ExpectConsistent(corrected);
  EXPECT_EQ(plan.dropped.size(), 2u);
  EXPECT_EQ(PaidTo(corrected, 10, 1), 100);
  EXPECT_EQ(PaidTo(corrected, 10, 2), 20);
}

TEST(AllocationTest, RepointingAPaymentDropsAndReapplies) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 100, 1)};
  CustomerLedger after = Rebalance(ledger);
  ASSERT_EQ(PaidTo(after, 10, 1), 100);

  // The payment is corrected to name invoice 2.
  after.credits[0].invoice_id = 2;
  RebalancePlan plan;
  CustomerLedger repointed = Rebalance(after, &plan);
  ExpectConsistent(repointed);
  ASSERT_EQ(plan.dropped.size(), 1u);
  EXPECT_EQ(plan.dropped[0].invoice_id, 1);
  EXPECT_EQ(PaidTo(repointed, 10, 1), 0);
  EXPECT_EQ(PaidTo(repointed, 10, 2), 100);
  EXPECT_EQ(FindInvoice(repointed, 1).open_minor, 100);
  EXPECT_EQ(FindInvoice(repointed, 1).last_allocation_date, std::nullopt);
  EXPECT_EQ(FindInvoice(repointed, 2).open_minor, 0);
}

TEST(AllocationTest, RepointingDoesNotStealFromAPaidNamedInvoice) {
  // The payment named invoice 1 and paid it; the excess went to invoice 2.
  // Nothing is re-pointed: its invoice is paid, so the excess stays.
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
      Invoice(2, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 150, 1)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  EXPECT_EQ(PaidTo(after, 10, 1), 100);
  EXPECT_EQ(PaidTo(after, 10, 2), 50);
}

TEST(AllocationTest, ChangingACreditDateMovesItsAllocations) {
  CustomerLedger ledger;
  ledger.invoices = {Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100)};
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 100)};
  CustomerLedger after = Rebalance(ledger);
  after.credits[0].date = D(2025, 3, 5);
  RebalancePlan plan;
  CustomerLedger moved = Rebalance(after, &plan);
  ExpectConsistent(moved);
  ASSERT_EQ(plan.dropped.size(), 1u);
  ASSERT_EQ(plan.created.size(), 1u);
  EXPECT_EQ(plan.created[0].date, D(2025, 3, 5));
  EXPECT_EQ(FindInvoice(moved, 1).last_allocation_date, D(2025, 3, 5));
}

TEST(AllocationTest, DeletedDocumentsReleaseTheirAllocations) {
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(2, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 100)};
  CustomerLedger after = Rebalance(ledger);
  ASSERT_EQ(PaidTo(after, 10, 1), 100);
  // Invoice 1 is deleted: the payment moves to invoice 2.
  after.invoices.erase(after.invoices.begin());
  CustomerLedger moved = Rebalance(after);
  ExpectConsistent(moved);
  EXPECT_EQ(PaidTo(moved, 10, 2), 100);
  // The payment is deleted: invoice 2 opens again.
  moved.credits.clear();
  RebalancePlan plan;
  CustomerLedger reopened = Rebalance(moved, &plan);
  ExpectConsistent(reopened);
  EXPECT_EQ(plan.dropped.size(), 1u);
  EXPECT_TRUE(reopened.allocations.empty());
  EXPECT_EQ(FindInvoice(reopened, 2).open_minor, 100);
}

TEST(AllocationTest, PaymentNamingAnUnknownInvoiceIsAppliedFifo) {
  CustomerLedger ledger;
  ledger.invoices = {Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100)};
  ledger.credits = {Payment(10, "COP", D(2025, 3, 1), 100, 99)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  EXPECT_EQ(PaidTo(after, 10, 1), 100);
}

TEST(AllocationTest, PaymentNamingAnInvoiceOfAnotherCurrencyIsStable) {
  // The importer rejects this, but an invoice's currency can be corrected
  // after a payment named it. The payment can never pay that invoice, so it
  // must not be treated as re-pointed on every run.
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 1, 1), D(2025, 1, 31), 100000),
      Invoice(2, "USD", D(2025, 1, 1), D(2025, 1, 31), 100),
  };
  ledger.credits = {Payment(10, "USD", D(2025, 3, 1), 100, 1)};
  CustomerLedger after = Rebalance(ledger);  // asserts the second plan is empty
  ExpectConsistent(after);
  EXPECT_EQ(PaidTo(after, 10, 2), 100);
  EXPECT_EQ(FindInvoice(after, 1).open_minor, 100000);
}

TEST(AllocationTest, RepointingOneCreditReopensAnInvoiceAnotherCreditNames) {
  // Payment 10 named invoice 1 and paid it; payment 11 also named invoice 1
  // but found it paid, so it went to invoice 2. Then payment 10 is corrected
  // to name invoice 3: invoice 1 reopens and payment 11 must move to it.
  CustomerLedger ledger;
  ledger.invoices = {
      Invoice(1, "COP", D(2025, 3, 1), D(2025, 3, 31), 100),
      Invoice(2, "COP", D(2025, 1, 1), D(2025, 1, 31), 100),
      Invoice(3, "COP", D(2025, 2, 1), D(2025, 2, 28), 100),
  };
  ledger.credits = {Payment(10, "COP", D(2025, 4, 1), 100, 1), Payment(11, "COP", D(2025, 4, 2), 50, 1)};
  CustomerLedger after = Rebalance(ledger);
  ExpectConsistent(after);
  ASSERT_EQ(PaidTo(after, 10, 1), 100);
  ASSERT_EQ(PaidTo(after, 11, 2), 50);

  after.credits[0].invoice_id = 3;
  CustomerLedger repointed = Rebalance(after);  // asserts the second plan is empty
  ExpectConsistent(repointed);
  EXPECT_EQ(PaidTo(repointed, 10, 3), 100);
  EXPECT_EQ(PaidTo(repointed, 11, 1), 50);
}

// ---------------------------------------------------------------------------
// Randomized property test.

struct Generator {
  explicit Generator(uint64_t seed) : rng(seed) {}
  std::mt19937_64 rng;
  bool contended = false;

  int Int(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  Date Day(int offset) { return D(2025, 1, 1).PlusDays(offset); }

  CustomerLedger Ledger() {
    CustomerLedger ledger;
    ledger.customer_id = 1;
    const std::vector<std::string> currencies = Chance(50) ? std::vector<std::string>{"COP"}
                                                           : std::vector<std::string>{"COP", "USD"};
    // A third of the ledgers are contended: named credits mostly name the
    // same invoice, so some find it paid and spill over to others.
    contended = Chance(33);
    const int invoice_count = Int(1, 4);
    std::set<int64_t> invoice_ids;
    while (static_cast<int>(invoice_ids.size()) < invoice_count) invoice_ids.insert(Int(1, 30));
    for (int64_t id : invoice_ids) {
      const int issue = Int(0, 90);
      // Small ranges make ties on due and issue dates common.
      ledger.invoices.push_back(Invoice(id, currencies[Int(0, static_cast<int>(currencies.size()) - 1)], Day(issue),
                                        Day(issue + 10 * Int(0, 4)), Int(1, 20) * 50));
    }
    const int credit_count = Int(0, 6);
    std::set<std::pair<CreditKind, int64_t>> credit_keys;
    while (static_cast<int>(credit_keys.size()) < credit_count) {
      credit_keys.insert({Chance(70) ? CreditKind::kPayment : CreditKind::kCreditNote, Int(1, 8)});
    }
    for (const auto& [kind, id] : credit_keys) {
      const std::string& currency = currencies[Int(0, static_cast<int>(currencies.size()) - 1)];
      LedgerCredit credit = Credit(kind, id, currency, Day(Int(0, 120)), Int(1, 30) * 25);
      credit.invoice_id = NamedInvoice(ledger, currency);
      ledger.credits.push_back(credit);
    }
    return ledger;
  }

  // Mostly an invoice of the credit's currency (as the importer requires),
  // so that several credits name the same invoice; rarely an invoice that
  // does not exist (deleted since).
  std::optional<int64_t> NamedInvoice(const CustomerLedger& ledger, const std::string& currency) {
    if (Chance(5)) return 999;
    if (!Chance(65)) return std::nullopt;
    std::vector<int64_t> candidates;
    for (const auto& invoice : ledger.invoices) {
      if (invoice.currency == currency) candidates.push_back(invoice.id);
    }
    if (candidates.empty()) return std::nullopt;
    if (contended && Chance(70)) return candidates.front();
    return candidates[Int(0, static_cast<int>(candidates.size()) - 1)];
  }

  // Edits documents the way imports and corrections do, keeping stored
  // allocations and derived values as they were.
  void Mutate(CustomerLedger& ledger) {
    const int edits = Int(1, 3);
    for (int e = 0; e < edits; ++e) {
      // Re-pointing (2) is the subtlest edit: it gets three slots of ten.
      const int edit = Int(0, 9);
      switch (edit >= 8 ? 2 : edit) {
        case 0:  // an invoice amount is corrected
          if (!ledger.invoices.empty()) {
            auto& invoice = ledger.invoices[Int(0, static_cast<int>(ledger.invoices.size()) - 1)];
            invoice.amount_minor = Int(1, 20) * 50;
          }
          break;
        case 1:  // a credit amount is corrected
          if (!ledger.credits.empty()) {
            auto& credit = ledger.credits[Int(0, static_cast<int>(ledger.credits.size()) - 1)];
            credit.amount_minor = Int(1, 30) * 25;
          }
          break;
        case 2:  // a credit is re-pointed (or un-named)
          if (!ledger.credits.empty()) {
            auto& credit = ledger.credits[Int(0, static_cast<int>(ledger.credits.size()) - 1)];
            credit.invoice_id = NamedInvoice(ledger, credit.currency);
          }
          break;
        case 3:  // a credit date is corrected
          if (!ledger.credits.empty()) {
            ledger.credits[Int(0, static_cast<int>(ledger.credits.size()) - 1)].date = Day(Int(0, 120));
          }
          break;
        case 4:  // an invoice is deleted
          if (ledger.invoices.size() > 1) {
            ledger.invoices.erase(ledger.invoices.begin() + Int(0, static_cast<int>(ledger.invoices.size()) - 1));
          }
          break;
        case 5: {  // a new invoice arrives
          int64_t id = 31;
          for (const auto& invoice : ledger.invoices) id = std::max(id, invoice.id + 1);
          const int issue = Int(0, 120);
          const std::string currency = ledger.invoices.empty() ? "COP" : ledger.invoices[0].currency;
          ledger.invoices.push_back(Invoice(id, Chance(70) ? currency : "USD", Day(issue),
                                            Day(issue + 10 * Int(0, 4)), Int(1, 20) * 50));
          break;
        }
        case 6: {  // a new credit arrives
          int64_t id = 9;
          for (const auto& credit : ledger.credits) id = std::max(id, credit.id + 1);
          const std::string currency = Chance(70) && !ledger.invoices.empty() ? ledger.invoices[0].currency : "USD";
          LedgerCredit credit = Credit(Chance(70) ? CreditKind::kPayment : CreditKind::kCreditNote, id, currency,
                                       Day(Int(0, 150)), Int(1, 30) * 25);
          credit.invoice_id = NamedInvoice(ledger, currency);
          ledger.credits.push_back(credit);
          break;
        }
        case 7:  // a credit is deleted
          if (!ledger.credits.empty()) {
            ledger.credits.erase(ledger.credits.begin() + Int(0, static_cast<int>(ledger.credits.size()) - 1));
          }
          break;
      }
    }
  }
};

TEST(AllocationPropertyTest, ConservationCompletenessAndIdempotency) {
  Generator generator(20261122);
  for (int iteration = 0; iteration < 200; ++iteration) {
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    CustomerLedger ledger = generator.Ledger();
    CustomerLedger after = Rebalance(ledger);
    ExpectConsistent(after);
    // Allocations are only ever created from an empty start.
    for (const auto& a : after.allocations) EXPECT_NE(a.id, 0);

    // Documents change; stored allocations and balances stay as they were.
    CustomerLedger edited = after;
    generator.Mutate(edited);
    CustomerLedger rebalanced = Rebalance(edited);
    ExpectConsistent(rebalanced);

    // A second round of edits on top.
    generator.Mutate(rebalanced);
    ExpectConsistent(Rebalance(rebalanced));
    if (HasFailure()) break;  // one detailed failure is enough
  }
}

}  // namespace
}  // namespace cartera
