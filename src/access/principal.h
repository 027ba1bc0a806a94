// Who is acting on a request: a signed-in user or an API key, always for
// exactly one tenant, with one role.
#pragma once

#include <cstdint>
#include <string>

#include "access/roles.h"

namespace cartera::access {

struct Principal {
  enum class Kind { kUser = 1, kApiKey = 2 };
  Kind kind = Kind::kUser;
  int64_t tenant_id = 0;
  int64_t id = 0;    // users.id or api_keys.id
  std::string name;  // the user's e-mail or the key's name
  Role role = Role::kViewer;
  bool must_change_password = false;
  // Sessions only: the token a state-changing browser request must echo.
  std::string csrf_token;

  // "user:ana@empresa.co" / "key:erp-sync": the audit log's actor, and the
  // idempotency keys' and rate limits' owner.
  std::string Actor() const { return (kind == Kind::kUser ? "user:" : "key:") + name; }
};

}  // namespace cartera::access
