// Compliance rulebooks: what the law of a jurisdiction allows a collector to
// do, as data (rulebooks/*.json, compiled into the binary) rather than code.
//
// A rulebook file holds one jurisdiction's rules in rule sets, each for
// consumers, businesses or both. Resolving a file for a kind of debtor gives a
// Rulebook: the rules of every set that applies, plus those of the file a set
// `extends` (the conservative default, usually). A contact is allowed only
// when every contact rule allows it (contact_check.h); the non-contact rules
// (usury cap, rate conversion, credit-bureau notice) feed the pure helpers of
// rates.h and credit_reporting.h. The format is documented in
// rulebooks/README.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/rates.h"
#include "core/error.h"

namespace cartera::compliance {

// The kinds below are persisted in logs and audit rows: never renumber.

enum class DebtorKind { kConsumer = 1, kBusiness = 2 };

// Values 1-5 match engine/strategy.h's Channel; 6 is the engine's "best"
// (not a real channel) and is left unused here.
enum class Channel { kEmail = 1, kSms = 2, kWhatsapp = 3, kCall = 4, kLetter = 5, kVisit = 7 };
inline constexpr std::array kEveryChannel = {Channel::kEmail, Channel::kSms,    Channel::kWhatsapp,
                                             Channel::kCall,  Channel::kLetter, Channel::kVisit};

// How far a contact got. Ordered: a conversation was also delivered and
// attempted, so a rule counting "delivered" counts conversations too.
enum class ContactKind { kAttempt = 1, kDelivered = 2, kConversation = 3 };

enum class ThirdPartyPolicy { kAllowed = 1, kGuarantorsOnly = 2, kForbidden = 3 };

std::string_view DebtorKindName(DebtorKind kind);  // "consumer" | "business"
std::string_view ChannelName(Channel channel);     // "email", "sms", "whatsapp", "call", "letter", "visit"
std::optional<Channel> ParseChannel(std::string_view text);
std::string_view ContactKindName(ContactKind kind);  // "attempt" | "delivered" | "conversation"
std::string_view ThirdPartyPolicyName(ThirdPartyPolicy policy);

// A set of channels, one bit per Channel value.
class ChannelSet {
 public:
  ChannelSet() = default;
  static ChannelSet All();
  static ChannelSet Of(std::initializer_list<Channel> channels);
  bool Has(Channel channel) const { return (bits_ & Bit(channel)) != 0; }
  void Add(Channel channel) { bits_ = static_cast<uint8_t>(bits_ | Bit(channel)); }
  bool empty() const { return bits_ == 0; }
  bool all() const { return *this == All(); }
  // "all" or "call, visit".
  std::string ToString() const;
  friend bool operator==(ChannelSet, ChannelSet) = default;

 private:
  static uint8_t Bit(Channel channel) { return static_cast<uint8_t>(1u << static_cast<unsigned>(channel)); }
  uint8_t bits_ = 0;
};

// Local time of day span [start, end) in minutes since midnight; end <= 1440.
struct TimeWindow {
  int32_t start_minute = 0;
  int32_t end_minute = 0;
};

// The span of local days a frequency rule counts over.
enum class PeriodUnit {
  kCalendarDay = 1,
  kCalendarWeek = 2,  // Monday to Sunday (ISO 8601)
  kCalendarMonth = 3,
  kRollingDays = 4,  // any `days` consecutive local days
};

struct Period {
  PeriodUnit unit = PeriodUnit::kCalendarDay;
  int32_t days = 1;  // kRollingDays only
  // "calendar day", "calendar week", "7 consecutive days".
  std::string Describe() const;
  std::string DescribeSpanish() const;
};

// What an after_contact rule blocks, relative to the triggering contact.
enum class AfterContactBlocks { kSameChannel = 1, kOtherChannels = 2, kAllChannels = 3 };

enum class RuleType {
  kHours = 1,
  kHolidays = 2,
  kFrequencyCap = 3,
  kMinimumGap = 4,
  kAfterContact = 5,
  kChannelAuthorisation = 6,
  kForbiddenChannels = 7,
  kThirdParties = 8,
  kStopOnProceedings = 9,
};
std::string_view RuleTypeName(RuleType type);

// How sure we are of a rule's legal basis (RULES.md's [C], [S], [U]).
enum class Evidence { kPrimary = 1, kSecondary = 2, kUnconfirmed = 3, kCarteraDefault = 4 };
std::string_view EvidenceName(Evidence evidence);

// One contact rule. Which fields matter depends on `type`; the parser fills
// only those and rejects the others in the file.
struct ContactRule {
  RuleType type = RuleType::kHours;
  std::string id;      // unique within a rulebook: "co-hours"
  std::string source;  // law and article; never empty
  std::string note;    // why we read the law the way we do (may be empty)
  Evidence evidence = Evidence::kPrimary;
  // The channels of the request the rule applies to (kHours, kHolidays,
  // kFrequencyCap, kMinimumGap), that need authorisation or that are
  // forbidden. For kFrequencyCap and kMinimumGap also the channels counted.
  ChannelSet channels;

