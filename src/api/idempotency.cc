#include "api/idempotency.h"

#include <chrono>

#include "core/time_zone.h"

namespace cartera::api {

Result<IdempotencyClaim> ClaimIdempotencyKey(Database& database, int64_t tenant_id, const std::string& owner,
                                             const std::string& key, const std::string& request_hash, Timestamp now) {
  const std::string expired_before = FormatUtc(now - std::chrono::hours(kIdempotencyHours));
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  // A key older than 24 hours is forgotten: the same key starts afresh.
  auto forget = database.Prepare(
      "DELETE FROM idempotency_keys WHERE tenant_id = ? AND principal = ? AND idempotency_key = ? AND created_at < ?");
  if (!forget) return Fail(forget.error());
  (*forget)->BindInt64(1, tenant_id);
  (*forget)->BindText(2, owner);
  (*forget)->BindText(3, key);
  (*forget)->BindText(4, expired_before);
  if (auto ok = (*forget)->Run(); !ok) return Fail(ok.error());
  auto select = database.Prepare(
      "SELECT request_hash, status, content_type, response_body FROM idempotency_keys "
      "WHERE tenant_id = ? AND principal = ? AND idempotency_key = ?");
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindText(2, owner);
  (*select)->BindText(3, key);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  IdempotencyClaim claim;
  if (*row) {
    if ((*select)->GetText(0) != request_hash) {
      claim.kind = IdempotencyClaim::Kind::kReused;
    } else if ((*select)->IsNull(1)) {
      claim.kind = IdempotencyClaim::Kind::kInProgress;
    } else {
      claim.kind = IdempotencyClaim::Kind::kReplay;
      claim.stored.status = static_cast<int>((*select)->GetInt64(1));
      claim.stored.content_type = (*select)->GetOptionalText(2).value_or("");
      claim.stored.body = (*select)->GetOptionalText(3).value_or("");
      claim.stored.headers.emplace_back("Idempotent-Replayed", "true");
    }
    select->reset();
    return claim;
  }
  select->reset();
  auto insert = database.Prepare(
      "INSERT INTO idempotency_keys (tenant_id, principal, idempotency_key, request_hash, created_at) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, owner);
  (*insert)->BindText(3, key);
  (*insert)->BindText(4, request_hash);
  (*insert)->BindText(5, FormatUtc(now));
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return claim;
}

Status FinishIdempotencyKey(Database& database, int64_t tenant_id, const std::string& owner, const std::string& key,
                            const ApiResponse& response) {
  if (response.status >= 500) {
    auto forget = database.Prepare(
        "DELETE FROM idempotency_keys WHERE tenant_id = ? AND principal = ? AND idempotency_key = ?");
    if (!forget) return Fail(forget.error());
    (*forget)->BindInt64(1, tenant_id);
    (*forget)->BindText(2, owner);
    (*forget)->BindText(3, key);
    return (*forget)->Run();
  }
  auto update = database.Prepare(
      "UPDATE idempotency_keys SET status = ?, content_type = ?, response_body = ? "
      "WHERE tenant_id = ? AND principal = ? AND idempotency_key = ?");
  if (!update) return Fail(update.error());
  (*update)->BindInt64(1, response.status);
  (*update)->BindText(2, response.content_type);
  (*update)->BindText(3, response.body);
  (*update)->BindInt64(4, tenant_id);
  (*update)->BindText(5, owner);
  (*update)->BindText(6, key);
  return (*update)->Run();
}

}  // namespace cartera::api
