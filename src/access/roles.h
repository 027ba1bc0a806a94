// Who may do what: four roles, each allowed everything the one below it is.
// The API's permission table (api/routes.cc) names the least role a route
// needs; this is the only place roles are ordered.
#pragma once

#include <optional>
#include <string_view>

namespace cartera::access {

// Never renumber: stored as text, compared by rank.
enum class Role { kViewer = 1, kCollector = 2, kManager = 3, kAdmin = 4 };

std::optional<Role> ParseRole(std::string_view text);
std::string_view RoleName(Role role);
inline bool Allows(Role held, Role needed) { return static_cast<int>(held) >= static_cast<int>(needed); }

}  // namespace cartera::access
