#include "compliance/rulebook.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "compliance/embedded_rulebooks.h"

namespace cartera::compliance {
namespace {

const RulebookLibrary& Shipped() {
  Result<const RulebookLibrary*> library = ShippedRulebooks();
  EXPECT_TRUE(library.has_value()) << library.error().message;
  return **library;
}

std::vector<std::string> RuleIds(const Rulebook& book) {
  std::vector<std::string> ids;
  for (const ContactRule& rule : book.contact_rules) ids.push_back(rule.id);
  return ids;
}

bool HasRule(const Rulebook& book, std::string_view id) {
  for (const ContactRule& rule : book.contact_rules) {
    if (rule.id == id) return true;
  }
  return false;
}

TEST(RulebookTest, ShippedRulebooksLoad) {
  Result<const RulebookLibrary*> library = ShippedRulebooks();
  ASSERT_TRUE(library.has_value()) << library.error().message;
  std::set<std::string> names;
  for (const EmbeddedRulebook& file : EmbeddedRulebooks()) names.insert(std::string(file.name));
  EXPECT_EQ(names,
            (std::set<std::string>{"CL.json", "CO.json", "ES.json", "MX.json", "PE.json", "US.json", "default.json"}));
  std::set<std::string> jurisdictions;
  for (const Rulebook& book : (*library)->rulebooks()) jurisdictions.insert(book.jurisdiction);
  EXPECT_EQ(jurisdictions, (std::set<std::string>{"CL", "CO", "ES", "MX", "PE", "US", "default"}));
  EXPECT_EQ((*library)->rulebooks().size(), 14u);  // a consumer and a business rulebook each
}

TEST(RulebookTest, EveryShippedRuleNamesItsLegalSource) {
  for (const Rulebook& book : Shipped().rulebooks()) {
    EXPECT_FALSE(book.contact_rules.empty()) << book.label;
    for (const ContactRule& rule : book.contact_rules) {
      EXPECT_FALSE(rule.source.empty()) << book.label << " " << rule.id;
      EXPECT_FALSE(rule.id.empty()) << book.label;
    }
    if (book.usury_cap) {
      EXPECT_FALSE(book.usury_cap->source.empty()) << book.label;
    }
    if (book.rate_conversion) {
      EXPECT_FALSE(book.rate_conversion->source.empty()) << book.label;
    }
    if (book.credit_report_notice) {
      EXPECT_FALSE(book.credit_report_notice->source.empty()) << book.label;
    }
    // Every rulebook keeps local hours and says whom besides the debtor may be contacted.
    bool has_hours = false;
    for (const ContactRule& rule : book.contact_rules) has_hours |= rule.type == RuleType::kHours;
    EXPECT_TRUE(has_hours) << book.label;
    EXPECT_NE(book.third_parties, ThirdPartyPolicy::kAllowed) << book.label;
  }
}

TEST(RulebookTest, CountriesWithoutAFileGetTheDefault) {
  EXPECT_EQ(RulebookFor("AR", DebtorKind::kConsumer).jurisdiction, "default");
  EXPECT_EQ(RulebookFor("BR", DebtorKind::kBusiness).jurisdiction, "default");
  EXPECT_EQ(RulebookFor("", DebtorKind::kConsumer).jurisdiction, "default");
  EXPECT_EQ(RulebookFor("co", DebtorKind::kConsumer).jurisdiction, "CO");
  EXPECT_EQ(RulebookFor("CO", DebtorKind::kConsumer).kind, DebtorKind::kConsumer);
  EXPECT_EQ(RulebookFor("CO", DebtorKind::kBusiness).kind, DebtorKind::kBusiness);
  EXPECT_EQ(RulebookFor("AR", DebtorKind::kConsumer).label, "default consumer 2026-11-22");
}

TEST(RulebookTest, ConsumerAndBusinessRulebooksDiffer) {
  const Rulebook& consumer = RulebookFor("CO", DebtorKind::kConsumer);
  const Rulebook& business = RulebookFor("CO", DebtorKind::kBusiness);
  EXPECT_EQ(RuleIds(consumer),
            (std::vector<std::string>{"co-hours", "co-holidays", "co-one-a-day", "co-one-channel-a-week",
                                      "co-authorised-channels", "co-no-visits", "co-third-parties"}));
  EXPECT_EQ(RuleIds(business),
            (std::vector<std::string>{"default-hours", "default-holidays", "default-one-a-day", "default-three-a-week",
                                      "default-same-channel-gap", "default-third-parties"}));
  EXPECT_EQ(business.label, "CO business 2026-11-22 (extends default 2026-11-22)");
  // Rate and bureau rules apply to both.
  EXPECT_TRUE(consumer.usury_cap && business.usury_cap);
  EXPECT_TRUE(consumer.credit_report_notice && business.credit_report_notice);
  EXPECT_EQ(consumer.third_parties, ThirdPartyPolicy::kGuarantorsOnly);
  EXPECT_EQ(business.third_parties, ThirdPartyPolicy::kForbidden);
  // Spain has one set for both kinds.
  EXPECT_EQ(RuleIds(RulebookFor("ES", DebtorKind::kConsumer)), RuleIds(RulebookFor("ES", DebtorKind::kBusiness)));
  EXPECT_TRUE(HasRule(RulebookFor("ES", DebtorKind::kConsumer), "default-hours"));
  EXPECT_TRUE(HasRule(RulebookFor("US", DebtorKind::kConsumer), "us-calls-7-in-7"));
  EXPECT_FALSE(HasRule(RulebookFor("US", DebtorKind::kBusiness), "us-calls-7-in-7"));
}

TEST(RulebookTest, LookbackCoversTheLongestPeriod) {
  EXPECT_EQ(RulebookFor("CO", DebtorKind::kConsumer).lookback_days, 7);
  EXPECT_EQ(RulebookFor("CL", DebtorKind::kConsumer).lookback_days, 7);
  EXPECT_EQ(RulebookFor("MX", DebtorKind::kConsumer).lookback_days, 0);
  EXPECT_EQ(RulebookFor("AR", DebtorKind::kConsumer).lookback_days, 7);
}

TEST(RulebookTest, ParsesTheShippedCoWindows) {
  const ContactRule& hours = RulebookFor("CO", DebtorKind::kConsumer).contact_rules.front();
  ASSERT_EQ(hours.type, RuleType::kHours);
  EXPECT_TRUE(hours.windows[0].empty());   // Sunday
  ASSERT_EQ(hours.windows[6].size(), 1u);  // Saturday 08:00-15:00
  EXPECT_EQ(hours.windows[6][0].start_minute, 8 * 60);
  EXPECT_EQ(hours.windows[6][0].end_minute, 15 * 60);
  EXPECT_EQ(hours.windows[1][0].end_minute, 19 * 60);
  EXPECT_TRUE(hours.channels.all());
  EXPECT_EQ(hours.evidence, Evidence::kPrimary);
}

// --- Malformed files: the error names the file and the field ---------------------

constexpr std::string_view kDefault = R"({
  "jurisdiction": "default", "name": "Default", "version": "2026-01-01",
  "rule_sets": [{"applies_to": "both", "rules": [
    {"id": "d-hours", "type": "hours", "channels": "all", "source": "test", "evidence": "cartera_default",
     "windows": {"mon": ["08:00-19:00"], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}}
  ]}]
})";

