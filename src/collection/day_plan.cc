#include "collection/day_plan.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <map>
#include <tuple>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"

namespace cartera {
namespace {

std::string_view SkipCode(SkipReason reason) {
  switch (reason) {
    case SkipReason::kNothingDue: return "nothing_due";
    case SkipReason::kPromiseHolds: return "promise_holds";
    case SkipReason::kAlreadyDone: return "already_done";
    case SkipReason::kConditionsNotMet: return "conditions_not_met";
    case SkipReason::kNoConsentedChannel: return "no_consented_channel";
    case SkipReason::kAllInvoicesDisputed: return "all_disputed";
    case SkipReason::kAllInvoicesInPlan: return "all_in_payment_plan";
    case SkipReason::kAllInvoicesEscalated: return "all_with_agency_or_court";
    case SkipReason::kAllInvoicesHeld: return "all_held";
  }
  return "skipped";
}

bool IsContact(ActionType type) {
  return type == ActionType::kMessage || type == ActionType::kCallTask || type == ActionType::kLetter;
}

}  // namespace

std::string_view LogKindName(LogKind kind) {
  switch (kind) {
    case LogKind::kPlanned: return "planned";
    case LogKind::kDeferred: return "deferred";
    case LogKind::kSkipped: return "skipped";
    case LogKind::kBlocked: return "blocked";
  }
  return "planned";
}

namespace {

// A JSON string. The payload's texts are codes (ISO currency, segment
// names) that need no escaping; the library escapes anything else.
void AppendJsonText(std::string& out, std::string_view value) {
  const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
  });
  if (!plain) {
    out += nlohmann::json(value).dump();
    return;
  }
  out += '"';
  out += value;
  out += '"';
}

void AppendInteger(std::string& out, int64_t value) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

std::string PayloadJson(const PlannedItem& item, const CustomerState& customer) {
  // Written directly: building a JSON tree per item cost more than deciding it.
  std::string out;
  out.reserve(160 + item.invoice_ids.size() * 10);
  out += "{\"currency\":";
  AppendJsonText(out, item.currency);
  out += ",\"invoice_ids\":[";
  for (size_t i = 0; i < item.invoice_ids.size(); ++i) {
    if (i > 0) out += ',';
    AppendInteger(out, item.invoice_ids[i]);
  }
  out += "],\"total_minor\":";
  AppendInteger(out, item.total_minor);
  out += ",\"max_days_past_due\":";
  AppendInteger(out, item.max_days_past_due);
  out += ",\"stage_date\":\"";
  out += item.stage_date.ToIso();
  out += "\",\"segment\":";
  AppendJsonText(out, customer.segment.segment);
  out += ",\"size_segment\":";
  AppendJsonText(out, customer.size_segment);
  if (item.window_end) {
    out += ",\"window_ends\":\"";
    out += item.window_end->ToIso();
    out += '"';
  }
  if (item.attach_statement) out += ",\"attach_statement\":true";
  if (!item.escalate_to.empty()) {
    out += ",\"escalate_to\":";
    AppendJsonText(out, item.escalate_to);
  }
  if (!item.merged_into.empty()) {
    out += ",\"merged_into\":";
    AppendJsonText(out, item.merged_into);
  }
  if (item.plan) {
    out += ",\"plan\":{\"id\":";
    AppendInteger(out, item.plan->plan_id);
    if (item.plan->installment > 0) {
      out += ",\"installment\":";
      AppendInteger(out, item.plan->installment);
      out += ",\"installment_due_date\":\"";
      out += item.plan->due_date.ToIso();
      out += "\",\"installment_minor\":";
      AppendInteger(out, item.plan->installment_minor);
    } else {
      out += ",\"broken_on\":\"";
      out += item.plan->due_date.ToIso();
      out += '"';
    }
    out += '}';
  }
  out += '}';
  return out;
}

