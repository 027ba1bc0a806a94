#include "report/aging_report.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "core/money.h"
#include "core/time_zone.h"
#include "report/customer_credit.h"

namespace cartera {
namespace {

// The latest date any customer's "today" can be: UTC+14 is a day ahead.
Date LatestPossibleToday(const Clock& clock) { return DateIn("Etc/GMT-14", clock.Now()); }

// One invoice row as both reads return it.
struct AgingRow {
  int64_t customer_id = 0;
  std::string external_id, name, time_zone, currency;
  int64_t invoice_id = 0;
  Date issue_date, due_date;
  int64_t amount_minor = 0;
  int64_t open_minor = 0;  // as of the SQL bound
  std::optional<Date> last_allocation_date;
};

// Customer texts are copied only when `previous` is another customer: a
// customer's invoices arrive together, and copying three strings per invoice
// was a third of the report's time at a million customers.
void ReadRow(const Statement& row, AgingRow& out) {
  const int64_t customer_id = row.GetInt64(0);
  if (customer_id != out.customer_id || out.external_id.empty()) {
    out.customer_id = customer_id;
    out.external_id = row.GetText(1);
    out.name = row.GetText(2);
    out.time_zone = row.GetText(3);
  }
  out.invoice_id = row.GetInt64(4);
  out.currency.assign(row.GetText(5));
  out.issue_date = *Date::ParseIso(row.GetText(6));
  out.due_date = *Date::ParseIso(row.GetText(7));
  out.amount_minor = row.GetInt64(8);
  out.open_minor = row.GetInt64(9);
  out.last_allocation_date.reset();
  if (!row.IsNull(10)) out.last_allocation_date = *Date::ParseIso(row.GetText(10));
}

// Open amount of an invoice on a date, from its allocations.
Result<int64_t> OpenOn(Statement& allocated_by, int64_t tenant_id, const AgingRow& item, Date as_of) {
  allocated_by.Reset();
  allocated_by.BindInt64(1, tenant_id);
  allocated_by.BindInt64(2, item.invoice_id);
  allocated_by.BindText(3, as_of.ToIso());
  auto row = allocated_by.Step();
  if (!row) return Fail(row.error());
  const int64_t allocated = *row && !allocated_by.IsNull(0) ? allocated_by.GetInt64(0) : 0;
  return item.amount_minor - allocated;
}

// An invoice looked at again once the stream is read, on the customer's
// as-of date.
struct DeferredInvoice {
  int64_t customer_id;
  Date as_of;
  AgingRow item;
};

// The line of a customer in a currency, made (with empty buckets) when the
// customer owes nothing in it.
AgingLine& LineFor(AgingReport& report, std::map<std::pair<int64_t, std::string>, size_t>& index,
                   int64_t customer_id, const std::string& external_id, const std::string& name,
                   const std::string& currency) {
  auto [found, added] = index.try_emplace({customer_id, currency}, report.lines.size());
  if (added) {
    AgingLine& line = report.lines.emplace_back();
    line.customer_id = customer_id;
    line.customer_external_id = external_id;
    line.customer_name = name;
    line.currency = currency;
    line.bucket_minor.assign(report.buckets.count(), 0);
    line.bucket_count.assign(report.buckets.count(), 0);
  }
  return report.lines[found->second];
}

// Credit in each customer's favour on its as-of date: what is unapplied now
// of credits dated by then, plus what of them paid invoices issued later.
template <typename AsOfFor>
Status AddCustomerCredit(Database& database, const AgingOptions& options, Date bound, AsOfFor& as_of_for,
                         const std::vector<InvoiceOnDate>& paid_later, AgingReport& report) {
  std::map<std::pair<int64_t, std::string>, size_t> index;
  for (size_t i = 0; i < report.lines.size(); ++i) index[{report.lines[i].customer_id, report.lines[i].currency}] = i;
  auto add = [&](AgingLine& line, int64_t amount) -> Status {
    auto sum = CheckedAdd(line.credit_minor, amount);
    if (!sum) return Fail(sum.error());
    line.credit_minor = *sum;
    return {};
  };
  if (auto ok = ReadUnappliedCredits(database, options.tenant_id, bound, options.currency,
                                     [&](const UnappliedCredit& credit) -> Status {
                                       if (credit.date > as_of_for(credit.customer_time_zone)) return {};
                                       return add(LineFor(report, index, credit.customer_id,
                                                          credit.customer_external_id, credit.customer_name,
                                                          credit.currency),
                                                  credit.unapplied_minor);
                                     });
      !ok) {
    return ok;
  }
  // An invoice may come from both reads: once is enough.
  std::vector<InvoiceOnDate> invoices = paid_later;
  std::sort(invoices.begin(), invoices.end(),
            [](const InvoiceOnDate& a, const InvoiceOnDate& b) { return a.invoice_id < b.invoice_id; });
  invoices.erase(std::unique(invoices.begin(), invoices.end(),
                             [](const InvoiceOnDate& a, const InvoiceOnDate& b) { return a.invoice_id == b.invoice_id; }),
                 invoices.end());
  return ReadCreditUsedLater(database, options.tenant_id, invoices, [&](const CreditUsedLater& credit) {
    return add(LineFor(report, index, credit.customer_id, credit.customer_external_id, credit.customer_name,
                       credit.currency),
               credit.amount_minor);
  });
}

// Settled invoices issued after the earliest as-of date and paid after it:
// those a credit dated by then may have paid (found by invoices_settled).
template <typename AsOfFor>
Status FindSettledPaidLater(Database& database, const AgingOptions& options, Date earliest, AsOfFor& as_of_for,
                            std::vector<InvoiceOnDate>& paid_later) {
  auto statement = database.Prepare(fmt::format(
      "SELECT i.id, i.customer_id, i.issue_date, i.last_allocation_date, c.time_zone FROM invoices i JOIN customers c "
      "ON c.tenant_id = i.tenant_id AND c.id = i.customer_id WHERE i.tenant_id = ? AND i.open_minor = 0 AND "
      "i.last_allocation_date > ? AND i.issue_date > ?{}",
      options.currency ? " AND i.currency = ?" : ""));
  if (!statement) return Fail(statement.error());
  const std::string day = earliest.ToIso();
  (*statement)->BindInt64(1, options.tenant_id);
  (*statement)->BindText(2, day);
  (*statement)->BindText(3, day);
  if (options.currency) (*statement)->BindText(4, *options.currency);
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return {};
    const Statement& row = **statement;
    const Date as_of = as_of_for(std::string(row.GetText(4)));
    auto issued = Date::ParseIso(row.GetText(2));
    auto last = Date::ParseIso(row.GetText(3));
    if (issued && last && *issued > as_of && *last > as_of) {
      paid_later.push_back({row.GetInt64(0), row.GetInt64(1), as_of});
    }
  }
}

}  // namespace

