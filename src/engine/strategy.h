// A collection strategy: stages keyed by days relative to the due date, each
// with actions and the conditions under which they apply. Strategies are
// data (JSON or YAML), stored per tenant, validated on import.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"
#include "core/language.h"
#include "engine/segments.h"

namespace cartera {

// Never renumber: stored in the outbox and the engine log.
enum class ActionType {
  kMessage = 1,     // send through a channel with a template
  kCallTask = 2,    // a task in a collector's worklist
  kLetter = 3,      // a printed letter
  kLateFee = 4,     // apply a late fee or interest (carried out by agreements)
  kCreditHold = 5,  // stop selling on credit to the customer
  kEscalate = 6,    // hand over to an agency or to legal
  kWait = 7,        // do nothing at this stage (explicitly)
};

enum class Channel { kEmail = 1, kSms = 2, kWhatsapp = 3, kCall = 4, kLetter = 5, kBest = 6 };

std::string_view ActionTypeName(ActionType type);
std::string_view ChannelName(Channel channel);
std::optional<Channel> ParseChannel(std::string_view text);

enum class PayerHistory { kAny = 0, kFirstTime = 1, kChronic = 2 };
enum class Tristate { kAny = 0, kYes = 1, kNo = 2 };

// An amount with its currency: `min_open: {amount: "1000000.00", currency:
// COP}`. A condition on an amount holds only for a book (the customer's open
// invoices of one currency) in that currency: 1,000,000 means nothing
// without saying of what.
struct AmountThreshold {
  int64_t minor_units = 0;
  std::string currency;  // ISO 4217
  friend bool operator==(const AmountThreshold&, const AmountThreshold&) = default;
};

// All present conditions must hold.
struct Conditions {
  std::vector<std::string> segments;      // behavioural segment in this list
  std::vector<std::string> size_segments; // size segment in this list
  std::vector<std::string> countries;     // customer country in this list
  // The open amount of the book at least / at most this much. Strategies
  // written before thresholds had a currency said `min_open_minor: N`; they
  // load when a `currency` stands beside it, and are refused (with how to
  // write it) when none does.
  std::optional<AmountThreshold> min_open;
  std::optional<AmountThreshold> max_open;
  // Open amount at least this many times the customer's average invoice (x100).
  std::optional<int64_t> min_open_to_average_percent;
  std::optional<int64_t> min_overdue_invoices;
  PayerHistory payer_history = PayerHistory::kAny;
  Tristate promise_open = Tristate::kAny;
  Tristate promise_broken = Tristate::kAny;
  Tristate answered_last_contact = Tristate::kAny;
  Tristate consumer = Tristate::kAny;  // person (B2C) vs company
};

struct Action {
  ActionType type = ActionType::kMessage;
  Channel channel = Channel::kEmail;
  // Fallback order when channel is kBest or the asked channel is not allowed.
  std::vector<Channel> fallback;
  std::string template_name;  // e.g. "overdue_7"; default: the stage key
  std::string tone = "cordial";
  bool attach_statement = false;
  std::string escalate_to;  // "agency" | "legal" for kEscalate
  Conditions conditions;
};

struct Stage {
  std::string key;  // "before_due_7", "overdue_30", "broken_promise"
  int32_t day = 0;  // days relative to the due date (negative: before)
  // How many days from the stage's first day an action the law or a cap
  // held back is still retried. Unset: until the next stage's day (the last
  // stage: while the debt lasts; broken_promise: kBrokenPromiseWindowDays).
  std::optional<int32_t> window_days;
  Conditions conditions;
  std::vector<Action> actions;
};

inline constexpr int32_t kBrokenPromiseWindowDays = 7;

// Installment reminders while a payment plan is active (agreements/,
// docs/payment-plans.md): the plan's invoices are held from the regular
// stages; these stages, keyed by days relative to each installment's date
// (-3 a reminder, 0 due today, +3 the missed follow-up), speak of the next
// unpaid installment instead. `broken_plan` takes over once when a plan
// breaks, like `broken_promise`. Stage keys are unique across the strategy.
struct PlanReminders {
  std::vector<Stage> stages;  // in the document's order; days unique
  std::optional<Stage> broken_plan;
};

// The last installment stage is retried this long unless it says
// window_days; the broken-plan follow-up likewise.
inline constexpr int32_t kPlanStageWindowDays = 7;
inline constexpr int32_t kBrokenPlanWindowDays = 7;

// Which overdue invoice sets a consolidated customer's stage.
enum class StageDriver { kOldestInvoice = 1, kLargestInvoice = 2 };

struct Strategy {
  std::string name;
  std::string description;
  StageDriver driver = StageDriver::kOldestInvoice;
  // An open promise holds overdue messages until its date plus this grace.
  int32_t promise_grace_days = 2;
  // When a customer counts as habitual, occasional, high risk or new.
  SegmentThresholds segment_thresholds;
  std::vector<Stage> stages;  // sorted by day; "broken_promise" has no day
  std::optional<Stage> broken_promise;
  std::optional<PlanReminders> payment_plan;  // absent: a plan's invoices get no messages
};

// Parses and validates; errors name the path ("stages[2].actions[0].channel")
// and say the problem in `language` ("strategy: <path>: <problem>", in
// Spanish "estrategia: <path>: <problem>").
Result<Strategy> ParseStrategy(const nlohmann::json& document, Language language = Language::kEnglish);
Result<Strategy> ParseStrategyText(std::string_view text, Language language = Language::kEnglish);  // JSON or YAML
nlohmann::json StrategyToJson(const Strategy& strategy);

// The strategy a new tenant starts with: preventive reminders at -7, -1 and
// 0, then +1, +7, +15, +30, +60, +90, with calls for larger debts and a
// payment-plan offer from +30. Good enough for a real SME on day one.
const Strategy& DefaultStrategy();

}  // namespace cartera
