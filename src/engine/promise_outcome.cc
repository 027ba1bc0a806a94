#include "engine/promise_outcome.h"

#include <fmt/format.h>

#include "core/money.h"

namespace cartera {

std::string_view PromiseOutcomeName(PromiseOutcome outcome) {
  switch (outcome) {
    case PromiseOutcome::kOpen: return "open";
    case PromiseOutcome::kKept: return "kept";
    case PromiseOutcome::kPartiallyKept: return "partially_kept";
    case PromiseOutcome::kBroken: return "broken";
  }
  return "open";
}

std::optional<PromiseOutcome> ParsePromiseOutcome(std::string_view name) {
  for (PromiseOutcome outcome :
       {PromiseOutcome::kOpen, PromiseOutcome::kKept, PromiseOutcome::kPartiallyKept, PromiseOutcome::kBroken}) {
    if (PromiseOutcomeName(outcome) == name) return outcome;
  }
  return std::nullopt;
}

Result<PromiseJudgement> JudgePromise(const PromiseTerms& terms, const std::vector<PaymentOffer>& offers,
                                      Date business_date) {
  if (terms.amount_minor <= 0) {
    return Fail(Error::BadInput(fmt::format("a promise of {} minor units: the amount must be positive", terms.amount_minor)));
  }
  const Date deadline = PromiseDeadline(terms);
  // Payments count up to the deadline, and never beyond what the books show
  // on the business date.
  const Date last_counted = std::min(deadline, business_date);
  PromiseJudgement judgement;
  for (size_t i = 0; i < offers.size() && judgement.covered_minor < terms.amount_minor; ++i) {
    const PaymentOffer& offer = offers[i];
    if (offer.available_minor <= 0 || offer.currency != terms.currency) continue;
    if (offer.date < terms.created || last_counted < offer.date) continue;
    const int64_t wanted = terms.amount_minor - judgement.covered_minor;
    const int64_t taken = std::min(wanted, offer.available_minor);
    auto covered = CheckedAdd(judgement.covered_minor, taken);
    if (!covered) return Fail(covered.error());
    judgement.covered_minor = *covered;
    judgement.uses.push_back({i, taken});
  }
  if (judgement.covered_minor >= terms.amount_minor) {
    judgement.outcome = PromiseOutcome::kKept;
  } else if (deadline < business_date) {
    judgement.outcome = judgement.covered_minor > 0 ? PromiseOutcome::kPartiallyKept : PromiseOutcome::kBroken;
  } else {
    judgement.outcome = PromiseOutcome::kOpen;
  }
  return judgement;
}

Result<std::vector<PromiseJudgement>> JudgePromises(const std::vector<PromiseTerms>& promises,
                                                    std::vector<PaymentOffer>& offers, Date business_date) {
  std::vector<PromiseJudgement> judgements;
  judgements.reserve(promises.size());
  for (const PromiseTerms& terms : promises) {
    auto judgement = JudgePromise(terms, offers, business_date);
    if (!judgement) return Fail(judgement.error());
    // What a promise still open takes is not spent: its payments may yet
    // keep it, but an earlier promise's claim comes first either way, so
    // the open one's share is reserved as well.
    for (const PromiseUse& use : judgement->uses) offers[use.offer].available_minor -= use.amount_minor;
    judgements.push_back(std::move(*judgement));
  }
  return judgements;
}

}  // namespace cartera
