// Rulebook files: parsing, validation (every error names the file and the
// field), resolution of sets and `extends` into one Rulebook per
// jurisdiction and kind of debtor, and the shipped, embedded library.
#include "compliance/rulebook.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "compliance/embedded_rulebooks.h"
#include "core/date.h"
#include "core/holidays.h"
#include "core/time_zone.h"

namespace cartera::compliance {

using nlohmann::json;

// --- Names -------------------------------------------------------------------

std::string_view DebtorKindName(DebtorKind kind) { return kind == DebtorKind::kConsumer ? "consumer" : "business"; }

std::string_view ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kEmail:
      return "email";
    case Channel::kSms:
      return "sms";
    case Channel::kWhatsapp:
      return "whatsapp";
    case Channel::kCall:
      return "call";
    case Channel::kLetter:
      return "letter";
    case Channel::kVisit:
      return "visit";
  }
  return "unknown";
}

std::optional<Channel> ParseChannel(std::string_view text) {
  for (Channel channel : kEveryChannel) {
    if (ChannelName(channel) == text) return channel;
  }
  return std::nullopt;
}

std::string_view ContactKindName(ContactKind kind) {
  switch (kind) {
    case ContactKind::kAttempt:
      return "attempt";
    case ContactKind::kDelivered:
      return "delivered";
    case ContactKind::kConversation:
      return "conversation";
  }
  return "unknown";
}

std::string_view ThirdPartyPolicyName(ThirdPartyPolicy policy) {
  switch (policy) {
    case ThirdPartyPolicy::kAllowed:
      return "allowed";
    case ThirdPartyPolicy::kGuarantorsOnly:
      return "guarantors_only";
    case ThirdPartyPolicy::kForbidden:
      return "forbidden";
  }
  return "unknown";
}

std::string_view RuleTypeName(RuleType type) {
  switch (type) {
    case RuleType::kHours:
      return "hours";
    case RuleType::kHolidays:
      return "holidays";
    case RuleType::kFrequencyCap:
      return "frequency_cap";
    case RuleType::kMinimumGap:
      return "minimum_gap";
    case RuleType::kAfterContact:
      return "after_contact";
    case RuleType::kChannelAuthorisation:
      return "channel_authorisation";
    case RuleType::kForbiddenChannels:
      return "forbidden_channels";
    case RuleType::kThirdParties:
      return "third_parties";
    case RuleType::kStopOnProceedings:
      return "stop_on_proceedings";
  }
  return "unknown";
}

std::string_view EvidenceName(Evidence evidence) {
  switch (evidence) {
    case Evidence::kPrimary:
      return "primary";
    case Evidence::kSecondary:
      return "secondary";
    case Evidence::kUnconfirmed:
      return "unconfirmed";
    case Evidence::kCarteraDefault:
      return "cartera_default";
  }
  return "unknown";
}

ChannelSet ChannelSet::All() {
  ChannelSet set;
  for (Channel channel : kEveryChannel) set.Add(channel);
  return set;
}

ChannelSet ChannelSet::Of(std::initializer_list<Channel> channels) {
  ChannelSet set;
  for (Channel channel : channels) set.Add(channel);
  return set;
}

std::string ChannelSet::ToString() const {
  if (all()) return "all";
  std::string text;
  for (Channel channel : kEveryChannel) {
    if (!Has(channel)) continue;
    if (!text.empty()) text += ", ";
    text += ChannelName(channel);
  }
  return text;
}

std::string Period::Describe() const {
  switch (unit) {
    case PeriodUnit::kCalendarDay:
      return "calendar day";
    case PeriodUnit::kCalendarWeek:
      return "calendar week (Monday to Sunday)";
    case PeriodUnit::kCalendarMonth:
      return "calendar month";
    case PeriodUnit::kRollingDays:
      return fmt::format("{} consecutive days", days);
  }
  return "period";
}

