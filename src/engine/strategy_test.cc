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
      min_open: {amount: "1000.00", currency: COP}
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
  EXPECT_EQ(strategy->stages[1].conditions.min_open, (AmountThreshold{100000, "COP"}));
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

namespace cartera {
namespace {

// Amount thresholds state their currency: `min_open_minor: 100000` said
// nothing of which money. Old strategies load with a `currency` beside it,
// and are refused with how to write it when none is there.
TEST(Strategy, AmountThresholdsStateTheirCurrency) {
  auto parse = [](std::string_view conditions) {
    return ParseStrategyText(fmt::format(
        R"({{"name":"x","stages":[{{"key":"a","day":1,"conditions":{},"actions":[{{"type":"message"}}]}}]}})", conditions));
  };
  auto error_of = [&](std::string_view conditions) {
    auto parsed = parse(conditions);
    return parsed ? std::string() : parsed.error().message;
  };
  auto both = parse(R"({"min_open": {"amount": "1000.50", "currency": "USD"}, "max_open": {"amount": "5000", "currency": "USD"}})");
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->stages[0].conditions.min_open, (AmountThreshold{100050, "USD"}));
  EXPECT_EQ(both->stages[0].conditions.max_open, (AmountThreshold{500000, "USD"}));
  EXPECT_EQ(StrategyToJson(*both)["stages"][0]["conditions"]["min_open"],
            (nlohmann::json{{"amount", "1000.50"}, {"currency", "USD"}}));
  auto migrated = parse(R"({"min_open_minor": 100000, "currency": "COP"})");
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->stages[0].conditions.min_open, (AmountThreshold{100000, "COP"}));
  EXPECT_EQ(StrategyToJson(*migrated)["stages"][0]["conditions"]["min_open"]["amount"], "1000.00");

  EXPECT_NE(error_of(R"({"min_open_minor": 100000})").find("min_open_minor: has no currency: write min_open"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"min_open": {"amount": "1", "currency": "XXY"}})").find("min_open.currency"), std::string::npos);
  EXPECT_NE(error_of(R"({"min_open": {"amount": 1000, "currency": "COP"}})").find("min_open.amount: must be a decimal"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"min_open": {"amount": "1.001", "currency": "COP"}})").find("min_open.amount"), std::string::npos);
  EXPECT_NE(error_of(R"({"min_open": {"amount": "1", "currency": "COP"}, "max_open": {"amount": "2", "currency": "USD"}})")
                .find("different currencies"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"min_open": {"amount": "3", "currency": "COP"}, "max_open": {"amount": "2", "currency": "COP"}})")
                .find("min_open is above max_open"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"currency": "COP"})").find("conditions.currency: goes with min_open_minor"), std::string::npos);
}

}  // namespace
}  // namespace cartera
