// CheckContact: every contact rule is evaluated at the intended time in the
// debtor's local time. Each blocking rule also gives the earliest time it
// could stop blocking (a lower bound: the next window, the next day, the end
// of a period or of a block); the search for the next allowed time jumps to
// the latest of those bounds and evaluates again, so the time it returns is
// exact (no earlier second is allowed) and verified by a full evaluation.
#include "compliance/contact_check.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "core/holidays.h"
#include "core/time_zone.h"

namespace cartera::compliance {
namespace {

constexpr int32_t kSecondsPerMinute = 60;
// Every step moves to the next window, day or period boundary; a few per day
// is the most any rulebook needs, so this is far beyond the search horizon.
constexpr int32_t kSearchStepsMax = 16 * (kNextAllowedSearchDays + 1);

// Precedence of the codes in a decision, first wins (see BlockCode).
constexpr std::array kPrecedence = {
    BlockCode::kUnknownTimeZone,  BlockCode::kThirdParty,           BlockCode::kLegalProceedings,
    BlockCode::kChannelForbidden, BlockCode::kChannelNotAuthorised, BlockCode::kClosedDay,
    BlockCode::kHoliday,          BlockCode::kOutsideHours,         BlockCode::kDebtorQuietHours,
    BlockCode::kAfterContact,     BlockCode::kChannelSwitch,        BlockCode::kFrequencyCap,
    BlockCode::kMinimumGap,
};

size_t Rank(BlockCode code) {
  return static_cast<size_t>(std::find(kPrecedence.begin(), kPrecedence.end(), code) - kPrecedence.begin());
}

// --- Local time ----------------------------------------------------------------

const date::time_zone* FindZone(std::string_view name) {
  if (name.empty() || !IsKnownTimeZone(name)) return nullptr;
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return nullptr;
  }
}

struct Zone {
  const date::time_zone* zone = nullptr;

  date::local_seconds Local(Timestamp at) const { return zone->to_local(at); }
  Date LocalDate(Timestamp at) const {
    auto days = std::chrono::floor<std::chrono::days>(Local(at).time_since_epoch());
    return Date::FromDaysSinceEpoch(static_cast<int32_t>(days.count()));
  }
  // The first UTC second of local `day` + `minute` (a time skipped by a
  // daylight-saving jump maps to the jump).
  Timestamp Utc(Date day, int32_t minute = 0) const {
    date::local_seconds local{
        std::chrono::seconds(int64_t{day.days_since_epoch()} * 86400 + int64_t{minute} * kSecondsPerMinute)};
    return zone->to_sys(local, date::choose::earliest);
  }
};

struct LocalContact {
  const PastContact* contact;
  Date day;
};

// The request at one candidate time.
struct Moment {
  Timestamp at;
  Date day;
  int64_t second_of_day = 0;
  unsigned weekday = 0;  // 0 = Sunday
};

Moment MomentAt(const Zone& zone, Timestamp at) {
  Moment moment;
  moment.at = at;
  moment.day = zone.LocalDate(at);
  moment.second_of_day = (zone.Local(at).time_since_epoch() - std::chrono::days(moment.day.days_since_epoch())).count();
  moment.weekday = moment.day.weekday();
  return moment;
}

// --- Evaluation ------------------------------------------------------------------

struct Block {
  Block(BlockCode code_in, const ContactRule* rule_in, std::optional<Timestamp> resume_in = std::nullopt,
        const LocalContact* contact_in = nullptr, int32_t count_in = 0, Date from_in = Date(), Date to_in = Date())
      : code(code_in),
        rule(rule_in),
        resume(resume_in),
        contact(contact_in),
        count(count_in),
        from(from_in),
        to(to_in) {}

