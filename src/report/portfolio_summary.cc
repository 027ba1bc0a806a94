#include "report/portfolio_summary.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/list_page.h"

namespace cartera {

std::vector<const AgingLine*> TopDebtors(const AgingReport& report, size_t top) {
  std::vector<const AgingLine*> lines;
  for (const AgingLine& line : report.lines) {
    if (line.total_count > 0) lines.push_back(&line);
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const AgingLine* a, const AgingLine* b) { return a->total_minor > b->total_minor; });
  if (lines.size() > top) lines.resize(top);
  return lines;
}

Result<PortfolioSummary> BuildPortfolioSummary(Database& database, int64_t tenant_id, const Clock& clock) {
  PortfolioSummary summary;
  AgingOptions aging;
  aging.tenant_id = tenant_id;
  auto report = BuildAgingReport(database, aging, clock);
  if (!report) return Fail(report.error());
  summary.aging = std::move(*report);
  summary.open_balances = std::count_if(summary.aging.lines.begin(), summary.aging.lines.end(),
                                        [](const AgingLine& line) { return line.total_count > 0; });
  auto customers = database.QueryInt64(fmt::format("SELECT COUNT(*) FROM customers WHERE tenant_id = {}", tenant_id));
  if (!customers) return Fail(customers.error());
  auto invoices = database.QueryInt64(fmt::format("SELECT COUNT(*) FROM invoices WHERE tenant_id = {}", tenant_id));
  if (!invoices) return Fail(invoices.error());
  summary.customers = customers->value_or(0);
  summary.invoices = invoices->value_or(0);
  auto today = TenantToday(database, tenant_id, clock.Now());
  if (!today) return Fail(today.error());
  summary.business_date = *today;
  auto plan = database.Prepare(
      "SELECT COALESCE(channel, ''), action, status, COUNT(*) FROM outbox WHERE tenant_id = ? AND business_date = ? "
      "GROUP BY COALESCE(channel, ''), action, status ORDER BY 1, 2, 3");
  if (!plan) return Fail(plan.error());
  (*plan)->BindInt64(1, tenant_id);
  (*plan)->BindText(2, summary.business_date.ToIso());
  while (true) {
    auto row = (*plan)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    summary.plan.push_back(PlanCount{std::string((*plan)->GetText(0)), std::string((*plan)->GetText(1)),
                                     std::string((*plan)->GetText(2)), (*plan)->GetInt64(3)});
  }
  return summary;
}

nlohmann::json PortfolioSummaryJson(const PortfolioSummary& summary, size_t top) {
  AgingReport shown;
  shown.buckets = summary.aging.buckets;
  shown.as_of = summary.aging.as_of;
  shown.totals = summary.aging.totals;
  for (const AgingLine* line : TopDebtors(summary.aging, top)) shown.lines.push_back(*line);
  nlohmann::json aging = AgingReportJson(shown);
  nlohmann::json items = nlohmann::json::array();
  for (const PlanCount& count : summary.plan) {
    items.push_back({{"channel", count.channel.empty() ? nlohmann::json(nullptr) : nlohmann::json(count.channel)},
                     {"action", count.action},
                     {"status", count.status},
                     {"count", count.count}});
  }
  return {{"customers", summary.customers},
          {"invoices", summary.invoices},
          {"open_balances", summary.open_balances},
          {"aging", {{"as_of", aging["as_of"]}, {"totals", aging["totals"]}}},
          {"top_debtors", aging["customers"]},
          {"plan", {{"business_date", summary.business_date.ToIso()}, {"items", std::move(items)}}}};
}

}  // namespace cartera
