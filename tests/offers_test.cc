// Offers within approval limits (offers/offers.h, offers/offer_run.h) on
// SQLite and PostgreSQL: made within or above the maker's limit, approved
// only by someone else whose limit covers them, fulfilled by the run with
// credit notes of their kind so the invoices end exactly paid, expired
// when unpaid, and never fulfilled twice.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "collection/run.h"
#include "importer/import.h"
#include "offers/offer_run.h"
#include "offers/offers.h"
#include "test_database.h"

namespace cartera {
namespace {

using access::Role;
using offers::OfferActor;
using testing::Backend;
using testing::TestDatabase;

constexpr const char* kCustomers =
    "external_id,name,tax_id,country,email,phone,sector\n"
    "C1,Ferretería Ñandú S.A.S.,900123456-8,CO,pagos@nandu.com.co,+57 300 123 4567,retail\n"
    "C2,Acme Inc,12-3456789,US,ap@acme.com,,manufacturing\n";
// C1 owes COP 1,500,000.00 on two invoices; C2 owes in USD.
constexpr const char* kInvoices =
    "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
    "I1,C1,FV-1,2025-01-01,2025-01-31,COP,1000000.00\n"
    "I2,C1,FV-2,2025-02-01,2025-02-28,COP,500000.00\n"
    "I3,C2,INV-3,2025-01-15,2025-02-14,USD,1200.00\n";

const OfferActor kCollector{"user:cobra@example.com", Role::kCollector};
const OfferActor kOtherCollector{"user:otra@example.com", Role::kCollector};
const OfferActor kManager{"user:jefe@example.com", Role::kManager};
const OfferActor kAdmin{"user:admin@example.com", Role::kAdmin};

class OffersTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    Import(ImportKind::kCustomers, "customers.csv", kCustomers);
    Import(ImportKind::kInvoices, "invoices.csv", kInvoices);
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

  void Pay(const std::string& id, const std::string& date, const std::string& amount) {
    Import(ImportKind::kPayments, id + ".csv",
           fmt::format("external_id,customer_external_id,date,currency,amount,method\n{},C1,{},COP,{},transfer\n", id,
                       date, amount));
  }

  AuditContext AuditOf(const OfferActor& actor, std::string at = "2025-03-10T15:00:00Z") {
    return AuditContext{actor.actor, std::move(at), "test", Language::kEnglish};
  }

  offers::OfferRequest Request(std::string type, std::optional<std::string> percent,
                               std::optional<std::string> amount = std::nullopt) {
    offers::OfferRequest request;
    request.customer_external_id = "C1";
    request.type = std::move(type);
    request.percent = std::move(percent);
    request.amount = std::move(amount);
    request.expires_on = *Date::ParseIso("2025-03-31");
    return request;
  }

  int64_t Create(const offers::OfferRequest& request, const OfferActor& actor) {
    std::string field;
    auto id = offers::CreateOffer(db_->database(), 1, request, actor, AuditOf(actor), &field);
    EXPECT_TRUE(id) << field << ": " << id.error().message;
    return id ? *id : 0;
  }

  offers::Offer Load(int64_t id) {
    auto offer = offers::LoadOffer(db_->database(), 1, id, Language::kEnglish);
    EXPECT_TRUE(offer) << offer.error().message;
    return offer ? *offer : offers::Offer{};
  }

  offers::SettleReport Settle(const std::string& date) {
    auto report = offers::SettleOffers(db_->database(), 1, *Date::ParseIso(date), Timestamp{},
                                       AuditOf({"system:run", Role::kAdmin}, date + "T13:00:00Z"));
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : offers::SettleReport{};
  }

