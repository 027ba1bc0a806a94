#include "access/roles.h"

namespace cartera::access {

std::optional<Role> ParseRole(std::string_view text) {
  if (text == "viewer") return Role::kViewer;
  if (text == "collector") return Role::kCollector;
  if (text == "manager") return Role::kManager;
  if (text == "admin") return Role::kAdmin;
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kCollector: return "collector";
    case Role::kManager: return "manager";
    case Role::kAdmin: return "admin";
  }
  return "viewer";
}

}  // namespace cartera::access
