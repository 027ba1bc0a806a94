// Structured logs: one JSON object a line on stderr. Callers never pass a
// secret, a token or a path (a portal path holds a token): routes are logged
// by pattern.
#pragma once

#include <nlohmann/json.hpp>

namespace cartera::server {

void LogLine(nlohmann::json fields);

}  // namespace cartera::server