  int64_t Open(const std::string& invoice) {
    return db_->Count("SELECT open_minor FROM invoices WHERE external_id = '" + invoice + "'");
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(OffersTest, WithinTheMakersLimitItIsApprovedAtOnceWithExactAmounts) {
  const int64_t id = Create(Request("early_payment_discount", "5"), kCollector);
  const offers::Offer offer = Load(id);
  EXPECT_EQ(offer.status, "approved");
  EXPECT_EQ(offer.balance_minor, 150000000);
  EXPECT_EQ(offer.forgiven_minor, 7500000);
  EXPECT_EQ(offer.due_minor, 142500000);
  ASSERT_EQ(offer.invoices.size(), 2u);
  EXPECT_EQ(offer.invoices[0].forgiven_minor + offer.invoices[1].forgiven_minor, 7500000);
  EXPECT_EQ(offer.decided_by.value_or(""), kCollector.actor);
  // Who granted what: the maker, with their role and limit.
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'offer' AND action = 'create' AND actor = "
                       "'user:cobra@example.com' AND after_json LIKE '%\"granted_by\":\"user:cobra@example.com\"%' "
                       "AND after_json LIKE '%\"role\":\"collector\"%'"),
            1);
}

TEST_P(OffersTest, AboveTheLimitItWaitsAndOnlySomeoneElseWithAuthorityDecides) {
  const int64_t id = Create(Request("early_payment_discount", "10"), kCollector);
  EXPECT_EQ(Load(id).status, "pending_approval");
  // A collector has no authority; the maker may not approve their own.
  EXPECT_FALSE(offers::ApproveOffer(db_->database(), 1, id, kOtherCollector, "", AuditOf(kOtherCollector)));
  // I1 and I2 are already in offer `id`: a second live offer would forgive twice.
  std::string field;
  auto twice = offers::CreateOffer(db_->database(), 1, Request("settlement", "25"), kManager, AuditOf(kManager), &field);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto manager_own = offers::RejectOffer(db_->database(), 1, id, kManager, "", AuditOf(kManager));
  EXPECT_FALSE(manager_own);  // a rejection needs a note
  auto approved = offers::ApproveOffer(db_->database(), 1, id, kManager, "ok, buen cliente", AuditOf(kManager));
  ASSERT_TRUE(approved) << approved.error().message;
  const offers::Offer offer = Load(id);
  EXPECT_EQ(offer.status, "approved");
  EXPECT_EQ(offer.decided_by.value_or(""), kManager.actor);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'offer' AND action = 'update' AND actor = "
                       "'user:jefe@example.com' AND after_json LIKE '%\"status\":\"approved\"%'"),
            1);
  // Once decided, it is no longer in the queue.
  EXPECT_FALSE(offers::ApproveOffer(db_->database(), 1, id, kAdmin, "", AuditOf(kAdmin)));
}

TEST_P(OffersTest, AManagersOwnOfferAboveTheirLimitNeedsAnAdmin) {
  auto request = Request("settlement", "25");
  request.invoice_external_ids = {"I2"};
  const int64_t id = Create(request, kManager);
  EXPECT_EQ(Load(id).status, "pending_approval");
  EXPECT_FALSE(offers::ApproveOffer(db_->database(), 1, id, kManager, "", AuditOf(kManager)));
  const OfferActor other_manager{"user:otro-jefe@example.com", Role::kManager};
  EXPECT_FALSE(offers::ApproveOffer(db_->database(), 1, id, other_manager, "", AuditOf(other_manager)));  // 25 % > 20 %
  ASSERT_TRUE(offers::RejectOffer(db_->database(), 1, id, kAdmin, "demasiado", AuditOf(kAdmin)));
  EXPECT_EQ(Load(id).status, "rejected");
  EXPECT_EQ(Load(id).decision_note.value_or(""), "demasiado");
}

TEST_P(OffersTest, TenantLimitsReplaceTheDefaultsAndAmountCapsApply) {
  offers::RoleLimit collector{Role::kCollector, 1200, {{"COP", 5000000}}};
  ASSERT_TRUE(offers::SetOfferLimits(db_->database(), 1, {collector}, AuditOf(kAdmin)));
  auto limits = offers::LoadOfferLimits(db_->database(), 1);
  ASSERT_TRUE(limits);
  EXPECT_EQ(offers::LimitFor(*limits, Role::kCollector, "COP").max_basis_points, 1200);
  EXPECT_EQ(offers::LimitFor(*limits, Role::kCollector, "COP").max_forgiven_minor, 5000000);
  EXPECT_EQ(offers::LimitFor(*limits, Role::kManager, "COP").max_basis_points, 2000);  // unchanged default
  // 10 % of I2 (50,000.00) is within 12 % and the COP 50,000.00 cap.
  auto request = Request("early_payment_discount", "10");
  request.invoice_external_ids = {"I2"};
  EXPECT_EQ(Load(Create(request, kCollector)).status, "approved");
  // 5 % of I1 is COP 50,000.00: at the cap. 5.01 % is above it.
  request.invoice_external_ids = {"I1"};
  request.percent = "5.01";
  EXPECT_EQ(Load(Create(request, kCollector)).status, "pending_approval");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'offer_limits'"), 1);
  // Admin has no limit to set; a viewer makes no offers.
  EXPECT_FALSE(offers::SetOfferLimits(db_->database(), 1, {offers::RoleLimit{Role::kAdmin, 100, {}}}, AuditOf(kAdmin)));
  EXPECT_FALSE(offers::SetOfferLimits(db_->database(), 1, {offers::RoleLimit{Role::kCollector, 10001, {}}},
                                      AuditOf(kAdmin)));
}

