#include "compliance/contact_check.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "compliance/test_support.h"
#include "core/time_zone.h"

namespace cartera::compliance {
namespace {

using testing::Check;
using testing::kBogota;
using testing::kBuenosAires;
using testing::kLima;
using testing::kMadrid;
using testing::kNewYork;
using testing::kSantiago;
using testing::NextAllowed;
using testing::Past;

constexpr DebtorKind kConsumer = DebtorKind::kConsumer;
constexpr DebtorKind kBusiness = DebtorKind::kBusiness;

// One line per code: the names are stable keys in logs and JSON.
TEST(ContactCheckTest, BlockCodeNames) {
  EXPECT_EQ(BlockCodeName(BlockCode::kNone), "none");
  EXPECT_EQ(BlockCodeName(BlockCode::kOutsideHours), "outside_hours");
  EXPECT_EQ(BlockCodeName(BlockCode::kClosedDay), "closed_day");
  EXPECT_EQ(BlockCodeName(BlockCode::kHoliday), "holiday");
  EXPECT_EQ(BlockCodeName(BlockCode::kFrequencyCap), "frequency_cap");
  EXPECT_EQ(BlockCodeName(BlockCode::kMinimumGap), "minimum_gap");
  EXPECT_EQ(BlockCodeName(BlockCode::kAfterContact), "after_contact");
  EXPECT_EQ(BlockCodeName(BlockCode::kChannelSwitch), "channel_switch");
  EXPECT_EQ(BlockCodeName(BlockCode::kChannelNotAuthorised), "channel_not_authorised");
  EXPECT_EQ(BlockCodeName(BlockCode::kChannelForbidden), "channel_forbidden");
  EXPECT_EQ(BlockCodeName(BlockCode::kThirdParty), "third_party");
  EXPECT_EQ(BlockCodeName(BlockCode::kLegalProceedings), "legal_proceedings");
  EXPECT_EQ(BlockCodeName(BlockCode::kUnknownTimeZone), "unknown_time_zone");
  EXPECT_EQ(static_cast<int>(BlockCode::kUnknownTimeZone), 12);
  EXPECT_EQ(BlockCodeName(BlockCode::kDebtorQuietHours), "debtor_quiet_hours");
  EXPECT_EQ(static_cast<int>(BlockCode::kDebtorQuietHours), 13);
}

// --- Hours and days ------------------------------------------------------------

// The debtor's own window (the portal's quiet hours) under Colombia's
// consumer rulebook: Monday to Friday 07:00-19:00, Saturday 08:00-15:00.
ContactDecision CheckWithDebtorHours(std::string_view local, int32_t from_minute, int32_t to_minute,
                                     Channel channel = Channel::kSms) {
  ContactRequest request = testing::Request(kBogota, channel, local);
  request.debtor_hours = TimeWindow{from_minute, to_minute};
  return CheckContact(RulebookFor("CO", kConsumer), request, {});
}

TEST(ContactCheckTest, DebtorWindowNarrowsTheLegalHours) {
  // 15:00-17:00 on Monday 2024-03-04: the law would allow 07:00-19:00.
  const ContactDecision early = CheckWithDebtorHours("2024-03-04 14:59:59", 15 * 60, 17 * 60);
  EXPECT_EQ(early.code, BlockCode::kDebtorQuietHours);
  EXPECT_EQ(early.rule_id, "debtor-quiet-hours");
  EXPECT_EQ(NextAllowed(kBogota, early), "2024-03-04 15:00");
  EXPECT_NE(early.reason_en.find("the debtor chose"), std::string::npos) << early.reason_en;
  EXPECT_NE(early.reason_es.find("el deudor eligió"), std::string::npos) << early.reason_es;
  EXPECT_TRUE(CheckWithDebtorHours("2024-03-04 15:00", 15 * 60, 17 * 60).allowed());
  EXPECT_TRUE(CheckWithDebtorHours("2024-03-04 16:59:59", 15 * 60, 17 * 60, Channel::kCall).allowed());
  const ContactDecision late = CheckWithDebtorHours("2024-03-04 17:00", 15 * 60, 17 * 60);
  EXPECT_EQ(late.code, BlockCode::kDebtorQuietHours);
  EXPECT_EQ(NextAllowed(kBogota, late), "2024-03-05 15:00");
  // Saturday the law closes at 15:00: the windows do not meet, the contact
  // waits for Monday (Sunday is closed) at the debtor's 15:00.
  const ContactDecision saturday = CheckWithDebtorHours("2024-03-02 10:00", 15 * 60, 17 * 60);
  EXPECT_EQ(saturday.code, BlockCode::kDebtorQuietHours);
  EXPECT_EQ(NextAllowed(kBogota, saturday), "2024-03-04 15:00");
  // Where the law blocks too, the law's reason comes first.
  EXPECT_EQ(CheckWithDebtorHours("2024-03-02 15:30", 15 * 60, 17 * 60).code, BlockCode::kOutsideHours);
  EXPECT_EQ(CheckWithDebtorHours("2024-03-03 16:00", 15 * 60, 17 * 60).code, BlockCode::kClosedDay);
}

TEST(ContactCheckTest, DebtorWindowNeverWidensTheLegalHours) {
  // 05:00-23:00 asks for more than the law gives: the law's 07:00-19:00 holds.
  const ContactDecision dawn = CheckWithDebtorHours("2024-03-04 06:30", 5 * 60, 23 * 60);
  EXPECT_EQ(dawn.code, BlockCode::kOutsideHours);
  EXPECT_EQ(NextAllowed(kBogota, dawn), "2024-03-04 07:00");
  EXPECT_TRUE(CheckWithDebtorHours("2024-03-04 07:00", 5 * 60, 23 * 60).allowed());
  const ContactDecision evening = CheckWithDebtorHours("2024-03-04 19:00", 5 * 60, 23 * 60);
  EXPECT_EQ(evening.code, BlockCode::kOutsideHours);
  EXPECT_EQ(NextAllowed(kBogota, evening), "2024-03-05 07:00");
  EXPECT_EQ(CheckWithDebtorHours("2024-03-03 12:00", 0, 24 * 60 - 1).code, BlockCode::kClosedDay);
  // Every second the debtor's window allows is one the law allows too; and
  // inside both, the contact is allowed.
  for (int32_t minute = 0; minute < 24 * 60; minute += 7) {
    const std::string local = fmt::format("2024-03-02 {:02}:{:02}", minute / 60, minute % 60);
    const bool law = Check(kBogota, kConsumer, Channel::kSms, local).allowed();
    const bool debtor = minute >= 9 * 60 && minute < 18 * 60;
    EXPECT_EQ(CheckWithDebtorHours(local, 9 * 60, 18 * 60).allowed(), law && debtor) << local;
  }
  // Windows that never meet the law's: nothing is ever allowed.
  const ContactDecision never = CheckWithDebtorHours("2024-03-04 19:30", 19 * 60, 21 * 60);
  EXPECT_FALSE(never.allowed());
  EXPECT_FALSE(never.next_allowed);
}

TEST(ContactCheckTest, LegalContactHoursNarrowedByTheDebtor) {
  const auto legal = LegalContactHours(RulebookFor("CO", kConsumer), Channel::kCall);
  ASSERT_EQ(legal[1].size(), 1u);  // Monday
  EXPECT_EQ((std::pair{legal[1][0].start_minute, legal[1][0].end_minute}), (std::pair{7 * 60, 19 * 60}));
  ASSERT_EQ(legal[6].size(), 1u);  // Saturday
  EXPECT_EQ((std::pair{legal[6][0].start_minute, legal[6][0].end_minute}), (std::pair{8 * 60, 15 * 60}));
  EXPECT_TRUE(legal[0].empty());  // Sunday
  const auto narrowed = NarrowHours(legal, TimeWindow{14 * 60, 20 * 60});
  ASSERT_EQ(narrowed[1].size(), 1u);
  EXPECT_EQ((std::pair{narrowed[1][0].start_minute, narrowed[1][0].end_minute}), (std::pair{14 * 60, 19 * 60}));
  ASSERT_EQ(narrowed[6].size(), 1u);
  EXPECT_EQ((std::pair{narrowed[6][0].start_minute, narrowed[6][0].end_minute}), (std::pair{14 * 60, 15 * 60}));
  EXPECT_TRUE(narrowed[0].empty());
  EXPECT_TRUE(NarrowHours(legal, TimeWindow{19 * 60, 21 * 60})[1].empty());
}

TEST(ContactCheckTest, EdgeHoursToTheSecond) {
  // Colombia, Monday 2024-03-04.
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kSms, "2024-03-04 06:59:59").code, BlockCode::kOutsideHours);
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kSms, "2024-03-04 07:00:00").allowed());
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kSms, "2024-03-04 18:59:59").allowed());
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kSms, "2024-03-04 19:00:00").code, BlockCode::kOutsideHours);
  // Saturday opens later and closes earlier.
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kSms, "2024-03-02 07:30").code, BlockCode::kOutsideHours);
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kSms, "2024-03-02 08:00").allowed());
  // Peru: the forbidden span 20:00-07:00 includes 07:00 itself.
  EXPECT_EQ(Check(kLima, kConsumer, Channel::kCall, "2024-03-01 07:00").code, BlockCode::kOutsideHours);
  EXPECT_TRUE(Check(kLima, kConsumer, Channel::kCall, "2024-03-01 07:01").allowed());
  // Chile: Monday to Saturday 08:00-20:00.
  EXPECT_TRUE(Check(kSantiago, kConsumer, Channel::kEmail, "2024-03-02 19:59").allowed());
  EXPECT_EQ(Check(kSantiago, kConsumer, Channel::kEmail, "2024-03-02 20:00").code, BlockCode::kOutsideHours);
  EXPECT_EQ(Check(kSantiago, kConsumer, Channel::kEmail, "2024-03-03 12:00").code, BlockCode::kClosedDay);
}

