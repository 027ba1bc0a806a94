// Idempotency-Key on POST, the way payment APIs do it: the first answer to
// a key (status and body) is stored and replayed for 24 hours; the same key
// with another request (method, path or body) is refused; a key whose first
// request is still running is a conflict. Keys belong to the caller (the
// user or API key) within its tenant. A 5xx answer is not kept, so a retry
// after a failure runs again.
#pragma once

#include <optional>
#include <string>

#include "api/api_call.h"
#include "core/clock.h"
#include "store/database.h"

namespace cartera::api {

inline constexpr int kIdempotencyHours = 24;

struct IdempotencyClaim {
  enum class Kind { kFirst, kReplay, kReused, kInProgress };
  Kind kind = Kind::kFirst;
  ApiResponse stored;  // kReplay
};

// Records the key as in progress, or says what was recorded before.
Result<IdempotencyClaim> ClaimIdempotencyKey(Database& database, int64_t tenant_id, const std::string& owner,
                                             const std::string& key, const std::string& request_hash, Timestamp now);
// Stores the answer (or forgets the key for a 5xx answer).
Status FinishIdempotencyKey(Database& database, int64_t tenant_id, const std::string& owner, const std::string& key,
                            const ApiResponse& response);

}  // namespace cartera::api