  BlockCode code;
  const ContactRule* rule;
  // A lower bound of the next time the rule allows the contact; nullopt when
  // waiting does not help.
  std::optional<Timestamp> resume;
  // For the reason: the contact that blocks, the counting window or the
  // first day the block is over.
  const LocalContact* contact;
  int32_t count;
  Date from;
  Date to;
};

struct Evaluation {
  std::optional<Block> first;       // the blocking rule of highest precedence
  bool permanent = false;           // some blocking rule gives no resume time
  std::optional<Timestamp> resume;  // the latest resume of the blocking rules
};

struct Context {
  const Rulebook& rulebook;
  const ContactRequest& request;
  Zone zone;
  std::vector<LocalContact> history;
  // The debtor's own window as an hours rule open every day (only when the
  // request has one): evaluated after the rulebook's, as kDebtorQuietHours.
  std::optional<ContactRule> debtor_rule;
  // The last local time formatted: each explanation names the same moment
  // in English and in Spanish.
  mutable std::optional<std::pair<Timestamp, std::string>> last_local;
};

bool Counts(const PastContact& contact, ContactKind minimum) {
  return static_cast<int>(contact.kind) >= static_cast<int>(minimum);
}

Date WeekStart(Date day) { return day.PlusDays(-static_cast<int32_t>((day.weekday() + 6) % 7)); }

// The calendar period containing `day`: [from, to].
std::pair<Date, Date> CalendarPeriod(PeriodUnit unit, Date day) {
  switch (unit) {
    case PeriodUnit::kCalendarWeek:
      return {WeekStart(day), WeekStart(day).PlusDays(6)};
    case PeriodUnit::kCalendarMonth: {
      Date first = Date::FromYmd(day.year(), day.month(), 1);
      Date next =
          day.month() == 12 ? Date::FromYmd(day.year() + 1, 1, 1) : Date::FromYmd(day.year(), day.month() + 1, 1);
      return {first, next.PlusDays(-1)};
    }
    default:
      return {day, day};
  }
}

std::optional<Block> EvaluateHours(const ContactRule& rule, const Context& context, const Moment& moment) {
  const auto& today = rule.windows[moment.weekday];
  for (const TimeWindow& window : today) {
    if (moment.second_of_day >= int64_t{window.start_minute} * kSecondsPerMinute &&
        moment.second_of_day < int64_t{window.end_minute} * kSecondsPerMinute) {
      return std::nullopt;
    }
  }
  Block block(today.empty() ? BlockCode::kClosedDay : BlockCode::kOutsideHours, &rule);
  for (const TimeWindow& window : today) {
    if (int64_t{window.start_minute} * kSecondsPerMinute > moment.second_of_day) {
      block.resume = context.zone.Utc(moment.day, window.start_minute);
      return block;
    }
  }
  for (int32_t ahead = 1; ahead <= 7; ++ahead) {
    const auto& windows = rule.windows[(moment.weekday + static_cast<unsigned>(ahead)) % 7];
    if (!windows.empty()) {
      block.resume = context.zone.Utc(moment.day.PlusDays(ahead), windows.front().start_minute);
      return block;
    }
  }
  return block;  // no window on any day: never allowed
}

std::optional<Block> EvaluateFrequencyCap(const ContactRule& rule, const Context& context, const Moment& moment) {
  const Channel channel = context.request.channel;
  std::vector<const LocalContact*> counted;
  for (const LocalContact& contact : context.history) {
    if (!Counts(*contact.contact, rule.counts) || !rule.channels.Has(contact.contact->channel)) continue;
    if (rule.per_channel && contact.contact->channel != channel) continue;
    counted.push_back(&contact);
  }
  auto count_in = [&](Date from, Date to) {
    return static_cast<int32_t>(std::count_if(counted.begin(), counted.end(),
                                              [&](const LocalContact* c) { return c->day >= from && c->day <= to; }));
  };
  if (rule.period.unit != PeriodUnit::kRollingDays) {
    auto [from, to] = CalendarPeriod(rule.period.unit, moment.day);
    const int32_t count = count_in(from, to);
    if (count + 1 <= rule.max_contacts) return std::nullopt;
    return Block{BlockCode::kFrequencyCap, &rule, context.zone.Utc(to.PlusDays(1)), nullptr, count, from, to};
  }
  // Every window of `days` consecutive days that contains the request's day.
  const int32_t days = rule.period.days;
  for (int32_t offset = days - 1; offset >= 0; --offset) {
    const Date from = moment.day.PlusDays(-offset);
    const Date to = from.PlusDays(days - 1);
    const int32_t count = count_in(from, to);
    if (count + 1 > rule.max_contacts) {
      return Block{BlockCode::kFrequencyCap, &rule, context.zone.Utc(moment.day.PlusDays(1)), nullptr, count, from, to};
    }
  }
  return std::nullopt;
}

std::optional<Block> EvaluateMinimumGap(const ContactRule& rule, const Context& context, const Moment& moment) {
  std::optional<Block> block;
  for (const LocalContact& contact : context.history) {
    const PastContact& past = *contact.contact;
    if (!Counts(past, rule.counts) || !rule.channels.Has(past.channel)) continue;
    if (rule.per_channel && past.channel != context.request.channel) continue;
    const int32_t apart = std::abs(DaysBetween(contact.day, moment.day));
    if (apart > rule.clear_days) continue;
    const Date clear = contact.day.PlusDays(rule.clear_days + 1);
    if (!block || clear > block->to) {
      block = Block{BlockCode::kMinimumGap, &rule, context.zone.Utc(clear), &contact, 0, contact.day, clear};
    }
  }
  return block;
}

std::optional<Block> EvaluateAfterContact(const ContactRule& rule, const Context& context, const Moment& moment) {
  std::optional<Block> block;
  const Channel channel = context.request.channel;
  for (const LocalContact& contact : context.history) {
    const PastContact& past = *contact.contact;
    if (past.at > moment.at || !Counts(past, rule.counts) || !rule.trigger_channels.Has(past.channel)) continue;
    const bool blocks_channel = rule.blocks == AfterContactBlocks::kAllChannels ||
                                (rule.blocks == AfterContactBlocks::kSameChannel) == (past.channel == channel);
    if (!blocks_channel) continue;
    Date last;  // the last blocked day
    if (rule.period.unit == PeriodUnit::kRollingDays) {
      last = contact.day.PlusDays(rule.period.days - 1);
    } else {
      last = CalendarPeriod(rule.period.unit, contact.day).second;
    }
    if (moment.day < contact.day || moment.day > last) continue;
    const Date clear = last.PlusDays(1);
    if (!block || clear > block->to) {
      const BlockCode code =
          rule.blocks == AfterContactBlocks::kOtherChannels ? BlockCode::kChannelSwitch : BlockCode::kAfterContact;
      block = Block{code, &rule, context.zone.Utc(clear), &contact, 0, contact.day, clear};
    }
  }
  return block;
}

std::optional<Block> Evaluate(const ContactRule& rule, const Context& context, const Moment& moment) {
  const ContactRequest& request = context.request;
  switch (rule.type) {
    case RuleType::kThirdParties: {
      const bool blocked =
          (request.recipient == Recipient::kThirdParty && rule.third_party_policy != ThirdPartyPolicy::kAllowed) ||
          (request.recipient == Recipient::kGuarantor && rule.third_party_policy == ThirdPartyPolicy::kForbidden);
      if (!blocked) return std::nullopt;
      return Block(BlockCode::kThirdParty, &rule);
    }
    case RuleType::kStopOnProceedings:
      if (!request.in_legal_proceedings) return std::nullopt;
      return Block(BlockCode::kLegalProceedings, &rule);
    case RuleType::kForbiddenChannels:
      if (!rule.channels.Has(request.channel)) return std::nullopt;
      return Block(BlockCode::kChannelForbidden, &rule);
    case RuleType::kChannelAuthorisation:
      if (!rule.channels.Has(request.channel) || request.authorised_channels.Has(request.channel)) return std::nullopt;
      return Block(BlockCode::kChannelNotAuthorised, &rule);
    case RuleType::kHours:
      if (!rule.channels.Has(request.channel)) return std::nullopt;
      return EvaluateHours(rule, context, moment);
    case RuleType::kHolidays: {
      if (!rule.channels.Has(request.channel)) return std::nullopt;
      const HolidayCalendar* calendar =
          HolidayCalendar::ForCountry(rule.calendar.empty() ? std::string_view(request.country) : rule.calendar);
      if (calendar == nullptr || !calendar->IsHoliday(moment.day)) return std::nullopt;
      return Block(BlockCode::kHoliday, &rule, context.zone.Utc(moment.day.PlusDays(1)));
    }
    case RuleType::kFrequencyCap:
      if (!rule.channels.Has(request.channel)) return std::nullopt;
      return EvaluateFrequencyCap(rule, context, moment);
    case RuleType::kMinimumGap:
      if (!rule.channels.Has(request.channel)) return std::nullopt;
      return EvaluateMinimumGap(rule, context, moment);
    case RuleType::kAfterContact:
      return EvaluateAfterContact(rule, context, moment);
  }
  return std::nullopt;
}

Evaluation EvaluateAll(const Context& context, Timestamp at) {
  const Moment moment = MomentAt(context.zone, at);
  Evaluation evaluation;
  auto take = [&](std::optional<Block> block) {
    if (!block) return;
    if (!block->resume) {
      evaluation.permanent = true;
    } else if (!evaluation.resume || *block->resume > *evaluation.resume) {
      evaluation.resume = block->resume;
    }
    if (!evaluation.first || Rank(block->code) < Rank(evaluation.first->code)) evaluation.first = block;
  };
  for (const ContactRule& rule : context.rulebook.contact_rules) take(Evaluate(rule, context, moment));
  if (context.debtor_rule) {
    std::optional<Block> block = EvaluateHours(*context.debtor_rule, context, moment);
    if (block) block->code = BlockCode::kDebtorQuietHours;
    take(std::move(block));
  }
  return evaluation;
}

// --- Reasons -------------------------------------------------------------------

constexpr std::array<std::string_view, 7> kWeekdayEn = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                        "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 7> kWeekdayEs = {"domingo", "lunes",   "martes", "miércoles",
                                                        "jueves",  "viernes", "sábado"};