TEST(ContactCheckTest, HolidaysOfTheDebtorsCountry) {
  // San José, moved from Friday 19 to Monday 22 March 2021 (Ley Emiliani).
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kCall, "2021-03-19 10:00").allowed());
  const ContactDecision holiday = Check(kBogota, kConsumer, Channel::kCall, "2021-03-22 10:00");
  EXPECT_EQ(holiday.code, BlockCode::kHoliday);
  EXPECT_EQ(holiday.source, "Ley 2300 de 2023, art. 3 (no domingos ni festivos)");
  EXPECT_EQ(holiday.reason_en,
            "2021-03-22 is a public holiday in CO (Saint Joseph's Day): no contact under rule co-holidays "
            "(Ley 2300 de 2023, art. 3 (no domingos ni festivos)). Next allowed: Tuesday 2021-03-23 07:00 -05 "
            "(America/Bogota).");
  EXPECT_EQ(holiday.reason_es,
            "El 2021-03-22 es festivo en CO (Día de San José): la regla co-holidays (Ley 2300 de 2023, art. 3 (no "
            "domingos ni festivos)) no permite contactar. Próximo momento permitido: martes 2021-03-23 07:00 -05 "
            "(America/Bogota).");
  // Chile: 2024-05-01, Día del Trabajo. Peru: 2024-07-29, Fiestas Patrias.
  EXPECT_EQ(Check(kSantiago, kConsumer, Channel::kEmail, "2024-05-01 10:00").code, BlockCode::kHoliday);
  EXPECT_EQ(Check(kLima, kConsumer, Channel::kEmail, "2024-07-29 10:00").code, BlockCode::kHoliday);
  // Mexico and the US regulate hours only: holidays are ordinary days.
  EXPECT_TRUE(Check(testing::kMexicoCity, kConsumer, Channel::kCall, "2024-12-25 10:00").allowed());
  EXPECT_TRUE(Check(kNewYork, kConsumer, Channel::kCall, "2024-12-25 10:00").allowed());
}

