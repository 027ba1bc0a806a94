// Small pieces every route group uses.
#pragma once

#include <charconv>
#include <optional>
#include <string>

#include "api/api_call.h"
#include "api/json_fields.h"

namespace cartera::api {

// A numeric id from the path; nullopt (a 404 for the caller) when it is not one.
inline std::optional<int64_t> NumericId(const std::string& text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// A route open to `role` and above (the usual kind: Access::kRole).
inline Route RoleRoute(std::string method, std::string pattern, access::Role role, BodyKind body,
                       HandlerResult (*handler)(ApiCall&), size_t max_body_bytes = 1 << 20) {
  Route route{std::move(method), std::move(pattern), Access::kRole, role, body, handler};
  route.max_body_bytes = max_body_bytes;
  return route;
}

inline Problem NotFoundProblem(Language language) {
  return Problem::Of(ProblemCode::kNotFound, std::string(Tr(language, "no existe", "not found")));
}

// A route body: `read` takes the fields it wants from a JsonFields; any
// problem (bad JSON, wrong field, unknown field) comes back whole.
template <typename Read>
auto ReadBody(ApiCall& call, Read read) -> std::expected<decltype(read(std::declval<JsonFields&>())), Problem> {
  auto body = call.JsonObject();
  if (!body) return std::unexpected(body.error());
  JsonFields fields(*body, call.language());
  auto value = read(fields);
  if (auto problem = fields.Finish()) return std::unexpected(*problem);
  return value;
}

}  // namespace cartera::api
