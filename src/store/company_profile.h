// The tenant's company as letters and statements print it: the letterhead,
// how its debtors pay and who signs. Stored on the tenants row (migrations 9
// and 11). The name is the tenant's own, which messages use too; every other
// field is optional and empty when not set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct CompanyProfile {
  std::string name;
  std::string country;  // ISO 3166-1 alpha-2, the tenant's (read only here)
  std::string tax_id;   // as the company writes it: "900.123.456-7"
  std::string address;  // may span lines
  std::string city;     // the place of the letter's date line
  std::string phone;
  std::string email;
  std::string payment_instructions;  // may span lines
  // Who signs messages and letters ({{collector_name}}): "Laura Gómez".
  // Empty: a team's title in the debtor's language (templates::DefaultCollectorName).
  std::string collector_name;
};

// What `company set` changes: a field left nullopt keeps its value, an empty
// string clears it (the name cannot be cleared).
struct CompanyProfileChange {
  std::optional<std::string> name;
  std::optional<std::string> tax_id;
  std::optional<std::string> address;
  std::optional<std::string> city;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> payment_instructions;
  std::optional<std::string> collector_name;
};

// Bytes of UTF-8; a letterhead line, and a paragraph for the instructions.
inline constexpr size_t kCompanyFieldBytesMax = 200;
inline constexpr size_t kPaymentInstructionsBytesMax = 2000;

// kNotFound for an unknown tenant.
Result<CompanyProfile> LoadCompanyProfile(Database& database, int64_t tenant_id);

// Applies the change in one transaction with one audit row (entity "tenant",
// the changed fields before and after); changes nothing and writes no audit
// row when every given field already has its value. Returns the profile
// after. kBadInput for an empty name, a field over its limit, or a line
// break in a one-line field (all but address and payment instructions).
Result<CompanyProfile> UpdateCompanyProfile(Database& database, int64_t tenant_id, const CompanyProfileChange& change,
                                            const AuditContext& audit);

}  // namespace cartera