// --- Next allowed time ---------------------------------------------------------

TEST(ContactCheckTest, NextAllowedSkipsSundayAndAMondayHoliday) {
  // Saturday 15:30 -> Monday 07:00.
  const ContactDecision saturday = Check(kBogota, kConsumer, Channel::kCall, "2024-03-02 15:30");
  EXPECT_EQ(saturday.code, BlockCode::kOutsideHours);
  EXPECT_EQ(NextAllowed(kBogota, saturday), "2024-03-04 07:00");
  EXPECT_EQ(saturday.reason_en,
            "Saturday 2024-03-02 15:30 -05 in America/Bogota is outside the contact hours of rule co-hours (Ley 2300 "
            "de 2023, art. 3): on Saturdays contact is allowed from 08:00 to before 15:00. Next allowed: Monday "
            "2024-03-04 07:00 -05 (America/Bogota).");
  EXPECT_EQ(saturday.reason_es,
            "sábado 2024-03-02 15:30 -05 en America/Bogota está fuera del horario de contacto de la regla co-hours "
            "(Ley 2300 de 2023, art. 3): los sábados se permite contactar de 08:00 hasta antes de 15:00. Próximo "
            "momento permitido: lunes 2024-03-04 07:00 -05 (America/Bogota).");
  // Saturday 2021-03-20 15:30 -> Tuesday 07:00: Monday 22 is San José.
  EXPECT_EQ(NextAllowed(kBogota, Check(kBogota, kConsumer, Channel::kCall, "2021-03-20 15:30")), "2021-03-23 07:00");
  // Before opening: the same day.
  EXPECT_EQ(NextAllowed(kBogota, Check(kBogota, kConsumer, Channel::kCall, "2024-03-04 05:10")), "2024-03-04 07:00");
  // Holy week 2024: Thursday 28 and Friday 29 March are holidays, Saturday opens at 08:00.
  EXPECT_EQ(NextAllowed(kBogota, Check(kBogota, kConsumer, Channel::kCall, "2024-03-27 19:30")), "2024-03-30 08:00");
  // An allowed request is its own next allowed time.
  const ContactDecision allowed = Check(kBogota, kConsumer, Channel::kCall, "2024-03-04 10:00");
  EXPECT_EQ(NextAllowed(kBogota, allowed), "2024-03-04 10:00");
  EXPECT_TRUE(allowed.reason_en.empty());
}

