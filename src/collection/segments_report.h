// Each customer's segments with the figures behind them: those the last run
// stored, or those of any business date, computed on the spot (nothing is
// written). One function and one JSON shape for the CLI and the HTTP API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/date.h"
#include "store/database.h"

namespace cartera {

struct CustomerSegmentRow {
  std::string external_id, name;
  std::string segment;       // habitual | occasional | high_risk | new
  std::string size_segment;  // A | B | C
  std::string reason;        // as stored (engine/segments.h words and reads it)
};

// `segment`: only that behavioural segment. With `as_of`, the segments of
// every customer owing on that date, as a run on it would compute them.
Result<std::vector<CustomerSegmentRow>> LoadCustomerSegments(Database& database, int64_t tenant_id,
                                                             std::optional<Date> as_of,
                                                             const std::optional<std::string>& segment);

// {"external_id", "name", "segment", "size_segment", "reason": code,
//  "figures": {...}}: the record's one JSON shape.
nlohmann::json CustomerSegmentJson(const CustomerSegmentRow& row);

}  // namespace cartera
