// The arithmetic of an offer, pure: what the debtor must pay and what is
// forgiven, how the forgiven part is shared among the covered invoices, and
// whether a forgiven part is within a role's approval limit. No database,
// no clock: the use cases in offers/offers.h call these and store the result.
//
// Percentages are basis points (1 % = 100 bp) so they are exact integers;
// a person writes "5", "2.5" or "12.75" (at most two decimals).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/language.h"

namespace cartera::offers {

inline constexpr int64_t kBasisPointsPerWhole = 10'000;  // 100.00 %

// The three kinds of offer. Codes stay stable in JSON, the CLI and the table.
enum class OfferType { kEarlyPaymentDiscount = 1, kWaiver = 2, kSettlement = 3 };

std::optional<OfferType> ParseOfferType(std::string_view text);
std::string_view OfferTypeCode(OfferType type);  // "early_payment_discount" | "waiver" | "settlement"
// The credit note kind the forgiven part is posted as (store/credit_note_post.h).
std::string_view CreditNoteKindFor(OfferType type);  // "discount" | "waiver" | "settlement"

// "5" -> 500, "2.5" -> 250, "12.75" -> 1275. kBadInput (worded in
// `language`, naming nothing: the caller prefixes the field) for anything
// else: signs, exponents, more than two decimals, more than 100.
Result<int64_t> ParsePercent(std::string_view text, Language language);
// 1275 -> "12.75" (always two decimals).
std::string FormatPercent(int64_t basis_points);

struct OfferAmounts {
  int64_t balance_minor = 0;   // the covered open balance the offer starts from
  int64_t forgiven_minor = 0;  // credited when the offer is fulfilled
  int64_t due_minor = 0;       // what the debtor must pay: balance - forgiven
};

// The amounts for forgiving `basis_points` of `balance_minor`. The forgiven
// part is rounded DOWN to the minor unit (floor(balance * bp / 10000)): the
// business never forgives more than the percent it stated, and the debtor
// pays the cent the rounding leaves. kBadInput when the balance is not
// positive, the percent is not in (0, 100) or rounds to nothing.
Result<OfferAmounts> AmountsForPercent(int64_t balance_minor, int64_t basis_points, Language language);
// The amounts for forgiving exactly `forgiven_minor` (a waiver names an
// amount). kBadInput unless 0 < forgiven < balance.
Result<OfferAmounts> AmountsForForgiven(int64_t balance_minor, int64_t forgiven_minor, Language language);

// The forgiven part shared among invoices in proportion to their open
// amounts, by the largest remainder (Money::SplitByWeights): the shares add
// up to exactly `forgiven_minor`, and no share is above its invoice's open
// amount. REQUIRES: open amounts > 0, 0 <= forgiven <= their sum.
std::vector<int64_t> ShareForgiven(int64_t forgiven_minor, const std::vector<int64_t>& open_minor);

// What to credit on each invoice when the offer is fulfilled, given what
// each still owes now: the planned share where the invoice still owes it,
// and what a share cannot take (the payment landed on that invoice first)
// on the other invoices in order, never above what one owes. The credits
// add up to min(forgiven, sum of open). REQUIRES: sizes equal, all >= 0.
std::vector<int64_t> CreditsAtFulfilment(const std::vector<int64_t>& planned_minor,
                                         const std::vector<int64_t>& open_now_minor);

// A role's limit: the largest forgiven share of the covered balance it may
// grant without approval (nullopt: unlimited) and, optionally, the largest
// forgiven amount in the offer's currency.
struct ApprovalLimit {
  std::optional<int64_t> max_basis_points;
  std::optional<int64_t> max_forgiven_minor;
};

// True when forgiving `forgiven_minor` of `balance_minor` is within the
// limit: forgiven / balance <= max percent (compared exactly, in 128 bits)
// and forgiven <= the amount cap, when there is one.
bool WithinLimit(const ApprovalLimit& limit, int64_t forgiven_minor, int64_t balance_minor);

// The forgiven share as basis points, rounded up (what a person reads as
// "the offer's percent" when the offer named an amount).
int64_t ForgivenBasisPoints(int64_t forgiven_minor, int64_t balance_minor);

}  // namespace cartera::offers
