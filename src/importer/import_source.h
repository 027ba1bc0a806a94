// What every import starts with: the file open, its header checked, a row
// parser for it and, when rows name customers, their ids loaded.
#pragma once

#include "importer/csv_reader.h"
#include "importer/entity_specs.h"
#include "importer/row_parser.h"
#include "store/database.h"

namespace cartera {

struct ImportSource {
  CsvReader reader;
  RowParser parser;
};

Result<ImportSource> OpenImportSource(const EntitySpec& spec, const ImportOptions& options);

// Makes the parser resolve customer references (external_id -> id).
// REQUIRES: the tenant's ledger lock, so the ids cannot change meanwhile.
Status LoadCustomerIds(Database& database, int64_t tenant_id, RowParser& parser);

// Moves the errors into the report, by line, as "FILE:LINE: problem".
void AddErrorsToReport(RowErrors& errors, const ImportOptions& options, ImportReport& report);

}  // namespace cartera
