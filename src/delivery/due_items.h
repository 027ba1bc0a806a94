// The outbox items a delivery pass takes, and the debtor each goes to as
// the customer record and the contact history say now.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "collection/contact_history.h"
#include "core/date.h"
#include "delivery/delivery_options.h"
#include "store/database.h"

namespace cartera::delivery {

struct DueItem {
  int64_t id = 0;
  std::string channel;  // email | sms | whatsapp | letter
  std::string key;
  int64_t customer_id = 0;
  std::string stage, template_name, tone;
  nlohmann::json payload;
  int32_t attempts = 0;
  bool claimed = false;  // this pass marked it `sending`
  // The status every write about it expects to find: a stale writer (a
  // worker that lost its claim) changes nothing.
  std::string_view expected_status() const { return claimed ? "sending" : "queued"; }
};

struct Recipient {
  std::string external_id, name, language, country, time_zone;
  bool consumer = false;
  // The channels and addresses the contact history module opens now.
  Reach reach;
  const std::string& AddressFor(std::string_view channel) const { return reach.AddressFor(channel); }
};

// The contact point kind an outbox channel is sent to.
inline std::string_view ContactPointChannel(std::string_view channel) { return channel == "sms" ? "phone" : channel; }

// Queued items of `channels` due at `now` (UTC text), oldest first.
Result<std::vector<DueItem>> LoadDue(Database& database, const DeliveryOptions& options, const std::string& now,
                                     const std::vector<std::string_view>& channels);

// The customer and its reach, read now: an opt-out since the run wins.
Result<Recipient> LoadRecipient(Database& database, int64_t tenant_id, int64_t customer_id);

// The first local date the item's stage no longer covers (the run put it
// in the payload); nullopt for items planned before windows existed.
std::optional<Date> WindowEnd(const nlohmann::json& payload);

}  // namespace cartera::delivery
