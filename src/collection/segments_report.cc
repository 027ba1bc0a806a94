#include "collection/segments_report.h"

#include <algorithm>

#include "collection/portfolio.h"
#include "core/time_zone.h"
#include "engine/segments.h"

namespace cartera {

Result<std::vector<CustomerSegmentRow>> LoadCustomerSegments(Database& database, int64_t tenant_id,
                                                             std::optional<Date> as_of,
                                                             const std::optional<std::string>& segment) {
  std::vector<CustomerSegmentRow> rows;
  if (as_of) {
    const Timestamp end_of_day = EndOfBusinessDate(*as_of);
    auto portfolio = LoadPortfolio(database, tenant_id, PortfolioOptions{end_of_day, as_of, false, std::nullopt});
    if (!portfolio) return Fail(portfolio.error());
    for (const CustomerState& customer : portfolio->customers) {
      if (segment && customer.segment.segment != *segment) continue;
      rows.push_back({customer.external_id, customer.name, customer.segment.segment, customer.size_segment,
                      customer.segment.reason});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.external_id < b.external_id; });
    return rows;
  }
  auto query = database.Prepare(
      std::string("SELECT c.external_id, c.name, s.behaviour_segment, s.size_segment, COALESCE(s.segment_reason, '') "
                  "FROM customer_segments s JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id "
                  "WHERE s.tenant_id = ?") +
      (segment ? " AND s.behaviour_segment = ?" : "") + " ORDER BY c.external_id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  if (segment) (*query)->BindText(2, *segment);
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return rows;
    const Statement& row = **query;
    rows.push_back({std::string(row.GetText(0)), std::string(row.GetText(1)), std::string(row.GetText(2)),
                    std::string(row.GetText(3)), std::string(row.GetText(4))});
  }
}

nlohmann::json CustomerSegmentJson(const CustomerSegmentRow& row) {
  const SegmentFigures figures = SegmentReasonFigures(row.reason);
  return {{"external_id", row.external_id},
          {"name", row.name},
          {"segment", row.segment},
          {"size_segment", row.size_segment},
          {"reason", SegmentReasonCode(row.reason)},
          {"figures",
           {{"invoices_late", figures.invoices_late},
            {"invoices_considered", figures.invoices_considered},
            {"average_days_late", figures.average_days_late},
            {"over_60_percent", figures.over_60_percent},
            {"broken_promises", figures.broken_promises}}}};
}

}  // namespace cartera
