#include "delivery/channel_pause.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"

namespace cartera::delivery {
namespace {

constexpr int64_t kNoEntityId = 0;  // a channel has no numeric id: the audit row names it in its JSON

}  // namespace

Result<std::optional<ChannelPause>> LoadChannelPause(Database& database, int64_t tenant_id, std::string_view channel) {
  auto query = database.Prepare(
      "SELECT refusals_in_row, last_reply, last_refusal_at, paused_at FROM channel_pauses "
      "WHERE tenant_id = ? AND channel = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, channel);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<ChannelPause>();
  ChannelPause pause;
  pause.channel = std::string(channel);
  pause.refusals_in_row = static_cast<int32_t>((*query)->GetInt64(0));
  pause.last_reply = (*query)->GetOptionalText(1).value_or("");
  pause.last_refusal_at = (*query)->GetOptionalText(2).value_or("");
  pause.paused_at = (*query)->GetOptionalText(3);
  return std::optional<ChannelPause>(std::move(pause));
}

Result<bool> IsChannelPaused(Database& database, int64_t tenant_id, std::string_view channel) {
  auto pause = LoadChannelPause(database, tenant_id, channel);
  if (!pause) return Fail(pause.error());
  return pause->has_value() && (*pause)->paused();
}

Result<ChannelPause> RecordServerRefusal(Database& database, int64_t tenant_id, std::string_view channel,
                                         std::string_view server_reply, Timestamp now, const AuditContext& audit,
                                         int32_t refusals_max) {
  const std::string at = FormatUtc(now);
  auto upsert = database.Prepare(
      "INSERT INTO channel_pauses (tenant_id, channel, refusals_in_row, last_reply, last_refusal_at) "
      "VALUES (?, ?, 1, ?, ?) ON CONFLICT (tenant_id, channel) DO UPDATE SET "
      "refusals_in_row = channel_pauses.refusals_in_row + 1, last_reply = excluded.last_reply, "
      "last_refusal_at = excluded.last_refusal_at");
  if (!upsert) return Fail(upsert.error());
  (*upsert)->BindInt64(1, tenant_id);
  (*upsert)->BindText(2, channel);
  (*upsert)->BindText(3, server_reply);
  (*upsert)->BindText(4, at);
  if (auto done = (*upsert)->Run(); !done) return Fail(done.error());
  auto pause = LoadChannelPause(database, tenant_id, channel);
  if (!pause) return Fail(pause.error());
  if (!*pause) return Fail(Error::Internal("the channel's refusal was not recorded"));
  ChannelPause state = std::move(**pause);
  if (state.paused() || state.refusals_in_row < refusals_max) return state;
  auto paused = database.Prepare("UPDATE channel_pauses SET paused_at = ? WHERE tenant_id = ? AND channel = ?");
  if (!paused) return Fail(paused.error());
  (*paused)->BindText(1, at);
  (*paused)->BindInt64(2, tenant_id);
  (*paused)->BindText(3, channel);
  if (auto done = (*paused)->Run(); !done) return Fail(done.error());
  state.paused_at = at;
  const nlohmann::json after = {{"channel", state.channel},
                                {"paused", true},
                                {"refusals_in_row", state.refusals_in_row},
                                {"last_reply", state.last_reply}};
  if (auto done = WriteAudit(database, tenant_id, audit, "channel", kNoEntityId, "update",
                             nlohmann::json({{"channel", state.channel}, {"paused", false}}).dump(), after.dump());
      !done) {
    return Fail(done.error());
  }
  return state;
}

Status RecordServerAccepted(Database& database, int64_t tenant_id, std::string_view channel) {
  auto reset = database.Prepare(
      "UPDATE channel_pauses SET refusals_in_row = 0 WHERE tenant_id = ? AND channel = ? AND refusals_in_row > 0 "
      "AND paused_at IS NULL");
  if (!reset) return Fail(reset.error());
  (*reset)->BindInt64(1, tenant_id);
  (*reset)->BindText(2, channel);
  return (*reset)->Run();
}

Result<std::optional<ChannelPause>> RecordSendOutcome(Database& database, int64_t tenant_id, std::string_view channel,
                                                      const SendOutcome& outcome, Timestamp now,
                                                      const AuditContext& audit) {
  if (outcome.result == SendResult::kSent) {
    if (auto done = RecordServerAccepted(database, tenant_id, channel); !done) return Fail(done.error());
    return std::optional<ChannelPause>();
  }
  if (!outcome.RefusedByServer()) return std::optional<ChannelPause>();
  auto paused_before = IsChannelPaused(database, tenant_id, channel);
  if (!paused_before) return Fail(paused_before.error());
  const std::string_view reply = outcome.server_reply.empty() ? outcome.detail : outcome.server_reply;
  auto state = RecordServerRefusal(database, tenant_id, channel, reply, now, audit);
  if (!state) return Fail(state.error());
  // Only the refusal that paused it reports the pause.
  if (*paused_before || !state->paused()) return std::optional<ChannelPause>();
  return std::optional<ChannelPause>(std::move(*state));
}

Status ResumeChannel(Database& database, int64_t tenant_id, std::string_view channel, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto pause = LoadChannelPause(database, tenant_id, channel);
  if (!pause) return Fail(pause.error());
  if (!*pause || !(*pause)->paused()) {
    return Fail(Error::NotFound(fmt::format("the {} channel is not paused", channel)));
  }
  auto resume = database.Prepare(
      "UPDATE channel_pauses SET paused_at = NULL, refusals_in_row = 0 WHERE tenant_id = ? AND channel = ?");
  if (!resume) return Fail(resume.error());
  (*resume)->BindInt64(1, tenant_id);
  (*resume)->BindText(2, channel);
  if (auto done = (*resume)->Run(); !done) return done;
  const nlohmann::json before = {{"channel", std::string(channel)},
                                 {"paused", true},
                                 {"paused_at", *(*pause)->paused_at},
                                 {"last_reply", (*pause)->last_reply}};
  if (auto done = WriteAudit(database, tenant_id, audit, "channel", kNoEntityId, "update", before.dump(),
                             nlohmann::json({{"channel", std::string(channel)}, {"paused", false}}).dump());
      !done) {
    return done;
  }
  return transaction->Commit();
}

std::string DescribeChannelPause(const ChannelPause& pause, Language language) {
  if (!pause.paused()) {
    return TrFormat(language, "{}: en uso ({} rechazos seguidos del servidor; se pausa a los {})",
                    "{}: in use ({} refusals in a row by the server; it pauses at {})", pause.channel,
                    pause.refusals_in_row, kServerRefusalsBeforePause);
  }
  return TrFormat(language,
                  "{0}: EN PAUSA desde {1}: el servidor rechazó {2} mensajes seguidos por sus propias reglas "
                  "(no por las direcciones de los deudores, que siguen válidas). Última respuesta: \"{3}\". "
                  "Los mensajes esperan en cola. Corrija el servidor o la configuración (SPF, DKIM, relay, "
                  "remitente) y reanude con: cartera channel resume {0}",
                  "{0}: PAUSED since {1}: the server refused {2} messages in a row for its own reasons (not the "
                  "debtors' addresses, which stay usable). Last reply: \"{3}\". The messages wait in the queue. "
                  "Fix the server or the settings (SPF, DKIM, relay, sender) and resume with: cartera channel "
                  "resume {0}",
                  pause.channel, *pause.paused_at, pause.refusals_in_row, pause.last_reply);
}

}  // namespace cartera::delivery
