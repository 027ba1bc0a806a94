// Whether a promise to pay was kept: the rule, pure (no database, no clock).
//
// A promise (an amount in a currency, made on day C for day D, with the
// strategy's grace G) is judged on a business date B, as the books stood
// on B:
//   - the payments that count are the customer's payments in the promise's
//     currency dated from C through min(D + G, B) — allocated to invoices
//     or still unapplied alike (a payment is money received; applying it is
//     bookkeeping), each for what earlier promises have not already taken;
//   - kept as soon as they cover the amount (even before D);
//   - once D + G < B (the grace has passed): partially_kept when some but
//     not all of the amount arrived, broken when none did;
//   - open otherwise.
// Payments dated before C, after D + G or after B, or in another currency,
// never count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace cartera {

enum class PromiseOutcome { kOpen = 0, kKept = 1, kPartiallyKept = 2, kBroken = 3 };

// "open", "kept", "partially_kept", "broken": the stable codes.
std::string_view PromiseOutcomeName(PromiseOutcome outcome);
std::optional<PromiseOutcome> ParsePromiseOutcome(std::string_view name);

struct PromiseTerms {
  int64_t amount_minor = 0;  // > 0
  std::string currency;
  Date created;   // C: the day it was made (the customer's calendar)
  Date promised;  // D
  int32_t grace_days = 0;  // G, the strategy's promise_grace_days
};

// One payment that may count: `available_minor` is what of it no earlier
// promise has taken.
struct PaymentOffer {
  int64_t payment_id = 0;
  Date date;
  std::string currency;
  int64_t available_minor = 0;
};

struct PromiseUse {
  size_t offer = 0;  // index into the offers given
  int64_t amount_minor = 0;
};

struct PromiseJudgement {
  PromiseOutcome outcome = PromiseOutcome::kOpen;
  int64_t covered_minor = 0;       // at most the promised amount
  std::vector<PromiseUse> uses;    // the payments that count, oldest first, and how much of each
};

// The last day a payment counts for the promise: D + G.
inline Date PromiseDeadline(const PromiseTerms& terms) { return terms.promised.PlusDays(terms.grace_days); }

// Judges one promise on `business_date`. `offers` in the order they are
// taken (date, then id); offers that do not count are passed over. Never
// takes more than the promised amount: the last payment counts in part.
// kBadInput for a promise of no amount; kInternal when sums overflow.
Result<PromiseJudgement> JudgePromise(const PromiseTerms& terms, const std::vector<PaymentOffer>& offers,
                                      Date business_date);

// Judges one customer's promises in the order given (the caller sorts them
// by promised date, then id), each taking from the payments what the earlier ones left: one payment
// never keeps two promises for the same money. `offers` is updated.
Result<std::vector<PromiseJudgement>> JudgePromises(const std::vector<PromiseTerms>& promises,
                                                    std::vector<PaymentOffer>& offers, Date business_date);

}  // namespace cartera