std::string Period::DescribeSpanish() const {
  switch (unit) {
    case PeriodUnit::kCalendarDay:
      return "día calendario";
    case PeriodUnit::kCalendarWeek:
      return "semana calendario (lunes a domingo)";
    case PeriodUnit::kCalendarMonth:
      return "mes calendario";
    case PeriodUnit::kRollingDays:
      return fmt::format("{} días consecutivos", days);
  }
  return "periodo";
}

// --- Parsing -------------------------------------------------------------------

namespace {

// A rule set as written: which kinds it applies to, the file it extends and
// its rules, kept with their paths for later error messages.
struct ParsedSet {
  bool consumer = false;
  bool business = false;
  std::string extends;
  std::string path;
  std::vector<ContactRule> contact_rules;
  std::vector<std::string> contact_rule_paths;
  std::optional<UsuryCapRule> usury_cap;
  std::optional<RateConversionRule> rate_conversion;
  std::optional<CreditReportNoticeRule> credit_report_notice;
};

struct ParsedFile {
  std::string name;  // "rulebooks/CO.json"
  std::string jurisdiction;
  std::string title;
  std::string version;
  std::vector<ParsedSet> sets;
};

constexpr std::array<std::string_view, 7> kWeekdayKeys = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// "rulebooks/CO.json" -> "CO".
std::string_view FileStem(std::string_view name) {
  if (size_t slash = name.find_last_of('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (name.ends_with(".json")) name.remove_suffix(5);
  return name;
}

// Parses one file, keeping the first error; every check names the path of
// the field in the file.
class FileParser {
 public:
  explicit FileParser(std::string name) : name_(std::move(name)) {}

  Result<ParsedFile> Parse(std::string_view text) {
    json document;
    try {
      document = json::parse(text);
    } catch (const json::parse_error& e) {
      return Fail(Error::BadInput(fmt::format("{}: not valid JSON: {}", name_, e.what())));
    }
    ParsedFile file;
    file.name = name_;
    if (!document.is_object()) return Fail(Error::BadInput(fmt::format("{}: expected a JSON object", name_)));
    Keys(document, "", {"jurisdiction", "name", "version", "rule_sets"});
    file.jurisdiction = String(document, "", "jurisdiction");
    file.title = String(document, "", "name");
    file.version = String(document, "", "version");
    if (ok() && file.jurisdiction != "default" && !IsCountryCode(file.jurisdiction)) {
      Report("jurisdiction",
             fmt::format("'{}' is neither \"default\" nor an ISO country code (\"CO\")", file.jurisdiction));
    }
    if (ok() && file.jurisdiction != FileStem(name_)) {
      Report("jurisdiction",
             fmt::format("'{}' does not match the file name (expected '{}')", file.jurisdiction, FileStem(name_)));
    }
    if (ok() && !Date::ParseIso(file.version)) {
      Report("version", fmt::format("'{}' is not a date YYYY-MM-DD", file.version));
    }
    if (ok()) {
      const json* sets = Array(document, "", "rule_sets");
      if (sets != nullptr && sets->empty()) Report("rule_sets", "needs at least one rule set");
      for (size_t i = 0; ok() && sets != nullptr && i < sets->size(); ++i) {
        file.sets.push_back(ParseSet((*sets)[i], fmt::format("rule_sets[{}]", i)));
      }
    }
    if (error_) return Fail(*error_);
    return file;
  }

 private:
  bool ok() const { return !error_.has_value(); }

  void Report(const std::string& path, const std::string& message) {
    if (!error_) error_ = Error::BadInput(fmt::format("{}: {}: {}", name_, path, message));
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

  // Rejects keys not in `allowed`: a misspelt field must not be ignored.
  void Keys(const json& object, const std::string& path, std::initializer_list<std::string_view> allowed) {
    for (const auto& item : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        std::string list;
        for (std::string_view key : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", key);
        Report(Join(path, item.key()), fmt::format("unknown field (expected one of: {})", list));
        return;
      }
    }
  }

  const json* Field(const json& object, const std::string& path, std::string_view key, bool required) {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) Report(Join(path, key), "missing");
      return nullptr;
    }
    return &*it;
  }

  std::string String(const json& object, const std::string& path, std::string_view key, bool required = true) {
    const json* value = Field(object, path, key, required);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      Report(Join(path, key), "expected a string");
      return {};
    }
    std::string text = value->get<std::string>();
    if (required && text.empty()) Report(Join(path, key), "must not be empty");
    return text;
  }

  int32_t Integer(const json& object, const std::string& path, std::string_view key, int32_t min, int32_t max) {
    const json* value = Field(object, path, key, true);
    if (value == nullptr) return min;
    if (!value->is_number_integer() || value->get<int64_t>() < min || value->get<int64_t>() > max) {
      Report(Join(path, key), fmt::format("expected a whole number from {} to {}", min, max));
      return min;
    }
    return static_cast<int32_t>(value->get<int64_t>());
  }

  bool Boolean(const json& object, const std::string& path, std::string_view key) {
    const json* value = Field(object, path, key, false);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      Report(Join(path, key), "expected true or false");
      return false;
    }
    return value->get<bool>();
  }

