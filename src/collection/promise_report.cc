#include "collection/promise_report.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/money.h"
#include "report/customer_list.h"
#include "report/output.h"

namespace cartera {

Result<PromiseReportBy> ParsePromiseReportBy(std::string_view text, std::string_view field, Language language) {
  if (text == "collector") return PromiseReportBy::kCollector;
  if (text == "customer") return PromiseReportBy::kCustomer;
  return Fail(Error::BadInput(TrFormat(language, "{}: '{}' no es collector ni customer",
                                       "{}: '{}' is neither collector nor customer", field, text)));
}

std::optional<int64_t> KeptRateBasisPoints(const PromiseCounts& counts) {
  const int64_t settled = counts.settled();
  if (settled <= 0) return std::nullopt;
  return (counts.kept * 20000 + settled) / (2 * settled);
}

nlohmann::json KeptRateJson(const PromiseCounts& counts) {
  auto basis_points = KeptRateBasisPoints(counts);
  if (!basis_points) return nullptr;
  return static_cast<double>(*basis_points) / 10000.0;
}

namespace {

Status AddAmounts(std::vector<PromiseAmounts>& amounts, const std::string& currency, int64_t promised, int64_t received,
                  int64_t open) {
  auto found = std::find_if(amounts.begin(), amounts.end(),
                            [&](const PromiseAmounts& each) { return each.currency == currency; });
  if (found == amounts.end()) {
    amounts.push_back({currency, 0, 0, 0});
    found = amounts.end() - 1;
  }
  for (auto [into, value] : {std::pair{&found->promised_minor, promised}, std::pair{&found->received_minor, received},
                             std::pair{&found->open_minor, open}}) {
    auto sum = CheckedAdd(*into, value);
    if (!sum) return Fail(sum.error());
    *into = *sum;
  }
  return {};
}

// One grouped row of the query into a report row.
Status AddGroup(PromiseReportRow& row, std::string_view status, const std::optional<std::string>& outcome,
                const std::string& currency, int64_t count, int64_t amount, int64_t covered) {
  if (status == "open") {
    row.counts.open += count;
    return AddAmounts(row.amounts, currency, 0, 0, amount);
  }
  if (status == "kept") {
    row.counts.kept += count;
  } else if (outcome && *outcome == "partially_kept") {
    row.counts.partially_kept += count;
  } else {
    row.counts.broken += count;
  }
  return AddAmounts(row.amounts, currency, amount, covered, 0);
}

nlohmann::json RowJson(const PromiseReportRow& row, PromiseReportBy by, bool total) {
  nlohmann::json json = nlohmann::json::object();
  if (!total) {
    if (by == PromiseReportBy::kCollector) {
      json["collector"] = row.key.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.key);
    } else {
      json["customer"] = row.key;
      json["name"] = row.customer_name;
      json["collector"] = row.collector ? nlohmann::json(*row.collector) : nlohmann::json(nullptr);
    }
  }
  json["kept"] = row.counts.kept;
  json["partially_kept"] = row.counts.partially_kept;
  json["broken"] = row.counts.broken;
  json["open"] = row.counts.open;
  json["kept_rate"] = KeptRateJson(row.counts);
  nlohmann::json amounts = nlohmann::json::array();
  for (const PromiseAmounts& each : row.amounts) {
    amounts.push_back({{"currency", each.currency},
                       {"promised", MoneyJson(each.promised_minor, each.currency)},
                       {"received", MoneyJson(each.received_minor, each.currency)},
                       {"open", MoneyJson(each.open_minor, each.currency)}});
  }
  json["amounts"] = std::move(amounts);
  return json;
}

}  // namespace

Result<PromiseReport> BuildPromiseReport(Database& database, int64_t tenant_id, const PromiseReportOptions& options,
                                         Date today, Language language) {
  PromiseReport report;
  report.by = options.by;
  report.to = options.to.value_or(today);
  report.from = options.from.value_or(report.to.PlusDays(-(kPromiseReportDefaultDays - 1)));
  if (report.to < report.from) {
    return Fail(Error::BadInput(TrFormat(language, "from: {} es posterior a to ({})", "from: {} is after to ({})",
                                         report.from.ToIso(), report.to.ToIso())));
  }
  if (options.customer_external_id) {
    auto known = CustomerIdByExternalId(database, tenant_id, *options.customer_external_id, language);
    if (!known) return Fail(known.error());
  }
  const bool by_customer = options.by == PromiseReportBy::kCustomer;
  std::string sql = fmt::format(
      "SELECT {}, p.status, p.outcome, p.currency, COUNT(*), CAST(SUM(p.amount_minor) AS BIGINT), "
      "CAST(SUM(COALESCE(p.covered_minor, 0)) AS BIGINT) FROM promises p JOIN customers c ON c.tenant_id = "
      "p.tenant_id AND c.id = p.customer_id WHERE p.tenant_id = ? AND p.promised_date >= ? AND p.promised_date <= ? "
      "AND p.status <> 'cancelled'{} GROUP BY {}, p.status, p.outcome, p.currency ORDER BY 1, p.currency",
      by_customer ? "c.external_id, c.name, c.collector" : "COALESCE(c.collector, ''), '', ''",
      options.customer_external_id ? " AND c.external_id = ?" : "",
      by_customer ? "c.external_id, c.name, c.collector" : "COALESCE(c.collector, '')");
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  (*query)->BindText(parameter++, report.from.ToIso());
  (*query)->BindText(parameter++, report.to.ToIso());
  if (options.customer_external_id) (*query)->BindText(parameter++, *options.customer_external_id);
  std::map<std::string, PromiseReportRow> rows;
  while (true) {
    auto step = (*query)->Step();
    if (!step) return Fail(step.error());
    if (!*step) break;
    const Statement& r = **query;
    const std::string key(r.GetText(0));
    PromiseReportRow& row = rows[key];
    row.key = key;
    if (by_customer) {
      row.customer_name = std::string(r.GetText(1));
      row.collector = r.GetOptionalText(2);
    }
    const std::string status(r.GetText(3)), currency(r.GetText(5));
    const std::optional<std::string> outcome = r.GetOptionalText(4);
    const int64_t count = r.GetInt64(6), amount = r.GetInt64(7), covered = r.GetInt64(8);
    if (auto ok = AddGroup(row, status, outcome, currency, count, amount, covered); !ok) return Fail(ok.error());
    if (auto ok = AddGroup(report.total, status, outcome, currency, count, amount, covered); !ok) return Fail(ok.error());
  }
  for (auto& [key, row] : rows) {
    if (!by_customer && key.empty()) continue;  // unassigned last
    report.rows.push_back(std::move(row));
  }
  if (!by_customer) {
    if (auto unassigned = rows.find(""); unassigned != rows.end()) report.rows.push_back(std::move(unassigned->second));
  }
  std::sort(report.total.amounts.begin(), report.total.amounts.end(),
            [](const PromiseAmounts& a, const PromiseAmounts& b) { return a.currency < b.currency; });
  return report;
}

nlohmann::json PromiseReportJson(const PromiseReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const PromiseReportRow& row : report.rows) rows.push_back(RowJson(row, report.by, false));
  return {{"object", "promise_report"},
          {"from", report.from.ToIso()},
          {"to", report.to.ToIso()},
          {"by", report.by == PromiseReportBy::kCollector ? "collector" : "customer"},
          {"rows", std::move(rows)},
          {"total", RowJson(report.total, report.by, true)}};
}

}  // namespace cartera