// A valid Colombian file; each case replaces one piece of it.
constexpr std::string_view kValid = R"({
  "jurisdiction": "CO", "name": "Test", "version": "2026-01-01",
  "rule_sets": [
    {"applies_to": "consumer", "rules": [
      {"id": "co-hours", "type": "hours", "channels": ["call", "sms"], "source": "Ley 2300 de 2023, art. 3",
       "evidence": "primary",
       "windows": {"mon": ["07:00-19:00"], "tue": [], "wed": [], "thu": [], "fri": [], "sat": ["08:00-15:00"], "sun": []}},
      {"id": "co-cap", "type": "frequency_cap", "channels": "all", "max": 1, "period": "calendar_day",
       "counts": "attempt", "source": "Ley 2300 de 2023, art. 3", "evidence": "primary"},
      {"id": "co-holidays", "type": "holidays", "calendar": "CO", "channels": "all", "source": "Ley 2300",
       "evidence": "primary"}
    ]},
    {"applies_to": "business", "extends": "default", "rules": []}
  ]
})";

Result<RulebookLibrary> ParseWith(std::string_view co_text, bool with_default = true) {
  std::vector<RulebookSource> sources = {{"test/CO.json", co_text}};
  if (with_default) sources.push_back({"test/default.json", kDefault});
  return RulebookLibrary::Parse(sources);
}

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string result(text);
  size_t at = result.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) result.replace(at, from.size(), to);
  return result;
}

