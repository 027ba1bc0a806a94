#include "store/company_profile.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/contact_address.h"
#include "core/text_check.h"

namespace cartera {
namespace {

struct Field {
  const char* column;  // also the audit key
  std::string CompanyProfile::*value;
  std::optional<std::string> CompanyProfileChange::*change;
  size_t bytes_max;
  bool multiline;
};

// Column order is the SELECT's order below.
constexpr std::array<Field, 8> kFields = {{
    {"name", &CompanyProfile::name, &CompanyProfileChange::name, kCompanyFieldBytesMax, false},
    {"tax_id", &CompanyProfile::tax_id, &CompanyProfileChange::tax_id, kCompanyFieldBytesMax, false},
    {"address", &CompanyProfile::address, &CompanyProfileChange::address, kCompanyFieldBytesMax, true},
    {"city", &CompanyProfile::city, &CompanyProfileChange::city, kCompanyFieldBytesMax, false},
    {"phone", &CompanyProfile::phone, &CompanyProfileChange::phone, kCompanyFieldBytesMax, false},
    {"email", &CompanyProfile::email, &CompanyProfileChange::email, kCompanyFieldBytesMax, false},
    {"payment_instructions", &CompanyProfile::payment_instructions, &CompanyProfileChange::payment_instructions,
     kPaymentInstructionsBytesMax, true},
    {"collector_name", &CompanyProfile::collector_name, &CompanyProfileChange::collector_name, kCompanyFieldBytesMax,
     false},
}};

Status Validate(const Field& field, const std::string& value) {
  if (std::string_view(field.column) == "name" && value.empty()) {
    return Fail(Error::BadInput("the company name cannot be empty"));
  }
  if (value.size() > field.bytes_max) {
    return Fail(Error::BadInput(
        fmt::format("the company's {} is {} bytes long; at most {}", field.column, value.size(), field.bytes_max)));
  }
  // The e-mail debtors are told to write to: the same rule as every address.
  if (std::string_view(field.column) == "email" && !value.empty() && !IsEmailAddress(value)) {
    return Fail(Error::BadInput(fmt::format("the company's email '{}' is not an e-mail address (local@domain)",
                                            EscapeForDisplay(value))));
  }
  if (auto problem = FindTextProblem(value, TabRule::kAllowed);
      problem && problem->kind == TextProblemKind::kInvalidUtf8) {
    return Fail(Error::BadInput(fmt::format("the company's {} is not valid UTF-8", field.column)));
  }
  for (const char c : value) {
    const bool line_break = c == '\n' || c == '\r';
    if ((line_break && !field.multiline) || (!line_break && c != '\t' && static_cast<unsigned char>(c) < 0x20)) {
      return Fail(Error::BadInput(fmt::format("the company's {} has a control character or line break", field.column)));
    }
  }
  return {};
}

}  // namespace

Result<CompanyProfile> LoadCompanyProfile(Database& database, int64_t tenant_id) {
  auto query = database.Prepare(
      "SELECT name, tax_id, address, city, phone, email, payment_instructions, collector_name, country FROM tenants "
      "WHERE id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no tenant with id {}", tenant_id)));
  CompanyProfile profile;
  for (size_t i = 0; i < kFields.size(); ++i) {
    const int column = static_cast<int>(i);
    profile.*kFields[i].value = (*query)->IsNull(column) ? "" : std::string((*query)->GetText(column));
  }
  profile.country = (*query)->GetText(static_cast<int>(kFields.size()));
  return profile;
}

Result<CompanyProfile> UpdateCompanyProfile(Database& database, int64_t tenant_id, const CompanyProfileChange& change,
                                            const AuditContext& audit) {
  for (const Field& field : kFields) {
    if (const auto& value = change.*field.change; value) {
      if (auto valid = Validate(field, *value); !valid) return Fail(valid.error());
    }
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto profile = LoadCompanyProfile(database, tenant_id);
  if (!profile) return Fail(profile.error());
  nlohmann::json before = nlohmann::json::object(), after = nlohmann::json::object();
  std::vector<const Field*> changed;
  for (const Field& field : kFields) {
    const auto& value = change.*field.change;
    if (!value || *value == (*profile).*field.value) continue;
    before[field.column] = (*profile).*field.value;
    after[field.column] = *value;
    (*profile).*field.value = *value;
    changed.push_back(&field);
  }
  if (changed.empty()) return *profile;

  std::string assignments;
  for (const Field* field : changed) assignments += fmt::format("{} = ?, ", field->column);
  auto update = database.Prepare(fmt::format("UPDATE tenants SET {}updated_at = ? WHERE id = ?", assignments));
  if (!update) return Fail(update.error());
  int parameter = 1;
  for (const Field* field : changed) {
    const std::string& value = (*profile).*field->value;
    // Cleared optional fields are NULL, as they were before any `company set`.
    value.empty() ? (*update)->BindNull(parameter++) : (*update)->BindText(parameter++, value);
  }
  (*update)->BindText(parameter++, audit.at);
  (*update)->BindInt64(parameter++, tenant_id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  if (auto ok = WriteAudit(database, tenant_id, audit, "tenant", tenant_id, "update", before.dump(), after.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *profile;
}

}  // namespace cartera