  const json* Array(const json& object, const std::string& path, std::string_view key) {
    const json* value = Field(object, path, key, true);
    if (value != nullptr && !value->is_array()) {
      Report(Join(path, key), "expected an array");
      return nullptr;
    }
    return value;
  }

  // One of `choices`; returns its index.
  size_t Choice(const json& object, const std::string& path, std::string_view key,
                std::initializer_list<std::string_view> choices) {
    std::string text = String(object, path, key);
    if (!ok()) return 0;
    size_t index = 0;
    for (std::string_view choice : choices) {
      if (choice == text) return index;
      ++index;
    }
    std::string list;
    for (std::string_view choice : choices) list += fmt::format("{}{}", list.empty() ? "" : ", ", choice);
    Report(Join(path, key), fmt::format("'{}' is not one of: {}", text, list));
    return 0;
  }

  // "all" or a non-empty list of channel names.
  ChannelSet Channels(const json& object, const std::string& path, std::string_view key) {
    const json* value = Field(object, path, key, true);
    if (value == nullptr) return {};
    const std::string field = Join(path, key);
    if (value->is_string() && value->get<std::string>() == "all") return ChannelSet::All();
    if (!value->is_array() || value->empty()) {
      Report(field, "expected \"all\" or a non-empty list of channels (email, sms, whatsapp, call, letter, visit)");
      return {};
    }
    ChannelSet set;
    for (size_t i = 0; i < value->size(); ++i) {
      const json& item = (*value)[i];
      std::optional<Channel> channel = item.is_string() ? ParseChannel(item.get<std::string>()) : std::nullopt;
      if (!channel) {
        Report(fmt::format("{}[{}]", field, i),
               fmt::format("{} is not a channel (email, sms, whatsapp, call, letter, visit)", item.dump()));
        return {};
      }
      if (set.Has(*channel)) {
        Report(fmt::format("{}[{}]", field, i), fmt::format("'{}' is listed twice", ChannelName(*channel)));
        return {};
      }
      set.Add(*channel);
    }
    return set;
  }

  ContactKind Counts(const json& object, const std::string& path) {
    return static_cast<ContactKind>(Choice(object, path, "counts", {"attempt", "delivered", "conversation"}) + 1);
  }

  Period ParsePeriod(const json& object, const std::string& path) {
    Period period;
    switch (Choice(object, path, "period", {"calendar_day", "calendar_week", "calendar_month", "rolling_days"})) {
      case 0:
        period.unit = PeriodUnit::kCalendarDay;
        break;
      case 1:
        period.unit = PeriodUnit::kCalendarWeek;
        break;
      case 2:
        period.unit = PeriodUnit::kCalendarMonth;
        break;
      default:
        period.unit = PeriodUnit::kRollingDays;
        break;
    }
    if (!ok()) return period;
    if (period.unit == PeriodUnit::kRollingDays) {
      period.days = Integer(object, path, "days", 1, 366);
    } else if (object.contains("days")) {
      Report(Join(path, "days"), "only for \"period\": \"rolling_days\"");
    }
    return period;
  }

