// Promises to pay, disputes and collector task outcomes: records the engine
// respects. Every change writes an audit row.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/date.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// Outcomes that mean the debtor was reached and answered (a call that became
// a conversation, a written reply): a "conversation" for the rulebooks, and
// "answered the last contact" and responsiveness for the engine.
inline constexpr std::array<std::string_view, 5> kConversationOutcomes = {"contacted", "promise", "refused",
                                                                          "dispute", "replied"};
inline bool IsConversationOutcome(std::string_view outcome) {
  for (std::string_view known : kConversationOutcomes) {
    if (outcome == known) return true;
  }
  return false;
}

// A payment that counted toward a promise, and how much of it
// (collection/promise_payments.h).
struct PromisePaymentLine {
  int64_t payment_id = 0;
  std::string external_id;
  Date date;
  int64_t amount_minor = 0;
};

struct PromiseRecord {
  int64_t id = 0;
  std::string customer_external_id;
  Date promised_date;
  std::string currency;
  int64_t amount_minor = 0;
  std::string status;
  std::string source;
  std::string note;
  // Once the run settled it (docs/promises.md): "kept", "partially_kept" or
  // "broken" (status says kept or broken), what the payments covered, and
  // the payments that did. Unset while open or when cancelled.
  std::optional<std::string> outcome;
  std::optional<int64_t> covered_minor;
  std::vector<PromisePaymentLine> payments;
};

struct DisputeRecord {
  int64_t id = 0;
  std::string customer_external_id;
  std::string invoice_external_id;
  std::string reason;
  std::string status;
  std::string resolution;
  std::string opened_at;
};

// `amount` is a decimal in `currency` (default: the customer's open currency),
// at most what the customer owes in it; `promised_date` is today or later in
// the customer's zone (today from audit.at). kBadInput otherwise.
Result<int64_t> AddPromise(Database& database, int64_t tenant_id, const std::string& customer_external_id,
                           Date promised_date, const std::string& amount, std::optional<std::string> currency,
                           const std::string& source, const std::string& note, const AuditContext& audit);
Status CancelPromise(Database& database, int64_t tenant_id, int64_t promise_id, const AuditContext& audit);

// A promise the debtor makes itself (source "portal") is for at most this
// many days ahead; a longer one is a collector's to agree.
inline constexpr int32_t kDebtorPromiseMaxDays = 30;

// What a promise of this customer in `currency` must keep, the rules
// AddPromise enforces: a date from today (the customer's zone) on, up to
// kDebtorPromiseMaxDays ahead for source "portal"; an amount from one minor
// unit up to what the customer owes in that currency.
struct PromiseLimits {
  std::string currency;
  int exponent = 2;
  Date earliest_date;
  std::optional<Date> latest_date;  // nullopt: no limit
  int64_t min_minor = 1;
  int64_t max_minor = 0;            // what is owed in `currency`
};
// The limits in each currency the customer owes (its default currency, the
// one AddPromise takes without one, first). Empty when it owes nothing.
Result<std::vector<PromiseLimits>> LoadPromiseLimits(Database& database, int64_t tenant_id,
                                                     const std::string& customer_external_id, Timestamp now,
                                                     std::string_view source);
// Why a date or an amount (`amount_text` as the person wrote it) breaks the
// limits, in `language`; nullopt when it keeps them. AddPromise refuses with
// these same words.
std::optional<std::string> PromiseDateRefusal(const PromiseLimits& limits, Date promised_date, Language language);
std::optional<std::string> PromiseAmountRefusal(const PromiseLimits& limits, int64_t amount_minor,
                                                std::string_view amount_text, Language language);
// `customer_external_id`: only that customer's; kNotFound (worded in
// `language`) when the tenant has no such customer (callers that pass a
// customer they have just read may leave the language).
Result<std::vector<PromiseRecord>> ListPromises(Database& database, int64_t tenant_id,
                                                std::optional<std::string> customer_external_id,
                                                std::optional<std::string> status,
                                                Language language = Language::kEnglish);
// kNotFound (in `language`) when the tenant has no promise with that id.
Result<PromiseRecord> LoadPromise(Database& database, int64_t tenant_id, int64_t promise_id, Language language);
// {"id", "customer_external_id", "promised_date", "amount": money, "status",
//  "source", "note", "outcome": code or null, "covered": money or null,
//  "payments": [{"id", "external_id", "date", "amount": money}]}: the
// record's one JSON shape.
nlohmann::json PromiseJson(const PromiseRecord& record);

Result<int64_t> OpenDispute(Database& database, int64_t tenant_id, const std::string& invoice_external_id,
                            const std::string& reason, const AuditContext& audit);
Status ResolveDispute(Database& database, int64_t tenant_id, int64_t dispute_id, const std::string& resolution,
                      const AuditContext& audit);
// `customer_external_id`: only that customer's; kNotFound (worded in
// `language`) when the tenant has no such customer.
Result<std::vector<DisputeRecord>> ListDisputes(Database& database, int64_t tenant_id, std::optional<std::string> status,
                                                std::optional<std::string> customer_external_id = std::nullopt,
                                                Language language = Language::kEnglish);
// kNotFound (in `language`) when the tenant has no dispute with that id.
Result<DisputeRecord> LoadDispute(Database& database, int64_t tenant_id, int64_t dispute_id, Language language);
// {"id", "customer_external_id", "invoice_external_id", "reason", "status",
//  "resolution", "opened_at"}: the record's one JSON shape.
nlohmann::json DisputeJson(const DisputeRecord& record);

// Records a collector's call result, with what it means, in one change: a
// "promise" creates a promise to pay that the engine then respects;
// "wrong_number" marks the phone the task showed unusable (phone and
// WhatsApp), so the next run falls back to another channel; "dispute" opens
// a dispute (`dispute_reason`, required) on each open invoice the task
// named, which keeps them out of every message.
Status RecordTaskOutcome(Database& database, int64_t tenant_id, int64_t task_id, const std::string& outcome,
                         std::optional<Date> promise_date, std::optional<std::string> promise_amount,
                         const AuditContext& audit, const std::string& dispute_reason = "");

// Assigns an open or done call task to a collector (audited).
Status AssignTask(Database& database, int64_t tenant_id, int64_t task_id, const std::string& collector,
                  const AuditContext& audit);

}  // namespace cartera
