// The collector rule as the API's write routes ask it: a refusal from
// access/customer_assignment.h becomes a 403 forbidden (code 1101).
#pragma once

#include <optional>

#include "access/customer_assignment.h"
#include "api/api_call.h"

namespace cartera::api {

// `verdict` is one of access::MayActOn...(call.database(), call.principal(), ..., call.language()).
inline std::optional<Problem> RefusedProblem(const Result<access::Refusal>& verdict) {
  if (!verdict) return Problem(verdict.error());
  if (*verdict) return Problem::Of(ProblemCode::kForbidden, **verdict);
  return std::nullopt;
}

}  // namespace cartera::api
