// Browser sign-in: a session token in an HttpOnly cookie and a CSRF token the
// page echoes in a header on every state-changing request. Only hashes of
// both are stored. A session lasts 12 hours.
#pragma once

#include <optional>
#include <string>

#include "access/principal.h"
#include "core/clock.h"
#include "core/language.h"
#include "store/database.h"

namespace cartera::access {

inline constexpr int kSessionHours = 12;

struct NewSession {
  std::string token;       // goes in the cookie
  std::string csrf_token;  // goes to the page
  std::string expires_at;  // UTC, ISO 8601
  Principal principal;
};

// kBadInput "wrong e-mail or password" (one message for both, and the same
// time: an unknown e-mail is checked against a dummy hash). A disabled user
// gets the same answer.
Result<NewSession> Login(Database& database, std::string_view email, std::string_view password, Timestamp now,
                         Language language);
// nullopt for an unknown or expired token.
Result<std::optional<Principal>> PrincipalForSession(Database& database, std::string_view token, Timestamp now);
Status Logout(Database& database, std::string_view token);

}  // namespace cartera::access
