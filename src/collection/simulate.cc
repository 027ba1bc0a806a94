#include "collection/simulate.h"

#include <array>
#include <map>

#include "collection/run.h"
#include "core/time_zone.h"

namespace cartera {
namespace {

// Days after the due date a customer of each segment typically pays.
int32_t TypicalDelay(std::string_view segment) {
  if (segment == "habitual") return 0;
  if (segment == "occasional") return 15;
  if (segment == "new") return 10;
  return 75;  // high risk
}

}  // namespace

Result<SimulationReport> Simulate(Database& database, const SimulationOptions& options) {
  SimulationReport report;
  auto run_minutes = LoadDailyRunMinutes(database, options.tenant_id);
  if (!run_minutes) return Fail(run_minutes.error());
  const Timestamp start = EndOfBusinessDate(options.from);
  auto portfolio =
      LoadPortfolio(database, options.tenant_id, PortfolioOptions{start, options.from, false, std::nullopt, options.strategy});
  if (!portfolio) return Fail(portfolio.error());
  report.portfolio = std::move(*portfolio);
  for (int32_t day = 0; day < options.days; ++day) {
    const Date today = options.from.PlusDays(day);
    const Timestamp now = start + std::chrono::days(day);
    if (options.with_payments) {
      for (CustomerState& customer : report.portfolio.customers) {
        const int32_t delay = TypicalDelay(customer.segment.segment);
        for (CurrencyBook& book : customer.books) {
          std::erase_if(book.invoices, [&](const OpenInvoice& invoice) {
            return !invoice.disputed && invoice.due_date.PlusDays(delay) <= today;
          });
        }
      }
    }
    PlanOptions plan_options;
    plan_options.as_of = today;
    plan_options.now = now;
    plan_options.run_minutes = *run_minutes;
    plan_options.remember = true;
    DayPlan plan = PlanDay(report.portfolio, plan_options);
    for (PlannedItem& item : plan.items) {
      if (!item.channel) {
        ++report.other_actions;
        continue;
      }
      const CustomerState& customer = report.portfolio.customers[item.customer];
      SimulatedContact contact;
      // Counted on the day it goes out in the debtor's zone, which a deferral
      // may move past the day it was planned.
      contact.planned_day = item.business_date;
      contact.day = DateIn(IsKnownTimeZone(customer.time_zone) ? std::string_view(customer.time_zone) : "UTC",
                           item.scheduled_at);
      contact.customer_external_id = customer.external_id;
      contact.country = customer.country;
      contact.time_zone = customer.time_zone;
      contact.stage = item.stage;
      contact.action = ActionTypeName(item.action);
      contact.channel = *item.channel;
      contact.at = item.scheduled_at;
      contact.invoice_ids = item.invoice_ids;
      contact.idempotency_key = std::move(item.idempotency_key);
      report.contacts.push_back(std::move(contact));
    }
    for (LogItem& item : plan.log) {
      if (item.kind == LogKind::kBlocked || item.kind == LogKind::kDeferred) report.blocked_or_deferred.push_back(std::move(item));
    }
  }
  return report;
}

const std::vector<std::string>& SimulatedContactKeys() {
  static const std::vector<std::string> keys{"day",   "customer_external_id", "country", "channel",
                                             "stage", "action",               "utc",     "local"};
  return keys;
}

nlohmann::json SimulatedContactJson(const SimulatedContact& contact) {
  return {{"day", contact.day.ToIso()},
          {"customer_external_id", contact.customer_external_id},
          {"country", contact.country},
          {"channel", ChannelName(contact.channel)},
          {"stage", contact.stage},
          {"action", contact.action},
          {"utc", FormatUtc(contact.at)},
          {"local", FormatLocalTime(contact.time_zone, contact.at)}};
}

namespace {

constexpr std::array<Channel, 5> kContactChannels{Channel::kEmail, Channel::kSms, Channel::kWhatsapp, Channel::kCall,
                                                  Channel::kLetter};

struct DayCounts {
  std::array<int64_t, kContactChannels.size()> contacts{};
  std::map<std::string, int64_t> blocked;   // by reason code
  std::map<std::string, int64_t> deferred;  // by reason code

  void Add(const DayCounts& other) {
    for (size_t i = 0; i < contacts.size(); ++i) contacts[i] += other.contacts[i];
    for (const auto& [code, count] : other.blocked) blocked[code] += count;
    for (const auto& [code, count] : other.deferred) deferred[code] += count;
  }
};

nlohmann::json ReasonsJson(const std::map<std::string, int64_t>& reasons) {
  int64_t total = 0;
  nlohmann::json by_reason = nlohmann::json::object();
  for (const auto& [code, count] : reasons) {
    total += count;
    by_reason[code] = count;
  }
  return {{"count", total}, {"by_reason", std::move(by_reason)}};
}

nlohmann::json CountsJson(const DayCounts& counts) {
  nlohmann::json contacts = nlohmann::json::object();
  for (size_t i = 0; i < kContactChannels.size(); ++i) contacts[std::string(ChannelName(kContactChannels[i]))] = counts.contacts[i];
  return {{"contacts", std::move(contacts)},
          {"blocked", ReasonsJson(counts.blocked)},
          {"deferred", ReasonsJson(counts.deferred)}};
}

}  // namespace

nlohmann::json SimulationSummaryJson(const SimulationReport& report, Date from, int32_t days) {
  std::map<Date, DayCounts> per_day;
  for (int32_t day = 0; day < days; ++day) per_day[from.PlusDays(day)];
  for (const SimulatedContact& contact : report.contacts) {
    for (size_t i = 0; i < kContactChannels.size(); ++i) {
      if (kContactChannels[i] == contact.channel) ++per_day[contact.day].contacts[i];
    }
  }
  for (const LogItem& item : report.blocked_or_deferred) {
    DayCounts& counts = per_day[item.business_date];
    ++(item.kind == LogKind::kDeferred ? counts.deferred : counts.blocked)[item.code];
  }
  DayCounts totals;
  nlohmann::json days_json = nlohmann::json::array();
  for (const auto& [day, counts] : per_day) {
    totals.Add(counts);
    nlohmann::json entry = CountsJson(counts);
    entry["day"] = day.ToIso();
    days_json.push_back(std::move(entry));
  }
  return {{"strategy_name", report.portfolio.strategy_name},
          {"per_day", std::move(days_json)},
          {"totals", CountsJson(totals)}};
}

}  // namespace cartera
