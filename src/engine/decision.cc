#include "engine/decision.h"

#include <algorithm>

#include <fmt/format.h>

namespace cartera {
namespace {

__extension__ typedef __int128 Wide;  // amount x percent never overflows

size_t ChannelIndex(Channel channel) { return static_cast<size_t>(channel) - 1; }

bool Holds(Tristate wanted, bool actual) {
  return wanted == Tristate::kAny || (wanted == Tristate::kYes) == actual;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<Date> LastFired(const CustomerSnapshot& customer, std::string_view stage_key) {
  for (const auto& [key, date] : customer.last_fired) {
    if (key == stage_key) return date;
  }
  return std::nullopt;
}

// The consented channel to use: the asked one, or for "best" the most
// responsive, then the fallback list in order.
std::optional<Channel> PickChannel(const Action& action, const CustomerSnapshot& customer) {
  if (action.channel == Channel::kCall || action.channel == Channel::kLetter) {
    // A collector's call and a letter need a phone number or an address the
    // snapshot marks allowed, like any channel.
    if (customer.channel_allowed[ChannelIndex(action.channel)]) return action.channel;
    return std::nullopt;
  }
  std::vector<Channel> candidates;
  if (action.channel == Channel::kBest) {
    candidates = {Channel::kWhatsapp, Channel::kSms, Channel::kEmail};
    std::stable_sort(candidates.begin(), candidates.end(), [&](Channel a, Channel b) {
      return customer.responsiveness_percent[ChannelIndex(a)] > customer.responsiveness_percent[ChannelIndex(b)];
    });
    // Unmeasured customers follow the stage's own order.
    if (customer.responsiveness_percent == std::array<int32_t, kChannelCount>{} && !action.fallback.empty()) {
      candidates = action.fallback;
    }
  } else {
    candidates.push_back(action.channel);
  }
  for (Channel channel : action.fallback) candidates.push_back(channel);
  for (Channel channel : candidates) {
    if (channel != Channel::kBest && customer.channel_allowed[ChannelIndex(channel)]) return channel;
  }
  return std::nullopt;
}

void PlanStage(const Stage& stage, const CustomerSnapshot& customer, Date stage_date,
               const std::vector<const OpenInvoice*>& about, Date today, Decision& decision) {
  if (auto fired = LastFired(customer, stage.key); fired && *fired >= stage_date) {
    decision.skipped.push_back({&stage, nullptr, SkipReason::kAlreadyDone,
                                fmt::format("stage {} already ran on {}", stage.key, fired->ToIso()),
                                fmt::format("la etapa {} ya se ejecutó el {}", stage.key, fired->ToIso())});
    return;
  }
  int64_t total = 0;
  int32_t max_days = 0;
  int64_t overdue_count = 0;
  for (const OpenInvoice* invoice : about) {
    total += invoice->open_minor;
    const int32_t days = DaysBetween(invoice->due_date, today);
    max_days = std::max(max_days, days);
    if (days > 0) ++overdue_count;
  }
  if (!ConditionsHold(stage.conditions, customer, total, overdue_count)) {
    decision.skipped.push_back(
        {&stage, nullptr, SkipReason::kConditionsNotMet, "stage conditions not met", "no se cumplen las condiciones de la etapa"});
    return;
  }
  for (const Action& action : stage.actions) {
    if (!ConditionsHold(action.conditions, customer, total, overdue_count)) {
      decision.skipped.push_back({&stage, &action, SkipReason::kConditionsNotMet, "action conditions not met",
                                  "no se cumplen las condiciones de la acción"});
      continue;
    }
    PlannedAction planned;
    planned.stage = &stage;
    planned.action = &action;
    planned.stage_date = stage_date;
    planned.total_minor = total;
    planned.max_days_past_due = max_days;
    const bool contacts = action.type == ActionType::kMessage || action.type == ActionType::kCallTask ||
                          action.type == ActionType::kLetter;
    if (contacts) {
      auto channel = PickChannel(action, customer);
      if (!channel) {
        decision.skipped.push_back({&stage, &action, SkipReason::kNoConsentedChannel,
                                    fmt::format("no consented channel among {} and its fallbacks",
                                                ChannelName(action.channel)),
                                    fmt::format("ningún canal autorizado entre {} y sus alternativas",
                                                ChannelName(action.channel))});
        continue;
      }
      planned.channel = *channel;
    } else {
      planned.channel = action.channel;
    }
    planned.invoice_ids.reserve(about.size());
    for (const OpenInvoice* invoice : about) planned.invoice_ids.push_back(invoice->id);
    decision.planned.push_back(std::move(planned));
  }
}

// The first day a plan stage that began on `stage_date` is over: the next
// plan stage's day, else its window.
Date PlanStageEnd(const PlanReminders& plan, const Stage& stage, Date stage_date) {
  if (stage.window_days) return stage_date.PlusDays(*stage.window_days);
  std::optional<int32_t> next_day;  // the stages are in the strategy's order, not by day
  for (const Stage& candidate : plan.stages) {
    if (candidate.day > stage.day && (!next_day || candidate.day < *next_day)) next_day = candidate.day;
  }
  return stage_date.PlusDays(next_day ? *next_day - stage.day : kPlanStageWindowDays);
}

// Installment reminders: per active plan in this book, the earliest unpaid
// installment whose current stage has not fired yet gets that stage's
// actions (one plan message per plan per day). true when any plan of the
// book has an installment in a stage today (planned or already done).
bool DecidePlanInstallments(const Strategy& strategy, const CustomerSnapshot& customer, Date today,
                            Decision& decision) {
  if (!strategy.payment_plan || strategy.payment_plan->stages.empty() || customer.installments == nullptr) return false;
  const PlanReminders& reminders = *strategy.payment_plan;
  bool in_stage = false;
  std::vector<int64_t> done_plans;
  for (const PlanInstallment& installment : *customer.installments) {
    if (std::find(done_plans.begin(), done_plans.end(), installment.plan_id) != done_plans.end()) continue;
    // The plan's invoices in this book: what the message speaks of.
    std::vector<const OpenInvoice*> about;
    int64_t plan_open = 0;
    for (const OpenInvoice& invoice : customer.invoices) {
      if (invoice.plan_id != installment.plan_id || invoice.open_minor <= 0) continue;
      about.push_back(&invoice);
      plan_open += invoice.open_minor;
    }
    if (about.empty()) continue;  // another currency's plan, or nothing owed
    const int64_t owed = std::min(installment.amount_minor, plan_open - installment.later_minor);
    if (owed <= 0) continue;  // paid (the run marks it at its end)
    const Stage* current = nullptr;
    for (const Stage& stage : reminders.stages) {
      if (installment.due_date.PlusDays(stage.day) <= today && (current == nullptr || stage.day > current->day)) {
        current = &stage;
      }
    }
    if (current == nullptr) continue;
    const Date stage_date = installment.due_date.PlusDays(current->day);
    if (today >= PlanStageEnd(reminders, *current, stage_date)) continue;
    in_stage = true;
    if (auto fired = LastFired(customer, current->key); fired && *fired >= stage_date) continue;  // a later installment may be due
    done_plans.push_back(installment.plan_id);
    const size_t first = decision.planned.size();
    PlanStage(*current, customer, stage_date, about, today, decision);
    for (size_t p = first; p < decision.planned.size(); ++p) {
      decision.planned[p].plan = PlanMention{installment.plan_id, installment.number, installment.due_date, owed};
    }
  }
  return in_stage;
}

// The skip when every open invoice is held, naming why.
SkippedAction AllHeld(const CustomerSnapshot& customer) {
  bool dispute = false, plan = false, escalation = false;
  for (const OpenInvoice& invoice : customer.invoices) {
    if (invoice.open_minor <= 0) continue;
    dispute |= invoice.held == HeldReason::kDispute || invoice.held == HeldReason::kNone;
    plan |= invoice.held == HeldReason::kPaymentPlan;
    escalation |= invoice.held == HeldReason::kEscalation;
  }
  if (plan && !dispute && !escalation) {
    return {nullptr, nullptr, SkipReason::kAllInvoicesInPlan, "all open invoices are in a payment plan",
            "todas las facturas abiertas están en un acuerdo de pago"};
  }
  if (escalation && !dispute && !plan) {
    return {nullptr, nullptr, SkipReason::kAllInvoicesEscalated, "all open invoices are with an agency or in court",
            "todas las facturas abiertas están con una agencia o en un proceso judicial"};
  }
  if (dispute && !plan && !escalation) {
    return {nullptr, nullptr, SkipReason::kAllInvoicesDisputed, "all open invoices are disputed",
            "todas las facturas abiertas están en disputa"};
  }
  return {nullptr, nullptr, SkipReason::kAllInvoicesHeld,
          "all open invoices are held: disputed, in a payment plan, or with an agency or in court",
          "todas las facturas abiertas están retenidas: en disputa, en un acuerdo de pago o con una agencia o en un "
          "proceso judicial"};
}

}  // namespace

bool ConditionsHold(const Conditions& conditions, const CustomerSnapshot& customer, int64_t open_minor,
                    int64_t overdue_invoices) {
  if (!Contains(conditions.segments, customer.segment)) return false;
  if (!Contains(conditions.size_segments, customer.size_segment)) return false;
  if (!Contains(conditions.countries, customer.country)) return false;
  // An amount in another currency than the book's says nothing about it.
  if (conditions.min_open &&
      (customer.currency != conditions.min_open->currency || open_minor < conditions.min_open->minor_units)) {
    return false;
  }
  if (conditions.max_open &&
      (customer.currency != conditions.max_open->currency || open_minor > conditions.max_open->minor_units)) {
    return false;
  }
  if (conditions.min_open_to_average_percent &&
      (customer.average_invoice_minor <= 0 ||
       static_cast<Wide>(open_minor) * 100 <
           static_cast<Wide>(customer.average_invoice_minor) * *conditions.min_open_to_average_percent)) {
    return false;
  }
  if (conditions.min_overdue_invoices && overdue_invoices < *conditions.min_overdue_invoices) return false;
  if (conditions.payer_history == PayerHistory::kChronic && !customer.chronic_late_payer) return false;
  if (conditions.payer_history == PayerHistory::kFirstTime && customer.ever_late) return false;
  const bool promise_open = customer.promise && !customer.promise->broken;
  const bool promise_broken = customer.promise && customer.promise->broken;
  return Holds(conditions.promise_open, promise_open) && Holds(conditions.promise_broken, promise_broken) &&
         Holds(conditions.answered_last_contact, customer.answered_last_contact) &&
         Holds(conditions.consumer, customer.consumer);
}

void Decide(const Strategy& strategy, const CustomerSnapshot& customer, Date today, Decision& decision) {
  // Disputed invoices are out of every message and never drive a stage.
  std::vector<const OpenInvoice*> overdue, upcoming;
  bool any_open = false;
  for (const OpenInvoice& invoice : customer.invoices) {
    if (invoice.open_minor <= 0) continue;
    any_open = true;
    if (invoice.disputed) continue;
    (DaysBetween(invoice.due_date, today) > 0 ? overdue : upcoming).push_back(&invoice);
  }
  // An active plan's invoices are held from the stages below: its
  // installments have stages of their own.
  const bool plan_in_stage = DecidePlanInstallments(strategy, customer, today, decision);
  if (overdue.empty() && upcoming.empty()) {
    if (any_open && !plan_in_stage) decision.skipped.push_back(AllHeld(customer));
    return;
  }

  if (!overdue.empty()) {
    // A broken plan's follow-up takes over its window, once (like a broken
    // promise's): the plan's invoices are overdue again.
    if (customer.broken_plan && customer.broken_plan->currency == customer.currency && strategy.payment_plan &&
        strategy.payment_plan->broken_plan) {
      const Stage& follow_up = *strategy.payment_plan->broken_plan;
      const Date ends = follow_up.window_days ? customer.broken_plan->broken_on.PlusDays(*follow_up.window_days)
                                              : customer.broken_plan->broken_on.PlusDays(kBrokenPlanWindowDays);
      if (today < ends) {
        const size_t first = decision.planned.size();
        PlanStage(follow_up, customer, customer.broken_plan->broken_on, overdue, today, decision);
        for (size_t p = first; p < decision.planned.size(); ++p) {
          decision.planned[p].plan = PlanMention{customer.broken_plan->plan_id, 0, customer.broken_plan->broken_on, 0};
        }
        return;
      }
    }
    // A broken promise replaces the regular stage with its follow-up, once.
    if (customer.promise && customer.promise->broken && strategy.broken_promise) {
      const Date broken_on = customer.promise->promised_date.PlusDays(strategy.promise_grace_days + 1);
      PlanStage(*strategy.broken_promise, customer, broken_on, overdue, today, decision);
      return;
    }
    if (customer.promise && !customer.promise->broken) {
      decision.skipped.push_back({nullptr, nullptr, SkipReason::kPromiseHolds,
                                  fmt::format("promise to pay on {} (+{} days grace) holds overdue messages",
                                              customer.promise->promised_date.ToIso(), strategy.promise_grace_days),
                                  fmt::format("la promesa de pago del {} (+{} días de gracia) detiene los mensajes de mora",
                                              customer.promise->promised_date.ToIso(), strategy.promise_grace_days)});
      return;
    }
    const OpenInvoice* driver = overdue.front();
    for (const OpenInvoice* invoice : overdue) {
      const bool better = strategy.driver == StageDriver::kOldestInvoice
                              ? invoice->due_date < driver->due_date
                              : invoice->open_minor > driver->open_minor;
      if (better) driver = invoice;
    }
    const Stage* current = nullptr;
    for (const Stage& stage : strategy.stages) {
      if (stage.day >= 1 && driver->due_date.PlusDays(stage.day) <= today) current = &stage;
    }
    if (current == nullptr) {
      decision.skipped.push_back({nullptr, nullptr, SkipReason::kNothingDue, "overdue, but before the first overdue stage",
                                  "vencida, pero antes de la primera etapa de mora"});
      return;
    }
    // One consolidated message about every overdue invoice.
    PlanStage(*current, customer, driver->due_date.PlusDays(current->day), overdue, today, decision);
    return;
  }

  // Preventive reminders: invoices whose reminder stage has begun, grouped by
  // stage, one message per stage.
  for (size_t s = 0; s < strategy.stages.size(); ++s) {
    const Stage& stage = strategy.stages[s];
    if (stage.day > 0) break;
    const int32_t next_day = s + 1 < strategy.stages.size() ? strategy.stages[s + 1].day : stage.day + 1;
    std::vector<const OpenInvoice*> about;
    Date stage_date;
    for (const OpenInvoice* invoice : upcoming) {
      const Date begins = invoice->due_date.PlusDays(stage.day);
      if (begins <= today && today < invoice->due_date.PlusDays(std::min(next_day, 1))) {
        if (about.empty() || begins > stage_date) stage_date = begins;
        about.push_back(invoice);
      }
    }
    if (!about.empty()) PlanStage(stage, customer, stage_date, about, today, decision);
  }
}

bool IsPlanStage(const Strategy& strategy, const Stage& stage) {
  if (!strategy.payment_plan) return false;
  const PlanReminders& plan = *strategy.payment_plan;
  if (plan.broken_plan && &stage == &*plan.broken_plan) return true;
  return !plan.stages.empty() && &stage >= plan.stages.data() && &stage < plan.stages.data() + plan.stages.size();
}

std::optional<Date> StageWindowEnd(const Strategy& strategy, const Stage& stage, Date stage_date) {
  if (strategy.payment_plan && IsPlanStage(strategy, stage)) {
    if (&stage == (strategy.payment_plan->broken_plan ? &*strategy.payment_plan->broken_plan : nullptr)) {
      return stage_date.PlusDays(stage.window_days ? *stage.window_days : kBrokenPlanWindowDays);
    }
    return PlanStageEnd(*strategy.payment_plan, stage, stage_date);
  }
  if (stage.window_days) return stage_date.PlusDays(*stage.window_days);
  if (strategy.broken_promise && &stage == &*strategy.broken_promise) return stage_date.PlusDays(kBrokenPromiseWindowDays);
  for (const Stage& candidate : strategy.stages) {
    if (candidate.day > stage.day) return stage_date.PlusDays(candidate.day - stage.day);
  }
  return std::nullopt;
}

}  // namespace cartera