TEST_P(OffersTest, BadRequestsNameTheirField) {
  struct Case {
    offers::OfferRequest request;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({Request("discount", "5"), "type"});
  cases.push_back({Request("early_payment_discount", "5.123"), "percent"});
  cases.push_back({Request("early_payment_discount", "100"), "percent"});
  cases.push_back({Request("waiver", std::nullopt, "1500000.00"), "amount"});
  cases.push_back({Request("waiver", "5", "10.00"), "amount"});
  auto past = Request("early_payment_discount", "5");
  past.expires_on = *Date::ParseIso("2025-03-09");
  cases.push_back({past, "expires_on"});
  auto unknown = Request("early_payment_discount", "5");
  unknown.invoice_external_ids = {"I1", "NOPE"};
  cases.push_back({unknown, "invoices/1"});
  auto other = Request("early_payment_discount", "5");
  other.invoice_external_ids = {"I3"};  // C2's
  cases.push_back({other, "invoices/0"});
  for (const Case& one : cases) {
    std::string field;
    auto id = offers::CreateOffer(db_->database(), 1, one.request, kAdmin, AuditOf(kAdmin), &field);
    EXPECT_FALSE(id) << one.field;
    EXPECT_EQ(field, one.field) << (id ? "" : id.error().message);
  }
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM offers"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM offer_invoices"), 0);
}

TEST_P(OffersTest, PaidInFullByTheDateTheDiscountIsCreditedAndTheInvoicesEndPaid) {
  // A payment before the offer does not count toward it.
  Pay("P0", "2025-03-05", "100000.00");
  const int64_t id = Create(Request("early_payment_discount", "5"), kCollector);
  const offers::Offer made = Load(id);
  EXPECT_EQ(made.balance_minor, 140000000);
  EXPECT_EQ(made.forgiven_minor, 7000000);
  ASSERT_TRUE(offers::AcceptOffer(db_->database(), 1, id, "phone", AuditOf(kCollector)));
  // Paid the day after the offer; a run on the day before the payment sees nothing.
  Pay("P1", "2025-03-15", "1330000.00");
  EXPECT_EQ(Settle("2025-03-14").fulfilled, 0);
  EXPECT_EQ(Load(id).status, "accepted");
  const offers::SettleReport report = Settle("2025-03-16");
  EXPECT_EQ(report.fulfilled, 1);
  const offers::Offer offer = Load(id);
  EXPECT_EQ(offer.status, "fulfilled");
  EXPECT_EQ(offer.forgiven_posted_minor.value_or(-1), 7000000);
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(Open("I2"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes WHERE external_id LIKE 'CN-offer:%' AND attributes LIKE "
                       "'%\"kind\":\"discount\"%'"),
            report.credit_notes);
  EXPECT_EQ(db_->Count("SELECT SUM(amount_minor) FROM credit_notes WHERE external_id LIKE 'CN-offer:%'"), 7000000);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'offer' AND after_json LIKE "
                       "'%\"status\":\"fulfilled\"%'"),
            1);
  // Idempotent: the next runs add nothing.
  EXPECT_EQ(Settle("2025-03-16").fulfilled, 0);
  EXPECT_EQ(Settle("2025-03-17").fulfilled, 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), report.credit_notes);
}

TEST_P(OffersTest, ASettlementPaidOnOneInvoiceFirstStillEndsExactlyPaid) {
  // Pay 70 %, forgive 30 %: 1,050,000.00 due, 450,000.00 forgiven.
  const int64_t id = Create(Request("settlement", "30"), kAdmin);
  EXPECT_EQ(Load(id).due_minor, 105000000);
  Pay("P1", "2025-03-20", "1050000.00");  // I1 whole, I2 50,000.00 of 500,000.00
  EXPECT_EQ(Settle("2025-03-20").fulfilled, 1);
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(Open("I2"), 0);
  EXPECT_EQ(db_->Count("SELECT SUM(amount_minor) FROM credit_notes WHERE attributes LIKE '%\"kind\":\"settlement\"%'"),
            45000000);
}