TEST(ContactCheckTest, NextAllowedCombinesHoursHolidaysAndCaps) {
  // Colombia: a call on Friday 2021-03-19 at 18:00 (a conversation); a second
  // contact on Friday is capped; Saturday opens at 08:00 for the same channel.
  const std::vector<PastContact> history = {
      Past(kBogota, Channel::kCall, "2021-03-19 18:00", ContactKind::kConversation)};
  EXPECT_EQ(NextAllowed(kBogota, Check(kBogota, kConsumer, Channel::kCall, "2021-03-19 18:30", history)),
            "2021-03-20 08:00");
  // Another channel waits out the week: 19..25 March, so Friday 26 at 07:00.
  EXPECT_EQ(NextAllowed(kBogota, Check(kBogota, kConsumer, Channel::kEmail, "2021-03-19 18:30", history)),
            "2021-03-26 07:00");
}

TEST(ContactCheckTest, NextAllowedAcrossDaylightSavingTime) {
  // New York springs forward on Sunday 2024-03-10: 08:00 EDT is 12:00 UTC.
  const ContactDecision early = Check(kNewYork, kConsumer, Channel::kCall, "2024-03-10 07:00");
  ASSERT_TRUE(early.next_allowed.has_value());
  EXPECT_EQ(FormatUtc(*early.next_allowed), "2024-03-10T12:00:00Z");
  // Chile (America/Santiago) changes at midnight: the day still opens at 08:00.
  const ContactDecision chile = Check(kSantiago, kConsumer, Channel::kCall, "2024-04-06 20:30");
  EXPECT_EQ(NextAllowed(kSantiago, chile), "2024-04-08 08:00");
}

// Random requests and histories: the next allowed time is allowed, and no
// earlier minute is.
TEST(ContactCheckTest, NextAllowedIsAllowedAndNothingEarlierIs) {
  std::mt19937 random(20261122);
  const std::vector<testing::Debtor> debtors = {kBogota, kSantiago, kLima, kNewYork, kMadrid, kBuenosAires};
  for (int round = 0; round < 60; ++round) {
    const testing::Debtor& debtor = debtors[random() % debtors.size()];
    const DebtorKind kind = random() % 2 == 0 ? kConsumer : kBusiness;
    const Timestamp start = testing::At(debtor.zone, "2024-03-01 00:00");
    auto random_time = [&] { return start + std::chrono::minutes(random() % (20 * 24 * 60)); };
    std::vector<PastContact> history;
    ContactRequest request = testing::Request(debtor, Channel::kEmail, "2024-03-01 00:00");
    request.at = random_time();
    request.channel = kEveryChannel[random() % 5];  // not visits: forbidden in Colombia
    for (int i = static_cast<int>(random() % 6); i > 0; --i) {
      Timestamp at = request.at - std::chrono::minutes(random() % (8 * 24 * 60));
      history.push_back({kEveryChannel[random() % 5], at, static_cast<ContactKind>(random() % 3 + 1)});
    }
    const Rulebook& book = RulebookFor(debtor.country, kind);
    const ContactDecision decision = CheckContact(book, request, history);
    ASSERT_TRUE(decision.next_allowed.has_value()) << book.label << " " << decision.reason_en;
    ContactRequest later = request;
    later.at = *decision.next_allowed;
    EXPECT_TRUE(CheckContact(book, later, history).allowed()) << book.label << " " << decision.reason_en;
    // Scan every minute before it (up to 3 days; the search result is exact).
    const Timestamp scan_end = std::min(*decision.next_allowed, request.at + std::chrono::days(3));
    for (Timestamp at = request.at; at < scan_end;
         at = std::chrono::floor<std::chrono::minutes>(at) + std::chrono::minutes(1)) {
      ContactRequest earlier = request;
      earlier.at = at;
      ASSERT_FALSE(CheckContact(book, earlier, history).allowed())
          << book.label << " allowed at " << FormatUtc(at) << " before " << FormatUtc(*decision.next_allowed);
    }
  }
}

