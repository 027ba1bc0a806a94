#include "compliance/rate_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>

#include "compliance/embedded_rate_files.h"

namespace cartera::compliance {
namespace {

struct KindInfo {
  RateKind kind;
  std::string_view name;
  std::string_view country;  // "" : more than one (see RateKindAppliesTo)
};

constexpr KindInfo kKinds[] = {
    {RateKind::kUsury, "usury", "CO"},
    {RateKind::kIbc, "ibc", "CO"},
    {RateKind::kEcbReference, "ecb_reference", "ES"},
    {RateKind::kMaxConventional, "max_conventional", "CL"},
    {RateKind::kUsStateCap, "us_state_cap", "US"},
    {RateKind::kMaxRate, "max_rate", ""},
};

}  // namespace

std::string_view RateKindName(RateKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info.name;
  }
  return "unknown";
}

std::optional<RateKind> ParseRateKind(std::string_view text) {
  for (const KindInfo& info : kKinds) {
    if (info.name == text) return info.kind;
  }
  return std::nullopt;
}

std::string RateKindList() {
  std::string list;
  for (const KindInfo& info : kKinds) {
    if (!list.empty()) list += ", ";
    list += info.name;
  }
  return list;
}

std::string_view RateKindCountry(RateKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info.country;
  }
  return "";
}

bool RateKindAppliesTo(RateKind kind, std::string_view country) {
  if (kind == RateKind::kMaxRate) return country == "PE" || country == "MX";
  return RateKindCountry(kind) == country;
}

std::string_view RateOriginName(RateOrigin origin) { return origin == RateOrigin::kTenant ? "tenant" : "shipped"; }

Result<std::vector<RateRow>> ParseRateFile(std::string_view name, std::string_view text) {
  auto bad = [&](std::string_view where, std::string_view why) {
    return Fail(Error::Internal(fmt::format("{}: {}: {}", name, where, why)));
  };
  nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) return bad("(file)", "not a JSON object");
  if (!document.contains("country") || !document["country"].is_string()) return bad("country", "missing");
  const std::string country = document["country"].get<std::string>();
  if (country.size() != 2) return bad("country", "not an ISO alpha-2 code");
  if (!document.contains("rows") || !document["rows"].is_array()) return bad("rows", "missing");
  std::vector<RateRow> rows;
  for (size_t i = 0; i < document["rows"].size(); ++i) {
    const nlohmann::json& entry = document["rows"][i];
    const std::string where = fmt::format("rows[{}]", i);
    if (!entry.is_object()) return bad(where, "not an object");
    for (const char* field : {"kind", "from", "to", "rate", "source"}) {
      if (!entry.contains(field) || !entry[field].is_string()) return bad(where + "." + field, "missing or not text");
    }
    for (const auto& [key, value] : entry.items()) {
      if (key != "kind" && key != "from" && key != "to" && key != "rate" && key != "source" && key != "evidence") {
        return bad(where + "." + key, "unknown field");
      }
    }
    RateRow row;
    row.country = country;
    auto kind = ParseRateKind(entry["kind"].get<std::string>());
    if (!kind) return bad(where + ".kind", "unknown kind (" + RateKindList() + ")");
    if (!RateKindAppliesTo(*kind, country)) return bad(where + ".kind", "not a kind of this country");
    row.kind = *kind;
    auto from = Date::ParseIso(entry["from"].get<std::string>());
    if (!from) return bad(where + ".from", from.error().message);
    auto to = Date::ParseIso(entry["to"].get<std::string>());
    if (!to) return bad(where + ".to", to.error().message);
    if (*to < *from) return bad(where + ".to", "before from");
    row.valid_from = *from;
    row.valid_to = *to;
    auto rate = Rate::ParsePercent(entry["rate"].get<std::string>());
    if (!rate) return bad(where + ".rate", rate.error().message);
    row.rate = *rate;
    row.source = entry["source"].get<std::string>();
    if (row.source.empty()) return bad(where + ".source", "empty");
    for (const RateRow& other : rows) {
      if (other.kind == row.kind && other.valid_from <= row.valid_to && row.valid_from <= other.valid_to) {
        return bad(where,
                   fmt::format("overlaps the {} row from {}", RateKindName(other.kind), other.valid_from.ToIso()));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::span<const RateRow>> ShippedRateRows() {
  static const Result<std::vector<RateRow>> parsed = []() -> Result<std::vector<RateRow>> {
    std::vector<RateRow> all;
    for (const EmbeddedRulebook& file : EmbeddedRateFiles()) {
      auto rows = ParseRateFile(fmt::format("rulebooks/rates/{}", file.name), file.text);
      if (!rows) return Fail(rows.error());
      all.insert(all.end(), rows->begin(), rows->end());
    }
    return all;
  }();
  if (!parsed) return Fail(parsed.error());
  return std::span<const RateRow>(*parsed);
}

RateTable RateTable::Shipped() {
  auto rows = ShippedRateRows();
  if (!rows) {
    std::fprintf(stderr, "cartera: the shipped rate tables are invalid: %s\n", rows.error().message.c_str());
    std::abort();
  }
  RateTable table;
  table.rows_.assign(rows->begin(), rows->end());
  return table;
}

const RateRow* RateTable::Find(std::string_view country, RateKind kind, Date day, RateOrigin origin) const {
  const RateRow* best = nullptr;
  for (const RateRow& row : rows_) {
    if (row.origin != origin || row.kind != kind || row.country != country || !row.Covers(day)) continue;
    if (best == nullptr || row.valid_from > best->valid_from ||
        (row.valid_from == best->valid_from && row.id > best->id)) {
      best = &row;
    }
  }
  return best;
}

const RateRow* RateTable::Find(std::string_view country, RateKind kind, Date day) const {
  if (const RateRow* tenant = Find(country, kind, day, RateOrigin::kTenant)) return tenant;
  return Find(country, kind, day, RateOrigin::kShipped);
}

std::vector<Date> RateTable::ChangeDays(std::string_view country, std::span<const RateKind> kinds, Date from,
                                        Date to) const {
  std::vector<Date> days;
  for (const RateRow& row : rows_) {
    if (row.country != country || std::find(kinds.begin(), kinds.end(), row.kind) == kinds.end()) continue;
    for (Date day : {row.valid_from, row.valid_to.PlusDays(1)}) {
      if (from <= day && day <= to) days.push_back(day);
    }
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

}  // namespace cartera::compliance
