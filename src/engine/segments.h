// Behavioural segments from payment history, and size segments by weight in
// the tenant's receivables. Pure: the run feeds them ledger figures.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/language.h"

namespace cartera {

struct SegmentThresholds {
  int32_t grace_days = 5;            // paid within due + grace counts as on time
  int32_t min_history_invoices = 3;  // fewer settled or due invoices: "new"
  int32_t occasional_late_percent = 10;  // above this share of late invoices: occasional
  int32_t high_risk_late_percent = 50;   // at or above: chronic, high risk
  int32_t high_risk_over_60_percent = 50;  // share of open balance over 60 days late
  int32_t high_risk_broken_promises = 2;
};

// One invoice as the segmenter sees it.
struct PaymentRecord {
  Date due_date;
  int64_t amount_minor = 0;
  int64_t open_minor = 0;
  // When the invoice was settled (its last allocation) if open is zero.
  Date settled_on;
};

struct SegmentFigures {
  int32_t invoices_considered = 0;  // settled, or open and already due
  int32_t invoices_late = 0;
  int32_t average_days_late = 0;  // over late invoices
  int32_t over_60_percent = 0;    // of the open balance
  int32_t broken_promises = 0;
};

// Why a customer is in its segment, as a stable code:
//   chronic_late     late at the high-risk rate        -> high_risk
//   broken_promises  too many broken promises          -> high_risk
//   over_60_days     too much of the balance over 60   -> high_risk
//   little_history   too few invoices to judge         -> new
//   sometimes_late   late above the occasional rate    -> occasional
//   mostly_on_time   otherwise                         -> habitual
std::string_view SegmentReasonCode(std::string_view stored_reason);

struct BehaviourSegment {
  std::string segment;  // habitual | occasional | high_risk | new
  // The code and the figures behind it, stable for storage, JSON and CSV:
  // "chronic_late;late=4;considered=4;average_days=35;over_60_percent=80;broken_promises=2".
  // DescribeSegmentReason words it for a person.
  std::string reason;
  SegmentFigures figures;
  bool chronic_late_payer = false;  // late at the high-risk rate
  bool ever_late = false;           // false: a first-time late payer when late now
};

// The stored reason in the reader's language: "4 de 4 facturas pagadas
// tarde (...)" / "4 of 4 invoices late (...)". Text stored before reasons
// became codes is returned as it is.
std::string DescribeSegmentReason(std::string_view stored_reason, Language language);

// The figures of a stored reason (zero where absent), for JSON.
SegmentFigures SegmentReasonFigures(std::string_view stored_reason);

// A customer's settled invoices summed up: all the segment needs of them.
// The ledger keeps these figures per customer and currency up to date
// (store/payment_history.h), so a run reads open invoices only.
struct SettledHistory {
  int64_t invoices = 0;
  int64_t amount_minor = 0;
  int64_t late = 0;       // settled more than grace_days after the due date
  int64_t days_late = 0;  // summed over the late ones
};

// The settled records of `history` (open_minor == 0) summed up.
SettledHistory SummariseSettled(const std::vector<PaymentRecord>& history, int32_t grace_days);

// `settled` must be summed with thresholds.grace_days; `unsettled` holds
// the invoices with an open amount (due or not).
BehaviourSegment ComputeSegment(const SettledHistory& settled, const std::vector<PaymentRecord>& unsettled,
                                int32_t broken_promises, Date as_of, const SegmentThresholds& thresholds = {});

// The same from every invoice of the customer.
BehaviourSegment ComputeSegment(const std::vector<PaymentRecord>& history, int32_t broken_promises, Date as_of,
                                const SegmentThresholds& thresholds = {});

__extension__ typedef __int128 WideMinor;  // sums of a whole tenant's debt

// The size segment of a debtor when the debtors ranked before it owe
// `ahead` of the tenant's `total`: "A" while that is under 80%, "B" under 95%.
char SizeSegmentAt(WideMinor ahead, WideMinor total);

// ABC by weight: customers sorted by open amount, "A" covers the first 80%
// of the total, "B" the next 15%, "C" the rest. Returns one letter per input.
std::vector<char> ComputeSizeSegments(const std::vector<int64_t>& open_minor_by_customer);

}  // namespace cartera
