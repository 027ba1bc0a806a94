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

const std::vector<std::string>& DeliveryStatuses() {
  static const std::vector<std::string> statuses = {"queued", "sending", "sent",    "delivered", "failed",
                                                    "bounced", "blocked", "unknown", "expired"};
  return statuses;
}

namespace {

// The day's deferred and blocked actions by reason. An action counts once
// per reason however many runs of the day logged it (a later run may defer
// it to another hour: another sentence, another row). The inner grouping
// follows engine_log_by_day's order: one pass over the day's index entries
// (540,000 rows: 0.5 s on SQLite; the whole log of ten days without the
// index: 1.5 s, and growing with every day).
Status ReadHeldBack(Database& database, int64_t tenant_id, Date business_date, PortfolioSummary& summary) {
  auto query = database.Prepare(
      "SELECT kind, code, COUNT(*) FROM (SELECT kind, code FROM engine_log WHERE tenant_id = ? AND business_date = ? "
      "AND kind IN ('deferred', 'blocked') GROUP BY kind, code, customer_id, stage, action) held "
      "GROUP BY kind, code ORDER BY 3 DESC, 2");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, business_date.ToIso());
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return {};
    ReasonCount count{std::string((*query)->GetText(1)), (*query)->GetInt64(2)};
    ((*query)->GetText(0) == "deferred" ? summary.deferred : summary.blocked).push_back(std::move(count));
  }
}

// The channel_pauses rows delivery/channel_pause.h keeps (a handful per
// tenant): read here because the report library sits below delivery.
Status ReadPausedChannels(Database& database, int64_t tenant_id, PortfolioSummary& summary) {
  auto query = database.Prepare(
      "SELECT channel, paused_at, refusals_in_row, last_reply FROM channel_pauses "
      "WHERE tenant_id = ? AND paused_at IS NOT NULL ORDER BY channel");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return {};
    summary.paused_channels.push_back(PausedChannel{std::string((*query)->GetText(0)), std::string((*query)->GetText(1)),
                                                    static_cast<int32_t>((*query)->GetInt64(2)),
                                                    (*query)->GetOptionalText(3).value_or("")});
  }
}

}  // namespace

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
  if (auto ok = ReadHeldBack(database, tenant_id, summary.business_date, summary); !ok) return Fail(ok.error());
  if (auto ok = ReadPausedChannels(database, tenant_id, summary); !ok) return Fail(ok.error());
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
  auto reasons = [](const std::vector<ReasonCount>& counts) {
    nlohmann::json list = nlohmann::json::array();
    for (const ReasonCount& count : counts) list.push_back({{"reason", count.reason}, {"count", count.count}});
    return list;
  };
  // Messages and letters (not call tasks nor the actions without a
  // channel) of the business date, by where they are on their way out.
  nlohmann::json statuses = nlohmann::json::object();
  for (const std::string& status : DeliveryStatuses()) statuses[status] = 0;
  for (const PlanCount& count : summary.plan) {
    if (count.channel.empty() || count.channel == "call" || !statuses.contains(count.status)) continue;
    statuses[count.status] = statuses[count.status].get<int64_t>() + count.count;
  }
  nlohmann::json paused = nlohmann::json::array();
  for (const PausedChannel& channel : summary.paused_channels) {
    // The one cause of a pause so far: the server refused messages in a row.
    paused.push_back({{"channel", channel.channel},
                      {"since", channel.since},
                      {"reason", "server_refusals"},
                      {"refusals_in_row", channel.refusals_in_row},
                      {"last_reply", channel.last_reply}});
  }
  return {{"customers", summary.customers},
          {"invoices", summary.invoices},
          {"open_balances", summary.open_balances},
          {"aging", {{"as_of", aging["as_of"]}, {"totals", aging["totals"]}}},
          {"top_debtors", aging["customers"]},
          {"plan",
           {{"business_date", summary.business_date.ToIso()},
            {"items", std::move(items)},
            {"deferred", reasons(summary.deferred)},
            {"blocked", reasons(summary.blocked)}}},
          {"delivery", {{"statuses", std::move(statuses)}, {"paused_channels", std::move(paused)}}}};
}

}  // namespace cartera
