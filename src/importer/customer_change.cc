#include "importer/customer_change.h"

namespace cartera {
namespace {

// Every field quoted: the importer reads it back exactly.
void AppendField(std::string& csv, std::string_view value) {
  csv += '"';
  for (char c : value) {
    if (c == '"') csv += '"';
    csv += c;
  }
  csv += '"';
}

}  // namespace

Result<ImportReport> ChangeCustomerFields(Database& database, int64_t tenant_id, std::string_view external_id,
                                          const CustomerColumns& columns, const AuditContext& audit) {
  std::string header = "external_id", row;
  AppendField(row, external_id);
  for (const auto& [column, value] : columns) {
    header += ',';
    AppendField(header, column);
    row += ',';
    AppendField(row, value);
  }
  ImportOptions options;
  options.kind = ImportKind::kCustomers;
  options.path = audit.source.empty() ? std::string("customer") : audit.source;
  options.content = header + "\n" + row + "\n";
  options.tenant_id = tenant_id;
  options.delimiter = ',';
  options.audit = audit;
  options.language = audit.language;
  return RunImport(database, options);
}

}  // namespace cartera
