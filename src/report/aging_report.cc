#include "report/aging_report.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "core/money.h"
#include "core/time_zone.h"

namespace cartera {
namespace {

// The latest date any customer's "today" can be: UTC+14 is a day ahead.
Date LatestPossibleToday(const Clock& clock) { return DateIn("Etc/GMT-14", clock.Now()); }

struct OpenItem {
  int64_t invoice_id;
  std::string currency;
  Date issue_date;
  Date due_date;
  int64_t amount_minor;
  int64_t open_minor;  // valid when last_allocation_date <= the SQL bound
  std::optional<Date> last_allocation_date;
};

// Open amount of an invoice on a date, from its allocations.
Result<int64_t> OpenOn(Statement& allocated_by, int64_t tenant_id, const OpenItem& item, Date as_of) {
  allocated_by.Reset();
  allocated_by.BindInt64(1, tenant_id);
  allocated_by.BindInt64(2, item.invoice_id);
  allocated_by.BindText(3, as_of.ToIso());
  auto row = allocated_by.Step();
  if (!row) return Fail(row.error());
  const int64_t allocated = *row && !allocated_by.IsNull(0) ? allocated_by.GetInt64(0) : 0;
  return item.amount_minor - allocated;
}

}  // namespace

Result<AgingReport> BuildAgingReport(Database& database, const AgingOptions& options, const Clock& clock) {
  AgingReport report;
  report.buckets = options.buckets;
  report.as_of = options.as_of;
  const Date bound = options.as_of ? *options.as_of : LatestPossibleToday(clock);
  const std::string bound_text = bound.ToIso();
  const std::string currency_filter = options.currency ? " AND i.currency = ?" : "";

  // Invoices open now, plus those settled after the bound (open back then).
  // Both halves use an index; the first walks open invoices in customer order.
  const std::string sql = fmt::format(
      "SELECT i.customer_id, c.external_id, c.name, c.time_zone, i.id, i.currency, i.issue_date, i.due_date, "
      "i.amount_minor, CASE WHEN i.last_allocation_date IS NULL OR i.last_allocation_date <= ? THEN i.open_minor "
      "ELSE i.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id "
      "AND a.invoice_id = i.id AND a.date <= ?), 0) END, i.last_allocation_date "
      "FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id "
      "WHERE i.tenant_id = ? AND i.issue_date <= ?{0} AND (i.open_minor <> 0 OR i.last_allocation_date > ?) "
      "ORDER BY i.customer_id",
      currency_filter);
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindText(parameter++, bound_text);
  (*query)->BindText(parameter++, bound_text);
  (*query)->BindInt64(parameter++, options.tenant_id);
  (*query)->BindText(parameter++, bound_text);
  if (options.currency) (*query)->BindText(parameter++, *options.currency);
  (*query)->BindText(parameter++, bound_text);

  std::map<std::string, AgingLine> totals;
  std::unordered_map<std::string, Date> today_by_zone;
  // Items whose open amount must be recomputed for a customer's earlier today.
  struct Recompute {
    int64_t customer_id;
    Date as_of;
    OpenItem item;
  };
  std::vector<Recompute> recompute;

  int64_t current_customer = -1;
  std::map<std::string, AgingLine> customer_lines;  // by currency
  auto flush = [&]() {
    for (auto& [currency, line] : customer_lines) {
      report.lines.push_back(std::move(line));
    }
    customer_lines.clear();
  };
  auto line_for = [&](const Statement& row, const std::string& currency) -> AgingLine& {
    AgingLine& line = customer_lines[currency];
    if (line.bucket_minor.empty()) {
      line.customer_id = row.GetInt64(0);
      line.customer_external_id = row.GetText(1);
      line.customer_name = row.GetText(2);
      line.currency = currency;
      line.bucket_minor.assign(report.buckets.count(), 0);
      line.bucket_count.assign(report.buckets.count(), 0);
    }
    return line;
  };
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const Statement& row = **query;
    const int64_t customer_id = row.GetInt64(0);
    if (customer_id != current_customer) {
      flush();
      current_customer = customer_id;
    }
    Date as_of = bound;
    if (!options.as_of) {
      std::string zone(row.GetText(3));
      auto found = today_by_zone.find(zone);
      if (found == today_by_zone.end()) {
        found = today_by_zone.emplace(zone, IsKnownTimeZone(zone) ? DateIn(zone, clock.Now()) : DateIn("UTC", clock.Now())).first;
      }
      as_of = found->second;
    }
    OpenItem item{row.GetInt64(4), std::string(row.GetText(5)), *Date::ParseIso(row.GetText(6)),
                  *Date::ParseIso(row.GetText(7)), row.GetInt64(8), row.GetInt64(9), std::nullopt};
    if (!row.IsNull(10)) item.last_allocation_date = *Date::ParseIso(row.GetText(10));
    if (item.issue_date > as_of) continue;  // not yet issued on this customer's today
    AgingLine& line = line_for(row, item.currency);
    if (item.last_allocation_date && *item.last_allocation_date > as_of && as_of < bound) {
      // Rare: an allocation dated between this customer's today and the bound.
      recompute.push_back({customer_id, as_of, item});
      (void)line;  // created so the recomputed amount has a line to land in
      continue;
    }
    if (item.open_minor == 0) continue;
    if (auto added = AddToAging(line, report.buckets, DaysPastDue(item.due_date, as_of), item.open_minor); !added) {
      return Fail(added.error());
    }
  }
  flush();
  query->reset();

