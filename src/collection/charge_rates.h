// The charges calculator with a tenant's data: the tenant's own legal rate
// rows (table charge_rates) on top of the shipped ones (rulebooks/rates),
// and the quote use case the CLI (`cartera charges quote|rate`) and the API
// (/api/v1/charges/...) both call. The calculation itself is pure:
// compliance/charges_quote.h.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compliance/charges_quote.h"
#include "compliance/rate_table.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// The longest source text of a tenant's rate row, in bytes of UTF-8.
inline constexpr size_t kChargeRateSourceBytesMax = 500;

// A rate row as the user gives it; every field is text, as typed.
struct ChargeRateInput {
  std::string country, kind, valid_from, valid_to, rate, source;
};

struct ChargeRateRecord {
  compliance::RateRow row;
  std::string created_by;  // tenant rows: the audit actor; shipped rows: ""
  std::string created_at;
};

// A refused request: the error and the input field it is about ("country",
// "kind", "valid_from", "valid_to", "rate", "source"), or "" for a conflict
// with an existing row.
struct ChargeRateFailure {
  Error error;
  std::string field;
};

// Adds a row for the tenant, audited (entity "charge_rate", action
// "create"), in one transaction. The kind must belong to the country
// (compliance::RateKindAppliesTo); `usury` and `ibc` rows cover exactly one
// calendar month and `ecb_reference` rows one half-year (how the regulators
// publish them); the source is required (the resolution, the BOE, the
// statute). kConflict when the tenant already has a row of that country and
// kind overlapping those days: a row is never silently replaced.
std::expected<ChargeRateRecord, ChargeRateFailure> AddChargeRate(Database& database, int64_t tenant_id,
                                                                 const ChargeRateInput& input,
                                                                 const AuditContext& audit);

// The tenant's rows, and the shipped ones unless `tenant_only`, filtered by
// country and kind when given, ordered by country, kind, valid_from, then
// shipped before tenant.
struct ChargeRateFilter {
  std::optional<std::string> country;
  std::optional<compliance::RateKind> kind;
  bool tenant_only = false;
};
Result<std::vector<ChargeRateRecord>> ListChargeRates(Database& database, int64_t tenant_id,
                                                      const ChargeRateFilter& filter);

// The shipped rows plus the tenant's, as the calculator reads them.
Result<compliance::RateTable> LoadRateTable(Database& database, int64_t tenant_id);

// The quote with the tenant's rate table. A storage error comes back with
// an empty field.
std::expected<compliance::ChargesQuote, compliance::ChargesQuoteFailure> QuoteChargesForTenant(
    Database& database, int64_t tenant_id, const compliance::ChargesQuoteRequest& request, Language language);

// The one JSON shape of a quote (docs/charges.md, OpenAPI ChargesQuote).
nlohmann::json ChargesQuoteJson(const compliance::ChargesQuote& quote);
// {"id" (null for shipped), "origin", "country", "kind", "valid_from",
// "valid_to", "rate", "source", "created_by", "created_at"}.
nlohmann::json ChargeRateJson(const ChargeRateRecord& record);

}  // namespace cartera
