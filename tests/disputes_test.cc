// Disputes with reasons, owners and deadlines (issue 17), on SQLite and
// PostgreSQL: the catalogue sets owner and deadline, an accepted dispute
// posts its credit note in the same transaction (the balance drops by
// exactly that), a rejected one queues the dispute_rejected message through
// the outbox and the same send check every message passes, overdue ones
// reach the worklist, and the root-cause report counts them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collection/dispute_reasons.h"
#include "collection/disputes.h"
#include "collection/records.h"
#include "collection/worklist.h"
#include "core/time_zone.h"
#include "delivery/dispute_resolution.h"
#include "importer/import.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

constexpr const char* kCustomers =
    "external_id,name,tax_id,country,email,phone,sector\n"
    "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,+57 300 123 4567,retail\n"
    "C2,Acme Inc,12-3456789,US,ap@acme.com,,manufacturing\n";
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2025-01-01,2025-01-31,COP,1000000.00\n"
    "I2,C1,FV-2,2025-02-01,2025-03-03,COP,400000.00\n"
    "I3,C2,INV-3,2025-01-15,2025-02-14,USD,1200.00\n";

class DisputesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Import(ImportKind::kCustomers, "customers.csv", kCustomers);
    Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
    ASSERT_TRUE(db_->database().Execute(
        "INSERT INTO users (tenant_id, email, role, password_hash, created_at) VALUES "
        "(1, 'laura@example.com', 'collector', 'x', '2025-01-01T00:00:00Z'), "
        "(1, 'ana@example.com', 'manager', 'x', '2025-01-01T00:00:00Z')"));
  }

  void Import(ImportKind kind, const std::string& name, const std::string& content) {
    ImportOptions options;
    options.kind = kind;
    options.path = db_->WriteFile(name, content);
    options.tenant_id = 1;
    options.audit = {"test", "2025-03-10T12:00:00Z", name};
    auto report = RunImport(db_->database(), options);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->ok());
  }

  // A manager acting at `at` (UTC).
  AuditContext At(const std::string& at) const { return {"user:ana@example.com", at, "test", Language::kEnglish}; }

  int64_t Open(const std::string& invoice, const std::string& code, const std::string& at = kOpenedAt) {
    auto id = OpenDisputeFromCatalogue(db_->database(), 1, {invoice, code, "the customer says so"}, At(at));
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  Result<delivery::DisputeResolved> Resolve(int64_t id, const std::string& outcome, std::optional<std::string> amount,
                                            const std::string& resolution, const std::string& at) {
    delivery::DisputeDecision decision{outcome, std::move(amount), resolution};
    return delivery::ResolveDisputeWithOutcome(db_->database(), 1, id, decision, *ParseUtc(at), At(at));
  }

  DisputeView View(int64_t id, const std::string& as_of = "2025-03-12") {
    auto view = LoadDisputeView(db_->database(), 1, id, *Date::ParseIso(as_of), Language::kEnglish);
    EXPECT_TRUE(view) << view.error().message;
    return view ? *view : DisputeView{};
  }

  static constexpr const char* kOpenedAt = "2025-03-12T15:00:00Z";  // 10:00 in Bogotá: 2025-03-12
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(DisputesTest, TheCatalogueGivesOwnerAndDeadline) {
  // Defaults: wrong_amount 15 days, no owner; the customer's collector owns it.
  ASSERT_TRUE(db_->database().Execute("UPDATE customers SET collector = 'laura@example.com' WHERE external_id = 'C1'"));
  const int64_t first = Open("I1", "wrong_amount");
  DisputeView view = View(first);
  EXPECT_EQ(view.reason_code, "wrong_amount");
  EXPECT_EQ(view.text, "the customer says so");
  ASSERT_TRUE(view.deadline);
  EXPECT_EQ(view.deadline->ToIso(), "2025-03-27");
  EXPECT_EQ(view.owner, "laura@example.com");
  EXPECT_EQ(view.held_minor, 100000000);
  EXPECT_EQ(view.currency, "COP");

  // A manager changes the reason: 7 days, owned by Ana. Audited.
  auto set = SetDisputeReason(db_->database(), 1, "defective", {7, std::string("ANA@example.com")}, At(kOpenedAt));
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->owner, "ana@example.com");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'dispute_reason' AND after_json LIKE "
                       "'%\"deadline_days\":7%'"),
            1);
  const int64_t second = Open("I3", "defective");
  view = View(second);
  EXPECT_EQ(view.deadline->ToIso(), "2025-03-19");
  EXPECT_EQ(view.owner, "ana@example.com");

  // Refusals name the field; nothing is written.
  auto unknown_owner = SetDisputeReason(db_->database(), 1, "other", {std::nullopt, std::string("nobody@x.com")},
                                        At(kOpenedAt));
  ASSERT_FALSE(unknown_owner);
  EXPECT_TRUE(unknown_owner.error().message.starts_with("owner:")) << unknown_owner.error().message;
  auto bad_days = SetDisputeReason(db_->database(), 1, "other", {0, std::nullopt}, At(kOpenedAt));
  ASSERT_FALSE(bad_days);
  EXPECT_TRUE(bad_days.error().message.starts_with("deadline_days:"));
  auto bad_code = OpenDisputeFromCatalogue(db_->database(), 1, {"I2", "bad_mood", ""}, At(kOpenedAt));
  ASSERT_FALSE(bad_code);
  EXPECT_EQ(bad_code.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(bad_code.error().message.starts_with("reason_code:")) << bad_code.error().message;
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM disputes"), 2);

  // A reason typed as text (a call outcome, the portal) finds its code.
  EXPECT_EQ(SplitDisputeReason("already_paid: transfer 12").first, "already_paid");
  EXPECT_EQ(SplitDisputeReason("already_paid: transfer 12").second, "transfer 12");
  EXPECT_EQ(SplitDisputeReason("no recibió la mercancía").first, "other");
}

