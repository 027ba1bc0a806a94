#include "collection/strategy_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "collection/portfolio.h"
#include "engine/strategy_scripts.h"

namespace cartera {
namespace {

Result<Strategy> CheckScripts(Result<Strategy> strategy, Language language) {
  if (!strategy) return strategy;
  // Refused now rather than failing at send time.
  if (auto scripts = CheckStrategyScripts(*strategy, language); !scripts) return Fail(scripts.error());
  return strategy;
}

}  // namespace

Result<Strategy> CheckStrategyText(std::string_view text, Language language) {
  return CheckScripts(ParseStrategyText(text, language), language);
}

Result<Strategy> CheckStrategyDocument(const nlohmann::json& document, Language language) {
  return CheckScripts(ParseStrategy(document, language), language);
}

Status SaveActiveStrategy(Database& database, int64_t tenant_id, const Strategy& strategy, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadActiveStrategy(database, tenant_id);
  // A stored strategy that no longer parses is replaced all the same.
  const nlohmann::json before_json = before ? StrategyToJson(before->second) : nlohmann::json();
  if (auto ok = database.Execute(fmt::format("UPDATE strategies SET is_default = 0 WHERE tenant_id = {}", tenant_id));
      !ok) {
    return ok;
  }
  auto upsert = database.Prepare(
      "INSERT INTO strategies (tenant_id, name, definition, is_default, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?) "
      "ON CONFLICT (tenant_id, name) DO UPDATE SET definition = excluded.definition, is_default = 1, "
      "updated_at = excluded.updated_at");
  if (!upsert) return Fail(upsert.error());
  const nlohmann::json after_json = StrategyToJson(strategy);
  (*upsert)->BindInt64(1, tenant_id);
  (*upsert)->BindText(2, strategy.name);
  (*upsert)->BindText(3, after_json.dump());
  (*upsert)->BindText(4, audit.at);
  (*upsert)->BindText(5, audit.at);
  if (auto ok = (*upsert)->Run(); !ok) return ok;
  int64_t strategy_id = 0;
  auto find = database.Prepare("SELECT id FROM strategies WHERE tenant_id = ? AND name = ?");
  if (!find) return Fail(find.error());
  (*find)->BindInt64(1, tenant_id);
  (*find)->BindText(2, strategy.name);
  auto row = (*find)->Step();
  if (!row) return Fail(row.error());
  if (*row) strategy_id = (*find)->GetInt64(0);
  if (auto ok = WriteAudit(database, tenant_id, audit, "strategy", strategy_id, "update",
                           before_json.is_null() ? "" : before_json.dump(), after_json.dump());
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

}  // namespace cartera
