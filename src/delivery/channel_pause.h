// A channel the delivery worker stops using for a tenant after the server
// refused several messages in a row for its own reasons (SMTP 5xx at MAIL
// FROM or DATA: an SPF, DMARC or relay policy; SendOutcome::RefusedByServer).
// Such a refusal says nothing about the debtor's address and will refuse
// the next message alike, so carrying on would fail the whole queue; the
// pause stops it, says why in the person's language, and touches no
// contact point. A person fixes the server or the settings and resumes the
// channel (`cartera channel resume email`). State: the channel_pauses
// table (migration 21).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/language.h"
#include "delivery/send_outcome.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// Refusals in a row that pause a channel: one is a policy hiccup or a
// single message's content; three in a row with no success between is the
// server refusing us.
inline constexpr int32_t kServerRefusalsBeforePause = 3;

struct ChannelPause {
  std::string channel;          // "email"
  int32_t refusals_in_row = 0;  // server refusals since the last accepted message
  std::string last_reply;       // the server's words at the latest refusal
  std::string last_refusal_at;  // ISO-8601 UTC
  std::optional<std::string> paused_at;  // set: the channel is paused
  bool paused() const { return paused_at.has_value(); }
};

// Counts one server refusal; at `refusals_max` in a row the channel is
// paused (audited, entity "channel"). Returns the state after it.
// REQUIRES: inside the caller's transaction (the worker's, which records
// the message's result), refusals_max >= 1.
Result<ChannelPause> RecordServerRefusal(Database& database, int64_t tenant_id, std::string_view channel,
                                         std::string_view server_reply, Timestamp now, const AuditContext& audit,
                                         int32_t refusals_max = kServerRefusalsBeforePause);

// A message the server accepted ends the run of refusals (a paused channel
// stays paused: only a person resumes it). Writes nothing when there was
// no run. REQUIRES: inside the caller's transaction.
Status RecordServerAccepted(Database& database, int64_t tenant_id, std::string_view channel);

// The one call the worker makes after each send on a channel that can be
// paused, beside the item's own result: a server's refusal
// (SendOutcome::RefusedByServer) is counted, an accepted message ends the
// run, anything else changes nothing. Returns the channel's state when this
// outcome paused it, so the worker can stop the channel's other items and
// say why. REQUIRES: inside the caller's transaction.
Result<std::optional<ChannelPause>> RecordSendOutcome(Database& database, int64_t tenant_id, std::string_view channel,
                                                      const SendOutcome& outcome, Timestamp now,
                                                      const AuditContext& audit);

// The channel's state; nullopt when it never had a refusal.
Result<std::optional<ChannelPause>> LoadChannelPause(Database& database, int64_t tenant_id, std::string_view channel);

// True when the worker must leave the channel's items queued.
Result<bool> IsChannelPaused(Database& database, int64_t tenant_id, std::string_view channel);

// Ends a pause and the run of refusals, audited; its own transaction.
// kNotFound when the channel is not paused.
Status ResumeChannel(Database& database, int64_t tenant_id, std::string_view channel, const AuditContext& audit);

// What a person reads: why the channel is paused and how to resume it.
std::string DescribeChannelPause(const ChannelPause& pause, Language language);

}  // namespace cartera::delivery
