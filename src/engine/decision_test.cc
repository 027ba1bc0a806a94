#include "engine/decision.h"

#include <gtest/gtest.h>

namespace cartera {
namespace {

Date D(const char* text) { return *Date::ParseIso(text); }

CustomerSnapshot Customer() {
  CustomerSnapshot customer;
  customer.customer_id = 7;
  customer.country = "CO";
  customer.segment = "occasional";
  customer.size_segment = "A";
  customer.average_invoice_minor = 100000;
  customer.channel_allowed.fill(true);
  return customer;
}

Decision DecideOn(const CustomerSnapshot& customer, const char* today, const Strategy& strategy = DefaultStrategy()) {
  Decision decision;
  Decide(strategy, customer, D(today), decision);
  return decision;
}

std::vector<std::string> Planned(const Decision& decision) {
  std::vector<std::string> out;
  for (const PlannedAction& action : decision.planned) {
    out.push_back(action.stage->key + ":" + std::string(ActionTypeName(action.action->type)) + ":" +
                  std::string(ChannelName(action.channel)));
  }
  return out;
}

TEST(Decide, OverdueStageFollowsTheOldestInvoiceAndConsolidates) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-01-10"), 50000, false}, {2, D("2026-01-25"), 70000, false}};
  Decision decision = DecideOn(customer, "2026-02-10");  // invoice 1 is 31 days late
  ASSERT_EQ(Planned(decision), (std::vector<std::string>{"overdue_30:message:email", "overdue_30:call_task:call"}));
  EXPECT_EQ(decision.planned[0].invoice_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(decision.planned[0].total_minor, 120000);
  EXPECT_EQ(decision.planned[0].stage_date, D("2026-02-09"));
  EXPECT_EQ(decision.planned[0].max_days_past_due, 31);
}

TEST(Decide, AStageRunsOncePerEpisode) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-01-10"), 50000, false}};
  customer.last_fired = {{"overdue_30", D("2026-02-09")}};
  Decision decision = DecideOn(customer, "2026-02-12");
  EXPECT_TRUE(decision.planned.empty());
  ASSERT_EQ(decision.skipped.size(), 1u);
  EXPECT_EQ(decision.skipped[0].reason, SkipReason::kAlreadyDone);
  // A new episode (the stage began after the last run) fires again.
  customer.last_fired = {{"overdue_30", D("2025-06-01")}};
  EXPECT_EQ(DecideOn(customer, "2026-02-12").planned.size(), 2u);
}

TEST(Decide, DisputedInvoicesAreNeverMentionedNorDriveTheStage) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-01-01"), 50000, true}, {2, D("2026-02-05"), 70000, false}};
  Decision decision = DecideOn(customer, "2026-02-12");  // invoice 2 is 7 days late
  ASSERT_FALSE(decision.planned.empty());
  EXPECT_EQ(decision.planned[0].stage->key, "overdue_7");
  EXPECT_EQ(decision.planned[0].invoice_ids, (std::vector<int64_t>{2}));
  customer.invoices = {{1, D("2026-01-01"), 50000, true}};
  Decision only_disputed = DecideOn(customer, "2026-02-12");
  EXPECT_TRUE(only_disputed.planned.empty());
  EXPECT_EQ(only_disputed.skipped[0].reason, SkipReason::kAllInvoicesDisputed);
}

TEST(Decide, OpenPromiseHoldsAndBrokenPromiseFollowsUp) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-01-10"), 50000, false}};
  customer.promise = PromiseState{D("2026-02-20"), false};
  Decision held = DecideOn(customer, "2026-02-12");
  EXPECT_TRUE(held.planned.empty());
  EXPECT_EQ(held.skipped[0].reason, SkipReason::kPromiseHolds);
  customer.promise->broken = true;
  Decision broken = DecideOn(customer, "2026-02-24");
  ASSERT_FALSE(broken.planned.empty());
  EXPECT_EQ(broken.planned[0].stage->key, "broken_promise");
  EXPECT_EQ(broken.planned[0].stage_date, D("2026-02-23"));
}