TEST_P(DisputesTest, AcceptedPostsAPartialCreditNoteInTheSameChange) {
  const int64_t id = Open("I1", "wrong_amount");
  // More than the invoice owes: refused whole, still open.
  auto too_much = Resolve(id, "accepted", "1000000.01", "", "2025-03-14T15:00:00Z");
  ASSERT_FALSE(too_much);
  EXPECT_TRUE(too_much.error().message.starts_with("credit_amount:")) << too_much.error().message;
  EXPECT_EQ(View(id).status, "open");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 0);

  auto resolved = Resolve(id, "accepted", "250000.50", "price list was wrong", "2025-03-14T15:00:00Z");
  ASSERT_TRUE(resolved) << resolved.error().message;
  ASSERT_TRUE(resolved->credit_note_id);
  EXPECT_FALSE(resolved->notice_id);
  // The balance drops by exactly the credit.
  EXPECT_EQ(db_->Count("SELECT open_minor FROM invoices WHERE external_id = 'I1'"), 100000000 - 25000050);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes WHERE external_id = 'CN-dispute:" + std::to_string(id) +
                       "' AND amount_minor = 25000050 AND unapplied_minor = 0"),
            1);
  const DisputeView view = View(id);
  EXPECT_EQ(view.status, "resolved");
  EXPECT_EQ(view.outcome, "accepted");
  EXPECT_EQ(view.credit_minor, 25000050);
  EXPECT_EQ(view.credit_note_id, resolved->credit_note_id);
  EXPECT_EQ(view.resolved_by, "user:ana@example.com");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'dispute' AND action = 'update' AND "
                       "after_json LIKE '%\"outcome\":\"accepted\"%'"),
            1);
  // Not twice.
  auto again = Resolve(id, "accepted", std::nullopt, "", "2025-03-15T15:00:00Z");
  ASSERT_FALSE(again);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 1);

  // Without an amount the whole open amount is credited.
  const int64_t whole = Open("I2", "not_ordered");
  auto all = Resolve(whole, "accepted", std::nullopt, "", "2025-03-16T15:00:00Z");
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(db_->Count("SELECT open_minor FROM invoices WHERE external_id = 'I2'"), 0);
}

