#include "access/users.h"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "access/secrets.h"
#include "core/contact_address.h"
#include "core/text_check.h"
#include "core/time_zone.h"

namespace cartera::access {
namespace {

constexpr const char* kUserColumns =
    "id, tenant_id, email, role, name, must_change_password, disabled_at, created_at, last_login_at";

User ReadUser(const Statement& row) {
  User user;
  user.id = row.GetInt64(0);
  user.tenant_id = row.GetInt64(1);
  user.email = std::string(row.GetText(2));
  user.role = ParseRole(row.GetText(3)).value_or(Role::kViewer);
  user.name = row.IsNull(4) ? std::string() : std::string(row.GetText(4));
  user.must_change_password = row.GetInt64(5) != 0;
  user.disabled_at = row.GetOptionalText(6);
  user.created_at = std::string(row.GetText(7));
  user.last_login_at = row.GetOptionalText(8);
  return user;
}

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Error UnknownUser(Language language) {
  return Error::NotFound(std::string(Tr(language, "no existe ese usuario", "no such user")));
}

}  // namespace

Status CheckPassword(std::string_view password, Language language) {
  if (password.size() < kPasswordMinBytes) {
    return Fail(Error::BadInput(TrFormat(language, "la contraseña debe tener al menos {} caracteres",
                                         "the password must have at least {} characters", kPasswordMinBytes)));
  }
  if (password.size() > kPasswordMaxBytes) {
    return Fail(Error::BadInput(TrFormat(language, "la contraseña puede tener como mucho {} bytes",
                                         "the password may have at most {} bytes", kPasswordMaxBytes)));
  }
  if (auto problem = FindTextProblem(password)) {
    return Fail(Error::BadInput(TrFormat(language, "contraseña: {}", "password: {}", DescribeTextProblem(*problem, language))));
  }
  return {};
}

Result<AddedUser> AddUser(Database& database, int64_t tenant_id, const NewUser& user, const AuditContext& audit) {
  const std::string email = Lowered(user.email);
  if (auto problem = EmailAddressProblem(email, audit.language)) {
    return Fail(Error::BadInput(TrFormat(audit.language, "correo: {}", "email: {}", *problem)));
  }
  if (auto problem = FindTextProblem(user.name)) {
    return Fail(Error::BadInput(TrFormat(audit.language, "nombre: {}", "name: {}", DescribeTextProblem(*problem, audit.language))));
  }
  AddedUser added;
  std::string password;
  if (user.password) {
    if (auto ok = CheckPassword(*user.password, audit.language); !ok) return Fail(ok.error());
    password = *user.password;
  } else {
    password = RandomToken(15);  // 20 characters, changed at the first login
    added.one_time_password = password;
  }
  auto hash = HashPassword(password);
  if (!hash) return Fail(hash.error());
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto taken = database.Prepare("SELECT 1 FROM users WHERE email = ?");
  if (!taken) return Fail(taken.error());
  (*taken)->BindText(1, email);
  auto exists = (*taken)->Step();
  if (!exists) return Fail(exists.error());
  if (*exists) {
    return Fail(Error::Conflict(TrFormat(audit.language, "ya hay un usuario con el correo '{}'",
                                         "there is already a user with the e-mail '{}'", email)));
  }
  taken->reset();
  auto insert = database.Prepare(
      "INSERT INTO users (tenant_id, email, role, name, password_hash, must_change_password, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, email);
  (*insert)->BindText(3, RoleName(user.role));
  (*insert)->BindText(4, user.name);
  (*insert)->BindText(5, *hash);
  (*insert)->BindInt64(6, added.one_time_password ? 1 : 0);
  (*insert)->BindText(7, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto read = database.Prepare(fmt::format("SELECT {} FROM users WHERE email = ?", kUserColumns));
  if (!read) return Fail(read.error());
  (*read)->BindText(1, email);
  auto row = (*read)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal("the user just added is missing"));
  added.user = ReadUser(**read);
  read->reset();
  if (auto ok = WriteAudit(database, tenant_id, audit, "user", added.user.id, "create", "", UserJson(added.user).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return added;
}

Result<std::vector<User>> ListUsers(Database& database, int64_t tenant_id) {
  auto select = database.Prepare(fmt::format("SELECT {} FROM users WHERE tenant_id = ? ORDER BY email", kUserColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  std::vector<User> users;
  while (true) {
    auto row = (*select)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    users.push_back(ReadUser(**select));
  }
  return users;
}

Result<User> LoadUser(Database& database, int64_t tenant_id, int64_t user_id, Language language) {
  auto select = database.Prepare(fmt::format("SELECT {} FROM users WHERE tenant_id = ? AND id = ?", kUserColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindInt64(2, user_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(UnknownUser(language));
  return ReadUser(**select);
}

Result<User> UpdateUser(Database& database, int64_t tenant_id, int64_t user_id, const UserChange& change,
                        const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadUser(database, tenant_id, user_id, audit.language);
  if (!before) return Fail(before.error());
  User after = *before;
  if (change.role) after.role = *change.role;
  if (change.name) {
    if (auto problem = FindTextProblem(*change.name)) {
      return Fail(Error::BadInput(TrFormat(audit.language, "nombre: {}", "name: {}", DescribeTextProblem(*problem, audit.language))));
    }
    after.name = *change.name;
  }
  if (change.disabled) after.disabled_at = *change.disabled ? std::optional<std::string>(before->disabled_at.value_or(audit.at)) : std::nullopt;
  auto update = database.Prepare("UPDATE users SET role = ?, name = ?, disabled_at = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, RoleName(after.role));
  (*update)->BindText(2, after.name);
  (*update)->BindOptionalText(3, after.disabled_at);
  (*update)->BindInt64(4, tenant_id);
  (*update)->BindInt64(5, user_id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  if (after.disabled_at) {
    auto end = database.Prepare("DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?");
    if (!end) return Fail(end.error());
    (*end)->BindInt64(1, tenant_id);
    (*end)->BindInt64(2, user_id);
    if (auto ok = (*end)->Run(); !ok) return Fail(ok.error());
  }
  if (auto ok = WriteAudit(database, tenant_id, audit, "user", user_id, "update", UserJson(*before).dump(),
                           UserJson(after).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return after;
}

nlohmann::json UserJson(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"role", RoleName(user.role)},
          {"name", user.name},
          {"must_change_password", user.must_change_password},
          {"disabled", user.disabled_at.has_value()},
          {"created_at", user.created_at},
          {"last_login_at", user.last_login_at ? nlohmann::json(*user.last_login_at) : nlohmann::json(nullptr)}};
}

Result<std::string> StartPasswordReset(Database& database, std::string_view email, Timestamp now,
                                       const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto select = database.Prepare("SELECT id, tenant_id FROM users WHERE email = ?");
  if (!select) return Fail(select.error());
  (*select)->BindText(1, Lowered(email));
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no hay un usuario con el correo '{}'",
                                         "no user with the e-mail '{}'", EscapeForDisplay(email))));
  }
  const int64_t user_id = (*select)->GetInt64(0);
  const int64_t tenant_id = (*select)->GetInt64(1);
  select->reset();
  const std::string token = RandomToken(24);
  auto insert = database.Prepare(
      "INSERT INTO password_resets (token_hash, tenant_id, user_id, expires_at) VALUES (?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindText(1, Sha256Hex(token));
  (*insert)->BindInt64(2, tenant_id);
  (*insert)->BindInt64(3, user_id);
  (*insert)->BindText(4, FormatUtc(now + std::chrono::hours(1)));
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  if (auto ok = WriteAudit(database, tenant_id, audit, "user", user_id, "update", "", R"({"password_reset":"started"})"); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return token;
}

namespace {

Status StorePassword(Database& database, int64_t tenant_id, int64_t user_id, std::string_view password) {
  auto hash = HashPassword(password);
  if (!hash) return Fail(hash.error());
  auto update = database.Prepare(
      "UPDATE users SET password_hash = ?, must_change_password = 0 WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, *hash);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, user_id);
  return (*update)->Run();
}

}  // namespace

Status FinishPasswordReset(Database& database, std::string_view token, std::string_view new_password, Timestamp now,
                           const AuditContext& audit) {
  if (auto ok = CheckPassword(new_password, audit.language); !ok) return ok;
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto select = database.Prepare(
      "SELECT tenant_id, user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?");
  if (!select) return Fail(select.error());
  (*select)->BindText(1, Sha256Hex(token));
  (*select)->BindText(2, FormatUtc(now));
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "el código de restablecimiento no es válido o ya venció",
                                               "the reset token is not valid or has expired"))));
  }
  const int64_t tenant_id = (*select)->GetInt64(0);
  const int64_t user_id = (*select)->GetInt64(1);
  select->reset();
  if (auto ok = StorePassword(database, tenant_id, user_id, new_password); !ok) return ok;
  auto used = database.Prepare("UPDATE password_resets SET used_at = ? WHERE token_hash = ?");
  if (!used) return Fail(used.error());
  (*used)->BindText(1, FormatUtc(now));
  (*used)->BindText(2, Sha256Hex(token));
  if (auto ok = (*used)->Run(); !ok) return ok;
  auto end = database.Prepare("DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?");
  if (!end) return Fail(end.error());
  (*end)->BindInt64(1, tenant_id);
  (*end)->BindInt64(2, user_id);
  if (auto ok = (*end)->Run(); !ok) return ok;
  if (auto ok = WriteAudit(database, tenant_id, audit, "user", user_id, "update", "", R"({"password_reset":"finished"})"); !ok) return ok;
  return transaction->Commit();
}

Status ChangePassword(Database& database, const Principal& user, std::string_view current_password,
                      std::string_view new_password, const AuditContext& audit) {
  if (user.kind != Principal::Kind::kUser) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "solo un usuario cambia su contraseña",
                                               "only a user changes a password"))));
  }
  if (auto ok = CheckPassword(new_password, audit.language); !ok) return ok;
  auto select = database.Prepare("SELECT password_hash FROM users WHERE tenant_id = ? AND id = ?");
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, user.tenant_id);
  (*select)->BindInt64(2, user.id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(UnknownUser(audit.language));
  const std::string hash(((*select)->GetText(0)));
  select->reset();
  if (!VerifyPassword(hash, current_password)) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "la contraseña actual no es correcta",
                                               "the current password is not right"))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = StorePassword(database, user.tenant_id, user.id, new_password); !ok) return ok;
  if (auto ok = WriteAudit(database, user.tenant_id, audit, "user", user.id, "update", "", R"({"password":"changed"})"); !ok) return ok;
  return transaction->Commit();
}

}  // namespace cartera::access