  // kHours: windows per weekday, [0] = Sunday ... [6] = Saturday (as
  // Date::weekday()), sorted, not overlapping. An empty day is closed.
  std::array<std::vector<TimeWindow>, 7> windows;
  // kHolidays: ISO country of the calendar; empty means the debtor's country
  // (skipped when Cartera has no calendar for it).
  std::string calendar;
  // kFrequencyCap: at most this many contacts per period, including the new one.
  int32_t max_contacts = 0;
  // kFrequencyCap: the counting period. kAfterContact: how long the block
  // lasts, starting on the triggering contact's local day (day 1).
  Period period;
  // kFrequencyCap, kMinimumGap: which past contacts count. kAfterContact:
  // which contacts trigger the block.
  ContactKind counts = ContactKind::kAttempt;
  // kFrequencyCap, kMinimumGap: count the request's channel only, not the group.
  bool per_channel = false;
  // kMinimumGap: whole local days that must lie between two contacts
  // (2: Monday, then Thursday at the earliest).
  int32_t clear_days = 0;
  // kAfterContact: channels whose contacts trigger the block, and what it blocks.
  ChannelSet trigger_channels;
  AfterContactBlocks blocks = AfterContactBlocks::kAllChannels;
  // kThirdParties.
  ThirdPartyPolicy third_party_policy = ThirdPartyPolicy::kForbidden;
};

// Colombia's usury cap: multiplier x the certified bank current rate.
struct UsuryCapRule {
  std::string id, source, note;
  Evidence evidence = Evidence::kPrimary;
  int64_t multiplier_millionths = 0;  // 1.5 -> 1'500'000
  int32_t decimals = 2;               // of a percent, rounded half up
};

// Effective annual -> periodic rate conversion parameters.
struct RateConversionRule {
  std::string id, source, note;
  Evidence evidence = Evidence::kPrimary;
  int32_t day_basis = 365;
};

// Prior notice before a negative credit-bureau report (or furnishing).
struct CreditReportNoticeRule {
  std::string id, source, note;
  Evidence evidence = Evidence::kPrimary;
  int32_t wait_days = 0;               // calendar days after the last notice
  int32_t notices_required = 1;        // on different days
  bool conversation_suffices = false;  // speaking to the debtor replaces the notice and the wait
  // Small debts (at most this percentage of the monthly minimum wage) need
  // `small_debt_notices_required` notices instead.
  std::optional<Rate> small_debt_max_percent_of_minimum_wage;
  int32_t small_debt_notices_required = 0;
};

// The rules for one jurisdiction and kind of debtor. Built by
// RulebookLibrary::Parse; immutable afterwards.
struct Rulebook {
  std::string jurisdiction;  // "CO", or "default"
  std::string name;          // "Colombia"
  std::string version;       // "2026-11-22": the edition of the file
  std::string file;          // "rulebooks/CO.json"
  DebtorKind kind = DebtorKind::kConsumer;
  // "CO consumer 2026-11-22" or "CO business 2026-11-22 (extends default 2026-11-22)".
  std::string label;
  // In file order (sets in order, an extended file's rules after the set's own).
  std::vector<ContactRule> contact_rules;
  // The strictest third_parties rule; kAllowed when there is none. The engine
  // reads it before choosing whom to contact; CheckContact enforces it too.
  ThirdPartyPolicy third_parties = ThirdPartyPolicy::kAllowed;
  std::optional<UsuryCapRule> usury_cap;
  std::optional<RateConversionRule> rate_conversion;
  std::optional<CreditReportNoticeRule> credit_report_notice;
  // Local days of contact history CheckContact needs before the request's
  // day to decide correctly (the longest period, gap or block of the rules).
  int32_t lookback_days = 0;
};

// A rulebook file's name ("rulebooks/CO.json", used in error messages) and text.
struct RulebookSource {
  std::string name;
  std::string_view text;
};

class RulebookLibrary {
 public:
  // Parses and validates every file; a file named ".../default.json" (the
  // jurisdiction "default") must be among them. Errors name the file and the
  // field: "rulebooks/CO.json: rule_sets[1].rules[0] (co-hours).windows.sat[0]:
  // '08:00-25:00' is not a time span HH:MM-HH:MM". Every jurisdiction file must
  // give rules for both kinds of debtor (a set may just extend the default).
  static Result<RulebookLibrary> Parse(const std::vector<RulebookSource>& sources);

  // The rulebook of `country` (ISO alpha-2, any case) for `kind`, or the
  // default one for a country without a file.
  const Rulebook& For(std::string_view country, DebtorKind kind) const;
  // Every resolved rulebook, two per file (consumer, business), sorted by jurisdiction.
  const std::vector<Rulebook>& rulebooks() const { return rulebooks_; }

 private:
  std::vector<Rulebook> rulebooks_;
};

// The rulebooks shipped in rulebooks/*.json, embedded at build time and
// parsed on first use (thread-safe). An error means a shipped file is invalid.
Result<const RulebookLibrary*> ShippedRulebooks();

// ShippedRulebooks().For(country, kind). The shipped files are validated by
// the tests; should they still fail to load, this prints the error and aborts.
const Rulebook& RulebookFor(std::string_view country, DebtorKind kind);

}  // namespace cartera::compliance