Result<AgingReport> BuildAgingReport(Database& database, const AgingOptions& options, const Clock& clock) {
  AgingReport report;
  report.buckets = options.buckets;
  report.as_of = options.as_of;
  const Date bound = options.as_of ? *options.as_of : LatestPossibleToday(clock);
  const std::string bound_text = bound.ToIso();

  // Open invoices issued after the as-of date are read too (the index holds
  // them anyway): one paid after it by a credit dated before it shows credit
  // the customer had on the date. Settled ones: FindSettledPaidLater.
  // Two indexed reads instead of one OR that would scan every invoice: the
  // invoices open now (a covering partial index, in customer order) and the
  // few settled after the bound, which were still open back then. The open
  // amount is as of the bound; an invoice whose balance moved after it is
  // recomputed from its allocations.
  auto read = [&](std::string_view which, auto&& on_row) -> Status {
    auto statement = database.Prepare(fmt::format(
        "SELECT i.customer_id, c.external_id, c.name, c.time_zone, i.id, i.currency, i.issue_date, i.due_date, "
        "i.amount_minor, CASE WHEN i.last_allocation_date IS NULL OR i.last_allocation_date <= ? THEN i.open_minor "
        "ELSE i.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id "
        "AND a.invoice_id = i.id AND a.date <= ?), 0) END, i.last_allocation_date "
        "FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id "
        "WHERE i.tenant_id = ?{} AND {} ORDER BY i.tenant_id, i.customer_id",
        options.currency ? " AND i.currency = ?" : "", which));
    if (!statement) return Fail(statement.error());
    int parameter = 1;
    (*statement)->BindText(parameter++, bound_text);
    (*statement)->BindText(parameter++, bound_text);
    (*statement)->BindInt64(parameter++, options.tenant_id);
    if (options.currency) (*statement)->BindText(parameter++, *options.currency);
    for (char c : which) {
      if (c == '?') (*statement)->BindText(parameter++, bound_text);
    }
    AgingRow row;
    while (true) {
      auto has_row = (*statement)->Step();
      if (!has_row) return Fail(has_row.error());
      if (!*has_row) return {};
      ReadRow(**statement, row);
      if (auto ok = on_row(row); !ok) return ok;
    }
  };
  std::map<int64_t, std::vector<AgingRow>> settled_later;
  if (auto ok = read("i.open_minor = 0 AND i.last_allocation_date > ? AND i.issue_date <= ?",
                     [&](const AgingRow& row) -> Status {
                       settled_later[row.customer_id].push_back(row);
                       return {};
                     });
      !ok) {
    return Fail(ok.error());
  }

  std::unordered_map<std::string, Date> today_by_zone;
  auto as_of_for = [&](const std::string& time_zone) {
    if (options.as_of) return *options.as_of;
    auto found = today_by_zone.find(time_zone);
    if (found == today_by_zone.end()) {
      const std::string_view zone = IsKnownTimeZone(time_zone) ? std::string_view(time_zone) : "UTC";
      found = today_by_zone.emplace(time_zone, DateIn(zone, clock.Now())).first;
    }
    return found->second;
  };
  std::vector<DeferredInvoice> recompute;
  std::vector<InvoiceOnDate> paid_later_by_earlier_credit;
  // The current customer's lines (one per currency, almost always one) are
  // report.lines from customer_start on: built in place, never moved.
  size_t customer_start = 0;
  auto flush = [&]() { customer_start = report.lines.size(); };
  auto add = [&](const AgingRow& item) -> Status {
    const Date as_of = as_of_for(item.time_zone);
    if (item.issue_date > as_of) {  // not yet issued on this customer's as-of date
      if (item.last_allocation_date && *item.last_allocation_date > as_of) {
        paid_later_by_earlier_credit.push_back({item.invoice_id, item.customer_id, as_of});
      }
      return {};
    }
    const auto customer_lines = report.lines.begin() + static_cast<std::ptrdiff_t>(customer_start);
    auto existing = std::find_if(customer_lines, report.lines.end(),
                                 [&](const AgingLine& candidate) { return candidate.currency == item.currency; });
    AgingLine& line = existing != report.lines.end() ? *existing : report.lines.emplace_back();
    if (line.bucket_minor.empty()) {
      line.customer_id = item.customer_id;
      line.customer_external_id = item.external_id;
      line.customer_name = item.name;
      line.currency = item.currency;
      line.bucket_minor.assign(report.buckets.count(), 0);
      line.bucket_count.assign(report.buckets.count(), 0);
    }
    if (item.last_allocation_date && *item.last_allocation_date > as_of && as_of < bound) {
      // Rare: an allocation dated between this customer's today and the bound.
      recompute.push_back({item.customer_id, as_of, item});
      return {};
    }
    if (item.open_minor == 0) return {};
    return AddToAging(line, report.buckets, DaysPastDue(item.due_date, as_of), item.open_minor);
  };
  int64_t current_customer = -1;
  auto start_customer = [&](int64_t customer_id) -> Status {
    flush();
    current_customer = customer_id;
    if (auto later = settled_later.find(customer_id); later != settled_later.end()) {
      for (const AgingRow& row : later->second) {
        if (auto ok = add(row); !ok) return ok;
      }
      settled_later.erase(later);
    }
    return {};
  };
  if (auto ok = read("i.open_minor <> 0",
                     [&](const AgingRow& row) -> Status {
                       if (row.customer_id != current_customer) {
                         if (auto started = start_customer(row.customer_id); !started) return started;
                       }
                       return add(row);
                     });
      !ok) {
    return Fail(ok.error());
  }
  // Customers who owe nothing now but did on the as-of date.
  while (!settled_later.empty()) {
    if (auto ok = start_customer(settled_later.begin()->first); !ok) return Fail(ok.error());
  }
  flush();

  if (!recompute.empty()) {
    auto allocated_by = database.Prepare(
        "SELECT SUM(amount_minor) FROM allocations WHERE tenant_id = ? AND invoice_id = ? AND date <= ?");
    if (!allocated_by) return Fail(allocated_by.error());
    std::map<std::pair<int64_t, std::string>, size_t> line_index;
    for (size_t i = 0; i < report.lines.size(); ++i) {
      line_index[{report.lines[i].customer_id, report.lines[i].currency}] = i;
    }
    for (const DeferredInvoice& entry : recompute) {
      auto open = OpenOn(**allocated_by, options.tenant_id, entry.item, entry.as_of);
      if (!open) return Fail(open.error());
      if (*open == 0) continue;
      AgingLine& line = report.lines[line_index[{entry.customer_id, entry.item.currency}]];
      if (auto added = AddToAging(line, report.buckets, DaysPastDue(entry.item.due_date, entry.as_of), *open); !added) {
        return Fail(added.error());
      }
    }
  }
  // The earliest as-of date any customer can have: UTC-12 is a day behind.
  const Date earliest = options.as_of ? *options.as_of : DateIn("Etc/GMT+12", clock.Now());
  if (auto ok = FindSettledPaidLater(database, options, earliest, as_of_for, paid_later_by_earlier_credit); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = AddCustomerCredit(database, options, bound, as_of_for, paid_later_by_earlier_credit, report); !ok) {
    return Fail(ok.error());
  }
  std::erase_if(report.lines, [](const AgingLine& line) { return line.total_count == 0 && line.credit_minor == 0; });

  // Sort by customer external id for stable output, and total per currency.
  // Lines come in customer id order, which often is external id order
  // already (customers imported in their own system's order).
  auto by_external_id = [](const AgingLine& a, const AgingLine& b) {
    if (a.customer_external_id != b.customer_external_id) return a.customer_external_id < b.customer_external_id;
    return a.currency < b.currency;
  };
  if (!std::is_sorted(report.lines.begin(), report.lines.end(), by_external_id)) {
    std::sort(report.lines.begin(), report.lines.end(), by_external_id);
  }
  std::map<std::string, AgingLine> totals;
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
    auto credit = CheckedAdd(total.credit_minor, line.credit_minor);
    if (!credit) return Fail(credit.error());
    total.credit_minor = *credit;
    total.total_count += line.total_count;
    total.max_days_past_due = std::max(total.max_days_past_due, line.max_days_past_due);
  }
  for (auto& [currency, total] : totals) report.totals.push_back(std::move(total));
  return report;
}

}  // namespace cartera
