// Helpers for the compliance tests: local times in a zone, requests and
// history written the way the examples in RULES.md are.
#pragma once

#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/contact_check.h"
#include "compliance/rulebook.h"
#include "core/date.h"

namespace cartera::compliance::testing {

// "2021-03-20 15:30" (or with ":SS") local in `zone` -> UTC.
inline Timestamp At(std::string_view zone, std::string_view local) {
  int hours = 0, minutes = 0, seconds = 0;
  Result<Date> day = Date::ParseIso(local.substr(0, 10));
  const std::string time(local.substr(std::min<size_t>(local.size(), 11)));
  const bool ok = day.has_value() && local.size() >= 16 && local[10] == ' ' &&
                  std::sscanf(time.c_str(), "%2d:%2d:%2d", &hours, &minutes, &seconds) >= 2;
  EXPECT_TRUE(ok) << local;
  if (!ok) return Timestamp();
  const date::local_seconds parsed{
      std::chrono::seconds(int64_t{day->days_since_epoch()} * 86400 + hours * 3600 + minutes * 60 + seconds)};
  return date::locate_zone(std::string(zone))->to_sys(parsed, date::choose::earliest);
}

// UTC -> "2021-03-23 07:00" local in `zone`.
inline std::string LocalText(std::string_view zone, Timestamp at) {
  return date::format("%F %R", date::make_zoned(std::string(zone), at).get_local_time());
}

struct Debtor {
  std::string country;
  std::string zone;
  ChannelSet authorised = ChannelSet::All();
};

inline ContactRequest Request(const Debtor& debtor, Channel channel, std::string_view local) {
  ContactRequest request;
  request.channel = channel;
  request.at = At(debtor.zone, local);
  request.time_zone = debtor.zone;
  request.country = debtor.country;
  request.authorised_channels = debtor.authorised;
  return request;
}

inline PastContact Past(const Debtor& debtor, Channel channel, std::string_view local,
                        ContactKind kind = ContactKind::kAttempt) {
  return PastContact{channel, At(debtor.zone, local), kind};
}

// The decision for `debtor` under the shipped rulebook of its country.
inline ContactDecision Check(const Debtor& debtor, DebtorKind kind, Channel channel, std::string_view local,
                             const std::vector<PastContact>& history = {}) {
  return CheckContact(RulebookFor(debtor.country, kind), Request(debtor, channel, local), history);
}

// The next allowed time as local text, or "none".
inline std::string NextAllowed(const Debtor& debtor, const ContactDecision& decision) {
  return decision.next_allowed ? LocalText(debtor.zone, *decision.next_allowed) : "none";
}

inline const Debtor kBogota{"CO", "America/Bogota"};
inline const Debtor kSantiago{"CL", "America/Santiago"};
inline const Debtor kLima{"PE", "America/Lima"};
inline const Debtor kMexicoCity{"MX", "America/Mexico_City"};
inline const Debtor kTijuana{"MX", "America/Tijuana"};
inline const Debtor kNewYork{"US", "America/New_York"};
inline const Debtor kMadrid{"ES", "Europe/Madrid"};
inline const Debtor kBuenosAires{"AR", "America/Argentina/Buenos_Aires"};

}  // namespace cartera::compliance::testing
