#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace cartera {

// Connects with a libpq connection URI ("postgresql://user@host:port/db" or
// "postgresql:///db?host=/tmp&port=5433").
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url);

}  // namespace cartera
