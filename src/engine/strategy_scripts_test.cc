#include "engine/strategy_scripts.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace cartera {
namespace {

// The default strategy names firm and formal tones: it passed its own
// parser with no script behind them (the worker fell back to cordial).
TEST(StrategyScripts, TheDefaultStrategyHasEveryScriptItNames) {
  auto ok = CheckStrategyScripts(DefaultStrategy());
  EXPECT_TRUE(ok) << ok.error().message;
}

// One line per case: an action, and what the check says of it ("" when it
// passes).
TEST(StrategyScripts, APolicyNamingAMissingScriptIsRefused) {
  const struct {
    const char* action;
    const char* problem;
  } kCases[] = {
      {R"({"type":"message","channel":"email","template":"overdue_15","tone":"firm"})", ""},
      {R"({"type":"message","channel":"best","fallback":["email"],"template":"overdue_30","tone":"firm"})", ""},
      {R"({"type":"letter","template":"legal","tone":"formal"})", ""},
      {R"({"type":"call_task","template":"overdue_7"})", ""},
      {R"({"type":"credit_hold"})", ""},
      {R"({"type":"message","channel":"email","template":"overdue_15","tone":"severo"})",
       "stage 'a'.actions[0]: no script overdue_15 in tone 'severo' for email in Spanish "
       "(templates/es/email/overdue_15.severo.mustache); tones written for it: cordial, firm"},
      {R"({"type":"message","channel":"email","template":"recordatorio"})",
       "stage 'a'.actions[0].template: no script is called 'recordatorio'"},
      // A tone written for email only does not reach the SMS fallback.
      {R"({"type":"message","channel":"email","fallback":["sms"],"template":"overdue_60","tone":"firm"})",
       "no script overdue_60 in tone 'firm' for email"},
      {R"({"type":"message","channel":"sms","template":"legal","tone":"formal"})",
       "no script legal in tone 'formal' for sms"},
      // A call task's script is the call channel's.
      {R"({"type":"call_task","template":"overdue_15","tone":"firm"})", "no script overdue_15 in tone 'firm' for call"},
  };
  for (const auto& item : kCases) {
    auto strategy = ParseStrategyText(
        fmt::format(R"({{"name":"x","stages":[{{"key":"a","day":15,"actions":[{}]}}]}})", item.action));
    ASSERT_TRUE(strategy) << item.action << ": " << strategy.error().message;
    auto checked = CheckStrategyScripts(*strategy);
    if (std::string_view(item.problem).empty()) {
      EXPECT_TRUE(checked) << item.action << ": " << checked.error().message;
    } else {
      ASSERT_FALSE(checked) << item.action;
      EXPECT_EQ(checked.error().code, ErrorCode::kBadInput);
      EXPECT_NE(checked.error().message.find(item.problem), std::string::npos) << checked.error().message;
    }
  }
}

}  // namespace
}  // namespace cartera