// --- Frequency across weeks ----------------------------------------------------

constexpr std::string_view kTestDefault = R"({
  "jurisdiction": "default", "name": "Default", "version": "2026-01-01",
  "rule_sets": [{"applies_to": "both", "rules": [
    {"id": "d-hours", "type": "hours", "channels": "all", "source": "test", "evidence": "cartera_default",
     "windows": {"mon": ["00:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-24:00"], "thu": ["00:00-24:00"],
                 "fri": ["00:00-24:00"], "sat": ["00:00-24:00"], "sun": ["00:00-24:00"]}}
  ]}]
})";

// A Colombian-style rulebook with one extra rule, open all day every day.
Rulebook TestRulebook(std::string_view rule_json) {
  const std::string text = fmt::format(R"({{
  "jurisdiction": "CO", "name": "Test", "version": "2026-01-01",
  "rule_sets": [{{"applies_to": "both", "extends": "default", "rules": [{}]}}]
}})",
                                       rule_json);
  Result<RulebookLibrary> library =
      RulebookLibrary::Parse({{"test/CO.json", text}, {"test/default.json", kTestDefault}});
  EXPECT_TRUE(library.has_value()) << library.error().message;
  return library->For("CO", kConsumer);
}

TEST(ContactCheckTest, ColombiaWeekIsSevenDaysFromTheContactNotTheCalendarWeek) {
  // A conversation by call on Friday 2024-03-08: an SMS on Tuesday 12 (a new
  // calendar week) is still blocked; from Friday 15 it is fine.
  const std::vector<PastContact> history = {
      Past(kBogota, Channel::kCall, "2024-03-08 10:00", ContactKind::kConversation)};
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kSms, "2024-03-12 10:00", history).code, BlockCode::kChannelSwitch);
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kSms, "2024-03-14 18:00", history).code, BlockCode::kChannelSwitch);
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kSms, "2024-03-15 07:00", history).allowed());
  // A call attempt that did not reach the consumer is not a direct contact.
  const std::vector<PastContact> attempt = {Past(kBogota, Channel::kCall, "2024-03-08 10:00")};
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kSms, "2024-03-12 10:00", attempt).allowed());
  // A delivered message is.
  const std::vector<PastContact> delivered = {
      Past(kBogota, Channel::kWhatsapp, "2024-03-08 10:00", ContactKind::kDelivered)};
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kCall, "2024-03-12 10:00", delivered).code, BlockCode::kChannelSwitch);

  // The same rule on calendar weeks would allow Tuesday.
  const Rulebook calendar_week = TestRulebook(R"({"id": "co-week", "type": "after_contact",
      "trigger": {"channels": "all", "counts": "delivered"}, "blocks": "other_channels", "period": "calendar_week",
      "source": "test", "evidence": "primary"})");
  EXPECT_TRUE(
      CheckContact(calendar_week, testing::Request(kBogota, Channel::kSms, "2024-03-12 10:00"), history).allowed());
  const ContactDecision same_week =
      CheckContact(calendar_week, testing::Request(kBogota, Channel::kSms, "2024-03-10 10:00"), history);
  EXPECT_EQ(same_week.code, BlockCode::kChannelSwitch);
  EXPECT_EQ(NextAllowed(kBogota, same_week), "2024-03-11 00:00");
}

TEST(ContactCheckTest, ChileWeeklyCapsAreRollingSevenDays) {
  // A call on Saturday 2024-03-09: a call on Monday 11 (another calendar week) is still blocked.
  const std::vector<PastContact> saturday = {Past(kSantiago, Channel::kCall, "2024-03-09 10:00")};
  const ContactDecision monday = Check(kSantiago, kConsumer, Channel::kCall, "2024-03-11 10:00", saturday);
  EXPECT_EQ(monday.code, BlockCode::kFrequencyCap);
  EXPECT_EQ(NextAllowed(kSantiago, monday), "2024-03-16 08:00");
  // Messages: two days in between (Monday, then Thursday).
  const std::vector<PastContact> email = {Past(kSantiago, Channel::kEmail, "2024-03-04 10:00")};
  const ContactDecision wednesday = Check(kSantiago, kConsumer, Channel::kSms, "2024-03-06 10:00", email);
  EXPECT_EQ(wednesday.code, BlockCode::kMinimumGap);
  EXPECT_EQ(wednesday.rule_id, "cl-messages-gap");
  EXPECT_EQ(NextAllowed(kSantiago, wednesday), "2024-03-07 08:00");
  // Calls and messages are separate groups.
  EXPECT_TRUE(Check(kSantiago, kConsumer, Channel::kEmail, "2024-03-11 10:00", saturday).allowed());
}

