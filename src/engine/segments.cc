#include "engine/segments.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace cartera {

SettledHistory SummariseSettled(const std::vector<PaymentRecord>& history, int32_t grace_days) {
  SettledHistory settled;
  for (const PaymentRecord& record : history) {
    if (record.open_minor != 0) continue;
    ++settled.invoices;
    settled.amount_minor += record.amount_minor;
    const int32_t days_late = DaysBetween(record.due_date, record.settled_on);
    if (days_late > grace_days) {
      ++settled.late;
      settled.days_late += days_late;
    }
  }
  return settled;
}

BehaviourSegment ComputeSegment(const std::vector<PaymentRecord>& history, int32_t broken_promises, Date as_of,
                                const SegmentThresholds& thresholds) {
  std::vector<PaymentRecord> unsettled;
  for (const PaymentRecord& record : history) {
    if (record.open_minor != 0) unsettled.push_back(record);
  }
  return ComputeSegment(SummariseSettled(history, thresholds.grace_days), unsettled, broken_promises, as_of, thresholds);
}

BehaviourSegment ComputeSegment(const SettledHistory& settled, const std::vector<PaymentRecord>& unsettled,
                                int32_t broken_promises, Date as_of, const SegmentThresholds& thresholds) {
  BehaviourSegment result;
  SegmentFigures& figures = result.figures;
  figures.broken_promises = broken_promises;
  figures.invoices_considered = static_cast<int32_t>(settled.invoices);
  figures.invoices_late = static_cast<int32_t>(settled.late);
  int64_t days_late_total = settled.days_late;
  int64_t open_total = 0, open_over_60 = 0;
  for (const PaymentRecord& record : unsettled) {
    const int32_t days_late = DaysBetween(record.due_date, as_of);
    open_total += record.open_minor;
    if (days_late > 60) open_over_60 += record.open_minor;
    if (days_late <= 0) continue;  // not due yet: says nothing
    ++figures.invoices_considered;
    if (days_late > thresholds.grace_days) {
      ++figures.invoices_late;
      days_late_total += days_late;
    }
  }
  if (figures.invoices_late > 0) figures.average_days_late = static_cast<int32_t>(days_late_total / figures.invoices_late);
  if (open_total > 0) figures.over_60_percent = static_cast<int32_t>(open_over_60 * 100 / open_total);
  const int32_t late_percent =
      figures.invoices_considered == 0 ? 0 : figures.invoices_late * 100 / figures.invoices_considered;
  result.ever_late = figures.invoices_late > 0;
  result.chronic_late_payer =
      figures.invoices_considered >= thresholds.min_history_invoices && late_percent >= thresholds.high_risk_late_percent;

  std::string facts = fmt::format("{} of {} invoices late (average {} days), {}% of the open balance over 60 days, "
                                  "{} broken promises",
                                  figures.invoices_late, figures.invoices_considered, figures.average_days_late,
                                  figures.over_60_percent, figures.broken_promises);
  if (result.chronic_late_payer || figures.broken_promises >= thresholds.high_risk_broken_promises ||
      (open_total > 0 && figures.over_60_percent >= thresholds.high_risk_over_60_percent)) {
    result.segment = "high_risk";
  } else if (figures.invoices_considered < thresholds.min_history_invoices) {
    result.segment = "new";
  } else if (late_percent > thresholds.occasional_late_percent) {
    result.segment = "occasional";
  } else {
    result.segment = "habitual";
  }
  result.reason = facts;
  return result;
}

char SizeSegmentAt(WideMinor ahead, WideMinor total) {
  if (ahead * 100 < total * 80) return 'A';
  if (ahead * 100 < total * 95) return 'B';
  return 'C';
}

std::vector<char> ComputeSizeSegments(const std::vector<int64_t>& open_minor_by_customer) {
  std::vector<size_t> order(open_minor_by_customer.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return open_minor_by_customer[a] > open_minor_by_customer[b]; });
  WideMinor total = 0;
  for (int64_t value : open_minor_by_customer) total += std::max<int64_t>(value, 0);
  std::vector<char> segments(open_minor_by_customer.size(), 'C');
  WideMinor running = 0;
  for (size_t index : order) {
    const int64_t value = std::max<int64_t>(open_minor_by_customer[index], 0);
    if (total == 0 || value == 0) break;
    // The customer whose debt crosses 80% still belongs to A (the share before it is under 80%).
    segments[index] = SizeSegmentAt(running, total);
    running += value;
  }
  return segments;
}

}  // namespace cartera
