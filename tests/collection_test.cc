// The collection engine over a real database, on SQLite and PostgreSQL: an
// idempotent run, disputes and promises respected, and a deterministic
// 90-day simulation whose every contact is re-checked against the law.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "collection/records.h"
#include "collection/run.h"
#include "collection/simulate.h"
#include "core/time_zone.h"
#include "demo/demo_portfolio.h"
#include "importer/import.h"
#include "store/payment_history.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

const Timestamp kNow = *ParseUtc("2026-11-20T15:00:00Z");

class CollectionTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }

  void LoadDemo(int64_t customers) {
    DemoOptions demo;
    demo.customers = customers;
    demo.seed = 11;
    demo.as_of = *Date::ParseIso("2026-11-20");
    demo.directory = db_->WriteFile("marker", "") + ".demo";
    auto files = WriteDemoPortfolio(demo);
    ASSERT_TRUE(files) << files.error().message;
    for (auto [kind, path] : {std::pair{ImportKind::kCustomers, files->customers}, std::pair{ImportKind::kInvoices, files->invoices},
                              std::pair{ImportKind::kCreditNotes, files->credit_notes},
                              std::pair{ImportKind::kPayments, files->payments}}) {
      ImportOptions options;
      options.kind = kind;
      options.path = path;
      options.audit = Audit();
      auto report = RunImport(db_->database(), options);
      ASSERT_TRUE(report && report->ok()) << path;
    }
  }

  AuditContext Audit() const { return {"test", FormatUtc(kNow), "collection_test"}; }

  RunReport Run(bool dry_run = false) {
    auto report = RunCollection(db_->database(), RunOptions{1, std::nullopt, kNow, dry_run, Audit(), std::nullopt, std::nullopt});
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? std::move(*report) : RunReport{};
  }

  // Every row of a query, each column as text.
  std::vector<std::vector<std::string>> Rows(const std::string& sql, int64_t tenant_id = 1) {
    std::vector<std::vector<std::string>> rows;
    auto query = db_->database().Prepare(sql);
    EXPECT_TRUE(query) << (query ? "" : query.error().message);
    if (!query) return rows;
    (*query)->BindInt64(1, tenant_id);
    while (true) {
      auto has_row = (*query)->Step();
      EXPECT_TRUE(has_row) << (has_row ? "" : has_row.error().message);
      if (!has_row || !*has_row) break;
      std::vector<std::string> row;
      for (int column = 0; column < 6; ++column) row.emplace_back((*query)->GetText(column));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  // The stored payment history against the same figures summed afresh.
  void ExpectHistoryMatchesInvoices(int32_t grace_days) {
    auto stored = Rows(
        "SELECT customer_id, currency, settled_invoices, settled_amount_minor, settled_late, settled_days_late "
        "FROM payment_history WHERE tenant_id = ? ORDER BY customer_id, currency");
    EXPECT_GT(stored.size(), 10u);
    EXPECT_EQ(stored, Rows(PaymentHistoryFromInvoicesSql(db_->database().dialect(), grace_days, "")));
    EXPECT_EQ(db_->Count("SELECT history_grace_days FROM tenants WHERE id = 1"), grace_days);
  }

  std::unique_ptr<TestDatabase> db_;
};

// The run reads settled invoices as per-customer sums the ledger keeps: the
// sums follow every payment, give the segments computed from every invoice,
// and are summed again when the strategy's grace changes.
TEST_P(CollectionTest, PaymentHistoryFollowsTheLedgerAndGivesTheSameSegments) {
  LoadDemo(120);
  ExpectHistoryMatchesInvoices(kDefaultHistoryGraceDays);

  auto portfolio = LoadPortfolio(db_->database(), 1, kNow);
  ASSERT_TRUE(portfolio) << portfolio.error().message;
  ASSERT_GT(portfolio->customers.size(), 20u);
  std::map<int64_t, std::vector<PaymentRecord>> invoices;
  auto all = db_->database().Prepare(
      "SELECT customer_id, due_date, amount_minor, open_minor, last_allocation_date FROM invoices WHERE tenant_id = 1 "
      "AND NOT (open_minor = 0 AND last_allocation_date IS NULL)");
  ASSERT_TRUE(all);
  while (*(*all)->Step()) {
    invoices[(*all)->GetInt64(0)].push_back(
        {*Date::ParseIso((*all)->GetText(1)), (*all)->GetInt64(2), (*all)->GetInt64(3),
         (*all)->IsNull(4) ? Date() : *Date::ParseIso((*all)->GetText(4))});
  }
  all->reset();
  int high_risk = 0, habitual = 0;
  for (const CustomerState& customer : portfolio->customers) {
    const int32_t broken = static_cast<int32_t>(db_->Count(fmt::format(
        "SELECT COUNT(*) FROM promises WHERE customer_id = {} AND status = 'broken'", customer.id)));
    const BehaviourSegment expected = ComputeSegment(invoices[customer.id], broken, DateIn(customer.time_zone, kNow));
    EXPECT_EQ(customer.segment.segment, expected.segment) << customer.external_id;
    EXPECT_EQ(customer.segment.reason, expected.reason) << customer.external_id;
    high_risk += customer.segment.segment == "high_risk";
    habitual += customer.segment.segment == "habitual";
  }
  EXPECT_GT(high_risk, 0);
  EXPECT_GT(habitual, 0);

  // A payment in full of one open invoice adds it to its customer's sums.
  auto open = db_->database().Prepare(
      "SELECT c.external_id, i.currency, i.open_minor, i.customer_id FROM invoices i JOIN customers c ON c.id = "
      "i.customer_id WHERE i.open_minor > 0 AND i.currency = 'COP' ORDER BY i.id LIMIT 1");
  ASSERT_TRUE(open);
  ASSERT_TRUE(*(*open)->Step());
  const std::string customer(open->get()->GetText(0));
  const int64_t amount = (*open)->GetInt64(2), customer_id = (*open)->GetInt64(3);
  open->reset();
  const std::string settled_before = fmt::format(
      "SELECT COALESCE(SUM(settled_invoices), 0) FROM payment_history WHERE customer_id = {}", customer_id);
  const int64_t before = db_->Count(settled_before);
  const int64_t open_before = db_->Count(
      fmt::format("SELECT COUNT(*) FROM invoices WHERE customer_id = {} AND open_minor <> 0", customer_id));
  ImportOptions payment;
  payment.kind = ImportKind::kPayments;
  payment.path = db_->WriteFile(
      "full.csv", fmt::format("external_id,customer_external_id,date,currency,amount,method,reference\n"
                              "FULL-1,{},2026-11-19,COP,{}.{:02},transfer,R9\n",
                              customer, amount / 100, amount % 100));
  payment.audit = Audit();
  auto imported = RunImport(db_->database(), payment);
  ASSERT_TRUE(imported && imported->ok());
  const int64_t newly_settled =
      open_before - db_->Count(fmt::format("SELECT COUNT(*) FROM invoices WHERE customer_id = {} AND open_minor <> 0",
                                           customer_id));
  EXPECT_GE(newly_settled, 1);
  EXPECT_EQ(db_->Count(settled_before), before + newly_settled);
  ExpectHistoryMatchesInvoices(kDefaultHistoryGraceDays);

  // A strategy with another grace: a dry run sums on the fly and writes
  // nothing; the real run sums again and records the grace.
  auto strategy = ParseStrategyText(R"({"name":"strict","segments":{"grace_days":0},
      "stages":[{"key":"overdue_1","day":1,"actions":[{"type":"message"}]}]})");
  ASSERT_TRUE(strategy);
  auto store = db_->database().Prepare(
      "INSERT INTO strategies (tenant_id, name, definition, is_default, created_at, updated_at) VALUES (1, 'strict', ?, "
      "1, '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')");
  ASSERT_TRUE(store);
  (*store)->BindText(1, StrategyToJson(*strategy).dump());
  ASSERT_TRUE((*store)->Run());
  store->reset();
  RunReport dry = Run(/*dry_run=*/true);
  EXPECT_EQ(db_->Count("SELECT history_grace_days FROM tenants WHERE id = 1"), kDefaultHistoryGraceDays);
  Run();
  ExpectHistoryMatchesInvoices(0);
  auto strict = LoadPortfolio(db_->database(), 1, kNow);
  ASSERT_TRUE(strict);
  ASSERT_EQ(strict->customers.size(), dry.portfolio.customers.size());
  int stricter = 0;
  for (size_t i = 0; i < strict->customers.size(); ++i) {
    EXPECT_EQ(strict->customers[i].segment.reason, dry.portfolio.customers[i].segment.reason);
    stricter += strict->customers[i].segment.figures.invoices_late >
                portfolio->customers[i].segment.figures.invoices_late;
  }
  EXPECT_GT(stricter, 0) << "a grace of 0 days counts more invoices late";
}