TEST(RulebookTest, TheTestFileIsValid) {
  Result<RulebookLibrary> library = ParseWith(kValid);
  ASSERT_TRUE(library.has_value()) << library.error().message;
  EXPECT_EQ(library->For("CO", DebtorKind::kConsumer).contact_rules.size(), 3u);
  EXPECT_EQ(library->For("CO", DebtorKind::kBusiness).contact_rules.front().id, "d-hours");
}

struct MalformedCase {
  std::string_view name;
  std::string_view from;
  std::string_view to;
  std::string_view message;  // expected within the error
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class MalformedRulebookTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedRulebookTest, ErrorNamesFileAndField) {
  const MalformedCase& c = GetParam();
  Result<RulebookLibrary> library = ParseWith(Replace(kValid, c.from, c.to));
  ASSERT_FALSE(library.has_value()) << c.name;
  EXPECT_EQ(library.error().code, ErrorCode::kBadInput);
  EXPECT_NE(library.error().message.find(c.message), std::string::npos)
      << "expected: " << c.message << "\nactual:   " << library.error().message;
  EXPECT_TRUE(library.error().message.starts_with("test/CO.json: ")) << library.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedRulebookTest,
    ::testing::Values(
        MalformedCase{"syntax", "\"rule_sets\": [", "\"rule_sets\": [,", "not valid JSON"},
        MalformedCase{"hour_out_of_range", "08:00-15:00", "08:00-25:00",
                      "rule_sets[0].rules[0] (co-hours).windows.sat[0]: \"08:00-25:00\" is not a time span"},
        MalformedCase{"window_backwards", "07:00-19:00", "19:00-07:00",
                      "rule_sets[0].rules[0] (co-hours).windows.mon[0]: \"19:00-07:00\" ends before it starts"},
        MalformedCase{"windows_overlap", "[\"07:00-19:00\"]", "[\"07:00-12:00\", \"11:00-19:00\"]",
                      "windows.mon[1]: \"11:00-19:00\" overlaps"},
        MalformedCase{"missing_weekday", "\"sun\": []", "\"dom\": []", "windows.dom: unknown field"},
        MalformedCase{"misspelt_field", "\"channels\": [\"call\"", "\"chanels\": [\"call\"",
                      "rule_sets[0].rules[0] (co-hours).chanels: unknown field"},
        MalformedCase{
            "missing_source",
            "\"source\": \"Ley 2300 de 2023, art. 3\",\n       \"evidence\": \"primary\",\n       \"windows\"",
            "\"evidence\": \"primary\",\n       \"windows\"", "rule_sets[0].rules[0] (co-hours).source: missing"},
        MalformedCase{"empty_source", "\"source\": \"Ley 2300\"", "\"source\": \"\"",
                      "rule_sets[0].rules[2] (co-holidays).source: must not be empty"},
        MalformedCase{"bad_channel", "[\"call\", \"sms\"]", "[\"call\", \"fax\"]",
                      "(co-hours).channels[1]: \"fax\" is not a channel"},
        MalformedCase{"duplicate_channel", "[\"call\", \"sms\"]", "[\"call\", \"call\"]", "'call' is listed twice"},
        MalformedCase{"unknown_type", "\"type\": \"frequency_cap\"", "\"type\": \"frequency\"",
                      "rule_sets[0].rules[1] (co-cap).type: 'frequency' is not a rule type"},
        MalformedCase{"max_zero", "\"max\": 1", "\"max\": 0", "(co-cap).max: expected a whole number from 1 to 1000"},
        MalformedCase{"max_text", "\"max\": 1", "\"max\": \"1\"", "(co-cap).max: expected a whole number"},
        MalformedCase{"bad_period", "\"calendar_day\"", "\"fortnight\"", "(co-cap).period: 'fortnight' is not one of"},
        MalformedCase{"days_without_rolling", "\"period\": \"calendar_day\"",
                      "\"period\": \"calendar_day\", \"days\": 7",
                      "(co-cap).days: only for \"period\": \"rolling_days\""},
        MalformedCase{"rolling_without_days", "\"period\": \"calendar_day\"", "\"period\": \"rolling_days\"",
                      "(co-cap).days: missing"},
        MalformedCase{"bad_counts", "\"counts\": \"attempt\"", "\"counts\": \"sent\"", "(co-cap).counts: 'sent'"},
        MalformedCase{"bad_evidence", "\"evidence\": \"primary\"}", "\"evidence\": \"hearsay\"}",
                      "(co-cap).evidence: 'hearsay' is not one of"},
        MalformedCase{"no_calendar", "\"calendar\": \"CO\"", "\"calendar\": \"BR\"",
                      "(co-holidays).calendar: no holiday calendar for 'BR'"},
        MalformedCase{"bad_id", "\"id\": \"co-cap\"", "\"id\": \"CO cap\"", "rule_sets[0].rules[1].id: 'CO cap' may"},
        MalformedCase{"duplicate_id", "\"id\": \"co-cap\"", "\"id\": \"co-hours\"",
                      "rule_sets[0].rules[1] (co-hours): id 'co-hours' is used twice"},
        MalformedCase{"jurisdiction_mismatch", "\"jurisdiction\": \"CO\"", "\"jurisdiction\": \"CL\"",
                      "jurisdiction: 'CL' does not match the file name"},
        MalformedCase{"bad_version", "\"version\": \"2026-01-01\"", "\"version\": \"2026-02-30\"",
                      "version: '2026-02-30' is not a date"},
        MalformedCase{"bad_applies_to", "\"applies_to\": \"business\"", "\"applies_to\": \"companies\"",
                      "rule_sets[1].applies_to: 'companies' is not one of: consumer, business, both"},
        MalformedCase{"kind_not_covered", "\"applies_to\": \"business\", \"extends\": \"default\", \"rules\": []",
                      "\"applies_to\": \"consumer\", \"extends\": \"default\", \"rules\": []",
                      "rule_sets: no set applies to business debtors"},
        MalformedCase{"unknown_extends", "\"extends\": \"default\"", "\"extends\": \"XX\"",
                      "rule_sets[1].extends: no rulebook file for 'XX'"},
        MalformedCase{"set_without_rules", "\"extends\": \"default\", \"rules\": []", "\"rules\": []",
                      "rule_sets[1].rules: empty"}),
    [](const ::testing::TestParamInfo<MalformedCase>& param_info) { return std::string(param_info.param.name); });

