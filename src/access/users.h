// People who sign in: one e-mail, one tenant, one role. Passwords are kept
// as Argon2id strings; a user made without one gets a one-time password
// that must be changed at the first login. `cartera user reset` prints a
// one-time token: an installation is recovered without any e-mail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "access/principal.h"
#include "access/roles.h"
#include "core/clock.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::access {

struct User {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string email;
  Role role = Role::kViewer;
  std::string name;
  bool must_change_password = false;
  std::optional<std::string> disabled_at;
  std::string created_at;
  std::optional<std::string> last_login_at;
};

struct NewUser {
  std::string email;
  Role role = Role::kViewer;
  std::string name;
  // nullopt: a one-time password is made and returned.
  std::optional<std::string> password;
};

struct AddedUser {
  User user;
  std::optional<std::string> one_time_password;
};

// Passwords: 10 to 128 bytes (NIST SP 800-63B: length, not composition).
inline constexpr size_t kPasswordMinBytes = 10;
inline constexpr size_t kPasswordMaxBytes = 128;
Status CheckPassword(std::string_view password, Language language);

// kBadInput for a malformed e-mail or password; kConflict when the e-mail
// is taken (in any tenant: an e-mail signs in to one tenant).
Result<AddedUser> AddUser(Database& database, int64_t tenant_id, const NewUser& user, const AuditContext& audit);
Result<std::vector<User>> ListUsers(Database& database, int64_t tenant_id);
// kNotFound unless the user is in the tenant.
Result<User> LoadUser(Database& database, int64_t tenant_id, int64_t user_id, Language language);
struct UserChange {
  std::optional<Role> role;
  std::optional<std::string> name;
  std::optional<bool> disabled;
};
Result<User> UpdateUser(Database& database, int64_t tenant_id, int64_t user_id, const UserChange& change,
                        const AuditContext& audit);
nlohmann::json UserJson(const User& user);

// A one-time token (valid one hour) that sets a new password; kNotFound for
// an unknown e-mail (the CLI is run by the installation's owner).
Result<std::string> StartPasswordReset(Database& database, std::string_view email, Timestamp now,
                                       const AuditContext& audit);
// kBadInput for an unknown, used or expired token (one message for all
// three) or a bad password. Ends the user's sessions.
Status FinishPasswordReset(Database& database, std::string_view token, std::string_view new_password, Timestamp now,
                           const AuditContext& audit);
// The signed-in user's own change: the current password must be right.
Status ChangePassword(Database& database, const Principal& user, std::string_view current_password,
                      std::string_view new_password, const AuditContext& audit);

}  // namespace cartera::access