TEST_P(OffersTest, APendingOfferExpiresToo) {
  auto request = Request("waiver", std::nullopt, "30000.00");  // 6 % of I2: above a collector's 5 %
  request.invoice_external_ids = {"I2"};
  request.expires_on = *Date::ParseIso("2025-03-20");
  const int64_t id = Create(request, kCollector);
  EXPECT_EQ(Load(id).status, "pending_approval");
  EXPECT_EQ(Load(id).percent_bp, 600);
  EXPECT_EQ(Settle("2025-03-21").expired, 1);
  EXPECT_EQ(Load(id).status, "expired");
  EXPECT_FALSE(offers::ApproveOffer(db_->database(), 1, id, kManager, "", AuditOf(kManager)));
}

TEST_P(OffersTest, AWaiverAboveTheLimitAndAPartialPaymentExpire) {
  auto request = Request("waiver", std::nullopt, "20000.00");  // 4 % of I2
  request.invoice_external_ids = {"I2"};
  request.expires_on = *Date::ParseIso("2025-03-20");
  const int64_t id = Create(request, kCollector);
  ASSERT_EQ(Load(id).status, "approved");
  EXPECT_EQ(Load(id).due_minor, 48000000);
  Pay("P1", "2025-03-12", "100000.00");  // lands on I1 (oldest): nothing on I2
  EXPECT_EQ(Settle("2025-03-20").expired, 0);  // the last day still counts
  EXPECT_EQ(Settle("2025-03-21").expired, 1);
  EXPECT_EQ(Load(id).status, "expired");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 0);
  EXPECT_EQ(Open("I2"), 50000000);
  // Expired offers free their invoices for a new offer.
  request.expires_on = *Date::ParseIso("2025-04-30");
  std::string field;
  EXPECT_TRUE(offers::CreateOffer(db_->database(), 1, request, kCollector,
                                  AuditOf(kCollector, "2025-03-22T15:00:00Z"), &field));
}

TEST_P(OffersTest, TheDailyRunFulfilsOffers) {
  const int64_t id = Create(Request("early_payment_discount", "5"), kCollector);
  Pay("P1", "2025-03-15", "1425000.00");
  RunOptions options;
  options.tenant_id = 1;
  options.as_of = *Date::ParseIso("2025-03-16");
  options.audit = AuditOf({"system:run", Role::kAdmin}, "2025-03-16T13:00:00Z");
  auto run = RunCollection(db_->database(), options);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(Load(id).status, "fulfilled");
  EXPECT_EQ(Open("I1") + Open("I2"), 0);
}

TEST_P(OffersTest, TheDebtorSeesOnlyApprovedOffersOfTheirOwn) {
  const int64_t pending = Create(Request("early_payment_discount", "10"), kCollector);
  const Date today = *Date::ParseIso("2025-03-10");
  const int64_t c1 = db_->Count("SELECT id FROM customers WHERE external_id = 'C1'");
  const int64_t c2 = db_->Count("SELECT id FROM customers WHERE external_id = 'C2'");
  auto seen = offers::ListDebtorOffers(db_->database(), 1, c1, today);
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->empty());
  ASSERT_TRUE(offers::ApproveOffer(db_->database(), 1, pending, kManager, "", AuditOf(kManager)));
  seen = offers::ListDebtorOffers(db_->database(), 1, c1, today);
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->size(), 1u);
  // Another customer's link cannot accept it.
  EXPECT_FALSE(offers::AcceptDebtorOffer(db_->database(), 1, c2, pending, AuditOf({"portal", Role::kViewer})));
  ASSERT_TRUE(offers::AcceptDebtorOffer(db_->database(), 1, c1, pending, AuditOf({"portal", Role::kViewer})));
  EXPECT_EQ(Load(pending).accepted_channel.value_or(""), "portal");
  // Past its date the debtor no longer sees it.
  seen = offers::ListDebtorOffers(db_->database(), 1, c1, *Date::ParseIso("2025-04-01"));
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OffersTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
