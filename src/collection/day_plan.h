// Planning one business day over a portfolio: the decision, then the
// contact rules of the debtor's jurisdiction at the intended time. The real
// run and the simulator call the same function.
#pragma once

#include <string>
#include <vector>

#include "collection/portfolio.h"

namespace cartera {

struct PlannedItem {
  std::string idempotency_key;
  size_t customer = 0;  // index into Portfolio::customers
  std::string currency;
  std::string stage;
  ActionType action = ActionType::kMessage;
  std::optional<Channel> channel;  // contacts only
  std::string template_name;
  std::string tone;
  Date business_date;
  Timestamp scheduled_at;
  // What the outbox payload carries (PayloadJson).
  std::vector<int64_t> invoice_ids;
  int64_t total_minor = 0;
  int32_t max_days_past_due = 0;
  Date stage_date;
  // The first local date the item is no longer worth sending: its stage's
  // window is over (StageWindowEnd). Unset: while the debt lasts.
  std::optional<Date> window_end;
  bool attach_statement = false;
  std::string escalate_to;
  // Set when another book's message says it (one message per channel per
  // run whatever the debtor owes in): the key of that item. Recorded with
  // status `merged`, never sent.
  std::string merged_into;
  // A payment_plan stage's: the plan and installment it speaks of (the
  // payload's "plan", which the message's installment variables read).
  std::optional<PlanMention> plan;
};

// The outbox payload of an item: its invoices, total, days past due, stage
// date and the customer's segments, as a JSON object.
std::string PayloadJson(const PlannedItem& item, const CustomerState& customer);

inline constexpr int32_t kDefaultRunMinutes = 8 * 60;

enum class LogKind { kPlanned = 1, kDeferred = 2, kSkipped = 3, kBlocked = 4 };
std::string_view LogKindName(LogKind kind);

struct LogItem {
  size_t customer = 0;
  Date business_date;
  std::string stage;
  std::string action;
  LogKind kind = LogKind::kPlanned;
  std::string code;       // "outside_hours", "promise_holds", ...
  std::string detail;     // for people, in English
  std::string detail_es;  // the same in Spanish
};

// The log holds what did not go out as planned (deferred, blocked,
// skipped); a planned item is its own record, in the outbox.
struct DayPlan {
  std::vector<PlannedItem> items;
  std::vector<LogItem> log;
};

struct PlanOptions {
  std::optional<Date> as_of;  // one business date for everyone; else each customer's today at `now`
  Timestamp now;              // picks each customer's today when as_of is unset
  // The tenant's daily run time, minutes after local midnight: a day's
  // contacts are asked for at this time on the business date in the
  // debtor's zone (and deferred to the first slot the law allows after
  // it), so the plan for a day never depends on the hour the run starts.
  int32_t run_minutes = kDefaultRunMinutes;
  // Records planned stages and contacts into the portfolio, so the next
  // day's plan sees them (the simulator; the run reloads instead).
  bool remember = false;
  // 0: two threads for a large portfolio, one otherwise; 1 or 2: as given.
  int threads = 0;
};

DayPlan PlanDay(Portfolio& portfolio, const PlanOptions& options);

}  // namespace cartera
