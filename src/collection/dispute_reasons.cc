#include "collection/dispute_reasons.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace cartera {
namespace {

const DisputeReasonDefault* FindDefault(std::string_view code) {
  for (const DisputeReasonDefault& reason : kDisputeReasonDefaults) {
    if (reason.code == code) return &reason;
  }
  return nullptr;
}

DisputeReasonSetting FromDefault(const DisputeReasonDefault& reason) {
  DisputeReasonSetting setting;
  setting.code = std::string(reason.code);
  setting.label_es = std::string(reason.es);
  setting.label_en = std::string(reason.en);
  setting.deadline_days = reason.deadline_days;
  return setting;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

nlohmann::json TextOrNull(const std::string& text) { return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text); }

}  // namespace

bool IsDisputeReasonCode(std::string_view code) { return FindDefault(code) != nullptr; }

std::string DisputeReasonCodes() {
  std::string codes;
  for (const DisputeReasonDefault& reason : kDisputeReasonDefaults) {
    codes += fmt::format("{}{}", codes.empty() ? "" : ", ", reason.code);
  }
  return codes;
}

std::string_view DisputeReasonLabel(std::string_view code, Language language) {
  const DisputeReasonDefault* reason = FindDefault(code);
  if (reason == nullptr) return code;
  return Tr(language, reason->es, reason->en);
}

Result<std::vector<DisputeReasonSetting>> LoadDisputeReasons(Database& database, int64_t tenant_id) {
  std::vector<DisputeReasonSetting> all;
  for (const DisputeReasonDefault& reason : kDisputeReasonDefaults) all.push_back(FromDefault(reason));
  auto query = database.Prepare(
      "SELECT code, deadline_days, COALESCE(owner, ''), updated_at, updated_by FROM dispute_reasons WHERE tenant_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    const std::string code(r.GetText(0));
    auto found = std::find_if(all.begin(), all.end(), [&](const DisputeReasonSetting& s) { return s.code == code; });
    if (found == all.end()) continue;  // a code this build no longer ships
    found->deadline_days = static_cast<int32_t>(r.GetInt64(1));
    found->owner = std::string(r.GetText(2));
    found->customised = true;
    found->updated_at = std::string(r.GetText(3));
    found->updated_by = std::string(r.GetText(4));
  }
  return all;
}

Result<DisputeReasonSetting> LoadDisputeReason(Database& database, int64_t tenant_id, std::string_view code,
                                               Language language) {
  if (!IsDisputeReasonCode(code)) {
    return Fail(Error::BadInput(TrFormat(language, "'{}' no es un motivo de disputa del catálogo (use {})",
                                         "'{}' is not a dispute reason of the catalogue (use {})", code,
                                         DisputeReasonCodes())));
  }
  auto all = LoadDisputeReasons(database, tenant_id);
  if (!all) return Fail(all.error());
  for (DisputeReasonSetting& setting : *all) {
    if (setting.code == code) return std::move(setting);
  }
  return Fail(Error::Internal("a catalogue code went missing"));
}

Result<DisputeReasonSetting> SetDisputeReason(Database& database, int64_t tenant_id, std::string_view code,
                                              const DisputeReasonChange& change, const AuditContext& audit) {
  const Language language = audit.language;
  if (!IsDisputeReasonCode(code)) {
    return Fail(Error::BadInput(TrFormat(language, "code: '{}' no es un motivo del catálogo (use {})",
                                         "code: '{}' is not a reason of the catalogue (use {})", code,
                                         DisputeReasonCodes())));
  }
  if (change.deadline_days && (*change.deadline_days < 1 || *change.deadline_days > kDisputeDeadlineMaxDays)) {
    return Fail(Error::BadInput(TrFormat(language, "deadline_days: debe estar entre 1 y {} días (dio {})",
                                         "deadline_days: must be from 1 to {} days (got {})", kDisputeDeadlineMaxDays,
                                         *change.deadline_days)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadDisputeReason(database, tenant_id, code, language);
  if (!before) return Fail(before.error());
  DisputeReasonSetting after = *before;
  if (change.deadline_days) after.deadline_days = *change.deadline_days;
  if (change.owner) {
    after.owner = Lower(*change.owner);
    if (!after.owner.empty()) {
      auto user = database.Prepare(
          "SELECT COUNT(*) FROM users WHERE tenant_id = ? AND LOWER(email) = ? AND disabled_at IS NULL");
      if (!user) return Fail(user.error());
      (*user)->BindInt64(1, tenant_id);
      (*user)->BindText(2, after.owner);
      auto row = (*user)->Step();
      if (!row) return Fail(row.error());
      const int64_t users = *row ? (*user)->GetInt64(0) : 0;
      user->reset();
      if (users == 0) {
        return Fail(Error::BadInput(TrFormat(language, "owner: '{}' no es un usuario activo de esta empresa",
                                             "owner: '{}' is not an active user of this company", after.owner)));
      }
    }
  }
  after.customised = true;
  after.updated_at = audit.at;
  after.updated_by = audit.actor;
  if (auto ok = database.Execute(fmt::format("DELETE FROM dispute_reasons WHERE tenant_id = {} AND code = '{}'",
                                             tenant_id, after.code));
      !ok) {
    return Fail(ok.error());
  }
  auto insert = database.Prepare(
      "INSERT INTO dispute_reasons (tenant_id, code, deadline_days, owner, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, after.code);
  (*insert)->BindInt64(3, after.deadline_days);
  if (after.owner.empty()) {
    (*insert)->BindNull(4);
  } else {
    (*insert)->BindText(4, after.owner);
  }
  (*insert)->BindText(5, after.updated_at);
  (*insert)->BindText(6, after.updated_by);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  insert->reset();
  const nlohmann::json before_json = {{"code", before->code}, {"deadline_days", before->deadline_days},
                                      {"owner", TextOrNull(before->owner)}};
  const nlohmann::json after_json = {{"code", after.code}, {"deadline_days", after.deadline_days},
                                     {"owner", TextOrNull(after.owner)}};
  // The audit's entity id: the reason's place in the catalogue (1 to 6).
  int64_t entity_id = 0;
  for (size_t i = 0; i < kDisputeReasonDefaults.size(); ++i) {
    if (kDisputeReasonDefaults[i].code == after.code) entity_id = static_cast<int64_t>(i) + 1;
  }
  if (auto ok = WriteAudit(database, tenant_id, audit, "dispute_reason", entity_id, "update", before_json.dump(),
                           after_json.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return after;
}

nlohmann::json DisputeReasonJson(const DisputeReasonSetting& setting) {
  return {{"code", setting.code},
          {"label", {{"es", setting.label_es}, {"en", setting.label_en}}},
          {"deadline_days", setting.deadline_days},
          {"owner", TextOrNull(setting.owner)},
          {"customised", setting.customised},
          {"updated_at", TextOrNull(setting.updated_at)},
          {"updated_by", TextOrNull(setting.updated_by)}};
}

}  // namespace cartera
