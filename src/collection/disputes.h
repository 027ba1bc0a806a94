// Disputes with reasons, owners and deadlines (issue 17): opening one from
// the reasons catalogue (collection/dispute_reasons.h), the list with its
// filters and the overdue flag, and the root-cause report. Resolving one
// (a credit note, or a notice to the debtor) is delivery/dispute_resolution.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/date.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct DisputeOpening {
  std::string invoice_external_id;
  std::string reason_code;  // a code of the catalogue
  std::string text;         // optional: what the customer says, in their words
};

// Opens a dispute (own transaction): the reason's owner (else the customer's
// collector, else none: any manager) and deadline = the opening date in the
// tenant's zone (from audit.at) + the reason's days. kBadInput worded in
// audit.language: "reason_code: ..." for a code not in the catalogue, the
// invoice already disputed; kNotFound: no such invoice in the tenant.
Result<int64_t> OpenDisputeFromCatalogue(Database& database, int64_t tenant_id, const DisputeOpening& opening,
                                         const AuditContext& audit);

// The same inside the caller's transaction, for an invoice the caller has
// read (RecordTaskOutcome, the portal). REQUIRES: an open transaction.
Result<int64_t> InsertCatalogueDisputeIn(Database& database, int64_t tenant_id, int64_t invoice_id,
                                         int64_t customer_id, const std::string& invoice_external_id,
                                         const std::string& reason_code, const std::string& text,
                                         const AuditContext& audit);

// What a person typed as a dispute's reason, as (code, text): "wrong_amount"
// or "wrong_amount: the price was 10" name a code; anything else is "other"
// with the whole text.
std::pair<std::string, std::string> SplitDisputeReason(const std::string& reason);

struct DisputeView {
  int64_t id = 0;
  std::string customer_external_id, customer_name;
  std::string invoice_external_id, invoice_number;
  std::string reason_code, text;
  std::string status;   // open | resolved
  std::string outcome;  // "" (open, or resolved before outcomes existed) | accepted | rejected
  std::string resolution;
  std::string opened_at;
  std::optional<Date> deadline;  // none for disputes opened before the catalogue
  std::string owner;             // "" : any manager
  std::string currency;
  int64_t held_minor = 0;          // the invoice's open amount when the dispute opened
  int64_t invoice_open_minor = 0;  // what the invoice owes now
  std::optional<int64_t> credit_minor, credit_note_id, notice_id;
  std::string resolved_at, resolved_by;
  bool overdue = false;  // open and its deadline passed (before `as_of`)
};

struct DisputeFilter {
  std::optional<std::string> status;       // open | resolved
  std::optional<std::string> reason_code;
  std::optional<std::string> owner;        // an e-mail; "none" for the unowned
  std::optional<std::string> customer_external_id;
  std::optional<bool> overdue;
  std::optional<int64_t> id;
  Date as_of;         // overdue means open with deadline < as_of
  int64_t limit = 0;  // 0: all
};

// Newest first. kNotFound (in `language`) for an unknown customer.
Result<std::vector<DisputeView>> ListDisputeViews(Database& database, int64_t tenant_id, const DisputeFilter& filter,
                                                  Language language);
// kNotFound (in `language`) when the tenant has no dispute with that id.
Result<DisputeView> LoadDisputeView(Database& database, int64_t tenant_id, int64_t dispute_id, Date as_of,
                                    Language language);
// Open disputes whose deadline passed before `as_of`, the oldest deadline
// first; `owner`: only theirs (and the unowned when `with_unowned`).
Result<std::vector<DisputeView>> LoadOverdueDisputes(Database& database, int64_t tenant_id, Date as_of,
                                                     const std::optional<std::string>& owner, bool with_unowned);

// {"id", "customer_external_id", "customer_name", "invoice_external_id",
//  "invoice_number", "reason": the code (as POST takes it), "reason_code",
//  "reason_label": {"es", "en"}, "text", "status", "outcome" (null),
//  "resolution", "opened_at", "deadline" (null), "overdue", "owner" (null),
//  "held": money, "invoice_open": money, "credit": money | null,
//  "credit_note_id" (null), "notice_id" (null), "resolved_at" (null),
//  "resolved_by" (null)}
nlohmann::json DisputeViewJson(const DisputeView& view);

// --- the root-cause report ---

struct DisputeReportOptions {
  std::optional<Date> from, to;  // the opening date (UTC), both inclusive
  std::string by = "reason";     // reason | customer | month
};

struct DisputeReportRow {
  std::string key;    // the reason code, the customer's external id, "2026-11"
  std::string label;  // the reason's words, the customer's name, the month
  int64_t opened = 0, open = 0, resolved = 0, accepted = 0, rejected = 0, overdue = 0;
  std::optional<double> median_days_to_resolve, average_days_to_resolve;  // resolved ones only
  std::map<std::string, int64_t> held_minor;      // by currency
  std::map<std::string, int64_t> credited_minor;  // by currency: accepted credit notes
};

struct DisputeReport {
  DisputeReportOptions options;
  Date as_of;
  std::vector<DisputeReportRow> rows;  // the most disputes first
  DisputeReportRow total;
};

// kBadInput (in `language`): `by` not one of reason, customer, month; from
// after to. Amounts are summed checked (kOverflow).
Result<DisputeReport> BuildDisputeReport(Database& database, int64_t tenant_id, const DisputeReportOptions& options,
                                         Date as_of, Language language);

// {"by", "from" (null), "to" (null), "as_of", "rows": [row], "total": row}
// row: {"key", "label", "opened", "open", "resolved", "accepted", "rejected",
//  "overdue", "median_days_to_resolve" (null), "average_days_to_resolve"
//  (null), "held_back": [money], "credited": [money]}
nlohmann::json DisputeReportJson(const DisputeReport& report);

}  // namespace cartera
