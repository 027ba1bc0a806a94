// Changing one customer the way a customers import does: the same checks
// on every field, the same upsert, contact point and consent rules and the
// same audit rows, all or nothing. A field means the same in a file and in
// the HTTP API's customer changes, because both come through the importer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "importer/import.h"

namespace cartera {

// (column, value) as a customers CSV has them ("name", "email",
// "consent_email", "credit_limit", ...); "" clears an optional field. The
// required columns (name, tax_id, country) must be given; an absent optional
// column keeps the stored value. A value in "email", "phone" or "whatsapp"
// becomes the customer's primary one for that channel, as in an import.
using CustomerColumns = std::vector<std::pair<std::string, std::string>>;

// A report with row_errors (line 2 is the customer's) when a field is
// refused: nothing was written. REQUIRES: the customer exists (an unknown
// external id would be created).
Result<ImportReport> ChangeCustomerFields(Database& database, int64_t tenant_id, std::string_view external_id,
                                          const CustomerColumns& columns, const AuditContext& audit);

}  // namespace cartera
