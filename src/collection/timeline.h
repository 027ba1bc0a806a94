// A customer's timeline: what the engine decided and why, every outbox item
// and how it went, promises, disputes, what the debtor wrote back and the
// collectors' notes, by date. One function and one JSON shape for the CLI
// and the HTTP API; the words are the caller's (codes here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace cartera {

struct TimelineEntry {
  std::string date;    // YYYY-MM-DD
  std::string source;  // engine | outbox | promise | dispute | reply | note
  std::string kind;    // the log kind, the item's status, the promise's or dispute's status, the reply's channel
  std::string stage, action;
  std::string code;     // engine: the reason code; reply: "opt_out" when it was one
  std::string channel;  // outbox
  std::string outcome;  // outbox: a call's or message's outcome
  std::string detail;     // free text: the engine's sentence, recipient and last error, a reason, a reply
  std::string detail_es;  // the engine's sentence in Spanish ("" for other sources)
  std::optional<int64_t> amount_minor;  // promise
  std::string currency;                 // promise
};

// kNotFound when the tenant has no such customer.
Result<std::vector<TimelineEntry>> LoadTimeline(Database& database, int64_t tenant_id,
                                                const std::string& customer_external_id);

// The record's one JSON shape: every field above, the amount as money.
nlohmann::json TimelineEntryJson(const TimelineEntry& entry);

}  // namespace cartera
