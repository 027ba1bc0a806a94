// What each import file holds: its columns, how each is checked, and where
// it lands. Adding a column to an import is one line here.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "importer/import.h"

namespace cartera {

enum class FieldKind {
  kText = 1,         // trimmed text
  kExternalId,       // the upsert key: non-empty, at most 200 characters
  kDate,             // ISO (or DD/MM/YYYY with --date-format dmy)
  kCurrency,         // ISO 4217 code
  kAmount,           // decimal in the row's currency, stored as minor units
  kCountry,          // ISO 3166 alpha-2
  kTimeZone,         // IANA name; defaults from the country
  kLanguage,         // es | en; defaults from the country
  kCustomerKind,     // company | person
  kEmail,
  kPhone,            // phone or WhatsApp number, stored as +digits
  kCustomerRef,      // a customer's external_id, resolved to its id
  kInvoiceRef,       // an invoice's external_id, resolved to its id
  kMethod,           // payment method, lower-cased
  kYesNo,            // yes/no (also si/sí/no, true/false, 1/0), stored as yes | no
};

struct FieldSpec {
  std::string_view header;  // the CSV column name
  FieldKind kind;
  bool required;
  std::string_view column;    // the staging column it fills
  std::string_view sql_type;  // the staging column's type
};

struct EntitySpec {
  ImportKind kind;
  std::string_view entity;       // audit entity name: "invoice"
  std::string_view table;        // "invoices"
  std::string_view stage_table;  // "import_invoices"
  std::vector<FieldSpec> fields;
  // Columns copied from the stage into the table (compared for updates).
  std::vector<std::string_view> merge_columns;
  // Columns set only when a row is created: (column, expression over stage s).
  std::vector<std::pair<std::string_view, std::string_view>> create_only;
  // Partial indexes a first load leaves (nearly) empty: kept through it,
  // which costs a test of their condition per row, instead of rebuilt by a
  // scan of the whole table afterwards.
  std::vector<std::string_view> kept_through_first_load = {};
};

const EntitySpec& SpecFor(ImportKind kind);

}  // namespace cartera