TEST(ContactCheckTest, CalendarWeekAndMonthCaps) {
  const Rulebook week = TestRulebook(R"({"id": "co-two-a-week", "type": "frequency_cap", "channels": "all",
      "max": 2, "period": "calendar_week", "counts": "attempt", "source": "test", "evidence": "primary"})");
  const std::vector<PastContact> history = {Past(kBogota, Channel::kEmail, "2024-03-07 10:00"),
                                            Past(kBogota, Channel::kSms, "2024-03-08 10:00")};
  const ContactDecision sunday =
      CheckContact(week, testing::Request(kBogota, Channel::kCall, "2024-03-10 10:00"), history);
  EXPECT_EQ(sunday.code, BlockCode::kFrequencyCap);
  EXPECT_EQ(NextAllowed(kBogota, sunday), "2024-03-11 00:00");
  EXPECT_NE(sunday.reason_en.find("there are already 2 from 2024-03-04 to 2024-03-10"), std::string::npos)
      << sunday.reason_en;
  EXPECT_TRUE(CheckContact(week, testing::Request(kBogota, Channel::kCall, "2024-03-11 00:00"), history).allowed());

  const Rulebook month = TestRulebook(R"({"id": "co-two-a-month", "type": "frequency_cap", "channels": ["email"],
      "max": 2, "period": "calendar_month", "counts": "delivered", "source": "test", "evidence": "primary"})");
  std::vector<PastContact> emails = {Past(kBogota, Channel::kEmail, "2024-02-02 10:00", ContactKind::kDelivered),
                                     Past(kBogota, Channel::kEmail, "2024-02-20 10:00", ContactKind::kAttempt)};
  // An attempt does not count where the rule counts deliveries.
  EXPECT_TRUE(CheckContact(month, testing::Request(kBogota, Channel::kEmail, "2024-02-29 10:00"), emails).allowed());
  emails[1].kind = ContactKind::kConversation;
  const ContactDecision capped =
      CheckContact(month, testing::Request(kBogota, Channel::kEmail, "2024-02-29 10:00"), emails);
  EXPECT_EQ(capped.code, BlockCode::kFrequencyCap);
  EXPECT_EQ(NextAllowed(kBogota, capped), "2024-03-01 00:00");
  // Other channels are not counted nor capped.
  EXPECT_TRUE(CheckContact(month, testing::Request(kBogota, Channel::kSms, "2024-02-29 10:00"), emails).allowed());
}

TEST(ContactCheckTest, NothingAllowedWithinTheSearchHorizon) {
  const Rulebook book = TestRulebook(R"({"id": "co-quarter", "type": "after_contact",
      "trigger": {"channels": "all", "counts": "attempt"}, "blocks": "all_channels", "period": "rolling_days",
      "days": 90, "source": "test", "evidence": "primary"})");
  const ContactDecision decision = CheckContact(book, testing::Request(kBogota, Channel::kCall, "2024-03-02 10:00"),
                                                {Past(kBogota, Channel::kEmail, "2024-03-01 10:00")});
  EXPECT_EQ(decision.code, BlockCode::kAfterContact);
  EXPECT_FALSE(decision.next_allowed.has_value());
  EXPECT_NE(decision.reason_en.find("Nothing is allowed within the next 60 days."), std::string::npos);
  EXPECT_NE(decision.reason_es.find("próximos 60 días"), std::string::npos);
}

// --- Debtor kinds, the default rulebook, channels and recipients ------------------

