// The decision: what a strategy says to do today for one customer. Pure and
// allocation-light, because the run evaluates millions of customers and the
// simulator replays it day after day. The law (contact windows, caps) is
// checked after it, by the compliance rulebook, on the planned contacts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "engine/strategy.h"

namespace cartera {

// Why an invoice is held out of dunning (collection/held_invoices.cc).
enum class HeldReason : uint8_t { kNone = 0, kDispute = 1, kPaymentPlan = 2, kEscalation = 3 };

struct OpenInvoice {
  int64_t id = 0;
  Date due_date;
  int64_t open_minor = 0;
  // Held (an open dispute, an active payment plan, an agency or a court):
  // never mentioned by the regular stages, never drives one.
  bool disputed = false;
  HeldReason held = HeldReason::kNone;  // why, when disputed
  int64_t plan_id = 0;                  // the active payment plan covering it, if any
};

// An unpaid installment of an active payment plan (the portfolio reads those
// near the business date). What is still owed on it comes from the ledger:
// the open amount of the plan's invoices beyond the principal of the
// installments after it (`later_minor`), at most `amount_minor`.
struct PlanInstallment {
  int64_t plan_id = 0;
  int32_t number = 0;
  Date due_date;
  int64_t amount_minor = 0;  // the installment's principal
  int64_t later_minor = 0;   // the principal of the plan's later installments
};

// A plan the run broke recently: its follow-up's window may still run.
struct BrokenPlan {
  int64_t plan_id = 0;
  Date broken_on;
  std::string currency;
};

// What a plan stage's message speaks of (the outbox payload's "plan").
struct PlanMention {
  int64_t plan_id = 0;
  int32_t installment = 0;  // 0: the broken-plan follow-up
  Date due_date;
  int64_t installment_minor = 0;  // still owed on it
};

struct PromiseState {
  Date promised_date;
  bool broken = false;  // the date plus grace passed without payment
};

constexpr size_t kChannelCount = 6;  // indexes by Channel value - 1

struct CustomerSnapshot {
  int64_t customer_id = 0;
  std::string_view country;
  bool consumer = false;
  std::string_view segment;       // behavioural
  std::string_view size_segment;  // "A" | "B" | "C"
  bool chronic_late_payer = false;
  bool ever_late = false;
  bool answered_last_contact = false;
  int64_t average_invoice_minor = 0;
  std::vector<OpenInvoice> invoices;  // open invoices of one currency
  // That currency (ISO 4217): amount conditions (min_open, max_open) hold
  // only for a book in their own currency.
  std::string_view currency;
  std::optional<PromiseState> promise;
  // Channels the customer has a consented, usable contact point for.
  std::array<bool, kChannelCount> channel_allowed{};
  // Replies or payments within a week of a contact, per channel (x100).
  std::array<int32_t, kChannelCount> responsiveness_percent{};
  // The last business date each stage fired for this customer.
  std::vector<std::pair<std::string_view, Date>> last_fired;
  // Unpaid installments of the customer's active plans (any currency: a
  // plan belongs to the book holding its invoices), by due date.
  const std::vector<PlanInstallment>* installments = nullptr;
  const BrokenPlan* broken_plan = nullptr;
};

enum class SkipReason {
  kNothingDue = 1,
  kPromiseHolds = 2,
  kAlreadyDone = 3,
  kConditionsNotMet = 4,
  kNoConsentedChannel = 5,
  kAllInvoicesDisputed = 6,
  kAllInvoicesInPlan = 7,       // every open invoice is in an active payment plan
  kAllInvoicesEscalated = 8,    // every open invoice is with an agency or in court
  kAllInvoicesHeld = 9,         // held for several of those reasons
};

struct PlannedAction {
  const Stage* stage = nullptr;
  const Action* action = nullptr;
  Channel channel = Channel::kEmail;  // resolved: never kBest
  Date stage_date;                    // when the stage began for this customer
  std::vector<int64_t> invoice_ids;   // what the message is about
  int64_t total_minor = 0;
  int32_t max_days_past_due = 0;
  std::optional<PlanMention> plan;  // a payment_plan stage
};

struct SkippedAction {
  const Stage* stage = nullptr;
  const Action* action = nullptr;  // null when the whole stage was skipped
  SkipReason reason = SkipReason::kNothingDue;
  std::string detail;     // English
  std::string detail_es;  // the same in Spanish
};

struct Decision {
  std::vector<PlannedAction> planned;
  std::vector<SkippedAction> skipped;
};

// Decides for `today` (the customer's business date). REQUIRES: the
// strategy's stages sorted by day (ParseStrategy does it).
void Decide(const Strategy& strategy, const CustomerSnapshot& customer, Date today, Decision& decision);

// The first day on which an action of `stage` that began on `stage_date` is
// no longer worth retrying: the stage's window_days, else the next stage's
// day; nullopt for the last stage (it lasts while the debt does). The
// broken-promise follow-up defaults to kBrokenPromiseWindowDays. A plan
// stage lasts until the next plan stage's day (the last: window_days, else
// kPlanStageWindowDays); the broken-plan follow-up kBrokenPlanWindowDays.
std::optional<Date> StageWindowEnd(const Strategy& strategy, const Stage& stage, Date stage_date);

// Whether a stage is one of the strategy's payment_plan stages (the
// installment stages or broken_plan): said on its own, never merged.
bool IsPlanStage(const Strategy& strategy, const Stage& stage);

// Exposed for tests: whether conditions hold for a customer and the open
// amount the message would be about.
bool ConditionsHold(const Conditions& conditions, const CustomerSnapshot& customer, int64_t open_minor,
                    int64_t overdue_invoices);

}  // namespace cartera
