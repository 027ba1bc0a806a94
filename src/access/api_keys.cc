#include "access/api_keys.h"

#include <atomic>
#include <chrono>

#include <nlohmann/json.hpp>

#include "access/secrets.h"
#include "core/text_check.h"
#include "core/time_zone.h"

namespace cartera::access {
namespace {

std::atomic<uint64_t> keys_generation{0};

constexpr const char* kKeyColumns =
    "id, tenant_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at";

ApiKey ReadKey(const Statement& row) {
  ApiKey key;
  key.id = row.GetInt64(0);
  key.tenant_id = row.GetInt64(1);
  key.name = std::string(row.GetText(2));
  key.role = ParseRole(row.GetText(3)).value_or(Role::kViewer);
  key.prefix = std::string(row.GetText(4));
  key.created_by = std::string(row.GetText(5));
  key.created_at = std::string(row.GetText(6));
  key.last_used_at = row.GetOptionalText(7);
  key.revoked_at = row.GetOptionalText(8);
  return key;
}

Result<ApiKey> LoadKey(Database& database, int64_t tenant_id, int64_t key_id, Language language) {
  auto select = database.Prepare(fmt::format("SELECT {} FROM api_keys WHERE tenant_id = ? AND id = ?", kKeyColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindInt64(2, key_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(std::string(Tr(language, "no existe esa clave de API", "no such API key"))));
  return ReadKey(**select);
}

}  // namespace

Result<CreatedApiKey> CreateApiKey(Database& database, int64_t tenant_id, std::string_view name, Role role,
                                   const AuditContext& audit) {
  if (name.empty() || name.size() > 100) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "nombre: entre 1 y 100 caracteres",
                                               "name: between 1 and 100 characters"))));
  }
  if (auto problem = FindTextProblem(name)) {
    return Fail(Error::BadInput(TrFormat(audit.language, "nombre: {}", "name: {}", DescribeTextProblem(*problem, audit.language))));
  }
  // The prefix names the key in lists and logs; only the secret part is private.
  std::string prefix = RandomToken(6);
  for (char& c : prefix) {
    if (c == '_' || c == '-') c = 'x';  // '_' separates the parts
  }
  CreatedApiKey created;
  created.secret = fmt::format("ck_{}_{}", prefix, RandomToken(24));
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto insert = database.Prepare(
      "INSERT INTO api_keys (tenant_id, name, role, prefix, key_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, name);
  (*insert)->BindText(3, RoleName(role));
  (*insert)->BindText(4, prefix);
  (*insert)->BindText(5, Sha256Hex(created.secret));
  (*insert)->BindText(6, audit.actor);
  (*insert)->BindText(7, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto select = database.Prepare(fmt::format("SELECT {} FROM api_keys WHERE key_hash = ?", kKeyColumns));
  if (!select) return Fail(select.error());
  (*select)->BindText(1, Sha256Hex(created.secret));
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal("the API key just made is missing"));
  created.key = ReadKey(**select);
  select->reset();
  if (auto ok = WriteAudit(database, tenant_id, audit, "api_key", created.key.id, "create", "",
                           ApiKeyJson(created.key).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return created;
}

Result<std::vector<ApiKey>> ListApiKeys(Database& database, int64_t tenant_id) {
  auto select = database.Prepare(fmt::format("SELECT {} FROM api_keys WHERE tenant_id = ? ORDER BY id", kKeyColumns));
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  std::vector<ApiKey> keys;
  while (true) {
    auto row = (*select)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    keys.push_back(ReadKey(**select));
  }
  return keys;
}

Result<ApiKey> RevokeApiKey(Database& database, int64_t tenant_id, int64_t key_id, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadKey(database, tenant_id, key_id, audit.language);
  if (!before) return Fail(before.error());
  if (before->revoked_at) return *before;
  auto update = database.Prepare("UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, audit.at);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, key_id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  ApiKey after = *before;
  after.revoked_at = audit.at;
  ++keys_generation;
  if (auto ok = WriteAudit(database, tenant_id, audit, "api_key", key_id, "update", ApiKeyJson(*before).dump(),
                           ApiKeyJson(after).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return after;
}

nlohmann::json ApiKeyJson(const ApiKey& key) {
  auto optional = [](const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
  };
  return {{"id", key.id},
          {"name", key.name},
          {"role", RoleName(key.role)},
          {"prefix", "ck_" + key.prefix},
          {"created_by", key.created_by},
          {"created_at", key.created_at},
          {"last_used_at", optional(key.last_used_at)},
          {"revoked", key.revoked_at.has_value()}};
}

Result<std::optional<Principal>> PrincipalForApiKey(Database& database, std::string_view presented, Timestamp now,
                                                    bool* stale_stamp) {
  if (!presented.starts_with("ck_") || presented.size() > 200) return std::optional<Principal>();
  const std::string hash = Sha256Hex(presented);
  auto select = database.Prepare(
      "SELECT id, tenant_id, name, role, last_used_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL");
  if (!select) return Fail(select.error());
  (*select)->BindText(1, hash);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Principal>();
  Principal principal;
  principal.kind = Principal::Kind::kApiKey;
  principal.id = (*select)->GetInt64(0);
  principal.tenant_id = (*select)->GetInt64(1);
  principal.name = std::string((*select)->GetText(2));
  principal.role = ParseRole((*select)->GetText(3)).value_or(Role::kViewer);
  const std::optional<std::string> last_used = (*select)->GetOptionalText(4);
  select->reset();
  const std::string minute_ago = FormatUtc(now - std::chrono::minutes(1));
  if (stale_stamp != nullptr) *stale_stamp = !last_used || *last_used < minute_ago;
  return std::optional<Principal>(principal);
}

uint64_t ApiKeysGeneration() { return keys_generation.load(); }

Status StampApiKeyUse(Database& database, int64_t tenant_id, int64_t key_id, Timestamp at) {
  auto stamp = database.Prepare("UPDATE api_keys SET last_used_at = ? WHERE tenant_id = ? AND id = ?");
  if (!stamp) return Fail(stamp.error());
  (*stamp)->BindText(1, FormatUtc(at));
  (*stamp)->BindInt64(2, tenant_id);
  (*stamp)->BindInt64(3, key_id);
  return (*stamp)->Run();
}

}  // namespace cartera::access
