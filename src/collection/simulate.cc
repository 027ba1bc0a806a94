#include "collection/simulate.h"

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
  const Timestamp start = std::chrono::time_point_cast<std::chrono::seconds>(options.from.sys_days() + std::chrono::hours(13));
  auto portfolio = LoadPortfolio(database, options.tenant_id, start);
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
    DayPlan plan = PlanDay(report.portfolio, PlanOptions{std::nullopt, now, true});
    for (PlannedItem& item : plan.items) {
      if (!item.channel) {
        ++report.other_actions;
        continue;
      }
      const CustomerState& customer = report.portfolio.customers[item.customer];
      SimulatedContact contact;
      contact.day = item.business_date;
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

}  // namespace cartera
