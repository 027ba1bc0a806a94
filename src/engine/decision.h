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

struct OpenInvoice {
  int64_t id = 0;
  Date due_date;
  int64_t open_minor = 0;
  bool disputed = false;  // an open dispute: never mentioned, never drives a stage
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
};

enum class SkipReason {
  kNothingDue = 1,
  kPromiseHolds = 2,
  kAlreadyDone = 3,
  kConditionsNotMet = 4,
  kNoConsentedChannel = 5,
  kAllInvoicesDisputed = 6,
};

struct PlannedAction {
  const Stage* stage = nullptr;
  const Action* action = nullptr;
  Channel channel = Channel::kEmail;  // resolved: never kBest
  Date stage_date;                    // when the stage began for this customer
  std::vector<int64_t> invoice_ids;   // what the message is about
  int64_t total_minor = 0;
  int32_t max_days_past_due = 0;
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
// broken-promise follow-up defaults to kBrokenPromiseWindowDays.
std::optional<Date> StageWindowEnd(const Strategy& strategy, const Stage& stage, Date stage_date);

// Exposed for tests: whether conditions hold for a customer and the open
// amount the message would be about.
bool ConditionsHold(const Conditions& conditions, const CustomerSnapshot& customer, int64_t open_minor,
                    int64_t overdue_invoices);

}  // namespace cartera
