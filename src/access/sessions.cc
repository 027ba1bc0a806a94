#include "access/sessions.h"

#include <chrono>

#include "access/secrets.h"
#include "core/time_zone.h"

namespace cartera::access {

Result<NewSession> Login(Database& database, std::string_view email, std::string_view password, Timestamp now,
                         Language language) {
  const Error refused = Error::BadInput(std::string(
      Tr(language, "correo o contraseña incorrectos", "wrong e-mail or password")));
  std::string lowered(email);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto select = database.Prepare(
      "SELECT id, tenant_id, role, password_hash, must_change_password, disabled_at FROM users WHERE email = ?");
  if (!select) return Fail(select.error());
  (*select)->BindText(1, lowered);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    VerifyAgainstDummy(password);
    return Fail(refused);
  }
  Principal principal;
  principal.kind = Principal::Kind::kUser;
  principal.id = (*select)->GetInt64(0);
  principal.tenant_id = (*select)->GetInt64(1);
  principal.role = ParseRole((*select)->GetText(2)).value_or(Role::kViewer);
  const std::string hash((*select)->GetText(3));
  principal.must_change_password = (*select)->GetInt64(4) != 0;
  const bool disabled = !(*select)->IsNull(5);
  principal.name = lowered;
  select->reset();
  if (!VerifyPassword(hash, password) || disabled) return Fail(refused);

  NewSession session;
  session.token = RandomToken(32);
  session.csrf_token = RandomToken(24);
  session.expires_at = FormatUtc(now + std::chrono::hours(kSessionHours));
  principal.csrf_token = session.csrf_token;
  session.principal = principal;
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto insert = database.Prepare(
      "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindText(1, Sha256Hex(session.token));
  (*insert)->BindInt64(2, principal.tenant_id);
  (*insert)->BindInt64(3, principal.id);
  (*insert)->BindText(4, Sha256Hex(session.csrf_token));
  (*insert)->BindText(5, FormatUtc(now));
  (*insert)->BindText(6, session.expires_at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto stamp = database.Prepare("UPDATE users SET last_login_at = ? WHERE tenant_id = ? AND id = ?");
  if (!stamp) return Fail(stamp.error());
  (*stamp)->BindText(1, FormatUtc(now));
  (*stamp)->BindInt64(2, principal.tenant_id);
  (*stamp)->BindInt64(3, principal.id);
  if (auto ok = (*stamp)->Run(); !ok) return Fail(ok.error());
  // Expired sessions go when someone signs in: no sweeper needed.
  auto sweep = database.Prepare("DELETE FROM sessions WHERE expires_at <= ?");
  if (!sweep) return Fail(sweep.error());
  (*sweep)->BindText(1, FormatUtc(now));
  if (auto ok = (*sweep)->Run(); !ok) return Fail(ok.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return session;
}

Result<std::optional<Principal>> PrincipalForSession(Database& database, std::string_view token, Timestamp now) {
  auto select = database.Prepare(
      "SELECT u.id, u.tenant_id, u.role, u.email, u.must_change_password, s.csrf_token FROM sessions s "
      "JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id "
      "WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL");
  if (!select) return Fail(select.error());
  (*select)->BindText(1, Sha256Hex(token));
  (*select)->BindText(2, FormatUtc(now));
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Principal>();
  Principal principal;
  principal.kind = Principal::Kind::kUser;
  principal.id = (*select)->GetInt64(0);
  principal.tenant_id = (*select)->GetInt64(1);
  principal.role = ParseRole((*select)->GetText(2)).value_or(Role::kViewer);
  principal.name = std::string((*select)->GetText(3));
  principal.must_change_password = (*select)->GetInt64(4) != 0;
  principal.csrf_token = std::string((*select)->GetText(5));  // its hash: compared hashed
  return std::optional<Principal>(principal);
}

Status Logout(Database& database, std::string_view token) {
  auto remove = database.Prepare("DELETE FROM sessions WHERE token_hash = ?");
  if (!remove) return Fail(remove.error());
  (*remove)->BindText(1, Sha256Hex(token));
  return (*remove)->Run();
}

}  // namespace cartera::access