namespace {

// One action the decision planned for one of a customer's currency books.
struct Candidate {
  size_t book = 0;
  PlannedAction planned;
  // -1: said on its own; >= 0: said by that candidate's message; -2: its
  // message was blocked, so it was not said at all.
  int64_t merged_into = -1;
};

std::string KeyOf(const Portfolio& portfolio, const CustomerState& customer, const Candidate& candidate,
                  const CurrencyBook& book, Date today) {
  const Stage& stage = *candidate.planned.stage;
  size_t action_index = 0;
  for (size_t a = 0; a < stage.actions.size(); ++a) {
    if (&stage.actions[a] == candidate.planned.action) action_index = a;
  }
  return fmt::format("{}:{}:{}:{}:{}:{}:{}", portfolio.tenant_id, customer.id, portfolio.strategy_name, stage.key,
                     book.currency, today.ToIso(), action_index);
}

// A debtor who owes in several currencies gets one message per channel
// per run about all of them: the overdue messages of the other books join
// the one of the most advanced stage (a broken promise's follow-up first),
// which names every invoice; the others are recorded as merged into it.
// Preventive reminders stay apart: they speak of invoices not yet due.
void MergeAcrossBooks(const Strategy& strategy, std::vector<Candidate>& candidates) {
  auto overdue_message = [&](const Candidate& candidate) {
    const Stage* stage = candidate.planned.stage;
    const bool follow_up = strategy.broken_promise && stage == &*strategy.broken_promise;
    // A payment plan's messages speak of the plan alone.
    if (IsPlanStage(strategy, *stage)) return false;
    return candidate.planned.action->type == ActionType::kMessage && (follow_up || stage->day > 0);
  };
  auto weight = [&](const Candidate& candidate) {
    const Stage* stage = candidate.planned.stage;
    return strategy.broken_promise && stage == &*strategy.broken_promise ? 1'000'000 : stage->day;
  };
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!overdue_message(candidates[i]) || candidates[i].merged_into != -1) continue;
    // The group of this channel's overdue messages, in other books.
    std::vector<size_t> group{i};
    for (size_t j = i + 1; j < candidates.size(); ++j) {
      if (overdue_message(candidates[j]) && candidates[j].merged_into == -1 && candidates[j].book != candidates[i].book &&
          candidates[j].planned.channel == candidates[i].planned.channel) {
        group.push_back(j);
      }
    }
    if (group.size() < 2) continue;
    size_t driver = group.front();
    for (size_t k : group) {
      if (weight(candidates[k]) > weight(candidates[driver])) driver = k;
    }
    PlannedAction& said = candidates[driver].planned;
    for (size_t k : group) {
      if (k == driver) continue;
      const PlannedAction& other = candidates[k].planned;
      said.invoice_ids.insert(said.invoice_ids.end(), other.invoice_ids.begin(), other.invoice_ids.end());
      said.max_days_past_due = std::max(said.max_days_past_due, other.max_days_past_due);
      candidates[k].merged_into = static_cast<int64_t>(driver);
    }
  }
}

