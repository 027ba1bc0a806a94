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

  std::string_view code;
  if (result.chronic_late_payer) {
    result.segment = "high_risk", code = "chronic_late";
  } else if (figures.broken_promises >= thresholds.high_risk_broken_promises) {
    result.segment = "high_risk", code = "broken_promises";
  } else if (open_total > 0 && figures.over_60_percent >= thresholds.high_risk_over_60_percent) {
    result.segment = "high_risk", code = "over_60_days";
  } else if (figures.invoices_considered < thresholds.min_history_invoices) {
    result.segment = "new", code = "little_history";
  } else if (late_percent > thresholds.occasional_late_percent) {
    result.segment = "occasional", code = "sometimes_late";
  } else {
    result.segment = "habitual", code = "mostly_on_time";
  }
  result.reason = fmt::format("{};late={};considered={};average_days={};over_60_percent={};broken_promises={}", code,
                              figures.invoices_late, figures.invoices_considered, figures.average_days_late,
                              figures.over_60_percent, figures.broken_promises);
  return result;
}

namespace {

// "code;key=value;...": the code, then each figure.
struct ParsedReason {
  std::string_view code;
  SegmentFigures figures;
  bool ok = false;
};

ParsedReason ParseReason(std::string_view stored) {
  ParsedReason parsed;
  const size_t first = stored.find(';');
  if (first == std::string_view::npos) return parsed;
  parsed.code = stored.substr(0, first);
  std::string_view rest = stored.substr(first + 1);
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    const std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const size_t equals = pair.find('=');
    if (equals == std::string_view::npos) return parsed;
    const std::string_view key = pair.substr(0, equals), text = pair.substr(equals + 1);
    int32_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9' || value > 100000000) return parsed;
      value = value * 10 + (c - '0');
    }
    if (key == "late") parsed.figures.invoices_late = value;
    if (key == "considered") parsed.figures.invoices_considered = value;
    if (key == "average_days") parsed.figures.average_days_late = value;
    if (key == "over_60_percent") parsed.figures.over_60_percent = value;
    if (key == "broken_promises") parsed.figures.broken_promises = value;
  }
  parsed.ok = true;
  return parsed;
}

}  // namespace

std::string_view SegmentReasonCode(std::string_view stored_reason) {
  const ParsedReason parsed = ParseReason(stored_reason);
  return parsed.ok ? parsed.code : std::string_view();
}

SegmentFigures SegmentReasonFigures(std::string_view stored_reason) { return ParseReason(stored_reason).figures; }

std::string DescribeSegmentReason(std::string_view stored_reason, Language language) {
  const ParsedReason parsed = ParseReason(stored_reason);
  if (!parsed.ok) return std::string(stored_reason);
  const SegmentFigures& f = parsed.figures;
  std::string_view why;
  if (parsed.code == "chronic_late") why = Tr(language, "paga tarde con frecuencia", "often pays late");
  if (parsed.code == "broken_promises") why = Tr(language, "promesas incumplidas", "broken promises");
  if (parsed.code == "over_60_days") why = Tr(language, "saldo con más de 60 días", "balance over 60 days late");
  if (parsed.code == "little_history") why = Tr(language, "poco historial", "little history");
  if (parsed.code == "sometimes_late") why = Tr(language, "a veces paga tarde", "sometimes pays late");
  if (parsed.code == "mostly_on_time") why = Tr(language, "suele pagar a tiempo", "usually pays on time");
  const std::string figures = TrFormat(
      language,
      "{} de {} facturas con atraso (promedio {} días), {}% del saldo abierto con más de 60 días, {} promesas incumplidas",
      "{} of {} invoices late (average {} days), {}% of the open balance over 60 days, {} broken promises",
      f.invoices_late, f.invoices_considered, f.average_days_late, f.over_60_percent, f.broken_promises);
  return why.empty() ? figures : fmt::format("{}: {}", why, figures);
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
