// Credit notes, filtered and paged, with how each was applied: one use case
// and one JSON shape for `cartera credit-notes` and the HTTP API's credit
// note routes. The order and the indexes are report/credit_list.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/language.h"
#include "report/credit_list.h"
#include "store/database.h"

namespace cartera {

// customer, from, to (the credit note's date, inclusive), currency, limit,
// starting_after (a credit note's external id).
using CreditNoteListQuery = CreditListQuery;

struct CreditNoteRow {
  std::string external_id, customer_external_id, customer_name;
  std::string invoice_external_id, invoice_number;  // the invoice it credits
  std::string date;                                 // ISO date
  std::string currency;
  int64_t amount_minor = 0;
  int64_t unapplied_minor = 0;  // not applied (the invoice was already paid): the customer's credit
  std::string reason;
  std::vector<CreditApplication> applied;  // in the order it was applied
  int64_t id = 0, customer_id = 0;         // internal; not in the JSON
};

struct CreditNoteList {
  std::vector<CreditNoteRow> rows;
  bool has_more = false;  // rows follow the last one
};

// Newest first: (date DESC, id DESC). kNotFound (worded in `language`) for
// an unknown `customer` or `starting_after`; kBadInput for a limit below 1.
Result<CreditNoteList> ListCreditNotes(Database& database, int64_t tenant_id, const CreditNoteListQuery& query,
                                       Language language);

// One credit note by external id; kNotFound (worded in `language`) when the
// tenant has none.
Result<CreditNoteRow> LoadCreditNote(Database& database, int64_t tenant_id, std::string_view external_id,
                                     Language language);

// {"external_id", "customer_external_id", "customer_name",
//  "invoice_external_id", "invoice_number", "date", "currency", "amount",
//  "unapplied", "reason", "applied": [{"invoice_external_id",
//  "invoice_number", "date", "amount"}]}, money as money objects: the
// record's one JSON shape, in lists and alone.
nlohmann::json CreditNoteJson(const CreditNoteRow& row);

}  // namespace cartera