// Plans customers [begin, end). Touches only those customers' state, so
// two ranges can be planned at once.
DayPlan PlanRange(Portfolio& portfolio, size_t begin, size_t end, const PlanOptions& options) {
  DayPlan plan;
  const Strategy& strategy = portfolio.strategy;
  Decision decision;
  std::vector<Candidate> candidates;  // one customer's, reused
  // Customers share a handful of zones: resolve each zone's today once.
  std::unordered_map<std::string, std::pair<std::string_view, Date>> zones;
  // A debtor with no contact on record gets the answer every such debtor
  // of the same rulebook, channel, zone, country and authorisations gets:
  // asked once (most of a first run's checks). A debtor with a window of
  // their own is asked alone.
  using CheckKey = std::tuple<const compliance::Rulebook*, compliance::Channel, std::string, std::string, unsigned, Timestamp>;
  std::map<CheckKey, compliance::ContactDecision> first_contact_answers;
  compliance::ContactDecision checked;
  auto check_contact = [&](const compliance::Rulebook& rulebook, const compliance::ContactRequest& request,
                   const std::vector<compliance::PastContact>& history) -> const compliance::ContactDecision& {
    if (!history.empty() || request.debtor_hours) {
      checked = compliance::CheckContact(rulebook, request, history);
      return checked;
    }
    unsigned authorised = 0;
    for (unsigned channel = 0; channel < 8; ++channel) {
      if (request.authorised_channels.Has(static_cast<compliance::Channel>(channel))) authorised |= 1u << channel;
    }
    CheckKey key{&rulebook, request.channel, request.time_zone, request.country, authorised, request.at};
    auto found = first_contact_answers.find(key);
    if (found == first_contact_answers.end()) {
      found = first_contact_answers.emplace(std::move(key), compliance::CheckContact(rulebook, request, history)).first;
    }
    return found->second;
  };
  for (size_t index = begin; index < end; ++index) {
    CustomerState& customer = portfolio.customers[index];
    auto known = zones.find(customer.time_zone);
    if (known == zones.end()) {
      const std::string_view valid = IsKnownTimeZone(customer.time_zone) ? std::string_view(customer.time_zone) : "UTC";
      known = zones.emplace(customer.time_zone, std::pair{valid, DateIn(valid, options.now)}).first;
    }
    const std::string_view zone = known->second.first;
    const Date today = options.as_of ? *options.as_of : known->second.second;
    const Timestamp run_at = LocalTimeToUtc(zone, today, options.run_minutes);
    // A promise is broken once its date plus grace has passed with debt
    // still overdue (one broken earlier stays broken: its follow-up's window
    // may still run).
    if (customer.promise) {
      customer.promise->broken =
          customer.promise->broken || customer.promise->promised_date.PlusDays(strategy.promise_grace_days) < today;
    }
    CustomerSnapshot snapshot;
    snapshot.customer_id = customer.id;
    snapshot.country = customer.country;
    snapshot.consumer = customer.consumer;
    snapshot.segment = customer.segment.segment;
    snapshot.size_segment = customer.size_segment;
    snapshot.chronic_late_payer = customer.segment.chronic_late_payer;
    snapshot.ever_late = customer.segment.ever_late;
    snapshot.answered_last_contact = customer.answered_last_contact;
    snapshot.promise = customer.promise;
    snapshot.channel_allowed = customer.access.allowed;
    snapshot.responsiveness_percent = customer.responsiveness_percent;
    snapshot.installments = customer.installments.empty() ? nullptr : &customer.installments;
    snapshot.broken_plan = customer.broken_plan ? &*customer.broken_plan : nullptr;
    const compliance::Rulebook& rulebook = compliance::RulebookFor(
        customer.country, customer.consumer ? compliance::DebtorKind::kConsumer : compliance::DebtorKind::kBusiness);

    // Decide for every currency book first: the overdue messages of all
    // books on one channel then go out as one message (MergeAcrossBooks).
    candidates.clear();
    for (size_t b = 0; b < customer.books.size(); ++b) {
      const CurrencyBook& book = customer.books[b];
      snapshot.invoices = book.invoices;
      snapshot.currency = book.currency;
      snapshot.last_fired.clear();
      for (const auto& [key, date] : customer.last_fired) snapshot.last_fired.emplace_back(key, date);
      snapshot.average_invoice_minor = book.average_invoice_minor;
      decision.planned.clear();
      decision.skipped.clear();
      Decide(strategy, snapshot, today, decision);
      for (const SkippedAction& skipped : decision.skipped) {
        if (skipped.reason == SkipReason::kAlreadyDone || skipped.reason == SkipReason::kNothingDue) continue;
        // An action the strategy reserves for others (a call for large
        // debts only) is not news when its stage went out by another action:
        // logging it would add a row per customer per day.
        if (skipped.reason == SkipReason::kConditionsNotMet && skipped.action != nullptr &&
            std::any_of(decision.planned.begin(), decision.planned.end(),
                        [&](const PlannedAction& planned) { return planned.stage == skipped.stage; })) {
          continue;
        }
        plan.log.push_back({index, today, skipped.stage ? skipped.stage->key : "",
                            skipped.action ? std::string(ActionTypeName(skipped.action->type)) : "",
                            LogKind::kSkipped, std::string(SkipCode(skipped.reason)), skipped.detail,
                            skipped.detail_es});
      }
      for (PlannedAction& planned : decision.planned) candidates.push_back({b, std::move(planned), -1});
    }
    MergeAcrossBooks(strategy, candidates);

    // What is said on its own first (the law may hold it back), then what
    // a message of another book says: recorded only when that one goes.
    for (size_t step = 0; step < 2 * candidates.size(); ++step) {
      const size_t c = step % candidates.size();
      const Candidate& candidate = candidates[c];
      if ((step < candidates.size()) != (candidate.merged_into == -1) || candidate.merged_into == -2) continue;
      const CurrencyBook& book = customer.books[candidate.book];
      const PlannedAction& planned = candidate.planned;
      const Stage& stage = *planned.stage;
      const Action& action = *planned.action;
      PlannedItem item;
      item.customer = index;
      item.currency = book.currency;
      item.stage = stage.key;
      item.action = action.type;
      item.template_name = action.template_name;
      item.tone = action.tone;
      item.business_date = today;
      item.scheduled_at = run_at;
      item.idempotency_key = KeyOf(portfolio, customer, candidate, book, today);
      item.invoice_ids = planned.invoice_ids;
      item.total_minor = planned.total_minor;
      item.max_days_past_due = planned.max_days_past_due;
      item.stage_date = planned.stage_date;
      item.window_end = StageWindowEnd(strategy, stage, planned.stage_date);
      item.attach_statement = action.attach_statement;
      item.escalate_to = action.escalate_to;
      item.plan = planned.plan;
      if (candidate.merged_into >= 0) {
        // Said by another book's message: recorded (its stage ran) but
        // never sent on its own.
        const Candidate& into = candidates[static_cast<size_t>(candidate.merged_into)];
        item.merged_into = KeyOf(portfolio, customer, into, customer.books[into.book], today);
        plan.items.push_back(std::move(item));
        continue;
      }

      if (IsContact(action.type)) {
        item.channel = planned.channel;
        compliance::ContactRequest request;
        request.channel = static_cast<compliance::Channel>(planned.channel);
        request.at = run_at;
        request.time_zone = customer.time_zone;
        request.country = customer.country;
        request.authorised_channels = customer.access.authorised_by_debtor;
        request.debtor_hours = customer.access.debtor_hours;
        const compliance::ContactDecision& allowed = check_contact(rulebook, request, customer.contacts);
        if (!allowed.allowed()) {
          const std::optional<Date>& ends = item.window_end;
          const bool in_stage = allowed.next_allowed && (!ends || DateIn(zone, *allowed.next_allowed) < *ends);
          plan.log.push_back(
              {index, today, stage.key, std::string(ActionTypeName(action.type)),
               in_stage ? LogKind::kDeferred : LogKind::kBlocked, std::string(compliance::BlockCodeName(allowed.code)),
               in_stage ? fmt::format("{} Deferred to {}.", allowed.reason_en, FormatLocalTime(zone, *allowed.next_allowed))
               : ends   ? fmt::format("{} Not allowed before the stage's window ends on {}: retried by the next run "
                                      "while the window lasts.",
                                      allowed.reason_en, ends->ToIso())
                        : fmt::format("{} Retried by the next run.", allowed.reason_en),
               in_stage ? fmt::format("{} Aplazado al {}.", allowed.reason_es, FormatLocalTime(zone, *allowed.next_allowed))
               : ends   ? fmt::format("{} No se permite antes de que termine la ventana de la etapa el {}: la próxima "
                                      "corrida lo reintenta mientras dure.",
                                      allowed.reason_es, ends->ToIso())
                        : fmt::format("{} La próxima corrida lo reintenta.", allowed.reason_es)});
          if (!in_stage) {
            // Not said at all: a message merged into it is not said either.
            for (Candidate& other : candidates) {
              if (other.merged_into == static_cast<int64_t>(c)) other.merged_into = -2;
            }
            continue;
          }
          item.scheduled_at = *allowed.next_allowed;
        }
        // Later contacts of this run count, so two actions cannot both take the day's only slot.
        // The simulator assumes every planned contact is delivered.
        customer.contacts.push_back({request.channel, item.scheduled_at,
                                     options.remember ? compliance::ContactKind::kDelivered
                                                      : compliance::ContactKind::kAttempt});
      }
      plan.items.push_back(std::move(item));
    }
    if (options.remember) {
      for (const Candidate& candidate : candidates) {
        if (candidate.merged_into == -2) continue;
        bool found = false;
        for (auto& [key, date] : customer.last_fired) {
          if (key == candidate.planned.stage->key) {
            date = today;
            found = true;
          }
        }
        if (!found) customer.last_fired.emplace_back(candidate.planned.stage->key, today);
      }
    }
  }
  return plan;
}

}  // namespace

DayPlan PlanDay(Portfolio& portfolio, const PlanOptions& options) {
  const size_t count = portfolio.customers.size();
  // Deciding is independent per customer: a large portfolio is planned in
  // two halves on two threads and the halves joined in customer order, so
  // the plan is the same as one thread's.
  constexpr size_t kWorthASecondThread = 20'000;
  const int threads = options.threads > 0                                                   ? options.threads
                      : count >= kWorthASecondThread && std::thread::hardware_concurrency() >= 2 ? 2
                                                                                                 : 1;
  if (threads < 2 || count < 2) {
    return PlanRange(portfolio, 0, count, options);
  }
  const size_t half = count / 2;
  DayPlan second;
  std::thread worker([&] { second = PlanRange(portfolio, half, count, options); });
  DayPlan plan = PlanRange(portfolio, 0, half, options);
  worker.join();
  plan.items.insert(plan.items.end(), std::make_move_iterator(second.items.begin()),
                    std::make_move_iterator(second.items.end()));
  plan.log.insert(plan.log.end(), std::make_move_iterator(second.log.begin()), std::make_move_iterator(second.log.end()));
  return plan;
}

}  // namespace cartera
