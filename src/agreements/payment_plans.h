// Payment plans (acuerdos de pago): a customer's open balance in one currency
// (all its open, undisputed invoices or the ones chosen) split into a down
// payment and installments on calendar dates, proposed, accepted with a
// documented record (who, on whose behalf, through what channel, when, IP,
// user agent, the hash of the terms PDF), tracked by the daily run
// (payments apply to installments in order; N missed break the plan) and
// cancelled. While a plan is active its invoices are held from dunning.
//
// Amounts are integer minor units of the plan's currency; every sum is
// checked. Dates are calendar dates passed in, never the machine's clock.
// Every change writes the audit log in the same transaction.
// See docs/payment-plans.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compliance/rates.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/language.h"
#include "core/money.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

enum class PlanFrequency { kWeekly, kFortnightly, kMonthly };

// "weekly" | "fortnightly" | "monthly" (the codes of JSON, CLI and storage).
std::string_view PlanFrequencyCode(PlanFrequency frequency);
std::optional<PlanFrequency> ParsePlanFrequency(std::string_view code);

// The plan's status codes (stable English snake_case).
inline constexpr std::string_view kPlanProposed = "proposed";
inline constexpr std::string_view kPlanActive = "active";
inline constexpr std::string_view kPlanCompleted = "completed";
inline constexpr std::string_view kPlanBroken = "broken";
inline constexpr std::string_view kPlanCancelled = "cancelled";

// The largest number of installments one plan may have (ten years weekly).
inline constexpr int32_t kPlanMaxInstallments = 520;

struct PlanProposal {
  int64_t customer_id = 0;             // customers.id of the tenant
  std::vector<int64_t> invoice_ids;    // invoices.id; empty: every open, undisputed invoice of the currency
  std::string currency;                // the plan's currency (one plan, one currency); empty: the customer's
  int32_t installments = 0;            // >= 1, <= kPlanMaxInstallments
  PlanFrequency frequency = PlanFrequency::kMonthly;
  Date first_date;                     // first installment; on or after the proposal date
  int64_t down_payment_minor = 0;      // may be zero; due on the acceptance date; < the balance
  // Effective annual rate (EA); nullopt or zero: no interest. Never above
  // the usury cap (see `interest_cap`).
  std::optional<compliance::Rate> annual_interest;
  // The legal cap for `annual_interest` (effective annual). nullopt: for a
  // Colombian debtor, the usury rate certified for the proposal date (the
  // tenant's charge_rates row, else compliance/rate_table.h's shipped
  // table); elsewhere a rate with no cap to check against is refused.
  std::optional<compliance::Rate> interest_cap;
  int32_t missed_to_break = 2;         // installments missed that break the plan, 1..installments
  std::string source = "user";         // "user" | "portal"
};

struct Installment {
  int32_t number = 0;                  // 1..n (the down payment is not an installment)
  Date due_date;
  int64_t amount_minor = 0;            // principal + interest of this installment
  int64_t interest_minor = 0;          // the interest part of amount_minor
  int64_t paid_minor = 0;
  std::string status = "pending";      // pending | paid | partially_paid | missed
};

struct PlanInvoice {
  int64_t invoice_id = 0;
  std::string external_id;
  std::string number;
  Date due_date;
  int64_t open_minor_at_proposal = 0;  // what the plan covers of it
};

struct PlanAcceptanceRecord {
  std::string accepted_by;             // "debtor" or the user
  std::string channel;                 // portal | phone | email | in_person
  std::string accepted_at;             // ISO-8601 UTC
  std::string ip;
  std::string user_agent;
  std::string terms_sha256;            // of the terms PDF the debtor accepted
};

struct PlanRecord {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string customer_external_id;
  std::string customer_name;
  std::string status;                  // proposed | active | completed | broken | cancelled
  std::string currency;
  PlanFrequency frequency = PlanFrequency::kMonthly;
  int32_t installment_count = 0;
  Date proposed_on;                    // the proposal date (today of ProposePlan)
  Date first_date;
  int64_t balance_minor = 0;           // open balance of the covered invoices at proposal
  int64_t down_payment_minor = 0;
  int64_t interest_minor = 0;          // total interest of the schedule
  int64_t financed_minor = 0;          // balance - down payment (before interest)
  int64_t total_minor = 0;             // down payment + sum of installments
  int64_t paid_minor = 0;              // applied to the plan so far (down payment first)
  std::optional<compliance::Rate> annual_interest;
  int32_t missed_to_break = 2;
  int32_t missed_count = 0;
  std::string source;
  std::string created_by;
  std::string created_at;
  std::optional<Date> accepted_on;     // the acceptance date (down payment due)
  std::optional<Date> ended_on;        // completed / broken / cancelled on
  std::string cancel_reason;
  std::vector<PlanInvoice> invoices;
  std::vector<Installment> installments;
  std::optional<PlanAcceptanceRecord> acceptance;
};