TEST_P(DisputesTest, RejectedQueuesTheNoticeThroughTheOutbox) {
  const int64_t id = Open("I1", "already_paid");
  auto no_reason = Resolve(id, "rejected", std::nullopt, "  ", "2025-03-14T15:00:00Z");
  ASSERT_FALSE(no_reason);
  EXPECT_TRUE(no_reason.error().message.starts_with("resolution:"));
  auto with_amount = Resolve(id, "rejected", "10.00", "no", "2025-03-14T15:00:00Z");
  ASSERT_FALSE(with_amount);
  EXPECT_TRUE(with_amount.error().message.starts_with("credit_amount:"));

  auto resolved =
      Resolve(id, "rejected", std::nullopt, "the transfer of 12 March paid invoice FV-9", "2025-03-14T15:00:00Z");
  ASSERT_TRUE(resolved) << resolved.error().message;
  ASSERT_TRUE(resolved->notice_id) << resolved->notice_refusal;
  EXPECT_EQ(resolved->notice_channel, "email");
  const std::string item = "SELECT {} FROM outbox WHERE id = " + std::to_string(*resolved->notice_id);
  EXPECT_EQ(db_->Text(fmt::format(fmt::runtime(item), "template")), "dispute_rejected");
  EXPECT_EQ(db_->Text(fmt::format(fmt::runtime(item), "status")), "queued");
  EXPECT_EQ(db_->Text(fmt::format(fmt::runtime(item), "action")), "message");
  const auto payload = nlohmann::json::parse(db_->Text(fmt::format(fmt::runtime(item), "payload")));
  EXPECT_EQ(payload["dispute_reason"], "the transfer of 12 March paid invoice FV-9");
  EXPECT_EQ(payload["dispute_id"], id);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'message' AND action = 'create'"), 1);
  const DisputeView view = View(id);
  EXPECT_EQ(view.outcome, "rejected");
  EXPECT_EQ(view.notice_id, resolved->notice_id);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 0);
  EXPECT_EQ(db_->Count("SELECT open_minor FROM invoices WHERE external_id = 'I1'"), 100000000);

  // A debtor whose e-mail consent was revoked (and who has no other usable
  // channel) is not told by a side door: rejected, nothing queued, the
  // reason said and audited.
  ASSERT_TRUE(db_->database().Execute(
      "UPDATE contact_points SET consent = 'revoked' WHERE customer_id = (SELECT id FROM customers WHERE "
      "external_id = 'C2')"));
  const int64_t other = Open("I3", "defective");
  auto silent = Resolve(other, "rejected", std::nullopt, "photos show it intact", "2025-03-14T16:00:00Z");
  ASSERT_TRUE(silent) << silent.error().message;
  EXPECT_FALSE(silent->notice_id);
  EXPECT_FALSE(silent->notice_refusal.empty());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM outbox WHERE template = 'dispute_rejected'"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'dispute' AND after_json LIKE "
                       "'%notice_refusal%'"),
            1);
}

TEST_P(DisputesTest, OverdueDisputesReachTheWorklistAndTheList) {
  const int64_t id = Open("I1", "already_paid");  // 5 days: deadline 2025-03-17
  auto on_deadline = LoadOverdueDisputes(db_->database(), 1, *Date::ParseIso("2025-03-17"), std::nullopt, false);
  ASSERT_TRUE(on_deadline);
  EXPECT_TRUE(on_deadline->empty());
  auto worklist = LoadWorklist(db_->database(), 1, std::nullopt, 10, std::nullopt, *Date::ParseIso("2025-03-18"));
  ASSERT_TRUE(worklist) << worklist.error().message;
  ASSERT_FALSE(worklist->empty());
  EXPECT_EQ(worklist->front().kind, "dispute");
  EXPECT_EQ(worklist->front().dispute_id, id);
  EXPECT_EQ(worklist->front().days_past_due, 1);
  const nlohmann::json json = WorklistTaskJson(worklist->front());
  EXPECT_EQ(json["kind"], "dispute");
  EXPECT_EQ(json["dispute"]["deadline"], "2025-03-17");
  EXPECT_EQ(json["task_id"], 0);
  EXPECT_TRUE(View(id, "2025-03-18").overdue);
  EXPECT_FALSE(View(id, "2025-03-17").overdue);
  DisputeFilter filter;
  filter.overdue = true;
  filter.as_of = *Date::ParseIso("2025-03-18");
  auto listed = ListDisputeViews(db_->database(), 1, filter, Language::kEnglish);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  // A collector filter sees only the disputes they own.
  auto other = LoadWorklist(db_->database(), 1, std::string("laura@example.com"), 10, std::nullopt,
                            *Date::ParseIso("2025-03-18"));
  ASSERT_TRUE(other);
  EXPECT_TRUE(std::none_of(other->begin(), other->end(), [](const WorklistTask& t) { return t.kind == "dispute"; }));
  // Resolved, it leaves the worklist.
  ASSERT_TRUE(Resolve(id, "rejected", std::nullopt, "paid another invoice", "2025-03-18T15:00:00Z"));
  auto after = LoadOverdueDisputes(db_->database(), 1, *Date::ParseIso("2025-03-20"), std::nullopt, false);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
}

