// Keys for programs (an ERP, a script): shown once when made, stored as a
// SHA-256, named, revocable, with the time each was last used. A key reads
// "ck_<prefix>_<secret>"; the prefix identifies it in lists and logs.
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

struct ApiKey {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string name;
  Role role = Role::kViewer;
  std::string prefix;
  std::string created_by;
  std::string created_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> revoked_at;
};

struct CreatedApiKey {
  ApiKey key;
  std::string secret;  // the whole key, shown once
};

Result<CreatedApiKey> CreateApiKey(Database& database, int64_t tenant_id, std::string_view name, Role role,
                                   const AuditContext& audit);
Result<std::vector<ApiKey>> ListApiKeys(Database& database, int64_t tenant_id);
// kNotFound unless the key is the tenant's; revoking twice changes nothing.
Result<ApiKey> RevokeApiKey(Database& database, int64_t tenant_id, int64_t key_id, const AuditContext& audit);
nlohmann::json ApiKeyJson(const ApiKey& key);

// nullopt for an unknown or revoked key. `stale_stamp` is set when the
// key's last_used_at is more than a minute old: the caller stamps it with
// StampApiKeyUse, off the request's path (a write waits for the database's
// writer; a read must not).
Result<std::optional<Principal>> PrincipalForApiKey(Database& database, std::string_view presented, Timestamp now,
                                                    bool* stale_stamp = nullptr);
Status StampApiKeyUse(Database& database, int64_t tenant_id, int64_t key_id, Timestamp at);

// Moves on each revocation in this process: a cache of principals made
// before it is stale at once (the API's cache keeps a key a second at most,
// so another process's revocation takes effect within that second).
uint64_t ApiKeysGeneration();

}  // namespace cartera::access
