#include "engine/strategy.h"

#include <fmt/format.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cartera {
namespace {

TEST(Strategy, DefaultParsesWithStagesInDayOrder) {
  const Strategy& strategy = DefaultStrategy();
  EXPECT_EQ(strategy.name, "default");
  ASSERT_GE(strategy.stages.size(), 9u);
  EXPECT_EQ(strategy.stages.front().day, -7);
  for (size_t i = 1; i < strategy.stages.size(); ++i) EXPECT_LT(strategy.stages[i - 1].day, strategy.stages[i].day);
  ASSERT_TRUE(strategy.broken_promise.has_value());
}

TEST(Strategy, JsonRoundTripIsStable) {
  nlohmann::json once = StrategyToJson(DefaultStrategy());
  auto reparsed = ParseStrategy(once);
  ASSERT_TRUE(reparsed) << reparsed.error().message;
  EXPECT_EQ(StrategyToJson(*reparsed), once);
}

TEST(Strategy, ReadsYaml) {
  auto strategy = ParseStrategyText(R"(
name: small
stages:
  - key: overdue_5
    day: 5
    conditions:
      min_open_minor: 100000
      consumer: false
    actions:
      - type: message
        channel: whatsapp
        fallback: [sms, email]
  - key: before
    day: -3
    actions:
      - {type: message, channel: email}
)");
  ASSERT_TRUE(strategy) << strategy.error().message;
  ASSERT_EQ(strategy->stages.size(), 2u);
  EXPECT_EQ(strategy->stages[0].key, "before");
  EXPECT_EQ(strategy->stages[1].conditions.min_open_minor, 100000);
  EXPECT_EQ(strategy->stages[1].conditions.consumer, Tristate::kNo);
  EXPECT_EQ(strategy->stages[1].actions[0].fallback.size(), 2u);
  EXPECT_EQ(strategy->stages[1].actions[0].template_name, "overdue_5");
}

TEST(Strategy, ErrorsNameThePath) {
  auto check = [](const char* text, const char* expected) {
    auto strategy = ParseStrategyText(text);
    ASSERT_FALSE(strategy) << text;
    EXPECT_NE(strategy.error().message.find(expected), std::string::npos) << strategy.error().message;
  };
  check(R"({"name":"x","stages":[{"key":"a","day":1,"actions":[{"type":"message","channel":"fax"}]}]})",
        "stages[0].actions[0].channel");
  check(R"({"name":"x","stages":[{"key":"a","actions":[{"type":"wait"}]}]})", "stages[0].day: is required");
  check(R"({"name":"x","stages":[{"key":"a","day":1,"actions":[{"type":"wait"}]},{"key":"b","day":1,"actions":[{"type":"wait"}]}]})",
        "two stages on day 1");
  check(R"({"name":"x","stages":[{"key":"a","day":1,"conditions":{"colour":"red"},"actions":[{"type":"wait"}]}]})",
        "stages[0].conditions.colour: unknown condition");
  check(R"({"stages":[{"key":"a","day":1,"actions":[{"type":"wait"}]}]})", "name: is required");
  check(R"({"name":"x","stages":[{"key":"a","day":1,"actions":[{"type":"escalate","escalate_to":"police"}]}]})",
        "escalate_to: must be agency or legal");
  check("name: [unclosed", "not valid YAML");
}

}  // namespace
}  // namespace cartera

namespace cartera {
namespace {

TEST(Strategy, DefaultNamesOnlyShippedTemplates) {
  // The shipped scripts (templates/<lang>/<channel>/<stage>.<tone>.mustache).
  const std::vector<std::string> shipped = {"before_due", "due_today", "overdue_1",  "overdue_7", "overdue_15",
                                            "overdue_30", "overdue_60", "overdue_90", "legal", "broken_promise"};
  auto check = [&](const Stage& stage) {
    for (const Action& action : stage.actions) {
      if (action.type != ActionType::kMessage && action.type != ActionType::kCallTask && action.type != ActionType::kLetter) {
        continue;
      }
      EXPECT_NE(std::find(shipped.begin(), shipped.end(), action.template_name), shipped.end())
          << stage.key << " names " << action.template_name;
    }
  };
  for (const Stage& stage : DefaultStrategy().stages) check(stage);
  check(*DefaultStrategy().broken_promise);
}

}  // namespace
}  // namespace cartera

namespace cartera {
namespace {

TEST(Strategy, SegmentThresholdsAreReadCheckedAndWrittenBack) {
  auto strategy = ParseStrategyText(R"(
name: strict
segments:
  grace_days: 0
  high_risk_late_percent: 30
stages:
  - key: overdue_1
    day: 1
    actions: [{type: message}]
)");
  ASSERT_TRUE(strategy) << strategy.error().message;
  EXPECT_EQ(strategy->segment_thresholds.grace_days, 0);
  EXPECT_EQ(strategy->segment_thresholds.high_risk_late_percent, 30);
  EXPECT_EQ(strategy->segment_thresholds.min_history_invoices, SegmentThresholds{}.min_history_invoices);
  EXPECT_EQ(StrategyToJson(*strategy)["segments"]["grace_days"], 0);

  auto error_of = [](std::string_view segments) {
    auto parsed = ParseStrategyText(fmt::format(
        R"({{"name":"x","segments":{},"stages":[{{"key":"a","day":1,"actions":[{{"type":"message"}}]}}]}})", segments));
    return parsed ? std::string() : parsed.error().message;
  };
  EXPECT_NE(error_of(R"({"grace_days": 90})").find("segments.grace_days: must be between 0 and 60"), std::string::npos);
  EXPECT_NE(error_of(R"({"grace": 3})").find("segments.grace: unknown field"), std::string::npos);
  EXPECT_NE(error_of(R"({"occasional_late_percent": 60, "high_risk_late_percent": 40})")
                .find("must not be above high_risk_late_percent"),
            std::string::npos);
}

}  // namespace
}  // namespace cartera
