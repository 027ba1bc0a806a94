// A run's report and plan, and why the engine does (or does not) contact
// one customer on a business day, as data: what `cartera run`, `cartera
// explain` and the HTTP API all print, with one JSON shape each.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "collection/run.h"
#include "collection/segments_report.h"
#include "core/language.h"

namespace cartera {

// One planned action: {"idempotency_key", "customer_external_id", "stage",
// "action", "channel" (null for non-contacts), "template", "scheduled_utc",
// "scheduled_local", "invoices" (how many), "total": money}.
nlohmann::json PlannedItemJson(const PlannedItem& item, const CustomerState& customer);

// {"dry_run", "customers", "planned", "added", "deferred", "blocked",
//  "skipped"} and, for a dry run, "plan": every planned action. Nothing in
// it depends on the hour the run was made (a business date plans the same
// whenever it is planned).
nlohmann::json RunReportJson(const RunReport& report, bool dry_run);

struct ChannelStanding {
  Channel channel = Channel::kEmail;
  bool allowed = false;    // a usable, consented contact point
  bool by_debtor = false;  // the debtor authorised it (not the business on their behalf)
};

struct CustomerExplanation {
  CustomerSegmentRow customer;  // external id, name, segments and the figures behind them
  std::string time_zone;
  std::string rulebook;                   // the rulebook's label ("CO consumer 2026-11-22")
  std::vector<ChannelStanding> channels;  // email, sms, whatsapp, call, letter
  std::optional<PromiseState> promise;
  std::vector<PlannedItem> planned;
  std::vector<LogItem> log;  // deferred, skipped, blocked: with the reason
};

// Plans the day for one customer without writing anything (a dry run).
// `as_of` unset: the customer's today at `now`. kNotFound (in
// audit.language) when the tenant has no customer with open debt by that
// external id.
Result<CustomerExplanation> ExplainCustomer(Database& database, int64_t tenant_id,
                                            const std::string& customer_external_id, std::optional<Date> as_of,
                                            Timestamp now, const AuditContext& audit);

// {"customer": the segment record (segments_report.h), "rulebook",
//  "channels": [{"channel", "allowed", "authorised_by": "debtor" |
//  "business" | null}], "promise": null | {"promised_date", "broken"},
//  "planned": [planned action], "log": [{"kind", "stage", "action", "code",
//  "detail"}]}: the engine's sentence in `language`.
nlohmann::json CustomerExplanationJson(const CustomerExplanation& explanation, Language language);

}  // namespace cartera
