#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace cartera {

// Opens (creating if needed) an SQLite file in WAL mode.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path);

}  // namespace cartera