// The schedule of `financed` (minor units, > 0) for the proposal: the
// installments' due dates (monthly: first_date + k months, clamped to the
// month's last day, never drifting; weekly +7k; fortnightly +14k days) and
// amounts. Without interest the financed amount is split in equal parts by
// the largest-remainder method (the first installments take the extra
// cents); with interest, each installment pays an equal share of the
// principal plus simple interest on the declining balance for its period
// (the periodic rate from the effective annual one by compound equivalence).
// The sum of the amounts is checked against financed + interest. kBadInput
// naming the field (installments, first_date, annual_interest, ...).
Result<std::vector<Installment>> PlanSchedule(const PlanProposal& proposal, Money financed,
                                              Language language = Language::kEnglish);

// The date of installment `index` (0-based) for the frequency.
Date PlanInstallmentDate(Date first_date, PlanFrequency frequency, int32_t index);

// Validates the proposal against the books (customer, invoices open, undisputed,
// of the currency, in no active plan: kConflict), computes the schedule and
// stores the plan as "proposed" (audited). Two proposals may share an
// invoice; only one can be accepted. `today` is the proposal date.
Result<PlanRecord> ProposePlan(Database& database, int64_t tenant_id, const PlanProposal& proposal, Date today,
                               const AuditContext& audit);

// What ProposePlan would store, without storing it (the portal's preview).
Result<PlanRecord> PreviewPlan(Database& database, int64_t tenant_id, const PlanProposal& proposal, Date today,
                               Language language);

struct PlanAcceptance {
  int64_t plan_id = 0;
  std::string accepted_by;             // "debtor" or the user
  std::string channel;                 // portal | phone | email | in_person
  std::string ip;
  std::string user_agent;
  // The acceptance date (the down payment's due date); nullopt: the date of audit.at.
  std::optional<Date> accepted_on;
};

// proposed -> active: records the acceptance (with the terms PDF's hash) and
// fires plan.accepted. kConflict when the plan is not proposed or one of its
// invoices is in another active plan.
Result<PlanRecord> AcceptPlan(Database& database, int64_t tenant_id, const PlanAcceptance& acceptance,
                              const AuditContext& audit);

// proposed or active -> cancelled (the balance is collectible again).
Result<PlanRecord> CancelPlan(Database& database, int64_t tenant_id, int64_t plan_id, std::string_view reason,
                              const AuditContext& audit);

// kNotFound (in `language`) for a plan the tenant does not have.
Result<PlanRecord> GetPlan(Database& database, int64_t tenant_id, int64_t plan_id, Language language);

struct PlanFilter {
  std::optional<int64_t> customer_id;
  std::optional<std::string> status;
  int64_t after_id = 0;                // keyset paging: plans with id > after_id
  int32_t limit = 100;
  Language language = Language::kEnglish;
};
// Newest-last by id; installments and invoices included.
Result<std::vector<PlanRecord>> ListPlans(Database& database, int64_t tenant_id, const PlanFilter& filter);

// The one JSON shape, CLI and API: {"object":"payment_plan","id",
// "customer":{"id","external_id","name"},"status","currency","frequency",
// "installment_count","proposed_on","first_date","balance":money,
// "down_payment":money,"interest":money,"financed":money,"total":money,
// "paid":money,"annual_interest_rate":"24.5"|null,"missed_to_break",
// "missed_count","source","created_by","created_at","accepted_on","ended_on",
// "cancel_reason","invoices":[...],"installments":[...],"acceptance":{...}|null}
nlohmann::json PlanJson(const PlanRecord& plan);

// An invoice of the customer by its external id, for callers that name it
// so (the CLI): kNotFound in `language`.
Result<int64_t> PlanInvoiceId(Database& database, int64_t tenant_id, int64_t customer_id,
                              std::string_view invoice_external_id, Language language);

// Today in the customer's time zone at `now` (the date a proposal is made on).
Result<Date> PlanCustomerToday(Database& database, int64_t tenant_id, int64_t customer_id, Timestamp now,
                               Language language);

// The terms of the plan as a PDF in the debtor's language (creditor, debtor,
// invoices, schedule, interest, down payment, what a missed installment means).
Result<std::string> PlanTermsPdf(Database& database, int64_t tenant_id, int64_t plan_id, Language language);

}  // namespace cartera