  // "07:00-19:00" -> [420, 1140).
  std::optional<TimeWindow> ParseWindow(std::string_view text) {
    auto minutes = [](std::string_view hhmm) -> std::optional<int32_t> {
      if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
      for (size_t i : {0u, 1u, 3u, 4u}) {
        if (hhmm[i] < '0' || hhmm[i] > '9') return std::nullopt;
      }
      int32_t hours = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
      int32_t mins = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
      if (mins > 59 || hours > 24 || (hours == 24 && mins != 0)) return std::nullopt;
      return hours * 60 + mins;
    };
    if (text.size() != 11 || text[5] != '-') return std::nullopt;
    auto start = minutes(text.substr(0, 5));
    auto end = minutes(text.substr(6, 5));
    if (!start || !end) return std::nullopt;
    return TimeWindow{*start, *end};
  }

  void ParseWindows(const json& object, const std::string& path, ContactRule& rule) {
    const json* windows = Field(object, path, "windows", true);
    if (windows == nullptr) return;
    const std::string field = Join(path, "windows");
    if (!windows->is_object()) {
      Report(field, "expected an object with the keys mon, tue, wed, thu, fri, sat, sun");
      return;
    }
    Keys(*windows, field, {"mon", "tue", "wed", "thu", "fri", "sat", "sun"});
    for (size_t day = 0; ok() && day < kWeekdayKeys.size(); ++day) {
      const json* spans = Array(*windows, field, kWeekdayKeys[day]);
      if (spans == nullptr) return;
      const std::string day_field = Join(field, kWeekdayKeys[day]);
      for (size_t i = 0; ok() && i < spans->size(); ++i) {
        const json& item = (*spans)[i];
        std::optional<TimeWindow> window = item.is_string() ? ParseWindow(item.get<std::string>()) : std::nullopt;
        const std::string item_field = fmt::format("{}[{}]", day_field, i);
        if (!window) {
          Report(item_field,
                 fmt::format("{} is not a time span HH:MM-HH:MM (00:00 to 24:00, end exclusive)", item.dump()));
        } else if (window->start_minute >= window->end_minute) {
          Report(item_field, fmt::format("{} ends before it starts", item.dump()));
        } else if (!rule.windows[day].empty() && rule.windows[day].back().end_minute > window->start_minute) {
          Report(item_field, fmt::format("{} overlaps or precedes the span before it", item.dump()));
        } else {
          rule.windows[day].push_back(*window);
        }
      }
    }
  }

  ParsedSet ParseSet(const json& object, const std::string& path) {
    ParsedSet set;
    set.path = path;
    if (!object.is_object()) {
      Report(path, "expected an object");
      return set;
    }
    Keys(object, path, {"applies_to", "note", "extends", "rules"});
    switch (Choice(object, path, "applies_to", {"consumer", "business", "both"})) {
      case 0:
        set.consumer = true;
        break;
      case 1:
        set.business = true;
        break;
      default:
        set.consumer = set.business = true;
        break;
    }
    String(object, path, "note", false);
    set.extends = String(object, path, "extends", false);
    if (!ok()) return set;
    if (!object.contains("rules") && !set.extends.empty()) return set;
    const json* rules = Array(object, path, "rules");
    if (rules != nullptr && rules->empty() && set.extends.empty()) {
      Report(Join(path, "rules"), "empty: a set needs rules or \"extends\"");
    }
    for (size_t i = 0; ok() && rules != nullptr && i < rules->size(); ++i) {
      ParseRule((*rules)[i], fmt::format("{}.rules[{}]", path, i), set);
    }
    return set;
  }