TEST_P(DisputesTest, TheRootCauseReportCountsTimesAndAmounts) {
  const int64_t a = Open("I1", "wrong_amount", "2025-03-02T15:00:00Z");
  const int64_t b = Open("I2", "wrong_amount", "2025-03-02T15:00:00Z");
  const int64_t c = Open("I3", "defective", "2025-04-01T15:00:00Z");
  ASSERT_TRUE(Resolve(a, "accepted", "100.00", "", "2025-03-05T15:00:00Z"));    // 3 days
  ASSERT_TRUE(Resolve(b, "rejected", std::nullopt, "right price", "2025-03-08T15:00:00Z"));  // 6 days
  (void)c;
  auto report = BuildDisputeReport(db_->database(), 1, {}, *Date::ParseIso("2025-04-30"), Language::kEnglish);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->rows.size(), 6u);  // every reason of the catalogue
  const DisputeReportRow& wrong = report->rows.front();
  EXPECT_EQ(wrong.key, "wrong_amount");
  EXPECT_EQ(wrong.opened, 2);
  EXPECT_EQ(wrong.accepted, 1);
  EXPECT_EQ(wrong.rejected, 1);
  EXPECT_EQ(wrong.median_days_to_resolve, 4.5);
  EXPECT_EQ(wrong.average_days_to_resolve, 4.5);
  EXPECT_EQ(wrong.held_minor.at("COP"), 140000000);
  EXPECT_EQ(wrong.credited_minor.at("COP"), 10000);
  EXPECT_EQ(report->total.opened, 3);
  EXPECT_EQ(report->total.open, 1);
  EXPECT_EQ(report->total.overdue, 1);  // defective: 20 days from 2025-04-01
  EXPECT_EQ(report->total.held_minor.at("USD"), 120000);

  auto by_month = BuildDisputeReport(db_->database(), 1, {std::nullopt, std::nullopt, "month"},
                                     *Date::ParseIso("2025-04-30"), Language::kEnglish);
  ASSERT_TRUE(by_month);
  ASSERT_EQ(by_month->rows.size(), 2u);
  EXPECT_EQ(by_month->rows[0].key, "2025-03");
  EXPECT_EQ(by_month->rows[1].key, "2025-04");
  auto march = BuildDisputeReport(db_->database(), 1, {*Date::ParseIso("2025-03-01"), *Date::ParseIso("2025-03-31"),
                                                       "customer"},
                                  *Date::ParseIso("2025-04-30"), Language::kEnglish);
  ASSERT_TRUE(march);
  ASSERT_EQ(march->rows.size(), 1u);
  EXPECT_EQ(march->rows[0].key, "C1");
  const nlohmann::json json = DisputeReportJson(*march);
  EXPECT_EQ(json["rows"][0]["held_back"][0]["amount"], "1400000.00");
  auto bad = BuildDisputeReport(db_->database(), 1, {std::nullopt, std::nullopt, "weekday"},
                                *Date::ParseIso("2025-04-30"), Language::kEnglish);
  EXPECT_FALSE(bad);
}

TEST_P(DisputesTest, AnotherTenantSeesNothing) {
  ASSERT_TRUE(db_->database().Execute(
      "INSERT INTO tenants (slug, name, country, time_zone, created_at) VALUES ('other', 'Other', 'CO', "
      "'America/Bogota', '2025-01-01T00:00:00Z')"));
  const int64_t tenant = db_->Count("SELECT id FROM tenants WHERE slug = 'other'");
  const int64_t id = Open("I1", "other");
  auto view = LoadDisputeView(db_->database(), tenant, id, *Date::ParseIso("2025-03-12"), Language::kEnglish);
  ASSERT_FALSE(view);
  EXPECT_EQ(view.error().code, ErrorCode::kNotFound);
  delivery::DisputeDecision decision{"accepted", std::nullopt, ""};
  auto resolved = delivery::ResolveDisputeWithOutcome(db_->database(), tenant, id, decision,
                                                      *ParseUtc("2025-03-13T15:00:00Z"), At("2025-03-13T15:00:00Z"));
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 0);
  auto opened = OpenDisputeFromCatalogue(db_->database(), tenant, {"I2", "other", ""}, At(kOpenedAt));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kNotFound);
  auto reasons = LoadDisputeReasons(db_->database(), tenant);
  ASSERT_TRUE(reasons);
  EXPECT_EQ(reasons->size(), 6u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DisputesTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
