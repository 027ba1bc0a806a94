// A strategy the API was given and refused (collection/strategy_store.h's
// CheckStrategyDocument): its problem at the JSON Pointer of the field it
// belongs to, for PUT /api/v1/strategy, POST /api/v1/strategy/validate and a
// proposed strategy's simulation (POST /api/v1/simulations).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/problem.h"
#include "core/error.h"

namespace cartera::api {

// "strategy: <path>: <problem>" (Spanish "estrategia: ...") as the problem
// of the field at `prefix` + the path's JSON Pointer: "stages[2].actions[0]
// .channel" -> "/stages/2/actions/0/channel"; a script check's "stage
// 'overdue_15'.actions[0]" -> "/stages/<that stage's index in
// `document`>/actions/0", and "/tone" after it when no script is written in
// the action's tone. A path it cannot place: `prefix` itself ("" for the
// body).
FieldProblem StrategyFieldProblem(const Error& error, const nlohmann::json& document, std::string_view prefix = "");

// kBadInput as that field's 422 problem; any other error as it is.
Problem StrategyProblem(const Error& error, const nlohmann::json& document, std::string_view prefix = "");

}  // namespace cartera::api