  void ParseRule(const json& object, std::string path, ParsedSet& set) {
    if (!object.is_object()) {
      Report(path, "expected an object");
      return;
    }
    const std::string id = String(object, path, "id");
    if (!ok()) return;
    if (!std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; })) {
      Report(Join(path, "id"), fmt::format("'{}' may contain only a-z, 0-9 and '-'", id));
      return;
    }
    path = fmt::format("{} ({})", path, id);
    const std::string type = String(object, path, "type");
    const std::string source = String(object, path, "source");
    const std::string note = String(object, path, "note", false);
    if (!ok()) return;
    const auto evidence = static_cast<Evidence>(
        Choice(object, path, "evidence", {"primary", "secondary", "unconfirmed", "cartera_default"}) + 1);
    if (!ok()) return;

    // Non-contact rules: parameters for the helpers of rates.h and credit_reporting.h.
    auto duplicate = [&](bool present) {
      if (present) Report(Join(path, "type"), fmt::format("a second '{}' rule in the same set", type));
      return present;
    };
    if (type == "usury_cap") {
      Keys(object, path, {"id", "type", "source", "evidence", "note", "multiplier", "decimals"});
      UsuryCapRule rule;
      rule.id = id, rule.source = source, rule.note = note, rule.evidence = evidence;
      const std::string multiplier = String(object, path, "multiplier");
      if (!ok()) return;
      // Parsed as a percentage for its 6 exact decimals: "1.5" -> 1'500'000 millionths.
      Result<Rate> parsed = Rate::ParsePercent(multiplier);
      if (!parsed || parsed->micro_percent() == 0 || parsed->micro_percent() > 100'000'000) {
        Report(Join(path, "multiplier"),
               fmt::format("'{}' is not a decimal from 0.000001 to 100 (\"1.5\")", multiplier));
        return;
      }
      rule.multiplier_millionths = parsed->micro_percent();
      rule.decimals = Integer(object, path, "decimals", 0, Rate::kMaxDecimals);
      if (!duplicate(set.usury_cap.has_value())) set.usury_cap = rule;
      return;
    }
    if (type == "rate_conversion") {
      Keys(object, path, {"id", "type", "source", "evidence", "note", "day_basis"});
      RateConversionRule rule;
      rule.id = id, rule.source = source, rule.note = note, rule.evidence = evidence;
      rule.day_basis = Integer(object, path, "day_basis", 360, 366);
      if (!duplicate(set.rate_conversion.has_value())) set.rate_conversion = rule;
      return;
    }
    if (type == "credit_report_notice") {
      Keys(object, path,
           {"id", "type", "source", "evidence", "note", "wait_days", "notices", "conversation_suffices",
            "small_debt_max_percent_of_minimum_wage", "small_debt_notices"});
      CreditReportNoticeRule rule;
      rule.id = id, rule.source = source, rule.note = note, rule.evidence = evidence;
      rule.wait_days = Integer(object, path, "wait_days", 0, 366);
      rule.notices_required = Integer(object, path, "notices", 1, 10);
      rule.conversation_suffices = Boolean(object, path, "conversation_suffices");
      const bool has_tier = object.contains("small_debt_max_percent_of_minimum_wage");
      if (has_tier != object.contains("small_debt_notices")) {
        Report(Join(path, has_tier ? "small_debt_notices" : "small_debt_max_percent_of_minimum_wage"),
               "missing (the small-debt tier needs both fields)");
      }
      if (ok() && has_tier) {
        const std::string percent = String(object, path, "small_debt_max_percent_of_minimum_wage");
        Result<Rate> parsed = Rate::ParsePercent(percent);
        if (!parsed) {
          Report(Join(path, "small_debt_max_percent_of_minimum_wage"), parsed.error().message);
          return;
        }
        rule.small_debt_max_percent_of_minimum_wage = *parsed;
        rule.small_debt_notices_required = Integer(object, path, "small_debt_notices", 1, 10);
      }
      if (ok() && !duplicate(set.credit_report_notice.has_value())) set.credit_report_notice = rule;
      return;
    }

    ContactRule rule;
    rule.id = id;
    rule.source = source;
    rule.note = note;
    rule.evidence = evidence;
    if (type == "hours") {
      rule.type = RuleType::kHours;
      Keys(object, path, {"id", "type", "source", "evidence", "note", "channels", "windows"});
      rule.channels = Channels(object, path, "channels");
      ParseWindows(object, path, rule);
    } else if (type == "holidays") {
      rule.type = RuleType::kHolidays;
      Keys(object, path, {"id", "type", "source", "evidence", "note", "channels", "calendar"});
      rule.channels = Channels(object, path, "channels");
      rule.calendar = String(object, path, "calendar");
      if (rule.calendar == "debtor") {
        rule.calendar.clear();
      } else if (ok() && HolidayCalendar::ForCountry(rule.calendar) == nullptr) {
        std::string list;
        for (std::string_view country : HolidayCalendar::SupportedCountries()) list += fmt::format("{} ", country);
        Report(Join(path, "calendar"),
               fmt::format("no holiday calendar for '{}' (\"debtor\" or one of: {})", rule.calendar, list));
      }
    } else if (type == "frequency_cap") {
      rule.type = RuleType::kFrequencyCap;
      Keys(object, path,
           {"id", "type", "source", "evidence", "note", "channels", "max", "period", "days", "counts", "per_channel"});
      rule.channels = Channels(object, path, "channels");
      rule.max_contacts = Integer(object, path, "max", 1, 1000);
      rule.period = ParsePeriod(object, path);
      rule.counts = Counts(object, path);
      rule.per_channel = Boolean(object, path, "per_channel");
    } else if (type == "minimum_gap") {
      rule.type = RuleType::kMinimumGap;
      Keys(object, path,
           {"id", "type", "source", "evidence", "note", "channels", "clear_days", "counts", "per_channel"});
      rule.channels = Channels(object, path, "channels");
      rule.clear_days = Integer(object, path, "clear_days", 0, 60);
      rule.counts = Counts(object, path);
      rule.per_channel = Boolean(object, path, "per_channel");
    } else if (type == "after_contact") {
      rule.type = RuleType::kAfterContact;
      Keys(object, path, {"id", "type", "source", "evidence", "note", "trigger", "blocks", "period", "days"});
      const json* trigger = Field(object, path, "trigger", true);
      if (trigger != nullptr && !trigger->is_object()) Report(Join(path, "trigger"), "expected an object");
      if (ok() && trigger != nullptr) {
        const std::string trigger_path = Join(path, "trigger");
        Keys(*trigger, trigger_path, {"channels", "counts"});
        rule.trigger_channels = Channels(*trigger, trigger_path, "channels");
        rule.counts = Counts(*trigger, trigger_path);
      }
      rule.channels = ChannelSet::All();
      rule.blocks = static_cast<AfterContactBlocks>(
          Choice(object, path, "blocks", {"same_channel", "other_channels", "all_channels"}) + 1);
      rule.period = ParsePeriod(object, path);
    } else if (type == "channel_authorisation") {
      rule.type = RuleType::kChannelAuthorisation;
      Keys(object, path, {"id", "type", "source", "evidence", "note", "channels"});
      rule.channels = Channels(object, path, "channels");
    } else if (type == "forbidden_channels") {
      rule.type = RuleType::kForbiddenChannels;
      Keys(object, path, {"id", "type", "source", "evidence", "note", "channels"});
      rule.channels = Channels(object, path, "channels");
    } else if (type == "third_parties") {
      rule.type = RuleType::kThirdParties;
      Keys(object, path, {"id", "type", "source", "evidence", "note", "policy"});
      rule.third_party_policy = static_cast<ThirdPartyPolicy>(
          Choice(object, path, "policy", {"allowed", "guarantors_only", "forbidden"}) + 1);
      rule.channels = ChannelSet::All();
    } else if (type == "stop_on_proceedings") {
      rule.type = RuleType::kStopOnProceedings;
      Keys(object, path, {"id", "type", "source", "evidence", "note"});
      rule.channels = ChannelSet::All();
    } else {
      Report(Join(path, "type"),
             fmt::format("'{}' is not a rule type (hours, holidays, frequency_cap, minimum_gap, after_contact, "
                         "channel_authorisation, forbidden_channels, third_parties, stop_on_proceedings, "
                         "usury_cap, rate_conversion, credit_report_notice)",
                         type));
    }
    if (ok()) {
      set.contact_rules.push_back(std::move(rule));
      set.contact_rule_paths.push_back(path);
    }
  }

  std::string name_;
  std::optional<Error> error_;
};

