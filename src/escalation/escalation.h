// Escalation: when the business stops collecting an account itself. A
// customer's invoices (all its open ones or those chosen) are handed to a
// collection agency or to a court in a *case*; while the case is open the
// invoices are held out of dunning (collection/held_invoices.cc reads
// escalation_invoices.held). An agency case ends with a recall; a legal
// case ends when its stage reaches "closed" (escalation/legal.h).
//
// What an agency recovers is recorded as an ordinary payment through the
// payment import (importer/import.h, the one way payments enter the
// ledger), with the agency's commission computed exactly and stored beside
// it. Every change writes the audit log. See docs/escalation.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::escalation {

// Limits on what a person types.
inline constexpr size_t kAgencyNameBytesMax = 200;
inline constexpr size_t kAgencyContactBytesMax = 500;
inline constexpr size_t kNoteBytesMax = 2000;
inline constexpr size_t kReferenceBytesMax = 100;
inline constexpr size_t kCaseInvoicesMax = 1000;

// A commission of "15", "12.5" or "12.25" percent as basis points
// (hundredths of a percent: 1500, 1250, 1225), from 0 to 100 percent with at
// most two decimals. kBadInput naming `field` otherwise.
Result<int64_t> ParseCommissionPercent(std::string_view text, std::string_view field, Language language);
// 1225 -> "12.25".
std::string FormatBasisPoints(int64_t basis_points);
// The commission on a recovered amount: amount x basis_points / 10000,
// rounded half up to the currency's minor unit (exact: 128-bit
// intermediate). REQUIRES: amount_minor >= 0, 0 <= basis_points <= 10000.
int64_t CommissionMinor(int64_t amount_minor, int64_t basis_points);

struct Agency {
  int64_t id = 0;
  std::string name;
  std::string contact;
  int64_t commission_basis_points = 0;
  std::string created_at;
};
// kBadInput (naming "name", "contact") for an empty or too long text;
// kConflict when the tenant already has an agency of that name.
Result<Agency> AddAgency(Database& database, int64_t tenant_id, const std::string& name, const std::string& contact,
                         int64_t commission_basis_points, const AuditContext& audit);
Result<std::vector<Agency>> ListAgencies(Database& database, int64_t tenant_id);
// {"id", "name", "contact", "commission_percent": "15.00", "created_at"}.
nlohmann::json AgencyJson(const Agency& agency);

inline constexpr std::string_view kKindAgency = "agency";
inline constexpr std::string_view kKindLegal = "legal";

struct CaseInvoice {
  int64_t invoice_id = 0;
  std::string external_id;
  std::string number;
  Date due_date;
  std::string currency;
  int64_t amount_minor = 0;
  int64_t open_minor = 0;  // what is still owed today
  bool held = false;
  Date issue_date;
};

struct Recovery {
  int64_t id = 0;
  std::string reference;
  std::string payment_external_id;
  std::string invoice_external_id;  // "" when the payment names none
  Date date;
  std::string currency;
  int64_t amount_minor = 0;
  int64_t commission_basis_points = 0;
  int64_t commission_minor = 0;
};

struct LegalDocumentInfo {
  int64_t id = 0;
  std::string name;
  std::string content_type;
  int64_t size_bytes = 0;
  std::string added_by;
  std::string added_at;
};

struct LegalCost {
  int64_t id = 0;
  Date date;
  std::string currency;
  int64_t amount_minor = 0;
  std::string description;
  std::string added_by;
};

struct EscalationCase {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string customer_external_id;
  std::string customer_name;
  std::string kind;  // agency | legal
  std::optional<int64_t> agency_id;
  std::string agency_name;
  std::optional<int64_t> commission_basis_points;  // agency: as agreed at handoff
  std::string status;                              // open | recalled | closed
  std::string stage;  // legal: demand_letter | filed | judgment | enforcement | closed; agency: ""
  std::string note;
  std::string opened_by;
  std::string opened_at;
  std::string ended_at;  // "" while open
  std::vector<CaseInvoice> invoices;
  std::vector<Recovery> recoveries;          // agency
  std::vector<LegalDocumentInfo> documents;  // legal
  std::vector<LegalCost> costs;              // legal
};

struct EscalateRequest {
  std::string customer_external_id;
  std::string kind;                  // agency | legal
  std::optional<int64_t> agency_id;  // required for agency, refused for legal
  // The invoices to hand over (external ids); empty: every open invoice of
  // the customer.
  std::vector<std::string> invoice_external_ids;
  std::string note;
};

// Opens a case and holds its invoices. Refusals, worded in audit.language
// and naming the field (kind, agency_id, invoice_ids): an unknown customer,
// agency or invoice (kNotFound; another tenant's is unknown), an invoice of
// another customer (kNotFound), a paid invoice (kBadInput), an invoice
// already held by another open case (kConflict), nothing open (kBadInput).
// Returns the case id. One transaction.
Result<int64_t> Escalate(Database& database, int64_t tenant_id, const EscalateRequest& request,
                         const AuditContext& audit);

// Ends an open agency case: status "recalled", its invoices collectable
// again. kNotFound for an unknown case; kConflict for a legal case (it ends
// at stage "closed") or a case no longer open.
Status RecallCase(Database& database, int64_t tenant_id, int64_t case_id, const AuditContext& audit);

struct CaseFilter {
  std::optional<std::string> customer_external_id;
  std::optional<std::string> kind;
  std::optional<std::string> status;
};
// Newest first, each with its invoices (no recoveries, documents or costs:
// LoadCase has them). kNotFound for an unknown customer in the filter.
Result<std::vector<EscalationCase>> ListCases(Database& database, int64_t tenant_id, const CaseFilter& filter,
                                              Language language);
// The whole case. kNotFound (in `language`) for an unknown case.
Result<EscalationCase> LoadCase(Database& database, int64_t tenant_id, int64_t case_id, Language language);
// The case's one JSON shape: {"id", "customer_external_id", "customer_name",
// "kind", "agency": {"id","name"}|null, "commission_percent"|null, "status",
// "stage"|null, "note", "opened_by", "opened_at", "ended_at"|null,
// "invoices": [...], "recoveries": [...], "documents": [...], "costs": [...]}.
nlohmann::json CaseJson(const EscalationCase& escalation_case);

struct RecoveryRequest {
  std::string reference;            // the agency's reference, unique per case
  Date date;                        // when the agency collected it
  std::string amount;               // decimal in the invoice's currency
  std::string invoice_external_id;  // "" only when the case has one invoice
};
// Records what the agency reports it recovered on an open or recalled
// agency case: a payment (external id "agency-<case>-<reference>", method
// "agency", through the payment import so the ledger allocates it as any
// payment) and the commission at the case's rate. Refusals name the field
// (reference, date, amount, invoice_id): an amount that is not positive or
// is above what the invoice still owes (kBadInput), an invoice not in the
// case (kNotFound), a reference already recorded (kConflict), a legal case
// (kConflict). Repeating a call whose payment went in but whose recovery
// row did not (a crash between the two) completes it: the import of the
// same payment changes nothing.
Result<Recovery> RecordRecovery(Database& database, int64_t tenant_id, int64_t case_id, const RecoveryRequest& request,
                                const AuditContext& audit);
nlohmann::json RecoveryJson(const Recovery& recovery);

// The invoice ids of a tenant's case (internal), for the held-invoice test
// and the case file.
Result<std::vector<int64_t>> CaseInvoiceIds(Database& database, int64_t tenant_id, int64_t case_id);

}  // namespace cartera::escalation
