// What the payment and credit note lists (report/payment_list.h,
// report/credit_note_list.h) share: the query, how a credit was applied
// (allocations), and the keyset-paged SQL over either table.
//
// Order: newest first, (date DESC, id DESC), the internal id (the order the
// credits were recorded) breaking ties. `starting_after` names an external
// id; the page after it reads that credit's (date, id) and continues
// strictly after it, so walking a list gives every row once while the
// ledger does not change.
//
// Indexes: with `customer`, pages walk payments_by_customer /
// credit_notes_by_customer (tenant_id, customer_id, date) backwards. Without
// it there is no (tenant_id, date) index: a page reads the tenant's rows of
// that table and keeps the top N (a top-N sort, as the invoice list's date
// sorts). A credit's applications are found through allocations_by_customer
// (tenant_id, customer_id), filtered by the credit (no index by credit).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/currency.h"
#include "core/date.h"
#include "core/language.h"
#include "store/database.h"

namespace cartera {

struct CreditListQuery {
  std::optional<std::string> customer;  // a customer's external id
  std::optional<Date> from, to;         // the credit's date, both inclusive
  std::optional<Currency> currency;
  std::optional<int64_t> limit;               // rows; nullopt: every row
  std::optional<std::string> starting_after;  // a credit's external id
};

// One allocation: part of a credit applied to one invoice, on `date` (the
// later of the credit's date and the invoice's issue date).
struct CreditApplication {
  std::string invoice_external_id, invoice_number, date;
  int64_t amount_minor = 0;
};

// {"invoice_external_id", "invoice_number", "date", "amount"} (amount as a
// money object in `currency`, the credit's).
nlohmann::json CreditApplicationJson(const CreditApplication& application, std::string_view currency);

namespace credit_list {

// One of the two credit tables, aliased `k`, joined to its customer `c`.
struct Table {
  std::string_view name;               // "payments" | "credit_notes"
  std::string_view own_columns;        // the table's own columns, read from kOwnColumn on
  std::string_view joins;              // what own_columns need beyond `k` and `c`
  std::string_view allocation_column;  // "payment_id" | "credit_note_id"
  Error (*unknown)(std::string_view external_id, Language language);
};

// The columns every row starts with (0..8), then the table's own.
struct Common {
  int64_t id = 0, customer_id = 0;
  std::string external_id, customer_external_id, customer_name, date, currency;
  int64_t amount_minor = 0, unapplied_minor = 0;
};
inline constexpr int kOwnColumn = 9;
Common ReadCommon(const Statement& row);

// A page in the order above; `read` gets each row. Returns has_more.
// kNotFound for an unknown customer or `starting_after` (table.unknown);
// kBadInput for a limit below 1.
Result<bool> List(Database& database, int64_t tenant_id, const Table& table, const CreditListQuery& query,
                  Language language, const std::function<void(const Statement&)>& read);

// One credit by external id; table.unknown's kNotFound when the tenant has none.
Status LoadOne(Database& database, int64_t tenant_id, const Table& table, std::string_view external_id,
               Language language, const std::function<void(const Statement&)>& read);

// The applications of each credit (customer id, credit id), in the order
// they were made.
Result<std::vector<std::vector<CreditApplication>>> Applications(
    Database& database, int64_t tenant_id, const Table& table,
    const std::vector<std::pair<int64_t, int64_t>>& customer_and_credit_ids);

}  // namespace credit_list
}  // namespace cartera