constexpr std::array<std::string_view, 7> kWeekdaysEs = {"domingos", "lunes",   "martes", "miércoles",
                                                         "jueves",   "viernes", "sábados"};

std::string_view ChannelEn(Channel channel) {
  switch (channel) {
    case Channel::kEmail:
      return "email";
    case Channel::kSms:
      return "SMS";
    case Channel::kWhatsapp:
      return "WhatsApp";
    case Channel::kCall:
      return "call";
    case Channel::kLetter:
      return "letter";
    case Channel::kVisit:
      return "visit";
  }
  return "?";
}

std::string_view ChannelEs(Channel channel) {
  switch (channel) {
    case Channel::kEmail:
      return "correo electrónico";
    case Channel::kSms:
      return "SMS";
    case Channel::kWhatsapp:
      return "WhatsApp";
    case Channel::kCall:
      return "llamada";
    case Channel::kLetter:
      return "carta";
    case Channel::kVisit:
      return "visita";
  }
  return "?";
}

std::string ChannelsText(ChannelSet channels, bool spanish) {
  if (channels.all()) return spanish ? "cualquier canal" : "any channel";
  std::string text;
  for (Channel channel : kEveryChannel) {
    if (!channels.Has(channel)) continue;
    if (!text.empty()) text += spanish ? " o " : " or ";
    text += spanish ? ChannelEs(channel) : ChannelEn(channel);
  }
  return text;
}

