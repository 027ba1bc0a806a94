// Payments, filtered and paged, with how each was applied: one use case
// and one JSON shape for `cartera payments` and the HTTP API's payment
// routes. The order and the indexes are report/credit_list.h's.
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

// customer, from, to (the payment's date, inclusive), currency, limit,
// starting_after (a payment's external id).
using PaymentListQuery = CreditListQuery;

struct PaymentRow {
  std::string external_id, customer_external_id, customer_name;
  std::string date;  // ISO date
  std::string currency;
  int64_t amount_minor = 0;
  int64_t unapplied_minor = 0;  // not applied to any invoice: the customer's credit
  std::string method;
  std::optional<std::string> reference;
  std::optional<std::string> invoice_external_id;  // the invoice the payment named, if any
  std::vector<CreditApplication> applied;           // the invoices it paid, in the order it paid them
  int64_t id = 0, customer_id = 0;                  // internal; not in the JSON
};

struct PaymentList {
  std::vector<PaymentRow> rows;
  bool has_more = false;  // rows follow the last one
};

// Newest first: (date DESC, id DESC). kNotFound (worded in `language`) for
// an unknown `customer` or `starting_after`; kBadInput for a limit below 1.
Result<PaymentList> ListPayments(Database& database, int64_t tenant_id, const PaymentListQuery& query,
                                 Language language);

// One payment by external id; kNotFound (worded in `language`) when the
// tenant has none.
Result<PaymentRow> LoadPayment(Database& database, int64_t tenant_id, std::string_view external_id,
                               Language language);

// {"external_id", "customer_external_id", "customer_name", "date",
//  "currency", "amount", "unapplied", "method", "reference" (or null),
//  "invoice_external_id" (or null), "applied": [{"invoice_external_id",
//  "invoice_number", "date", "amount"}]}, money as money objects: the
// record's one JSON shape, in lists and alone.
nlohmann::json PaymentJson(const PaymentRow& row);

}  // namespace cartera
