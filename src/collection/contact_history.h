// The one owner of two facts that every path (run, simulate, explain, the
// delivery worker, later the API) asks about a debtor:
//  - which outbox items count as contacts under the rulebooks, of which
//    kind (attempt, delivered, conversation) and at which instant: the real
//    send time, or the claim while a send is under way, never the day the
//    run planned it;
//  - which channels each contact point (and the postal address) opens, and
//    which of them the debtor authorised.
// The planner and the worker once each had their own answer; they drifted
// apart and a catch-up after days without delivery broke Colombia's
// one-contact-a-day rule. Nothing else reads contacts or consent.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "compliance/contact_check.h"
#include "core/clock.h"
#include "engine/decision.h"
#include "store/database.h"

namespace cartera {

// How far back contacts are read: longer than any rulebook's period.
inline constexpr int32_t kContactLookbackDays = 40;

enum class ContactView {
  // The run plans ahead: an item still queued (or a call task still open)
  // will be a contact, at the earliest when it is scheduled.
  kPlanning = 1,
  // The worker decides about queued items one debtor at a time: only what
  // happened or is under way counts (the other queued items are what it is
  // deciding about).
  kSending = 2,
};

// One outbox row as the contact history sees it. Times are ISO UTC text,
// empty when NULL.
struct OutboxContactRow {
  std::string_view channel;  // "email", "sms", ... (rows without one are no contact)
  std::string_view status;
  std::string_view outcome;
  std::string_view sent_at, attempted_at, outcome_at, scheduled_at, next_attempt_at;
};

// The contact an outbox row stands for in `view`, or nullopt when it is
// none (cancelled, failed, blocked, expired, or queued in the sending view).
std::optional<compliance::PastContact> ContactOf(const OutboxContactRow& row, ContactView view);

// Calls `each(customer_id, contact, outcome)` for every contact of the
// tenant (or of one customer) whose instant is at or after `since`.
using ContactVisitor = std::function<void(int64_t, const compliance::PastContact&, std::string_view)>;
Status ForEachContact(Database& database, int64_t tenant_id, std::optional<int64_t> customer_id, Timestamp since,
                      ContactView view, const ContactVisitor& each);

// The channels open to a debtor.
struct ChannelAccess {
  // Engine channels with a usable, consented contact point (indexed by
  // engine Channel value - 1).
  std::array<bool, kChannelCount> allowed{};
  // Channels the debtor authorised themselves, which some rulebooks demand
  // (Colombia's consumers): consent the debtor gave (portal, reply, a
  // collector's record), not consent a business imported on their behalf;
  // and the postal address on file, which is the debtor's own.
  compliance::ChannelSet authorised_by_debtor;
  // The daily local window in which the debtor accepts contact, chosen by
  // the debtor (the portal); nullopt: only the law's hours.
  std::optional<compliance::TimeWindow> debtor_hours;

  bool Allows(Channel channel) const { return allowed[static_cast<size_t>(channel) - 1]; }
};

// What one usable, consented contact point opens. `kind` is the contact
// point's channel ("email" | "phone" | "whatsapp"); a phone opens SMS and
// calls. `consent_source` "import" is the business's word, anything else
// the debtor's.
void OpenContactPoint(ChannelAccess& access, std::string_view kind, std::string_view consent_source);

// A postal address on file opens letters and counts as the debtor's own
// channel: it is the address of the contract, where the law's written
// notices go (Colombia's Ley 1266 prior notice among them).
void OpenPostalAddress(ChannelAccess& access);

// Where a customer's attributes (JSON) keep the debtor's own contact
// window: {"quiet_hours": {"from": "HH:MM", "to": "HH:MM"}}.
inline constexpr std::string_view kQuietHoursAttribute = "quiet_hours";
// "07:30" -> 450; nullopt unless HH:MM with HH 00-23 and MM 00-59.
std::optional<int32_t> ParseClockMinute(std::string_view text);
// The debtor's window in a customer's attributes JSON text; nullopt when
// absent or malformed (from < to required).
std::optional<compliance::TimeWindow> DebtorHoursOf(std::string_view attributes);

// The SQL condition on contact_points whose rows open channels.
inline constexpr std::string_view kUsableConsentedPoint = "consent = 'granted' AND usable = 1";

// The channels open to a debtor and the addresses they go to.
struct Reach {
  ChannelAccess access;
  // The first usable, consented address of each kind (primary first).
  std::string email, phone, whatsapp, postal;
  // "" when the channel has no address.
  const std::string& AddressFor(std::string_view channel) const;
};

// One customer's reach, read now (an opt-out since the run wins).
Result<Reach> LoadReach(Database& database, int64_t tenant_id, int64_t customer_id);

}  // namespace cartera