std::string_view KindEs(ContactKind kind) {
  switch (kind) {
    case ContactKind::kAttempt:
      return "intento";
    case ContactKind::kDelivered:
      return "entregado";
    case ContactKind::kConversation:
      return "conversación";
  }
  return "?";
}

std::string Clock(int64_t minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

std::string WindowsText(const std::vector<TimeWindow>& windows, bool spanish) {
  std::string text;
  for (const TimeWindow& window : windows) {
    if (!text.empty()) text += spanish ? " y " : " and ";
    text += spanish ? fmt::format("de {} hasta antes de {}", Clock(window.start_minute), Clock(window.end_minute))
                    : fmt::format("from {} to before {}", Clock(window.start_minute), Clock(window.end_minute));
  }
  return text;
}

std::string LocalText(const Context& context, Timestamp at, bool spanish) {
  const Date day = context.zone.LocalDate(at);
  if (!context.last_local || context.last_local->first != at) {
    context.last_local = std::pair{at, FormatLocalTime(context.request.time_zone, at)};
  }
  return fmt::format("{} {}", spanish ? kWeekdayEs[day.weekday()] : kWeekdayEn[day.weekday()],
                     context.last_local->second);
}

void Explain(const Block& block, const Context& context, const Moment& moment, ContactDecision& decision) {
  const ContactRule& rule = *block.rule;
  const Channel channel = context.request.channel;
  const std::string where_en = fmt::format("rule {} ({})", rule.id, rule.source);
  const std::string where_es = fmt::format("regla {} ({})", rule.id, rule.source);
  std::string& en = decision.reason_en;
  std::string& es = decision.reason_es;
  switch (block.code) {
    case BlockCode::kOutsideHours:
      en = fmt::format("{} in {} is outside the contact hours of {}: on {}s contact is allowed {}.",
                       LocalText(context, moment.at, false), context.request.time_zone, where_en,
                       kWeekdayEn[moment.weekday], WindowsText(rule.windows[moment.weekday], false));
      es = fmt::format("{} en {} está fuera del horario de contacto de la {}: los {} se permite contactar {}.",
                       LocalText(context, moment.at, true), context.request.time_zone, where_es,
                       kWeekdaysEs[moment.weekday], WindowsText(rule.windows[moment.weekday], true));
      break;
    case BlockCode::kDebtorQuietHours:
      en = fmt::format("{} in {} is outside the hours the debtor chose to be contacted in: {} every day.",
                       LocalText(context, moment.at, false), context.request.time_zone,
                       WindowsText(rule.windows[moment.weekday], false));
      es = fmt::format("{} en {} está fuera del horario en que el deudor eligió ser contactado: {} todos los días.",
                       LocalText(context, moment.at, true), context.request.time_zone,
                       WindowsText(rule.windows[moment.weekday], true));
      break;
    case BlockCode::kClosedDay:
      en = fmt::format("No contact on {}s under {} ({} in {}).", kWeekdayEn[moment.weekday], where_en,
                       LocalText(context, moment.at, false), context.request.time_zone);
      es = fmt::format("La {} no permite contactar los {} ({} en {}).", where_es, kWeekdaysEs[moment.weekday],
                       LocalText(context, moment.at, true), context.request.time_zone);
      break;
    case BlockCode::kHoliday: {
      const std::string country = rule.calendar.empty() ? context.request.country : rule.calendar;
      std::string name_en, name_es;
      if (const HolidayCalendar* calendar = HolidayCalendar::ForCountry(country)) {
        for (const Holiday& holiday : calendar->HolidaysIn(moment.day.year())) {
          if (holiday.date == moment.day) name_en = holiday.name_en, name_es = holiday.name_es;
        }
      }
      en = fmt::format("{} is a public holiday in {} ({}): no contact under {}.", moment.day.ToIso(), country, name_en,
                       where_en);
      es = fmt::format("El {} es festivo en {} ({}): la {} no permite contactar.", moment.day.ToIso(), country, name_es,
                       where_es);
      break;
    }
    case BlockCode::kFrequencyCap: {
      const ChannelSet counted = rule.per_channel ? ChannelSet::Of({channel}) : rule.channels;
      en = fmt::format("{} allows at most {} contact(s) by {} per {}; there are already {} from {} to {}.", where_en,
                       rule.max_contacts, ChannelsText(counted, false), rule.period.Describe(), block.count,
                       block.from.ToIso(), block.to.ToIso());
      es = fmt::format("La {} permite como máximo {} contacto(s) por {} en un {}; ya hay {} entre el {} y el {}.",
                       where_es, rule.max_contacts, ChannelsText(counted, true), rule.period.DescribeSpanish(),
                       block.count, block.from.ToIso(), block.to.ToIso());
      break;
    }
    case BlockCode::kMinimumGap: {
      const ChannelSet counted = rule.per_channel ? ChannelSet::Of({channel}) : rule.channels;
      const Channel last = block.contact->contact->channel;
      en = fmt::format("{} requires {} whole days between contacts by {}; there was one by {} on {}.", where_en,
                       rule.clear_days, ChannelsText(counted, false), ChannelEn(last), block.from.ToIso());
      es = fmt::format("La {} exige {} días completos entre contactos por {}; hubo uno por {} el {}.", where_es,
                       rule.clear_days, ChannelsText(counted, true), ChannelEs(last), block.from.ToIso());
      break;
    }
    case BlockCode::kAfterContact: {
      const PastContact& trigger = *block.contact->contact;
      const bool all = rule.blocks == AfterContactBlocks::kAllChannels;
      en = fmt::format("Under {}, after a contact ({}) by {} on {} there may be no contact by {} until {}.", where_en,
                       ContactKindName(trigger.kind), ChannelEn(trigger.channel), block.from.ToIso(),
                       all ? "any channel" : ChannelEn(trigger.channel), block.to.ToIso());
      es = fmt::format("Según la {}, tras un contacto ({}) por {} el {} no se puede contactar por {} hasta el {}.",
                       where_es, KindEs(trigger.kind), ChannelEs(trigger.channel), block.from.ToIso(),
                       all ? "ningún canal" : ChannelEs(trigger.channel), block.to.ToIso());
      break;
    }
    case BlockCode::kChannelSwitch: {
      const PastContact& trigger = *block.contact->contact;
      en = fmt::format(
          "Under {}, after a direct contact by {} on {} there may be no contact through another channel "
          "({} now) until {}.",
          where_en, ChannelEn(trigger.channel), block.from.ToIso(), ChannelEn(channel), block.to.ToIso());
      es = fmt::format(
          "Según la {}, tras un contacto directo por {} el {} no se puede contactar por otro canal ({} "
          "ahora) hasta el {}.",
          where_es, ChannelEs(trigger.channel), block.from.ToIso(), ChannelEs(channel), block.to.ToIso());
      break;
    }
    case BlockCode::kChannelNotAuthorised:
      en = fmt::format("The debtor has not authorised contact by {} ({}).", ChannelEn(channel), where_en);
      es = fmt::format("El deudor no ha autorizado el contacto por {} ({}).", ChannelEs(channel), where_es);
      break;
    case BlockCode::kChannelForbidden:
      en = fmt::format("Contact by {} is not allowed ({}).", ChannelEn(channel), where_en);
      es = fmt::format("No se permite el contacto por {} ({}).", ChannelEs(channel), where_es);
      break;
    case BlockCode::kThirdParty: {
      const bool guarantors = rule.third_party_policy == ThirdPartyPolicy::kGuarantorsOnly;
      en = fmt::format("Only the debtor{} may be contacted about the debt ({}).", guarantors ? " or a guarantor" : "",
                       where_en);
      es = fmt::format("Solo se puede contactar sobre la deuda al deudor{} ({}).", guarantors ? " o a su garante" : "",
                       where_es);
      break;
    }
    case BlockCode::kLegalProceedings:
      en = fmt::format(
          "The debtor has been served in a collection suit or is in insolvency proceedings: "
          "out-of-court collection must stop ({}).",
          where_en);
      es = fmt::format(
          "El deudor fue notificado de una demanda de cobro o está en un procedimiento concursal: "
          "la cobranza extrajudicial debe cesar ({}).",
          where_es);
      break;
    case BlockCode::kNone:
    case BlockCode::kUnknownTimeZone:
      break;
  }
}

}  // namespace