  if (!recompute.empty()) {
    auto allocated_by = database.Prepare(
        "SELECT SUM(amount_minor) FROM allocations WHERE tenant_id = ? AND invoice_id = ? AND date <= ?");
    if (!allocated_by) return Fail(allocated_by.error());
    std::map<std::pair<int64_t, std::string>, size_t> line_index;
    for (size_t i = 0; i < report.lines.size(); ++i) {
      line_index[{report.lines[i].customer_id, report.lines[i].currency}] = i;
    }
    for (const Recompute& entry : recompute) {
      auto open = OpenOn(**allocated_by, options.tenant_id, entry.item, entry.as_of);
      if (!open) return Fail(open.error());
      if (*open == 0) continue;
      AgingLine& line = report.lines[line_index[{entry.customer_id, entry.item.currency}]];
      if (auto added = AddToAging(line, report.buckets, DaysPastDue(entry.item.due_date, entry.as_of), *open); !added) {
        return Fail(added.error());
      }
    }
  }
  std::erase_if(report.lines, [](const AgingLine& line) { return line.total_count == 0; });

  // Sort by customer external id for stable output, and total per currency.
  std::sort(report.lines.begin(), report.lines.end(), [](const AgingLine& a, const AgingLine& b) {
    if (a.customer_external_id != b.customer_external_id) return a.customer_external_id < b.customer_external_id;
    return a.currency < b.currency;
  });
  for (const AgingLine& line : report.lines) {
    AgingLine& total = totals[line.currency];
    if (total.bucket_minor.empty()) {
      total.currency = line.currency;
      total.bucket_minor.assign(report.buckets.count(), 0);
      total.bucket_count.assign(report.buckets.count(), 0);
    }
    for (size_t b = 0; b < report.buckets.count(); ++b) {
      auto sum = CheckedAdd(total.bucket_minor[b], line.bucket_minor[b]);
      if (!sum) return Fail(sum.error());
      total.bucket_minor[b] = *sum;
      total.bucket_count[b] += line.bucket_count[b];
    }
    auto sum = CheckedAdd(total.total_minor, line.total_minor);
    if (!sum) return Fail(sum.error());
    total.total_minor = *sum;
    total.total_count += line.total_count;
    total.max_days_past_due = std::max(total.max_days_past_due, line.max_days_past_due);
  }
  for (auto& [currency, total] : totals) report.totals.push_back(std::move(total));
  return report;
}

}  // namespace cartera
