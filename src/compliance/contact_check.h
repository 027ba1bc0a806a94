// Is this contact allowed now, and if not, why and when next? A pure function
// of a rulebook, the intended contact and the debtor's contact history: the
// engine calls it when it plans a contact and again just before sending.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/rulebook.h"
#include "core/clock.h"

namespace cartera::compliance {

// Why a contact is blocked. Persisted in the outbox and logs: never renumber.
// When several rules block, the decision reports the first in this order of
// precedence: kUnknownTimeZone, kThirdParty, kLegalProceedings,
// kChannelForbidden, kChannelNotAuthorised, kClosedDay, kHoliday,
// kOutsideHours, kDebtorQuietHours, kAfterContact, kChannelSwitch,
// kFrequencyCap, kMinimumGap.
enum class BlockCode {
  kNone = 0,                  // allowed
  kOutsideHours = 1,          // the local time is outside the day's windows
  kClosedDay = 2,             // the weekday has no window (Sunday in Colombia)
  kHoliday = 3,               // a public holiday in the rule's calendar
  kFrequencyCap = 4,          // too many contacts in the period
  kMinimumGap = 5,            // too soon after the previous contact
  kAfterContact = 6,          // blocked for a while after a contact (US: 7 days after a conversation)
  kChannelSwitch = 7,         // another channel was used for a direct contact this week (Colombia)
  kChannelNotAuthorised = 8,  // the debtor has not authorised the channel
  kChannelForbidden = 9,      // the channel may not be used at all (visits in Colombia)
  kThirdParty = 10,           // the recipient is not the debtor (or a guarantor where allowed)
  kLegalProceedings = 11,     // the debtor is being sued or is insolvent: out-of-court collection stops
  kUnknownTimeZone = 12,      // the debtor's zone is missing or unknown: local time cannot be checked
  kDebtorQuietHours = 13,     // outside the daily window the debtor chose to be contacted in (the portal)
};
// "outside_hours", "closed_day", ...: stable keys for JSON and logs.
std::string_view BlockCodeName(BlockCode code);

enum class Recipient { kDebtor = 1, kGuarantor = 2, kThirdParty = 3 };

struct ContactRequest {
  Channel channel = Channel::kEmail;
  Timestamp at;                    // intended time of the contact, UTC
  std::string time_zone;           // the debtor's IANA zone ("America/Tijuana")
  std::string country;             // the debtor's ISO country: holiday calendar of "debtor" rules
  ChannelSet authorised_channels;  // channels the debtor explicitly authorised
  Recipient recipient = Recipient::kDebtor;
  bool in_legal_proceedings = false;  // served in a collection suit, or insolvent
  // The daily local window in which the debtor accepts contact (their own
  // choice, through the portal), on every day and every channel. It only
  // narrows the rulebook's hours: a contact must be inside both, and a day
  // where they do not meet has no contact (kDebtorQuietHours, deferred to
  // the next time both allow).
  std::optional<TimeWindow> debtor_hours;
};

struct PastContact {
  Channel channel = Channel::kEmail;
  Timestamp at;  // UTC
  ContactKind kind = ContactKind::kAttempt;
};

struct ContactDecision {
  BlockCode code = BlockCode::kNone;
  bool allowed() const { return code == BlockCode::kNone; }
  // The blocking rule (empty when allowed or for kUnknownTimeZone), its legal
  // source, and a sentence naming both, in Spanish and English, followed by
  // the next allowed local time when there is one.
  std::string rule_id;
  std::string source;
  std::string reason_es;
  std::string reason_en;
  // The request's time when allowed; otherwise the first UTC second at or
  // after it when every rule allows the contact (the same request at that
  // time is allowed), searching up to kNextAllowedSearchDays local days
  // ahead. nullopt when waiting does not help (kThirdParty,
  // kLegalProceedings, kChannelForbidden, kChannelNotAuthorised,
  // kUnknownTimeZone) or nothing is allowed within the search.
  std::optional<Timestamp> next_allowed;
};

inline constexpr int32_t kNextAllowedSearchDays = 60;

// The rulebook's contact hours for `channel` by weekday ([0] = Sunday): the
// intersection of its hours rules that apply to the channel, sorted; a day
// no hours rule covers is the whole day [00:00, 24:00); an empty day is
// closed. What the law allows before any debtor's own window narrows it.
std::array<std::vector<TimeWindow>, 7> LegalContactHours(const Rulebook& rulebook, Channel channel);

// `hours` narrowed to `debtor` on every day (what CheckContact allows by
// the clock when the request carries debtor_hours).
std::array<std::vector<TimeWindow>, 7> NarrowHours(const std::array<std::vector<TimeWindow>, 7>& hours,
                                                   const TimeWindow& debtor);

// Checks one contact against every contact rule of the rulebook. `history`
// holds the debtor's earlier contacts in any order; pass at least those of
// the last rulebook.lookback_days local days before the request's day (more
// is harmless). Contacts after `request.at` are not expected; if present,
// they count for caps and gaps but do not trigger after_contact blocks.
// Local days and times are in request.time_zone.
ContactDecision CheckContact(const Rulebook& rulebook, const ContactRequest& request,
                             const std::vector<PastContact>& history);

}  // namespace cartera::compliance
