// Installment reminders and the broken-plan follow-up (engine/decision.h,
// the strategy's payment_plan section): which stage the decision plans on
// which day, about what, and once.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/decision.h"
#include "engine/strategy.h"

namespace cartera {
namespace {

Date D(const char* text) { return *Date::ParseIso(text); }

// Plan 9 covers invoices 1 and 2 (600,000 in all): three installments of
// 200,000 on 10 Mar, 10 Apr and 10 May 2026. Invoice 3 is the customer's,
// outside the plan, due in June.
CustomerSnapshot PlanCustomer(std::vector<PlanInstallment>& installments) {
  CustomerSnapshot customer;
  customer.customer_id = 7;
  customer.country = "CO";
  customer.currency = "COP";
  customer.segment = "occasional";
  customer.size_segment = "C";
  customer.channel_allowed.fill(true);
  OpenInvoice first{1, D("2026-01-10"), 400000, true, HeldReason::kPaymentPlan, 9};
  OpenInvoice second{2, D("2026-02-10"), 200000, true, HeldReason::kPaymentPlan, 9};
  OpenInvoice other{3, D("2026-06-30"), 50000};
  customer.invoices = {first, second, other};
  installments = {{9, 1, D("2026-03-10"), 200000, 400000},
                  {9, 2, D("2026-04-10"), 200000, 200000},
                  {9, 3, D("2026-05-10"), 200000, 0}};
  customer.installments = &installments;
  return customer;
}

Decision DecideOn(const CustomerSnapshot& customer, const char* today, const Strategy& strategy = DefaultStrategy()) {
  Decision decision;
  Decide(strategy, customer, D(today), decision);
  return decision;
}

std::vector<std::string> Keys(const Decision& decision) {
  std::vector<std::string> out;
  for (const PlannedAction& action : decision.planned) {
    out.push_back(action.stage->key + ":" + action.action->template_name);
  }
  return out;
}

TEST(PlanReminders, BeforeOnAndAfterTheInstallmentDate) {
  std::vector<PlanInstallment> installments;
  const CustomerSnapshot customer = PlanCustomer(installments);
  // Nothing before day -3.
  EXPECT_TRUE(DecideOn(customer, "2026-03-06").planned.empty());
  // -3: the reminder, about the plan's invoices, with the installment.
  Decision before = DecideOn(customer, "2026-03-07");
  ASSERT_EQ(Keys(before), (std::vector<std::string>{"plan_installment_before_3:plan_installment_due"}));
  EXPECT_EQ(before.planned[0].invoice_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(before.planned[0].total_minor, 600000);  // the plan's remaining balance
  EXPECT_EQ(before.planned[0].stage_date, D("2026-03-07"));
  ASSERT_TRUE(before.planned[0].plan.has_value());
  EXPECT_EQ(before.planned[0].plan->plan_id, 9);
  EXPECT_EQ(before.planned[0].plan->installment, 1);
  EXPECT_EQ(before.planned[0].plan->due_date, D("2026-03-10"));
  EXPECT_EQ(before.planned[0].plan->installment_minor, 200000);
  // 0: due today (sms first).
  Decision due = DecideOn(customer, "2026-03-10");
  ASSERT_EQ(Keys(due), (std::vector<std::string>{"plan_installment_due:plan_installment_due"}));
  EXPECT_EQ(ChannelName(due.planned[0].channel), "sms");
  // +3: the missed follow-up (a call too only for A and B debtors).
  EXPECT_EQ(Keys(DecideOn(customer, "2026-03-13")),
            (std::vector<std::string>{"plan_installment_missed_3:plan_installment_missed"}));
  // Past the last stage's window (7 days): nothing more about installment 1.
  EXPECT_TRUE(DecideOn(customer, "2026-03-20").planned.empty());
  // Invoice 3 (outside the plan) still gets its own preventive reminder.
  EXPECT_EQ(Keys(DecideOn(customer, "2026-06-23")).size(), 1u);
}

TEST(PlanReminders, EachStageOncePerInstallment) {
  std::vector<PlanInstallment> installments;
  CustomerSnapshot customer = PlanCustomer(installments);
  customer.last_fired = {{"plan_installment_before_3", D("2026-03-07")}};
  // Fired on its day: a later run within the stage plans nothing more.
  Decision again = DecideOn(customer, "2026-03-08");
  EXPECT_TRUE(again.planned.empty());
  // The next installment's -3 fires again (a new stage date).
  Decision next = DecideOn(customer, "2026-04-07");
  ASSERT_EQ(Keys(next), (std::vector<std::string>{"plan_installment_before_3:plan_installment_due"}));
  EXPECT_EQ(next.planned[0].plan->installment, 2);
}

TEST(PlanReminders, APaidInstallmentGetsNoReminderEvenBeforeTheRunMarksIt) {
  std::vector<PlanInstallment> installments;
  CustomerSnapshot customer = PlanCustomer(installments);
  // 200,000 paid on invoice 1: installment 1 is covered by the ledger.
  customer.invoices[0].open_minor = 200000;
  EXPECT_TRUE(DecideOn(customer, "2026-03-10").planned.empty());
  // Half paid: the reminder asks for what is still owed on it.
  customer.invoices[0].open_minor = 300000;
  Decision partly = DecideOn(customer, "2026-03-10");
  ASSERT_EQ(partly.planned.size(), 1u);
  EXPECT_EQ(partly.planned[0].plan->installment_minor, 100000);
  EXPECT_EQ(partly.planned[0].total_minor, 500000);
}

TEST(PlanReminders, AMissedInstallmentDoesNotHideTheNextOne) {
  std::vector<PlanInstallment> installments;
  CustomerSnapshot customer = PlanCustomer(installments);
  // Weekly-like spacing: installment 1 at +3 (already followed up) while
  // installment 2 is at -3 on the same day.
  installments[1].due_date = D("2026-03-16");
  customer.last_fired = {{"plan_installment_missed_3", D("2026-03-13")}};
  Decision decision = DecideOn(customer, "2026-03-13");
  ASSERT_EQ(Keys(decision), (std::vector<std::string>{"plan_installment_before_3:plan_installment_due"}));
  EXPECT_EQ(decision.planned[0].plan->installment, 2);
}

TEST(PlanReminders, HeldInvoicesSayWhyTheyAreHeld) {
  std::vector<PlanInstallment> installments;
  CustomerSnapshot customer = PlanCustomer(installments);
  customer.invoices.pop_back();  // only the plan's invoices
  customer.installments = nullptr;
  Decision in_plan = DecideOn(customer, "2026-03-20");
  ASSERT_EQ(in_plan.skipped.size(), 1u);
  EXPECT_EQ(in_plan.skipped[0].reason, SkipReason::kAllInvoicesInPlan);
  EXPECT_EQ(in_plan.skipped[0].detail, "all open invoices are in a payment plan");
  EXPECT_EQ(in_plan.skipped[0].detail_es, "todas las facturas abiertas están en un acuerdo de pago");
  customer.invoices = {{1, D("2026-01-10"), 400000, true, HeldReason::kEscalation, 0}};
  EXPECT_EQ(DecideOn(customer, "2026-03-20").skipped[0].reason, SkipReason::kAllInvoicesEscalated);
  customer.invoices = {{1, D("2026-01-10"), 400000, true, HeldReason::kDispute, 0}};
  EXPECT_EQ(DecideOn(customer, "2026-03-20").skipped[0].reason, SkipReason::kAllInvoicesDisputed);
  customer.invoices.push_back({2, D("2026-01-10"), 400000, true, HeldReason::kPaymentPlan, 9});
  EXPECT_EQ(DecideOn(customer, "2026-03-20").skipped[0].reason, SkipReason::kAllInvoicesHeld);
  // While an installment is in a stage, no "held" skip is logged on top.
  installments.clear();
  customer = PlanCustomer(installments);
  customer.invoices.pop_back();
  EXPECT_TRUE(DecideOn(customer, "2026-03-10").skipped.empty());
}

TEST(PlanReminders, BrokenPlanFollowUpTakesOverOnce) {
  CustomerSnapshot customer;
  customer.customer_id = 7;
  customer.country = "CO";
  customer.currency = "COP";
  customer.segment = "occasional";
  customer.size_segment = "C";
  customer.channel_allowed.fill(true);
  // The plan broke on 2026-04-13: its invoices are no longer held.
  customer.invoices = {{1, D("2026-01-10"), 400000}, {2, D("2026-02-10"), 200000}};
  const BrokenPlan broken{9, D("2026-04-13"), "COP"};
  customer.broken_plan = &broken;
  Decision first = DecideOn(customer, "2026-04-14");
  ASSERT_EQ(Keys(first), (std::vector<std::string>{"broken_plan:plan_broken", "broken_plan:plan_broken"}));
  EXPECT_EQ(first.planned[0].stage_date, D("2026-04-13"));
  EXPECT_EQ(first.planned[0].invoice_ids, (std::vector<int64_t>{1, 2}));
  ASSERT_TRUE(first.planned[0].plan.has_value());
  EXPECT_EQ(first.planned[0].plan->installment, 0);
  // Once: fired, it holds the regular stages for its window...
  customer.last_fired = {{"broken_plan", D("2026-04-14")}};
  Decision again = DecideOn(customer, "2026-04-16");
  EXPECT_TRUE(again.planned.empty());
  ASSERT_EQ(again.skipped.size(), 1u);
  EXPECT_EQ(again.skipped[0].reason, SkipReason::kAlreadyDone);
  // ...and when the window (7 days) is over, the regular overdue stages resume.
  Decision after = DecideOn(customer, "2026-04-20");
  ASSERT_FALSE(after.planned.empty());
  EXPECT_EQ(after.planned[0].stage->key, "overdue_90");
  // A plan broken in another currency says nothing about this book.
  const BrokenPlan in_dollars{9, D("2026-04-13"), "USD"};
  customer.broken_plan = &in_dollars;
  customer.last_fired.clear();
  EXPECT_EQ(DecideOn(customer, "2026-04-14").planned[0].stage->key, "overdue_90");
}

TEST(PlanReminders, WindowsOfPlanStages) {
  const Strategy& strategy = DefaultStrategy();
  ASSERT_TRUE(strategy.payment_plan.has_value());
  const PlanReminders& plan = *strategy.payment_plan;
  ASSERT_EQ(plan.stages.size(), 3u);
  // -3 lasts until day 0, 0 until +3, +3 for kPlanStageWindowDays.
  EXPECT_EQ(StageWindowEnd(strategy, plan.stages[0], D("2026-03-07")), D("2026-03-10"));
  EXPECT_EQ(StageWindowEnd(strategy, plan.stages[1], D("2026-03-10")), D("2026-03-13"));
  EXPECT_EQ(StageWindowEnd(strategy, plan.stages[2], D("2026-03-13")), D("2026-03-20"));
  EXPECT_EQ(StageWindowEnd(strategy, *plan.broken_plan, D("2026-04-13")), D("2026-04-20"));
  EXPECT_TRUE(IsPlanStage(strategy, plan.stages[1]));
  EXPECT_TRUE(IsPlanStage(strategy, *plan.broken_plan));
  EXPECT_FALSE(IsPlanStage(strategy, strategy.stages[0]));
}

TEST(PlanReminders, ParseAndRefuse) {
  using nlohmann::json;
  json document = json::parse(R"({"name": "p", "stages": [{"key": "overdue_1", "day": 1, "actions": [{}]}],
    "payment_plan": {"stages": [{"key": "p_missed", "day": 5, "actions": [{"template": "plan_installment_missed"}]},
                                {"key": "p_before", "day": -2, "actions": [{"template": "plan_installment_due"}]}],
                     "broken_plan": {"key": "p_broken", "window_days": 3, "actions": [{"template": "plan_broken"}]}}})");
  auto parsed = ParseStrategy(document);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_TRUE(parsed->payment_plan.has_value());
  EXPECT_EQ(parsed->payment_plan->stages[1].day, -2);
  EXPECT_EQ(parsed->payment_plan->broken_plan->window_days, 3);
  // Round trip.
  auto again = ParseStrategy(StrategyToJson(*parsed));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(StrategyToJson(*again), StrategyToJson(*parsed));

  auto refused = [&](const char* pointer, json value, Language language = Language::kEnglish) {
    json bad = document;
    bad[json::json_pointer(pointer)] = std::move(value);
    auto result = ParseStrategy(bad, language);
    EXPECT_FALSE(result) << pointer;
    return result ? std::string() : result.error().message;
  };
  EXPECT_EQ(refused("/payment_plan/stages/0/day", 90),
            "strategy: payment_plan.stages[0].day: must be between -60 and 60 (days from the installment's date)");
  EXPECT_EQ(refused("/payment_plan/stages/0/day", -2),
            "strategy: payment_plan.stages[1].day: two stages on day -2 ('p_missed' and 'p_before')");
  EXPECT_EQ(refused("/payment_plan/stages/1/key", "overdue_1"),
            "strategy: payment_plan.stages[1].key: stage key 'overdue_1' is already used by stages[0]");
  EXPECT_EQ(refused("/payment_plan/broken_plan/key", "p_before"),
            "strategy: payment_plan.broken_plan.key: stage key 'p_before' is already used by payment_plan.stages[1]");
  EXPECT_EQ(refused("/payment_plan/extra", 1, Language::kSpanish),
            "estrategia: payment_plan.extra: campo desconocido (conocidos: stages, broken_plan)");
  EXPECT_EQ(refused("/payment_plan/stages/0/channel", "fax"),
            "strategy: payment_plan.stages[0].channel: unknown field (known: key, day, window_days, conditions, actions)");
}

}  // namespace
}  // namespace cartera
