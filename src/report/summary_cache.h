// The portfolio summary the dashboard reads on every page, kept in
// summary_cache so a request costs one row read, not the aging of every
// open invoice (seconds at a million customers). The server's scheduler
// refreshes it in the background when the ledger or the outbox changed
// (their largest ids, which every change moves: each ledger change writes
// an audit row) or when it is older than kSummaryMaxAge (delivery changes
// statuses without new rows); a request computes it only when there is no
// row for today yet.
#pragma once

#include <chrono>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "store/database.h"

namespace cartera {

inline constexpr std::chrono::minutes kSummaryMaxAge{5};

// PortfolioSummaryJson plus "computed_at" (UTC): today's, from the row when
// there is one, else built now and kept.
Result<nlohmann::json> LoadPortfolioSummary(Database& database, int64_t tenant_id, const Clock& clock);

// Rebuilds the row when it is missing, of another day, behind the ledger
// or the outbox, or older than kSummaryMaxAge. True when it rebuilt.
Result<bool> RefreshPortfolioSummary(Database& database, int64_t tenant_id, const Clock& clock);

}  // namespace cartera