TEST(ContactCheckTest, BusinessDebtorsGetTheDefaultWhereTheLawProtectsConsumers) {
  // Colombia, Saturday 10:00: open for consumers (Ley 2300), closed for companies (default).
  EXPECT_TRUE(Check(kBogota, kConsumer, Channel::kEmail, "2024-03-02 10:00").allowed());
  const ContactDecision business = Check(kBogota, kBusiness, Channel::kEmail, "2024-03-02 10:00");
  EXPECT_EQ(business.code, BlockCode::kClosedDay);
  EXPECT_EQ(business.rule_id, "default-hours");
  EXPECT_EQ(NextAllowed(kBogota, business), "2024-03-04 08:00");
  // The default still excludes Colombian holidays.
  EXPECT_EQ(Check(kBogota, kBusiness, Channel::kEmail, "2021-03-22 10:00").code, BlockCode::kHoliday);
  // Consumers must have authorised the channel; companies need not.
  testing::Debtor email_only = kBogota;
  email_only.authorised = ChannelSet::Of({Channel::kEmail});
  const ContactDecision sms =
      CheckContact(RulebookFor("CO", kConsumer), testing::Request(email_only, Channel::kSms, "2024-03-04 10:00"), {});
  EXPECT_EQ(sms.code, BlockCode::kChannelNotAuthorised);
  EXPECT_FALSE(sms.next_allowed.has_value());
  EXPECT_TRUE(
      CheckContact(RulebookFor("CO", kBusiness), testing::Request(email_only, Channel::kSms, "2024-03-04 10:00"), {})
          .allowed());
  // Visits: never for Colombian consumers.
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kVisit, "2024-03-04 10:00").code, BlockCode::kChannelForbidden);
  // US: the call cap is a consumer rule.
  std::vector<PastContact> calls;
  for (int i = 0; i < 7; ++i) calls.push_back(Past(kNewYork, Channel::kCall, fmt::format("2024-03-04 1{}:00", i)));
  EXPECT_EQ(Check(kNewYork, kConsumer, Channel::kCall, "2024-03-05 10:00", calls).code, BlockCode::kFrequencyCap);
  EXPECT_EQ(Check(kNewYork, kBusiness, Channel::kCall, "2024-03-05 10:00", calls).code, BlockCode::kFrequencyCap);
  EXPECT_EQ(Check(kNewYork, kBusiness, Channel::kCall, "2024-03-05 10:00", calls).rule_id, "default-three-a-week");
}

TEST(ContactCheckTest, DefaultRulebook) {
  // Argentina has no rulebook: working days 08:00-19:00 with Argentine holidays.
  EXPECT_TRUE(Check(kBuenosAires, kConsumer, Channel::kEmail, "2024-03-04 08:00").allowed());
  EXPECT_EQ(Check(kBuenosAires, kConsumer, Channel::kEmail, "2024-03-04 19:00").code, BlockCode::kOutsideHours);
  EXPECT_EQ(Check(kBuenosAires, kConsumer, Channel::kEmail, "2024-03-02 10:00").code, BlockCode::kClosedDay);
  EXPECT_EQ(Check(kBuenosAires, kConsumer, Channel::kEmail, "2024-05-01 10:00").code, BlockCode::kHoliday);
  // A country without a holiday calendar: only the weekend is closed
  // (Brazil, Friday 2024-11-15 is Proclamação da República).
  const testing::Debtor sao_paulo{"BR", "America/Sao_Paulo"};
  EXPECT_TRUE(Check(sao_paulo, kConsumer, Channel::kEmail, "2024-11-15 10:00").allowed());
  // One contact a day.
  const std::vector<PastContact> monday = {Past(kBuenosAires, Channel::kEmail, "2024-03-04 09:00")};
  EXPECT_EQ(Check(kBuenosAires, kConsumer, Channel::kCall, "2024-03-04 15:00", monday).rule_id, "default-one-a-day");
  // Two whole days between contacts through the same channel: Monday, then Thursday.
  const ContactDecision wednesday = Check(kBuenosAires, kConsumer, Channel::kEmail, "2024-03-06 10:00", monday);
  EXPECT_EQ(wednesday.code, BlockCode::kMinimumGap);
  EXPECT_EQ(NextAllowed(kBuenosAires, wednesday), "2024-03-07 08:00");
  EXPECT_TRUE(Check(kBuenosAires, kConsumer, Channel::kCall, "2024-03-06 10:00", monday).allowed());
  // Three contacts in any 7 days.
  const std::vector<PastContact> three = {Past(kBuenosAires, Channel::kEmail, "2024-03-04 09:00"),
                                          Past(kBuenosAires, Channel::kSms, "2024-03-05 09:00"),
                                          Past(kBuenosAires, Channel::kCall, "2024-03-06 09:00")};
  const ContactDecision fourth = Check(kBuenosAires, kConsumer, Channel::kWhatsapp, "2024-03-08 10:00", three);
  EXPECT_EQ(fourth.rule_id, "default-three-a-week");
  EXPECT_EQ(NextAllowed(kBuenosAires, fourth), "2024-03-11 08:00");
  // Spain's file extends the default: same rules, Spanish holidays (2024-10-12, Saturday; 2024-12-25).
  EXPECT_EQ(Check(kMadrid, kBusiness, Channel::kEmail, "2024-12-25 10:00").code, BlockCode::kHoliday);
}

