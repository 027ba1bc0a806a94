// COPY FROM STDIN for PostgreSQL bulk loads, and COPY TO STDOUT for reading
// a whole result fast. Rows arrive as text (the
// BulkWriter port); when every target column has a type listed here they
// travel in COPY's binary format, so the server stores numbers and dates
// as they come instead of parsing each one (in a first load of a million
// invoices, parsing the two dates alone was a fifth of the COPY's time).
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace cartera {

enum class CopyFieldType { kText, kInt16, kInt32, kInt64, kDate, kTimestampTz };

// The binary form for a column of this PostgreSQL type (pg_type oid), or
// nothing: such a table is loaded in the text format.
std::optional<CopyFieldType> CopyFieldTypeFor(Oid type);

struct CopyColumn {
  std::string name;
  CopyFieldType type = CopyFieldType::kText;
};

// Sends a COPY statement; fails with the server's message unless the
// connection enters `expected` (PGRES_COPY_IN or PGRES_COPY_OUT).
Status StartCopy(PGconn* connection, const std::string& sql, ExecStatusType expected);

// REQUIRES: `connection` is in the COPY IN state of a text-format COPY.
std::unique_ptr<BulkWriter> MakeTextCopyWriter(PGconn* connection);
// REQUIRES: `connection` is in the COPY IN state of a COPY (FORMAT binary)
// into `columns`, in that order.
std::unique_ptr<BulkWriter> MakeBinaryCopyWriter(PGconn* connection, std::string table,
                                                 std::vector<CopyColumn> columns);

// Database::ReadAll on PostgreSQL: COPY (query) TO STDOUT in the text
// format, each line split and unescaped. A failed `row` ends the read with
// its error (the rest of the COPY is drained).
Status ReadCopyOut(PGconn* connection, std::string_view query,
                   const std::function<Status(const Database::RowValues&)>& row);

}  // namespace cartera
