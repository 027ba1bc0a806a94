// Write-off (castigo de cartera): a manager proposes writing off invoices
// a customer will not pay, with a reason; someone else approves or rejects
// it (the API asks an admin; nobody decides on their own proposal). On
// approval each invoice's open amount becomes a credit note of kind
// "write_off" (store/credit_note_post.h, source
// "write_off:<id>:invoice:<invoice id>") in one transaction under the
// tenant's ledger lock, so the invoices end paid and the customer's balance
// drops by exactly that. An export lists what was written off for the
// accountant. A payment that later names a written-off invoice is a
// recovery: the ledger keeps it as the customer's credit (the write-off
// note already settles the invoice) and it is listed with the write-off.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::escalation {

struct WriteOffInvoice {
  std::string invoice_external_id;
  std::string number;
  std::string currency;
  int64_t amount_minor = 0;  // proposed: the open amount then; approved: the amount credited
  std::optional<int64_t> credit_note_id;
};

struct WriteOffRecovery {
  std::string payment_external_id;
  std::string invoice_external_id;
  Date date;
  std::string currency;
  int64_t amount_minor = 0;
};

struct WriteOff {
  int64_t id = 0;
  std::string customer_external_id;
  std::string customer_name;
  std::string status;  // proposed | approved | rejected
  std::string reason;
  std::string proposed_by, proposed_at;
  std::string decided_by, decided_at, decision_note;  // "" until decided
  std::vector<WriteOffInvoice> invoices;
  std::vector<WriteOffRecovery> recoveries;  // approved: payments naming its invoices since
};

// Proposes writing off the chosen invoices (external ids; empty: every open
// invoice of the customer) at their open amounts. Refusals name the field
// (customer, invoice_ids, reason): unknown customer or invoice (kNotFound),
// a paid invoice or no reason (kBadInput), an invoice already in a pending
// proposal (kConflict). Returns the id.
Result<int64_t> ProposeWriteOff(Database& database, int64_t tenant_id, const std::string& customer_external_id,
                                const std::vector<std::string>& invoice_external_ids, const std::string& reason,
                                const AuditContext& audit);

// Approves (posting the credit notes) or rejects a proposal. kNotFound for
// an unknown one; kConflict when it is already decided or audit.actor
// proposed it. An invoice paid in part since the proposal is written off
// for what it still owes; one paid in full is skipped (amount 0).
Status DecideWriteOff(Database& database, int64_t tenant_id, int64_t write_off_id, bool approve,
                      const std::string& note, const AuditContext& audit);

Result<std::vector<WriteOff>> ListWriteOffs(Database& database, int64_t tenant_id, std::optional<std::string> status);
Result<WriteOff> LoadWriteOff(Database& database, int64_t tenant_id, int64_t write_off_id, Language language);
nlohmann::json WriteOffJson(const WriteOff& write_off);

// The accountant's export of approved write-offs decided from `from` to
// `to` (UTC dates, inclusive; nullopt: open-ended): customer, tax_id,
// invoice, number, currency, amount, date, approver, proposer, reason,
// write_off_id. CSV with that header.
Result<std::string> WriteOffExportCsv(Database& database, int64_t tenant_id, std::optional<Date> from,
                                      std::optional<Date> to);

}  // namespace cartera::escalation
