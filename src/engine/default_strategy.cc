// The strategy every tenant starts with. Written as the same JSON a user
// would import, so the parser checks it and `cartera policy export` shows it.
#include <nlohmann/json.hpp>

#include "engine/strategy.h"

namespace cartera {
namespace {

constexpr const char* kDefaultStrategy = R"JSON({
  "name": "default",
  "description": "Recordatorios preventivos y cobro escalonado, cordial en cada etapa / Preventive reminders and stepped, courteous collection",
  "stage_driver": "oldest_invoice",
  "promise_grace_days": 2,
  "stages": [
    {"key": "before_due_7", "day": -7,
     "actions": [{"type": "message", "channel": "email", "template": "before_due"}]},
    {"key": "before_due_1", "day": -1,
     "conditions": {"segments": ["occasional", "high_risk", "new"]},
     "actions": [{"type": "message", "channel": "best", "fallback": ["whatsapp", "sms", "email"], "template": "before_due"}]},
    {"key": "due_today", "day": 0,
     "conditions": {"segments": ["occasional", "high_risk"]},
     "actions": [{"type": "message", "channel": "sms", "fallback": ["whatsapp", "email"], "template": "due_today"}]},
    {"key": "overdue_1", "day": 1,
     "actions": [{"type": "message", "channel": "email", "fallback": ["whatsapp", "sms"], "template": "overdue_1"}]},
    {"key": "overdue_7", "day": 7,
     "actions": [
       {"type": "message", "channel": "best", "fallback": ["whatsapp", "sms", "email"], "template": "overdue_7"},
       {"type": "call_task", "template": "overdue_7",
        "conditions": {"segments": ["high_risk"]}}]},
    {"key": "overdue_15", "day": 15,
     "actions": [
       {"type": "message", "channel": "email", "fallback": ["whatsapp", "sms"], "template": "overdue_15", "tone": "firm"},
       {"type": "call_task", "template": "overdue_15", "conditions": {"size_segments": ["A", "B"]}}]},
    {"key": "overdue_30", "day": 30,
     "actions": [
       {"type": "message", "channel": "email", "fallback": ["whatsapp", "sms"], "template": "overdue_30", "tone": "firm",
        "attach_statement": true},
       {"type": "call_task", "template": "overdue_30"}]},
    {"key": "overdue_60", "day": 60,
     "actions": [
       {"type": "letter", "template": "overdue_60", "tone": "firm"},
       {"type": "call_task", "template": "overdue_60"},
       {"type": "credit_hold"}]},
    {"key": "overdue_90", "day": 90,
     "actions": [
       {"type": "message", "channel": "email", "fallback": ["whatsapp", "sms"], "template": "overdue_90", "tone": "firm",
        "attach_statement": true},
       {"type": "letter", "template": "overdue_90", "tone": "firm"},
       {"type": "call_task", "template": "overdue_90"}]},
    {"key": "legal", "day": 120,
     "actions": [
       {"type": "letter", "template": "legal", "tone": "formal"},
       {"type": "escalate", "escalate_to": "legal", "conditions": {"size_segments": ["A", "B"]}},
       {"type": "escalate", "escalate_to": "agency", "conditions": {"size_segments": ["C"]}}]}
  ],
  "broken_promise": {"key": "broken_promise",
    "actions": [
      {"type": "message", "channel": "best", "fallback": ["whatsapp", "sms", "email"], "template": "broken_promise"},
      {"type": "call_task", "template": "broken_promise"}]},
  "payment_plan": {
    "stages": [
      {"key": "plan_installment_before_3", "day": -3,
       "actions": [{"type": "message", "channel": "best", "fallback": ["whatsapp", "sms", "email"],
                    "template": "plan_installment_due"}]},
      {"key": "plan_installment_due", "day": 0,
       "actions": [{"type": "message", "channel": "sms", "fallback": ["whatsapp", "email"], "template": "plan_installment_due"}]},
      {"key": "plan_installment_missed_3", "day": 3,
       "actions": [
         {"type": "message", "channel": "best", "fallback": ["whatsapp", "sms", "email"], "template": "plan_installment_missed"},
         {"type": "call_task", "template": "plan_installment_missed", "conditions": {"size_segments": ["A", "B"]}}]}
    ],
    "broken_plan": {"key": "broken_plan",
      "actions": [
        {"type": "message", "channel": "email", "fallback": ["whatsapp", "sms"], "template": "plan_broken"},
        {"type": "call_task", "template": "plan_broken"}]}
  }
})JSON";

// Every template named here exists in templates/ (default_strategy_test
// checks it); the broken-promise follow-up reuses the firm overdue_15 script
// until a script of its own is written.
}  // namespace

const Strategy& DefaultStrategy() {
  static const Strategy strategy = *ParseStrategy(nlohmann::json::parse(kDefaultStrategy));
  return strategy;
}

}  // namespace cartera
