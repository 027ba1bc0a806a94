// Storing the tenant's strategy: what `cartera policy import` and PUT
// /api/v1/strategy both call, and the check `policy validate` and POST
// /api/v1/strategy/validate make without storing anything.
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"
#include "engine/strategy.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// Parses (JSON or YAML text, or a JSON document) and checks that every
// action has a script (engine/strategy_scripts.h). kBadInput naming the
// path: "strategy: stages[2].actions[0].channel: ...", worded in `language`
// (Spanish: "estrategia: ...").
Result<Strategy> CheckStrategyText(std::string_view text, Language language = Language::kEnglish);
Result<Strategy> CheckStrategyDocument(const nlohmann::json& document, Language language = Language::kEnglish);

// Stores the strategy under its name and makes it the tenant's active one
// (the others stop being the default), in one transaction with one audit
// row (entity "strategy", action "update", the active strategy before and
// after). REQUIRES: `strategy` passed CheckStrategy*.
Status SaveActiveStrategy(Database& database, int64_t tenant_id, const Strategy& strategy, const AuditContext& audit);

}  // namespace cartera
