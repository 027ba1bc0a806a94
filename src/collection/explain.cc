#include "collection/explain.h"

#include <fmt/format.h>

#include "compliance/rulebook.h"
#include "core/time_zone.h"
#include "report/output.h"

namespace cartera {

nlohmann::json PlannedItemJson(const PlannedItem& item, const CustomerState& customer) {
  return {{"idempotency_key", item.idempotency_key},
          {"customer_external_id", customer.external_id},
          {"stage", item.stage},
          {"action", ActionTypeName(item.action)},
          {"channel", item.channel ? nlohmann::json(ChannelName(*item.channel)) : nlohmann::json(nullptr)},
          {"template", item.template_name},
          {"scheduled_utc", FormatUtc(item.scheduled_at)},
          {"scheduled_local", FormatLocalTime(customer.time_zone, item.scheduled_at)},
          {"invoices", item.invoice_ids.size()},
          {"total", MoneyJson(item.total_minor, item.currency)}};
}

nlohmann::json RunReportJson(const RunReport& report, bool dry_run) {
  nlohmann::json body = {{"dry_run", dry_run},       {"customers", report.customers}, {"planned", report.planned},
                         {"added", report.added},    {"deferred", report.deferred},   {"blocked", report.blocked},
                         {"skipped", report.skipped}};
  if (dry_run) {
    nlohmann::json plan = nlohmann::json::array();
    for (const PlannedItem& item : report.plan.items) {
      plan.push_back(PlannedItemJson(item, report.portfolio.customers[item.customer]));
    }
    body["plan"] = std::move(plan);
  }
  return body;
}

Result<CustomerExplanation> ExplainCustomer(Database& database, int64_t tenant_id,
                                            const std::string& customer_external_id, std::optional<Date> as_of,
                                            Timestamp now, const AuditContext& audit) {
  RunOptions options{tenant_id, as_of, now, true, audit, customer_external_id, std::nullopt};
  auto report = RunCollection(database, options);
  if (!report) return Fail(report.error());
  for (size_t index = 0; index < report->portfolio.customers.size(); ++index) {
    const CustomerState& customer = report->portfolio.customers[index];
    if (customer.external_id != customer_external_id) continue;
    CustomerExplanation explanation;
    explanation.customer = {customer.external_id, customer.name, customer.segment.segment, customer.size_segment,
                            customer.segment.reason};
    explanation.time_zone = customer.time_zone;
    explanation.rulebook =
        compliance::RulebookFor(
            customer.country, customer.consumer ? compliance::DebtorKind::kConsumer : compliance::DebtorKind::kBusiness)
            .label;
    for (Channel channel : {Channel::kEmail, Channel::kSms, Channel::kWhatsapp, Channel::kCall, Channel::kLetter}) {
      explanation.channels.push_back(
          {channel, customer.access.allowed[static_cast<size_t>(channel) - 1],
           customer.access.authorised_by_debtor.Has(static_cast<compliance::Channel>(channel))});
    }
    explanation.promise = customer.promise;
    for (const PlannedItem& item : report->plan.items) {
      if (item.customer == index) explanation.planned.push_back(item);
    }
    for (const LogItem& item : report->plan.log) {
      if (item.customer == index) explanation.log.push_back(item);
    }
    return explanation;
  }
  return Fail(
      Error::NotFound(TrFormat(audit.language, "'{}' no es un cliente con saldo pendiente (o no existe)",
                               "'{}' is not a customer with open debt (or does not exist)", customer_external_id)));
}

nlohmann::json CustomerExplanationJson(const CustomerExplanation& explanation, Language language) {
  nlohmann::json channels = nlohmann::json::array();
  for (const ChannelStanding& standing : explanation.channels) {
    channels.push_back({{"channel", ChannelName(standing.channel)},
                        {"allowed", standing.allowed},
                        {"authorised_by", !standing.allowed    ? nlohmann::json(nullptr)
                                          : standing.by_debtor ? nlohmann::json("debtor")
                                                               : nlohmann::json("business")}});
  }
  // PlannedItemJson reads only the customer's external id and zone.
  CustomerState customer;
  customer.external_id = explanation.customer.external_id;
  customer.time_zone = explanation.time_zone;
  nlohmann::json planned = nlohmann::json::array();
  for (const PlannedItem& item : explanation.planned) planned.push_back(PlannedItemJson(item, customer));
  nlohmann::json log = nlohmann::json::array();
  for (const LogItem& item : explanation.log) {
    log.push_back(
        {{"kind", LogKindName(item.kind)},
         {"stage", item.stage},
         {"action", item.action},
         {"code", item.code},
         {"detail", language == Language::kSpanish && !item.detail_es.empty() ? item.detail_es : item.detail}});
  }
  return {
      {"customer", CustomerSegmentJson(explanation.customer)},
      {"rulebook", explanation.rulebook},
      {"channels", std::move(channels)},
      {"promise", explanation.promise ? nlohmann::json{{"promised_date", explanation.promise->promised_date.ToIso()},
                                                       {"broken", explanation.promise->broken}}
                                      : nlohmann::json(nullptr)},
      {"planned", std::move(planned)},
      {"log", std::move(log)}};
}

}  // namespace cartera