int32_t PeriodDays(const Period& period) {
  switch (period.unit) {
    case PeriodUnit::kCalendarDay:
      return 1;
    case PeriodUnit::kCalendarWeek:
      return 7;
    case PeriodUnit::kCalendarMonth:
      return 31;
    case PeriodUnit::kRollingDays:
      return period.days;
  }
  return 1;
}

int32_t LookbackDays(const ContactRule& rule) {
  switch (rule.type) {
    case RuleType::kFrequencyCap:
    case RuleType::kAfterContact:
      return PeriodDays(rule.period);
    case RuleType::kMinimumGap:
      return rule.clear_days + 1;
    default:
      return 0;
  }
}

int Strictness(ThirdPartyPolicy policy) { return static_cast<int>(policy); }

// Builds the rulebook of `file` for `kind`: its applicable sets in order,
// each followed by the rules of the file it extends.
Result<Rulebook> Resolve(const ParsedFile& file, DebtorKind kind,
                         const std::map<std::string, const ParsedFile*>& by_jurisdiction) {
  Rulebook book;
  book.jurisdiction = file.jurisdiction;
  book.name = file.title;
  book.version = file.version;
  book.file = file.name;
  book.kind = kind;
  book.label = fmt::format("{} {} {}", file.jurisdiction, DebtorKindName(kind), file.version);
  std::set<std::string> ids;
  bool any_set = false;

  auto add_set = [&](const ParsedSet& set, const ParsedFile& owner) -> Status {
    auto fail = [&](const std::string& path, const std::string& message) {
      return Fail(Error::BadInput(fmt::format("{}: {}: {}", owner.name, path, message)));
    };
    for (size_t i = 0; i < set.contact_rules.size(); ++i) {
      const ContactRule& rule = set.contact_rules[i];
      if (!ids.insert(rule.id).second) {
        return fail(set.contact_rule_paths[i], fmt::format("id '{}' is used twice in the {} rulebook of {}", rule.id,
                                                           DebtorKindName(kind), file.jurisdiction));
      }
      book.contact_rules.push_back(rule);
      book.lookback_days = std::max(book.lookback_days, LookbackDays(rule));
      if (rule.type == RuleType::kThirdParties &&
          Strictness(rule.third_party_policy) > Strictness(book.third_parties)) {
        book.third_parties = rule.third_party_policy;
      }
    }
    auto merge = [&](auto& target, const auto& value, std::string_view type) -> Status {
      if (!value) return {};
      if (target || !ids.insert(value->id).second) {
        return fail(set.path, fmt::format("a second {} rule ('{}') in the {} rulebook of {}", type, value->id,
                                          DebtorKindName(kind), file.jurisdiction));
      }
      target = value;
      return {};
    };
    if (auto s = merge(book.usury_cap, set.usury_cap, "usury_cap"); !s) return s;
    if (auto s = merge(book.rate_conversion, set.rate_conversion, "rate_conversion"); !s) return s;
    if (auto s = merge(book.credit_report_notice, set.credit_report_notice, "credit_report_notice"); !s) return s;
    return {};
  };

  for (size_t s = 0; s < file.sets.size(); ++s) {
    const ParsedSet& set = file.sets[s];
    if (!(kind == DebtorKind::kConsumer ? set.consumer : set.business)) continue;
    any_set = true;
    if (auto status = add_set(set, file); !status) return Fail(status.error());
    if (set.extends.empty()) continue;
    auto fail = [&](const std::string& message) {
      return Fail(Error::BadInput(fmt::format("{}: {}.extends: {}", file.name, set.path, message)));
    };
    auto target = by_jurisdiction.find(set.extends);
    if (target == by_jurisdiction.end()) return fail(fmt::format("no rulebook file for '{}'", set.extends));
    if (target->second == &file) return fail("a file cannot extend itself");
    book.label += fmt::format(" (extends {} {})", target->second->jurisdiction, target->second->version);
    bool extended_any = false;
    for (const ParsedSet& base : target->second->sets) {
      if (!(kind == DebtorKind::kConsumer ? base.consumer : base.business)) continue;
      if (!base.extends.empty()) {
        return fail(fmt::format("'{}' itself extends '{}': extends may not chain", set.extends, base.extends));
      }
      extended_any = true;
      if (auto status = add_set(base, *target->second); !status) return Fail(status.error());
    }
    if (!extended_any) return fail(fmt::format("'{}' has no rules for {}", set.extends, DebtorKindName(kind)));
  }
  if (!any_set) {
    return Fail(Error::BadInput(fmt::format(
        "{}: rule_sets: no set applies to {} debtors (add one; {{\"applies_to\": \"{}\", \"extends\": \"default\"}} "
        "gives them the conservative default)",
        file.name, DebtorKindName(kind), DebtorKindName(kind))));
  }
  return book;
}

}  // namespace