std::array<std::vector<TimeWindow>, 7> LegalContactHours(const Rulebook& rulebook, Channel channel) {
  std::array<std::vector<TimeWindow>, 7> hours;
  for (auto& day : hours) day = {TimeWindow{0, 24 * 60}};
  for (const ContactRule& rule : rulebook.contact_rules) {
    if (rule.type != RuleType::kHours || !rule.channels.Has(channel)) continue;
    for (size_t weekday = 0; weekday < 7; ++weekday) {
      std::vector<TimeWindow> narrowed;
      for (const TimeWindow& window : rule.windows[weekday]) {
        for (const TimeWindow& before : hours[weekday]) {
          const int32_t start = std::max(window.start_minute, before.start_minute);
          const int32_t end = std::min(window.end_minute, before.end_minute);
          if (start < end) narrowed.push_back({start, end});
        }
      }
      std::sort(narrowed.begin(), narrowed.end(),
                [](const TimeWindow& a, const TimeWindow& b) { return a.start_minute < b.start_minute; });
      hours[weekday] = std::move(narrowed);
    }
  }
  return hours;
}

std::array<std::vector<TimeWindow>, 7> NarrowHours(const std::array<std::vector<TimeWindow>, 7>& hours,
                                                   const TimeWindow& debtor) {
  std::array<std::vector<TimeWindow>, 7> narrowed;
  for (size_t weekday = 0; weekday < 7; ++weekday) {
    for (const TimeWindow& window : hours[weekday]) {
      const int32_t start = std::max(window.start_minute, debtor.start_minute);
      const int32_t end = std::min(window.end_minute, debtor.end_minute);
      if (start < end) narrowed[weekday].push_back({start, end});
    }
  }
  return narrowed;
}