TEST_P(CollectionTest, RunningTwiceTheSameDayAddsNothing) {
  LoadDemo(80);
  RunReport dry = Run(/*dry_run=*/true);
  EXPECT_GT(dry.planned, 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox"), 0);
  RunReport first = Run();
  EXPECT_EQ(first.added, first.planned);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox"), first.planned);
  RunReport second = Run();
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox"), first.planned);
  EXPECT_EQ(db_->Count("SELECT COUNT(DISTINCT idempotency_key) FROM outbox"), first.planned);
  EXPECT_GT(db_->Count("SELECT COUNT(*) FROM customer_segments"), 0);
}

// `best` picks by what really worked: a sent message followed by a payment
// within a week counts as answered; one followed by silence does not.
TEST_P(CollectionTest, ResponsivenessCountsPaymentsAfterSentMessages) {
  LoadDemo(80);
  Run();
  // Two customers with an email in the outbox and no payment after 2026-11-05.
  auto pick = db_->database().Prepare(
      "SELECT o.id, o.customer_id, c.external_id FROM outbox o JOIN customers c ON c.id = o.customer_id "
      "WHERE o.channel = 'email' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.customer_id = o.customer_id AND "
      "p.date >= '2026-11-05') ORDER BY o.id LIMIT 2");
  ASSERT_TRUE(pick);
  std::vector<std::tuple<int64_t, int64_t, std::string>> chosen;
  while (*(*pick)->Step()) {
    chosen.emplace_back((*pick)->GetInt64(0), (*pick)->GetInt64(1), std::string((*pick)->GetText(2)));
  }
  pick->reset();
  ASSERT_EQ(chosen.size(), 2u);
  for (const auto& [outbox_id, customer_id, external_id] : chosen) {
    ASSERT_TRUE(db_->database().Execute(fmt::format(
        "UPDATE outbox SET status = 'sent', sent_at = '2026-11-06T15:00:00Z' WHERE id = {}", outbox_id)));
  }
  ImportOptions payment;
  payment.kind = ImportKind::kPayments;
  payment.path = db_->WriteFile("paid.csv", fmt::format("external_id,customer_external_id,date,currency,amount,method,"
                                                        "reference\nPAID-1,{},2026-11-09,COP,1000.00,transfer,R1\n",
                                                        std::get<2>(chosen[0])));
  payment.audit = Audit();
  auto imported = RunImport(db_->database(), payment);
  ASSERT_TRUE(imported && imported->ok());

  auto portfolio = LoadPortfolio(db_->database(), 1, kNow);
  ASSERT_TRUE(portfolio) << portfolio.error().message;
  const size_t email = static_cast<size_t>(Channel::kEmail) - 1;
  int found = 0;
  for (const CustomerState& customer : portfolio->customers) {
    if (customer.id == std::get<1>(chosen[0])) {
      EXPECT_EQ(customer.responsiveness_percent[email], 100);
      ++found;
    }
    if (customer.id == std::get<1>(chosen[1])) {
      EXPECT_EQ(customer.responsiveness_percent[email], 0);
      ++found;
    }
  }
  EXPECT_EQ(found, 2);
}

TEST_P(CollectionTest, DisputedInvoicesStayOutAndPromisesHold) {
  LoadDemo(80);
  RunReport plan = Run(/*dry_run=*/true);
  // A customer the engine would message about overdue debt.
  const PlannedItem* message = nullptr;
  for (const PlannedItem& item : plan.plan.items) {
    if (item.action == ActionType::kMessage && item.stage.starts_with("overdue")) message = &item;
  }
  ASSERT_NE(message, nullptr);
  const CustomerState& customer = plan.portfolio.customers[message->customer];
  const int64_t disputed_id = message->invoice_ids[0];
  auto external = db_->database().Prepare("SELECT external_id FROM invoices WHERE id = ?");
  ASSERT_TRUE(external);
  (*external)->BindInt64(1, disputed_id);
  ASSERT_TRUE(*(*external)->Step());
  const std::string invoice_external_id((*external)->GetText(0));
  external->reset();
  ASSERT_TRUE(OpenDispute(db_->database(), 1, invoice_external_id, "mercancía defectuosa", Audit()));
  RunReport after_dispute = Run(/*dry_run=*/true);
  for (const PlannedItem& item : after_dispute.plan.items) {
    for (int64_t id : item.invoice_ids) EXPECT_NE(id, disputed_id);
  }
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'dispute'"), 1);

  ASSERT_TRUE(AddPromise(db_->database(), 1, customer.external_id, *Date::ParseIso("2026-11-30"), "1000.00", std::nullopt,
                         "test", "", Audit()));
  RunReport after_promise = Run(/*dry_run=*/true);
  for (const PlannedItem& item : after_promise.plan.items) {
    const bool same_customer = after_promise.portfolio.customers[item.customer].external_id == customer.external_id;
    EXPECT_FALSE(same_customer && item.stage.starts_with("overdue")) << item.stage;
  }
}

TEST_P(CollectionTest, NinetyDaySimulationKeepsEveryRule) {
  LoadDemo(120);
  // Dispute one overdue invoice of the first overdue customer.
  RunReport plan = Run(/*dry_run=*/true);
  int64_t disputed_id = 0;
  for (const PlannedItem& item : plan.plan.items) {
    if (item.stage.starts_with("overdue") && !item.invoice_ids.empty()) {
      disputed_id = item.invoice_ids[0];
      break;
    }
  }
  ASSERT_NE(disputed_id, 0);
  auto external = db_->database().Prepare("SELECT external_id FROM invoices WHERE id = ?");
  (*external)->BindInt64(1, disputed_id);
  ASSERT_TRUE(*(*external)->Step());
  ASSERT_TRUE(OpenDispute(db_->database(), 1, std::string((*external)->GetText(0)), "reclamo", Audit()));
  external->reset();

  auto simulated = Simulate(db_->database(), SimulationOptions{1, *Date::ParseIso("2026-11-20"), 90, false});
  ASSERT_TRUE(simulated) << simulated.error().message;
  ASSERT_GT(simulated->contacts.size(), 50u);

  std::set<std::string> keys;
  std::map<std::string, std::vector<compliance::PastContact>> history;
  std::map<std::string, const CustomerState*> customers;
  for (const CustomerState& customer : simulated->portfolio.customers) customers[customer.external_id] = &customer;
  std::vector<const SimulatedContact*> by_time;
  for (const SimulatedContact& contact : simulated->contacts) by_time.push_back(&contact);
  std::stable_sort(by_time.begin(), by_time.end(), [](auto* a, auto* b) { return a->at < b->at; });
  for (const SimulatedContact* contact : by_time) {
    EXPECT_TRUE(keys.insert(contact->idempotency_key).second) << "duplicate " << contact->idempotency_key;
    for (int64_t id : contact->invoice_ids) EXPECT_NE(id, disputed_id) << "a disputed invoice was mentioned";
    const CustomerState& customer = *customers.at(contact->customer_external_id);
    // Re-check with the law: in the window, under every cap, given what came before.
    compliance::ContactRequest request;
    request.channel = static_cast<compliance::Channel>(contact->channel);
    request.at = contact->at;
    request.time_zone = customer.time_zone;
    request.country = customer.country;
    request.authorised_channels = customer.access.authorised_by_debtor;
    const auto& rulebook = compliance::RulebookFor(customer.country, customer.consumer ? compliance::DebtorKind::kConsumer
                                                                                        : compliance::DebtorKind::kBusiness);
    auto& past = history[contact->customer_external_id];
    const compliance::ContactDecision decision = compliance::CheckContact(rulebook, request, past);
    EXPECT_TRUE(decision.allowed()) << contact->customer_external_id << " " << FormatUtc(contact->at) << " "
                                    << decision.reason_en;
    past.push_back({request.channel, contact->at, compliance::ContactKind::kDelivered});
  }
  // Every customer with overdue, undisputed debt and a usable channel heard from us.
  std::set<std::string> contacted;
  for (const SimulatedContact& contact : simulated->contacts) contacted.insert(contact.customer_external_id);
  for (const CustomerState& customer : simulated->portfolio.customers) {
    bool overdue = false;
    for (const CurrencyBook& book : customer.books) {
      for (const OpenInvoice& invoice : book.invoices) {
        overdue |= !invoice.disputed && invoice.due_date < *Date::ParseIso("2026-11-20");
      }
    }
    const bool reachable = customer.access.allowed[static_cast<size_t>(Channel::kLetter) - 1] ||
                           !customer.access.authorised_by_debtor.empty() || !customer.consumer;
    if (overdue && reachable) {
      EXPECT_TRUE(contacted.count(customer.external_id)) << customer.external_id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CollectionTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera

namespace cartera {
namespace {

// A large portfolio is planned in two halves on two threads: the plan must
// be the one a single thread makes, item for item and in the same order.
TEST_P(CollectionTest, TwoThreadsPlanWhatOneThreadPlans) {
  LoadDemo(150);
  auto plan_with = [&](int threads) {
    auto portfolio = LoadPortfolio(db_->database(), 1, kNow);
    EXPECT_TRUE(portfolio);
    PlanOptions options;
    options.now = kNow;
    options.threads = threads;
    return portfolio ? PlanDay(*portfolio, options) : DayPlan{};
  };
  const DayPlan one = plan_with(1), two = plan_with(2);
  ASSERT_GT(one.items.size(), 20u);
  ASSERT_EQ(one.items.size(), two.items.size());
  for (size_t i = 0; i < one.items.size(); ++i) {
    EXPECT_EQ(one.items[i].idempotency_key, two.items[i].idempotency_key);
    EXPECT_EQ(one.items[i].scheduled_at, two.items[i].scheduled_at);
    EXPECT_EQ(one.items[i].invoice_ids, two.items[i].invoice_ids);
  }
  ASSERT_EQ(one.log.size(), two.log.size());
  for (size_t i = 0; i < one.log.size(); ++i) {
    EXPECT_EQ(one.log[i].customer, two.log[i].customer);
    EXPECT_EQ(one.log[i].detail, two.log[i].detail);
  }
}

}  // namespace
}  // namespace cartera

namespace cartera {
namespace {

// `explain` plans one customer alone: the same segments (the size segment
// still ranked among every debtor), the same items and log as a whole run.
TEST_P(CollectionTest, OneCustomerIsPlannedAsInTheWholePortfolio) {
  LoadDemo(150);
  RunReport whole = Run(/*dry_run=*/true);
  ASSERT_GT(whole.portfolio.customers.size(), 30u);
  std::set<char> sizes;
  for (size_t index = 0; index < whole.portfolio.customers.size(); index += 3) {
    const CustomerState& expected = whole.portfolio.customers[index];
    RunOptions options{1, std::nullopt, kNow, true, Audit(), expected.external_id, std::nullopt};
    auto alone = RunCollection(db_->database(), options);
    ASSERT_TRUE(alone) << alone.error().message;
    ASSERT_EQ(alone->portfolio.customers.size(), 1u);
    const CustomerState& got = alone->portfolio.customers.front();
    EXPECT_EQ(got.segment.reason, expected.segment.reason) << expected.external_id;
    EXPECT_EQ(got.size_segment, expected.size_segment) << expected.external_id;
    sizes.insert(got.size_segment[0]);
    std::vector<std::string> keys, expected_keys;
    for (const PlannedItem& item : alone->plan.items) keys.push_back(item.idempotency_key);
    for (const PlannedItem& item : whole.plan.items) {
      if (item.customer == index) expected_keys.push_back(item.idempotency_key);
    }
    EXPECT_EQ(keys, expected_keys) << expected.external_id;
    std::vector<std::string> log, expected_log;
    for (const LogItem& item : alone->plan.log) log.push_back(item.code + ": " + item.detail);
    for (const LogItem& item : whole.plan.log) {
      if (item.customer == index) expected_log.push_back(item.code + ": " + item.detail);
    }
    EXPECT_EQ(log, expected_log) << expected.external_id;
  }
  EXPECT_EQ(sizes.size(), 3u) << "customers of every size segment were compared";
  RunOptions unknown{1, std::nullopt, kNow, true, Audit(), std::string("NOPE"), std::nullopt};
  auto none = RunCollection(db_->database(), unknown);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->portfolio.customers.empty());
  RunOptions real{1, std::nullopt, kNow, false, Audit(), std::string("NOPE"), std::nullopt};
  EXPECT_FALSE(RunCollection(db_->database(), real)) << "a run for one customer must be a dry run";
}

}  // namespace
}  // namespace cartera