TEST(Decide, PreventiveRemindersGroupInvoicesByStage) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-03-08"), 50000, false}, {2, D("2026-03-08"), 20000, false},
                       {3, D("2026-04-30"), 10000, false}};
  Decision decision = DecideOn(customer, "2026-03-01");  // 7 days before invoices 1 and 2
  ASSERT_EQ(Planned(decision), (std::vector<std::string>{"before_due_7:message:email"}));
  EXPECT_EQ(decision.planned[0].invoice_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Planned(DecideOn(customer, "2026-03-07")), (std::vector<std::string>{"before_due_1:message:whatsapp"}));
  EXPECT_EQ(Planned(DecideOn(customer, "2026-03-08")), (std::vector<std::string>{"due_today:message:sms"}));
  customer.segment = "habitual";  // the default skips the last two for good payers
  EXPECT_TRUE(DecideOn(customer, "2026-03-08").planned.empty());
}

TEST(Decide, ChannelsNeedConsentAndFallBackInOrder) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-02-01"), 50000, false}};
  customer.channel_allowed = {};
  customer.channel_allowed[static_cast<size_t>(Channel::kSms) - 1] = true;
  Decision decision = DecideOn(customer, "2026-02-02");  // overdue_1: email, then whatsapp, then sms
  EXPECT_EQ(Planned(decision), (std::vector<std::string>{"overdue_1:message:sms"}));
  customer.channel_allowed = {};
  Decision none = DecideOn(customer, "2026-02-02");
  EXPECT_TRUE(none.planned.empty());
  EXPECT_EQ(none.skipped[0].reason, SkipReason::kNoConsentedChannel);
}

TEST(Decide, BestChannelUsesMeasuredResponsiveness) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-02-01"), 50000, false}};
  customer.responsiveness_percent[static_cast<size_t>(Channel::kEmail) - 1] = 60;
  customer.responsiveness_percent[static_cast<size_t>(Channel::kWhatsapp) - 1] = 20;
  EXPECT_EQ(DecideOn(customer, "2026-02-08").planned[0].channel, Channel::kEmail);  // overdue_7 is "best"
}

TEST(Decide, ConditionsOnAmountsSegmentsAndHistory) {
  CustomerSnapshot customer = Customer();
  Conditions conditions;
  customer.currency = "COP";
  conditions.min_open = AmountThreshold{1000, "COP"};
  EXPECT_TRUE(ConditionsHold(conditions, customer, 1000, 1));
  EXPECT_FALSE(ConditionsHold(conditions, customer, 999, 1));
  // A threshold in another currency does not hold for this book: 1,000
  // dollars are not 1,000 pesos.
  conditions.min_open = AmountThreshold{1000, "USD"};
  EXPECT_FALSE(ConditionsHold(conditions, customer, 5000, 1));
  conditions = {};
  conditions.max_open = AmountThreshold{1000, "COP"};
  EXPECT_TRUE(ConditionsHold(conditions, customer, 1000, 1));
  EXPECT_FALSE(ConditionsHold(conditions, customer, 1001, 1));
  conditions.max_open = AmountThreshold{1000, "USD"};
  EXPECT_FALSE(ConditionsHold(conditions, customer, 10, 1));
  conditions = {};
  conditions.min_open_to_average_percent = 300;  // three average invoices
  EXPECT_TRUE(ConditionsHold(conditions, customer, 300000, 1));
  EXPECT_FALSE(ConditionsHold(conditions, customer, 299999, 1));
  conditions = {};
  conditions.segments = {"high_risk"};
  EXPECT_FALSE(ConditionsHold(conditions, customer, 1, 1));
  conditions = {};
  conditions.payer_history = PayerHistory::kFirstTime;
  EXPECT_TRUE(ConditionsHold(conditions, customer, 1, 1));
  customer.ever_late = true;
  EXPECT_FALSE(ConditionsHold(conditions, customer, 1, 1));
  conditions = {};
  conditions.min_overdue_invoices = 2;
  EXPECT_FALSE(ConditionsHold(conditions, customer, 1, 1));
  conditions = {};
  conditions.countries = {"MX"};
  EXPECT_FALSE(ConditionsHold(conditions, customer, 1, 1));
  conditions = {};
  conditions.consumer = Tristate::kYes;
  EXPECT_FALSE(ConditionsHold(conditions, customer, 1, 1));
}

TEST(Decide, NothingBeforeTheFirstStage) {
  CustomerSnapshot customer = Customer();
  customer.invoices = {{1, D("2026-05-01"), 50000, false}};
  EXPECT_TRUE(DecideOn(customer, "2026-03-01").planned.empty());
}

}  // namespace
}  // namespace cartera
