// One customer as people and programs read it: its stored fields, what it
// owes and is owed per currency, how late, its segment, and its contact
// points with their consent. One use case and one JSON shape for the HTTP
// API's customer route (and any command that shows one customer).
//
// Contact points are shown as stored; which channels they open for the
// collection engine is decided in one place only
// (collection/contact_history.h), not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/language.h"
#include "credit/credit_policy.h"
#include "report/customer_list.h"
#include "store/database.h"

namespace cartera {

struct ContactPointRecord {
  std::string channel;  // "email" | "phone" | "whatsapp"
  std::string value;
  bool primary = false;
  std::string consent;         // "granted", "revoked", ...
  std::string consent_source;  // "import" (the business's word) or the debtor's (portal, reply, ...)
  std::optional<std::string> consent_at;  // ISO-8601 UTC
  bool usable = true;  // false after a hard bounce or a number found wrong
};

struct CustomerRecord {
  std::string external_id, name, tax_id, country, kind, time_zone, language;
  std::optional<std::string> address;
  std::optional<int64_t> credit_limit_minor;  // in `currency`
  std::optional<std::string> currency;        // the customer's own currency, when imported
  std::optional<std::string> segment;         // the engine's from the last run, else the imported one
  std::optional<std::string> collector;       // the assigned collector's e-mail; nullopt: unassigned
  // One per currency of open debt or credit, as the customer list has them
  // (empty when the customer owes nothing and has no credit).
  std::vector<CustomerListRow> balances;
  int32_t max_days_past_due = 0;  // over every currency
  int64_t open_invoices = 0;
  std::vector<ContactPointRecord> contact_points;  // primary first, then as added
  std::string created_at, updated_at;
  // Credit (credit/credit_policy.h): the hold and the review as the last
  // run and review left them; exposure computed now, in `currency`.
  credit::CustomerCreditState credit;
  int64_t exposure_minor = 0;
  std::optional<std::string> review_due_on;
};

// The customer with that external id; days past due on `as_of` (report/
// list_page.h's TenantToday for today). kNotFound, worded in `language`,
// when the tenant has no such customer.
Result<CustomerRecord> LoadCustomerRecord(Database& database, int64_t tenant_id, std::string_view external_id,
                                          Date as_of, Language language);

// {"external_id", "name", "tax_id", "country", "kind", "time_zone",
//  "language", "address", "currency", "credit_limit", "segment", "collector",
//  "balances": [{"currency", "open", "open_invoices", "max_days_past_due",
//  "credit", "balance"}], "max_days_past_due", "open_invoices",
//  "contact_points": [{"channel", "value", "primary", "consent",
//  "consent_source", "consent_at", "usable"}], "created_at", "updated_at",
//  "credit": {"on_hold", "hold_reasons", "hold_since", "limit", "exposure",
//  "review_due", "review_reason", "review_due_on", "last_reviewed_on"}},
// money as money objects, absent values null: the record's one JSON shape.
nlohmann::json CustomerRecordJson(const CustomerRecord& record);

}  // namespace cartera
