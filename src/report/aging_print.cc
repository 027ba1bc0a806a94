// Rendering of the aging report. JSON and CSV are stable interfaces for
// scripts (docs/cli.md); the table is for people.
#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "core/currency.h"
#include "core/money.h"
#include "report/aging_report.h"

namespace cartera {
namespace {

// Both sums are non-negative: the difference always fits.
int64_t Balance(const AgingLine& line) { return line.total_minor - line.credit_minor; }

nlohmann::json LineJson(const AgingLine& line, const AgingBuckets& buckets) {
  nlohmann::json buckets_json = nlohmann::json::array();
  for (size_t b = 0; b < buckets.count(); ++b) {
    buckets_json.push_back({{"bucket", buckets.Key(b)},
                            {"open", MoneyJson(line.bucket_minor[b], line.currency)},
                            {"invoices", line.bucket_count[b]}});
  }
  // credit: unapplied payments and credit notes, in the customer's favour;
  // balance: total - credit (negative when the customer is owed money).
  return {{"buckets", buckets_json},
          {"total", MoneyJson(line.total_minor, line.currency)},
          {"invoices", line.total_count},
          {"max_days_past_due", line.max_days_past_due},
          {"credit", MoneyJson(line.credit_minor, line.currency)},
          {"balance", MoneyJson(Balance(line), line.currency)}};
}

bool AnyCredit(const AgingReport& report) {
  return std::any_of(report.totals.begin(), report.totals.end(),
                     [](const AgingLine& total) { return total.credit_minor != 0; });
}

nlohmann::json CustomerLineJson(const AgingLine& line, const AgingBuckets& buckets) {
  nlohmann::json entry = LineJson(line, buckets);
  entry["customer"] = {{"external_id", line.customer_external_id}, {"name", line.customer_name}};
  return entry;
}

nlohmann::json TotalsJson(const AgingReport& report) {
  nlohmann::json totals = nlohmann::json::array();
  for (const AgingLine& total : report.totals) totals.push_back(LineJson(total, report.buckets));
  return totals;
}

nlohmann::json AsOfJson(const AgingReport& report) {
  return report.as_of ? nlohmann::json(report.as_of->ToIso()) : nlohmann::json("customer_today");
}

}  // namespace

nlohmann::json AgingReportJson(const AgingReport& report) {
  nlohmann::json customers = nlohmann::json::array();
  for (const AgingLine& line : report.lines) customers.push_back(CustomerLineJson(line, report.buckets));
  return {{"as_of", AsOfJson(report)}, {"customers", customers}, {"totals", TotalsJson(report)}};
}

AgingPage PageAgingReport(const AgingReport& report, int64_t limit, const std::optional<std::string>& starting_after) {
  assert(limit >= 1);
  AgingPage page;
  if (starting_after) {
    // Lines are sorted by customer external id: the first line after the cursor.
    auto after = std::upper_bound(report.lines.begin(), report.lines.end(), *starting_after,
                                  [](const std::string& cursor, const AgingLine& line) {
                                    return cursor < line.customer_external_id;
                                  });
    page.first = static_cast<size_t>(after - report.lines.begin());
  }
  int64_t customers = 0;
  size_t end = page.first;
  while (end < report.lines.size()) {
    if (end == page.first || report.lines[end].customer_external_id != report.lines[end - 1].customer_external_id) {
      if (customers == limit) break;
      ++customers;
    }
    ++end;
  }
  page.count = end - page.first;
  page.has_more = end < report.lines.size();
  return page;
}

nlohmann::json AgingPageJson(const AgingReport& report, const AgingPage& page) {
  nlohmann::json data = nlohmann::json::array();
  for (size_t i = page.first; i < page.first + page.count; ++i) {
    data.push_back(CustomerLineJson(report.lines[i], report.buckets));
  }
  nlohmann::json buckets = nlohmann::json::array();
  for (size_t b = 0; b < report.buckets.count(); ++b) buckets.push_back(report.buckets.Key(b));
  return {{"object", "list"},     {"data", std::move(data)},   {"has_more", page.has_more},
          {"as_of", AsOfJson(report)}, {"buckets", std::move(buckets)}, {"totals", TotalsJson(report)}};
}

void PrintAgingJson(const AgingReport& report, std::ostream& out) {
  // Stored text that is somehow not UTF-8 is shown with U+FFFD, never thrown on.
  out << AgingReportJson(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void PrintAgingCsv(const AgingReport& report, std::ostream& out) {
  CsvWriter csv(out);
  for (std::string_view title : {"customer_external_id", "customer_name", "currency"}) csv.Field(title);
  for (size_t b = 0; b < report.buckets.count(); ++b) csv.Field(report.buckets.Key(b));
  csv.Field("total");
  csv.Field("invoices");
  csv.Field("credit");  // added columns go last: scripts read the others by position
  csv.Field("balance");
  csv.EndRow();
  for (const AgingLine& line : report.lines) {
    const auto currency = Currency::FromCode(line.currency);
    const int exponent = currency ? currency->exponent() : 2;
    csv.Field(line.customer_external_id);
    csv.Field(line.customer_name);
    csv.Field(line.currency);
    for (int64_t minor : line.bucket_minor) csv.MinorUnits(minor, exponent);
    csv.MinorUnits(line.total_minor, exponent);
    csv.Integer(line.total_count);
    csv.MinorUnits(line.credit_minor, exponent);
    csv.MinorUnits(Balance(line), exponent);
    csv.EndRow();
  }
}

void PrintAgingTable(const AgingReport& report, Language language, std::ostream& out, size_t top) {
  std::vector<std::string> headers{std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Nombre", "Name")),
                                   std::string(Tr(language, "Moneda", "Currency"))};
  std::vector<bool> right{false, false, false};
  for (size_t b = 0; b < report.buckets.count(); ++b) {
    headers.push_back(b == 0 ? std::string(Tr(language, "Sin vencer", "Not due")) : report.buckets.Title(b));
    right.push_back(true);
  }
  headers.emplace_back(Tr(language, "Total", "Total"));
  headers.emplace_back(Tr(language, "Facturas", "Invoices"));
  right.push_back(true);
  right.push_back(true);
  // Only when some customer has money in its favour: the usual table stays narrow.
  const bool with_credit = AnyCredit(report);
  if (with_credit) {
    headers.emplace_back(Tr(language, "A favor", "Credit"));
    headers.emplace_back(Tr(language, "Saldo", "Balance"));
    right.push_back(true);
    right.push_back(true);
  }
  TextTable table(headers, right);

  std::vector<const AgingLine*> lines;
  for (const AgingLine& line : report.lines) lines.push_back(&line);
  if (top > 0) {
    // The largest debts first: who to call today (not who is owed money).
    std::erase_if(lines, [](const AgingLine* line) { return line->total_count == 0; });
    std::stable_sort(lines.begin(), lines.end(),
                     [](const AgingLine* a, const AgingLine* b) { return a->total_minor > b->total_minor; });
    if (lines.size() > top) lines.resize(top);
  }
  auto cells_for = [&](const AgingLine& line, std::string id, std::string name) {
    std::vector<std::string> cells{std::move(id), std::move(name), line.currency};
    for (int64_t minor : line.bucket_minor) cells.push_back(FormatMoneyForTable(minor, line.currency, language));
    cells.push_back(FormatMoneyForTable(line.total_minor, line.currency, language));
    cells.push_back(std::to_string(line.total_count));
    if (with_credit) {
      cells.push_back(FormatMoneyForTable(line.credit_minor, line.currency, language));
      cells.push_back(FormatMoneyForTable(Balance(line), line.currency, language));
    }
    return cells;
  };
  for (const AgingLine* line : lines) {
    std::string name = line->customer_name;
    if (name.size() > 40) name = name.substr(0, 37) + "...";
    table.AddRow(cells_for(*line, line->customer_external_id, name));
  }
  if (top == 0 && !lines.empty() && !report.totals.empty()) table.AddSeparator();
  for (const AgingLine& total : top > 0 ? std::vector<AgingLine>() : report.totals) {
    // A totals-only table (summary) has no lines to count: "TOTAL 0 líneas"
    // read as if nobody owed anything.
    table.AddRow(cells_for(total, std::string(Tr(language, "TOTAL", "TOTAL")),
                           report.lines.empty() ? std::string()
                                                : fmt::format("{} {}", report.lines.size(), Tr(language, "líneas", "lines"))));
  }
  if (top == 0) {
    out << fmt::format("{} {}\n", Tr(language, "Antigüedad de cartera al", "Aging as of"),
                       report.as_of ? report.as_of->ToIso()
                                    : std::string(Tr(language, "día de hoy (en la zona horaria de cada cliente)",
                                                     "today (in each customer's time zone)")));
  }
  table.Print(out);
}

}  // namespace cartera