std::string_view BlockCodeName(BlockCode code) {
  switch (code) {
    case BlockCode::kNone:
      return "none";
    case BlockCode::kOutsideHours:
      return "outside_hours";
    case BlockCode::kClosedDay:
      return "closed_day";
    case BlockCode::kHoliday:
      return "holiday";
    case BlockCode::kFrequencyCap:
      return "frequency_cap";
    case BlockCode::kMinimumGap:
      return "minimum_gap";
    case BlockCode::kAfterContact:
      return "after_contact";
    case BlockCode::kChannelSwitch:
      return "channel_switch";
    case BlockCode::kChannelNotAuthorised:
      return "channel_not_authorised";
    case BlockCode::kChannelForbidden:
      return "channel_forbidden";
    case BlockCode::kThirdParty:
      return "third_party";
    case BlockCode::kLegalProceedings:
      return "legal_proceedings";
    case BlockCode::kUnknownTimeZone:
      return "unknown_time_zone";
    case BlockCode::kDebtorQuietHours:
      return "debtor_quiet_hours";
  }
  return "unknown";
}

ContactDecision CheckContact(const Rulebook& rulebook, const ContactRequest& request,
                             const std::vector<PastContact>& history) {
  ContactDecision decision;
  const date::time_zone* zone = FindZone(request.time_zone);
  if (zone == nullptr) {
    decision.code = BlockCode::kUnknownTimeZone;
    decision.reason_en = fmt::format(
        "The debtor's time zone '{}' is unknown, so local contact hours cannot be checked.", request.time_zone);
    decision.reason_es = fmt::format(
        "La zona horaria del deudor '{}' es desconocida: no se puede comprobar el horario local de contacto.",
        request.time_zone);
    return decision;
  }
  Context context{rulebook, request, Zone{zone}, {}, {}, {}};
  if (request.debtor_hours) {
    ContactRule debtor;
    debtor.type = RuleType::kHours;
    debtor.id = "debtor-quiet-hours";
    debtor.source = "the debtor's own choice (portal)";
    debtor.evidence = Evidence::kCarteraDefault;
    debtor.channels = ChannelSet::Of({request.channel});
    for (auto& day : debtor.windows) day = {*request.debtor_hours};
    context.debtor_rule = std::move(debtor);
  }
  context.history.reserve(history.size());
  for (const PastContact& contact : history) context.history.push_back({&contact, context.zone.LocalDate(contact.at)});

  const Evaluation now = EvaluateAll(context, request.at);
  if (!now.first) {
    decision.next_allowed = request.at;
    return decision;
  }
  decision.code = now.first->code;
  decision.rule_id = now.first->rule->id;
  decision.source = now.first->rule->source;
  Explain(*now.first, context, MomentAt(context.zone, request.at), decision);

  if (now.permanent) {
    decision.reason_en += " Waiting does not lift this block.";
    decision.reason_es += " Esperar no levanta este bloqueo.";
    return decision;
  }
  const Timestamp limit = request.at + std::chrono::days(kNextAllowedSearchDays);
  Timestamp at = std::max(*now.resume, request.at + std::chrono::seconds(1));
  for (int32_t step = 0; step < kSearchStepsMax && at <= limit; ++step) {
    const Evaluation later = EvaluateAll(context, at);
    if (!later.first) {
      decision.next_allowed = at;
      break;
    }
    if (later.permanent) break;
    at = std::max(*later.resume, at + std::chrono::seconds(1));
  }
  if (decision.next_allowed) {
    decision.reason_en +=
        fmt::format(" Next allowed: {} ({}).", LocalText(context, *decision.next_allowed, false), request.time_zone);
    decision.reason_es += fmt::format(" Próximo momento permitido: {} ({}).",
                                      LocalText(context, *decision.next_allowed, true), request.time_zone);
  } else {
    decision.reason_en += fmt::format(" Nothing is allowed within the next {} days.", kNextAllowedSearchDays);
    decision.reason_es +=
        fmt::format(" No hay ningún momento permitido en los próximos {} días.", kNextAllowedSearchDays);
  }
  return decision;
}

}  // namespace cartera::compliance