TEST(RulebookTest, NoDefaultFileIsAnError) {
  Result<RulebookLibrary> library = ParseWith(kValid, /*with_default=*/false);
  ASSERT_FALSE(library.has_value());
  EXPECT_NE(library.error().message.find("no default.json"), std::string::npos) << library.error().message;
}

TEST(RulebookTest, NonContactRulesAreValidated) {
  const std::string usury = Replace(kValid, "{\"applies_to\": \"business\"",
                                    R"({"applies_to": "both", "rules": [{"id": "co-usury", "type": "usury_cap",
      "multiplier": "one and a half", "decimals": 2, "source": "C.Co. art. 884", "evidence": "primary"}]},
    {"applies_to": "business")");
  Result<RulebookLibrary> library = ParseWith(usury);
  ASSERT_FALSE(library.has_value());
  EXPECT_NE(library.error().message.find("rule_sets[1].rules[0] (co-usury).multiplier: 'one and a half'"),
            std::string::npos)
      << library.error().message;

  const std::string tier =
      Replace(kValid, "{\"applies_to\": \"business\"",
              R"({"applies_to": "both", "rules": [{"id": "co-notice", "type": "credit_report_notice",
      "wait_days": 20, "notices": 1, "small_debt_notices": 2, "source": "Ley 1266", "evidence": "secondary"}]},
    {"applies_to": "business")");
  library = ParseWith(tier);
  ASSERT_FALSE(library.has_value());
  EXPECT_NE(library.error().message.find("(co-notice).small_debt_max_percent_of_minimum_wage: missing"),
            std::string::npos)
      << library.error().message;
}

}  // namespace
}  // namespace cartera::compliance