Result<RulebookLibrary> RulebookLibrary::Parse(const std::vector<RulebookSource>& sources) {
  std::vector<ParsedFile> files;
  files.reserve(sources.size());
  for (const RulebookSource& source : sources) {
    Result<ParsedFile> parsed = FileParser(source.name).Parse(source.text);
    if (!parsed) return Fail(parsed.error());
    files.push_back(std::move(*parsed));
  }
  std::map<std::string, const ParsedFile*> by_jurisdiction;
  for (const ParsedFile& file : files) {
    if (!by_jurisdiction.emplace(file.jurisdiction, &file).second) {
      return Fail(
          Error::BadInput(fmt::format("{}: jurisdiction: '{}' has a second file", file.name, file.jurisdiction)));
    }
  }
  if (!by_jurisdiction.contains("default")) {
    return Fail(Error::BadInput("rulebooks: no default.json (the rules for countries without a file of their own)"));
  }
  RulebookLibrary library;
  for (const auto& [jurisdiction, file] : by_jurisdiction) {
    for (DebtorKind kind : {DebtorKind::kConsumer, DebtorKind::kBusiness}) {
      Result<Rulebook> book = Resolve(*file, kind, by_jurisdiction);
      if (!book) return Fail(book.error());
      library.rulebooks_.push_back(std::move(*book));
    }
  }
  return library;
}