TEST(ContactCheckTest, ThirdPartiesAndGuarantors) {
  ContactRequest request = testing::Request(kBogota, Channel::kCall, "2024-03-04 10:00");
  request.recipient = Recipient::kGuarantor;
  EXPECT_TRUE(CheckContact(RulebookFor("CO", kConsumer), request, {}).allowed());
  request.recipient = Recipient::kThirdParty;
  const ContactDecision third = CheckContact(RulebookFor("CO", kConsumer), request, {});
  EXPECT_EQ(third.code, BlockCode::kThirdParty);
  EXPECT_FALSE(third.next_allowed.has_value());
  EXPECT_NE(third.reason_en.find("or a guarantor"), std::string::npos) << third.reason_en;
  // Chile forbids disclosing the debt to anyone else, guarantors included.
  ContactRequest chile = testing::Request(kSantiago, Channel::kCall, "2024-03-04 10:00");
  chile.recipient = Recipient::kGuarantor;
  EXPECT_EQ(CheckContact(RulebookFor("CL", kConsumer), chile, {}).code, BlockCode::kThirdParty);
  EXPECT_EQ(RulebookFor("CL", kConsumer).third_parties, ThirdPartyPolicy::kForbidden);
  EXPECT_EQ(RulebookFor("MX", kConsumer).third_parties, ThirdPartyPolicy::kGuarantorsOnly);
}

TEST(ContactCheckTest, ChileStopsOnceTheDebtorIsSued) {
  ContactRequest request = testing::Request(kSantiago, Channel::kEmail, "2024-03-04 10:00");
  request.in_legal_proceedings = true;
  const ContactDecision decision = CheckContact(RulebookFor("CL", kConsumer), request, {});
  EXPECT_EQ(decision.code, BlockCode::kLegalProceedings);
  EXPECT_EQ(decision.rule_id, "cl-stop-on-proceedings");
  EXPECT_FALSE(decision.next_allowed.has_value());
}

TEST(ContactCheckTest, PrecedenceWhenSeveralRulesBlock) {
  // A Sunday visit to a Colombian consumer by an unauthorised channel: the
  // permanent reasons come first.
  testing::Debtor nothing_authorised = kBogota;
  nothing_authorised.authorised = ChannelSet();
  const Rulebook& book = RulebookFor("CO", kConsumer);
  EXPECT_EQ(CheckContact(book, testing::Request(nothing_authorised, Channel::kVisit, "2024-03-03 10:00"), {}).code,
            BlockCode::kChannelForbidden);
  EXPECT_EQ(CheckContact(book, testing::Request(nothing_authorised, Channel::kSms, "2024-03-03 10:00"), {}).code,
            BlockCode::kChannelNotAuthorised);
  // A holiday that is also outside hours is reported as the holiday.
  EXPECT_EQ(Check(kBogota, kConsumer, Channel::kSms, "2021-03-22 05:00").code, BlockCode::kHoliday);
  // Outside hours and capped: hours first; the next allowed time satisfies both.
  const std::vector<PastContact> today = {Past(kBogota, Channel::kSms, "2024-03-04 10:00")};
  const ContactDecision late = Check(kBogota, kConsumer, Channel::kSms, "2024-03-04 20:00", today);
  EXPECT_EQ(late.code, BlockCode::kOutsideHours);
  EXPECT_EQ(NextAllowed(kBogota, late), "2024-03-05 07:00");
}

TEST(ContactCheckTest, UnknownTimeZoneBlocks) {
  ContactRequest request = testing::Request(kBogota, Channel::kEmail, "2024-03-04 10:00");
  request.time_zone = "America/Nowhere";
  ContactDecision decision = CheckContact(RulebookFor("CO", kConsumer), request, {});
  EXPECT_EQ(decision.code, BlockCode::kUnknownTimeZone);
  EXPECT_FALSE(decision.next_allowed.has_value());
  EXPECT_NE(decision.reason_en.find("'America/Nowhere'"), std::string::npos);
  request.time_zone.clear();
  EXPECT_EQ(CheckContact(RulebookFor("CO", kConsumer), request, {}).code, BlockCode::kUnknownTimeZone);
}

}  // namespace
}  // namespace cartera::compliance