const Rulebook& RulebookLibrary::For(std::string_view country, DebtorKind kind) const {
  std::string upper(country);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  const Rulebook* fallback = nullptr;
  for (const Rulebook& book : rulebooks_) {
    if (book.kind != kind) continue;
    if (book.jurisdiction == upper) return book;
    if (book.jurisdiction == "default") fallback = &book;
  }
  // Parse guarantees a default rulebook for both kinds.
  if (fallback == nullptr) std::abort();
  return *fallback;
}

Result<const RulebookLibrary*> ShippedRulebooks() {
  static const Result<RulebookLibrary> library = [] {
    std::vector<RulebookSource> sources;
    for (const EmbeddedRulebook& file : EmbeddedRulebooks()) {
      sources.push_back({fmt::format("rulebooks/{}", file.name), file.text});
    }
    return RulebookLibrary::Parse(sources);
  }();
  if (!library) return Fail(library.error());
  return &*library;
}

const Rulebook& RulebookFor(std::string_view country, DebtorKind kind) {
  Result<const RulebookLibrary*> library = ShippedRulebooks();
  if (!library) {
    std::fprintf(stderr, "cartera: the shipped compliance rulebooks are invalid: %s\n",
                 library.error().message.c_str());
    std::abort();
  }
  return (*library)->For(country, kind);
}

}  // namespace cartera::compliance
