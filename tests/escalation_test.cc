// Escalation over a real database, on SQLite and PostgreSQL: invoices handed
// to an agency or a court are not dunned by the run, an agency's recovery is
// a payment with an exact commission, recall gives the invoices back, legal
// stages move only as allowed, and an approved write-off posts credit notes
// that bring the balance to zero.
#include "escalation/escalation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "collection/held_invoices.h"
#include "collection/run.h"
#include "core/time_zone.h"
#include "demo/demo_portfolio.h"
#include "escalation/bureau.h"
#include "escalation/case_file.h"
#include "escalation/legal.h"
#include "escalation/write_off.h"
#include "importer/import.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;
using namespace escalation;

const Timestamp kNow = *ParseUtc("2026-11-20T15:00:00Z");

// A Status that must be ok, with its message when it is not.
#define ASSERT_OK(status)                            \
  do {                                               \
    auto status_ = (status);                         \
    ASSERT_TRUE(status_) << status_.error().message; \
  } while (false)

class EscalationTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }

  AuditContext Audit(std::string actor = "test:manager") const {
    return {std::move(actor), FormatUtc(kNow), "escalation_test"};
  }

  void Import(ImportKind kind, const std::string& csv) {
    ImportOptions options;
    options.kind = kind;
    options.path = "test.csv";
    options.content = csv;
    options.audit = Audit("import");
    auto report = RunImport(db_->database(), options);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->ok()) << (report->errors.empty() ? "" : report->errors.front());
  }

  // Customer C1 owes two USD invoices (1,000.00 due 2026-09-01 and 333.33
  // due 2026-10-01); C2 owes one.
  void LoadSmallLedger() {
    Import(ImportKind::kCustomers,
           "external_id,name,tax_id,country,email\n"
           "C1,Ferretería Uno,900100200,CO,uno@example.com\n"
           "C2,Almacén Dos,900100300,CO,dos@example.com\n");
    Import(ImportKind::kInvoices,
           "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
           "I1,C1,F-1,2026-08-01,2026-09-01,USD,1000.00\n"
           "I2,C1,F-2,2026-09-01,2026-10-01,USD,333.33\n"
           "I3,C2,F-3,2026-09-01,2026-10-01,USD,50.00\n");
  }

  int64_t Open(const std::string& invoice) {
    return db_->Count(fmt::format("SELECT open_minor FROM invoices WHERE external_id = '{}'", invoice) +
                      " AND tenant_id = 1");
  }

  std::set<int64_t> HeldIds(int64_t tenant_id = 1) {
    std::set<int64_t> ids;
    auto query = db_->database().Prepare(HeldInvoicesSql(""));
    EXPECT_TRUE(query);
    (*query)->BindInt64(1, tenant_id);
    while (true) {
      auto row = (*query)->Step();
      EXPECT_TRUE(row);
      if (!row || !*row) break;
      ids.insert((*query)->GetInt64(0));
    }
    return ids;
  }

  int64_t InvoiceId(const std::string& external_id) {
    return db_->Count(fmt::format("SELECT id FROM invoices WHERE tenant_id = 1 AND external_id = '{}'", external_id));
  }

  int64_t AddTestAgency(const std::string& commission = "15") {
    auto basis_points = ParseCommissionPercent(commission, "commission", Language::kEnglish);
    EXPECT_TRUE(basis_points);
    auto agency =
        AddAgency(db_->database(), 1, "Cobranzas Andinas", "contacto@cobranzas.example", *basis_points, Audit());
    EXPECT_TRUE(agency) << agency.error().message;
    return agency ? agency->id : 0;
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(EscalationTest, AgencyCaseHoldsInvoicesFromTheRunUntilRecalled) {
  DemoOptions demo;
  demo.customers = 80;
  demo.seed = 11;
  demo.as_of = *Date::ParseIso("2026-11-20");
  demo.directory = db_->WriteFile("marker", "") + ".demo";
  auto files = WriteDemoPortfolio(demo);
  ASSERT_TRUE(files) << files.error().message;
  for (auto [kind, path] :
       {std::pair{ImportKind::kCustomers, files->customers}, std::pair{ImportKind::kInvoices, files->invoices},
        std::pair{ImportKind::kCreditNotes, files->credit_notes}, std::pair{ImportKind::kPayments, files->payments}}) {
    ImportOptions options;
    options.kind = kind;
    options.path = path;
    options.audit = Audit("import");
    auto report = RunImport(db_->database(), options);
    ASSERT_TRUE(report && report->ok()) << path;
  }
  auto run = [&]() {
    auto report =
        RunCollection(db_->database(), RunOptions{1, std::nullopt, kNow, true, Audit(), std::nullopt, std::nullopt});
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? std::move(*report) : RunReport{};
  };
  RunReport before = run();
  const PlannedItem* message = nullptr;
  for (const PlannedItem& item : before.plan.items) {
    if (item.action == ActionType::kMessage && item.stage.starts_with("overdue")) message = &item;
  }
  ASSERT_NE(message, nullptr);
  const std::string customer = before.portfolio.customers[message->customer].external_id;
  const std::set<int64_t> mentioned(message->invoice_ids.begin(), message->invoice_ids.end());

  const int64_t agency = AddTestAgency();
  auto case_id = Escalate(db_->database(), 1, {customer, "agency", agency, {}, "no responde"}, Audit());
  ASSERT_TRUE(case_id) << case_id.error().message;
  auto held = CaseInvoiceIds(db_->database(), 1, *case_id);
  ASSERT_TRUE(held);
  for (int64_t id : mentioned) {
    EXPECT_NE(std::find(held->begin(), held->end(), id), held->end()) << "every open invoice is handed over";
  }
  RunReport during = run();
  for (const PlannedItem& item : during.plan.items) {
    for (int64_t id : item.invoice_ids) EXPECT_FALSE(mentioned.contains(id)) << "a held invoice was dunned";
  }

  ASSERT_OK(RecallCase(db_->database(), 1, *case_id, Audit()));
  EXPECT_TRUE(HeldIds().empty());
  RunReport after = run();
  bool mentioned_again = false;
  for (const PlannedItem& item : after.plan.items) {
    for (int64_t id : item.invoice_ids) mentioned_again |= mentioned.contains(id);
  }
  EXPECT_TRUE(mentioned_again) << "after the recall the invoices are collected again";
}

TEST_P(EscalationTest, RecoveryIsAPaymentWithAnExactCommission) {
  LoadSmallLedger();
  const int64_t agency = AddTestAgency("15");
  auto case_id = Escalate(db_->database(), 1, {"C1", "agency", agency, {"I2"}, ""}, Audit());
  ASSERT_TRUE(case_id) << case_id.error().message;
  EXPECT_EQ(HeldIds(), std::set<int64_t>{InvoiceId("I2")});

  // 15 % of 333.33 is 49.9995: half up to the cent, 50.00.
  auto recovered =
      RecordRecovery(db_->database(), 1, *case_id, {"AG-7", *Date::ParseIso("2026-11-18"), "333.33", ""}, Audit());
  ASSERT_TRUE(recovered) << recovered.error().message;
  EXPECT_EQ(recovered->amount_minor, 33333);
  EXPECT_EQ(recovered->commission_minor, 5000);
  EXPECT_EQ(recovered->payment_external_id, fmt::format("agency-{}-AG-7", *case_id));
  EXPECT_EQ(Open("I2"), 0) << "the payment was allocated to the case's invoice";
  EXPECT_EQ(Open("I1"), 100000);
  EXPECT_EQ(db_->Text(fmt::format("SELECT method FROM payments WHERE external_id = 'agency-{}-AG-7'", *case_id)),
            "agency");
  EXPECT_EQ(db_->Count("SELECT commission_minor FROM agency_recoveries WHERE tenant_id = 1"), 5000);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'agency_recovery'"), 1);

  auto again =
      RecordRecovery(db_->database(), 1, *case_id, {"AG-7", *Date::ParseIso("2026-11-18"), "1.00", ""}, Audit());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("reference"), std::string::npos);

  auto case_two = Escalate(db_->database(), 1, {"C1", "agency", agency, {"I1"}, ""}, Audit());
  ASSERT_TRUE(case_two) << case_two.error().message;
  auto too_much =
      RecordRecovery(db_->database(), 1, *case_two, {"AG-8", *Date::ParseIso("2026-11-18"), "1000.01", ""}, Audit());
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(too_much.error().message.starts_with("amount:")) << too_much.error().message;
  auto not_in_case =
      RecordRecovery(db_->database(), 1, *case_two, {"AG-9", *Date::ParseIso("2026-11-18"), "1.00", "I3"}, Audit());
  ASSERT_FALSE(not_in_case);
  EXPECT_EQ(not_in_case.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM payments WHERE method = 'agency'"), 1) << "refusals wrote nothing";

  // Another tenant sees none of it.
  auto other = LoadCase(db_->database(), 2, *case_id, Language::kEnglish);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(RecallCase(db_->database(), 2, *case_id, Audit()));
}

TEST_P(EscalationTest, EscalationRefusalsNameTheField) {
  LoadSmallLedger();
  const int64_t agency = AddTestAgency();
  auto no_agency = Escalate(db_->database(), 1, {"C1", "agency", std::nullopt, {}, ""}, Audit());
  ASSERT_FALSE(no_agency);
  EXPECT_TRUE(no_agency.error().message.starts_with("agency_id:"));
  auto unknown_agency = Escalate(db_->database(), 1, {"C1", "agency", agency + 100, {}, ""}, Audit());
  ASSERT_FALSE(unknown_agency);
  EXPECT_EQ(unknown_agency.error().code, ErrorCode::kNotFound);
  auto other_customers = Escalate(db_->database(), 1, {"C1", "legal", std::nullopt, {"I3"}, ""}, Audit());
  ASSERT_FALSE(other_customers);
  EXPECT_EQ(other_customers.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(other_customers.error().message.starts_with("invoice_ids:"));
  auto bad_kind = Escalate(db_->database(), 1, {"C1", "court", std::nullopt, {}, ""}, Audit());
  ASSERT_FALSE(bad_kind);
  EXPECT_TRUE(bad_kind.error().message.starts_with("kind:"));
  auto first = Escalate(db_->database(), 1, {"C1", "legal", std::nullopt, {"I1"}, ""}, Audit());
  ASSERT_TRUE(first);
  auto twice = Escalate(db_->database(), 1, {"C1", "agency", agency, {"I1"}, ""}, Audit());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM escalation_cases"), 1);
  auto duplicate_agency = AddAgency(db_->database(), 1, "Cobranzas Andinas", "", 1000, Audit());
  ASSERT_FALSE(duplicate_agency);
  EXPECT_EQ(duplicate_agency.error().code, ErrorCode::kConflict);
}

TEST_P(EscalationTest, LegalStagesMoveOnlyForwardAndClosingReleases) {
  LoadSmallLedger();
  auto case_id = Escalate(db_->database(), 1, {"C1", "legal", std::nullopt, {}, "demanda"}, Audit());
  ASSERT_TRUE(case_id) << case_id.error().message;
  EXPECT_EQ(HeldIds().size(), 2u);

  auto skip = AdvanceLegalCase(db_->database(), 1, *case_id, "judgment", "", Audit());
  ASSERT_FALSE(skip);
  EXPECT_EQ(skip.error().code, ErrorCode::kConflict);
  EXPECT_NE(skip.error().message.find("'filed'"), std::string::npos) << skip.error().message;
  auto unknown = AdvanceLegalCase(db_->database(), 1, *case_id, "appeal", "", Audit());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kBadInput);
  ASSERT_OK(AdvanceLegalCase(db_->database(), 1, *case_id, "filed", "radicado 2026-001", Audit()));
  auto back = AdvanceLegalCase(db_->database(), 1, *case_id, "demand_letter", "", Audit());
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(RecallCase(db_->database(), 1, *case_id, Audit())) << "a legal case is not recalled";

  auto document = AddLegalDocument(db_->database(), 1, *case_id, "demanda.pdf", "application/pdf",
                                   std::string("%PDF-1.4\0binary", 15), Audit());
  ASSERT_TRUE(document) << document.error().message;
  auto loaded = LoadLegalDocument(db_->database(), 1, *case_id, *document, Language::kEnglish);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->bytes, std::string("%PDF-1.4\0binary", 15));
  auto too_big = AddLegalDocument(db_->database(), 1, *case_id, "big.pdf", "application/pdf",
                                  std::string(kLegalDocumentBytesMax + 1, 'x'), Audit());
  ASSERT_FALSE(too_big);
  EXPECT_TRUE(too_big.error().message.starts_with("content:"));
  ASSERT_OK(AddLegalCost(db_->database(), 1, *case_id, *Date::ParseIso("2026-11-19"), "120.50", "USD",
                         "arancel judicial", Audit()));
  auto bad_cost =
      AddLegalCost(db_->database(), 1, *case_id, *Date::ParseIso("2026-11-19"), "12.345", "USD", "x", Audit());
  ASSERT_FALSE(bad_cost);
  EXPECT_TRUE(bad_cost.error().message.starts_with("amount:"));

  auto item = LoadCase(db_->database(), 1, *case_id, Language::kEnglish);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->stage, "filed");
  ASSERT_EQ(item->costs.size(), 1u);
  EXPECT_EQ(item->costs[0].amount_minor, 12050);
  ASSERT_EQ(item->documents.size(), 1u);
  EXPECT_EQ(item->documents[0].size_bytes, 15);

  ASSERT_OK(AdvanceLegalCase(db_->database(), 1, *case_id, "closed", "acuerdo", Audit()));
  EXPECT_TRUE(HeldIds().empty());
  auto closed = LoadCase(db_->database(), 1, *case_id, Language::kEnglish);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->status, "closed");
  auto reopen = AdvanceLegalCase(db_->database(), 1, *case_id, "closed", "", Audit());
  ASSERT_FALSE(reopen);
  EXPECT_EQ(reopen.error().code, ErrorCode::kConflict);
}

TEST_P(EscalationTest, CaseFileHasTheDebtorInvoicesAndHistory) {
  LoadSmallLedger();
  const int64_t agency = AddTestAgency("12.5");
  auto case_id = Escalate(db_->database(), 1, {"C1", "agency", agency, {}, ""}, Audit());
  ASSERT_TRUE(case_id);
  auto csv = CaseFileCsv(db_->database(), 1, *case_id, Language::kEnglish);
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_TRUE(csv->starts_with(std::string(kCaseFileCsvHeader) + "\n"));
  EXPECT_NE(csv->find("debtor,,C1,tax_id,,,,900100200"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("debtor,,C1,email,,,,uno@example.com"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("invoice,2026-10-01,I2,F-2,USD,333.33,held"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("commission 12.50 %"), std::string::npos) << *csv;
  auto pdf = CaseFilePdf(db_->database(), 1, *case_id, kNow, Language::kEnglish);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_FALSE(CaseFileCsv(db_->database(), 2, *case_id, Language::kEnglish));
}

TEST_P(EscalationTest, WriteOffNeedsAnotherApproverAndZeroesTheBalance) {
  LoadSmallLedger();
  auto proposal = ProposeWriteOff(db_->database(), 1, "C1", {}, "cliente en liquidación", Audit("api:manager@x"));
  ASSERT_TRUE(proposal) << proposal.error().message;
  auto pending_again = ProposeWriteOff(db_->database(), 1, "C1", {"I1"}, "otra", Audit("api:manager@x"));
  ASSERT_FALSE(pending_again);
  EXPECT_EQ(pending_again.error().code, ErrorCode::kConflict);

  auto own = DecideWriteOff(db_->database(), 1, *proposal, true, "", Audit("api:manager@x"));
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 0);

  ASSERT_OK(DecideWriteOff(db_->database(), 1, *proposal, true, "visto bueno", Audit("api:admin@x")));
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(Open("I2"), 0);
  EXPECT_EQ(Open("I3"), 5000) << "another customer's invoice is untouched";
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes WHERE tenant_id = 1 AND customer_id = "
                       "(SELECT id FROM customers WHERE external_id = 'C1')"),
            2);
  EXPECT_EQ(db_->Count("SELECT SUM(amount_minor) FROM credit_notes WHERE tenant_id = 1"), 133333);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM customers c WHERE c.external_id = 'C1' AND (SELECT SUM(open_minor) FROM "
                       "invoices i WHERE i.customer_id = c.id) = 0"),
            1);
  auto twice = DecideWriteOff(db_->database(), 1, *proposal, true, "", Audit("api:other@x"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);

  auto csv = WriteOffExportCsv(db_->database(), 1, std::nullopt, std::nullopt);
  ASSERT_TRUE(csv);
  EXPECT_NE(csv->find("C1,900100200,I1,F-1,USD,1000.00,2026-11-20,api:admin@x,api:manager@x"), std::string::npos)
      << *csv;
  EXPECT_NE(csv->find("C1,900100200,I2,F-2,USD,333.33,2026-11-20,api:admin@x"), std::string::npos) << *csv;
  auto outside = WriteOffExportCsv(db_->database(), 1, *Date::ParseIso("2026-11-21"), std::nullopt);
  ASSERT_TRUE(outside);
  EXPECT_EQ(std::count(outside->begin(), outside->end(), '\n'), 1) << "only the header";

  // A later payment that names a written-off invoice is a recovery: the
  // invoice stays settled by the write-off note, the payment is the
  // customer's credit, and the write-off lists it.
  Import(ImportKind::kPayments,
         "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n"
         "P-REC,C1,2026-11-25,USD,100.00,transfer,recobro,I1\n");
  EXPECT_EQ(Open("I1"), 0);
  EXPECT_EQ(db_->Count("SELECT unapplied_minor FROM payments WHERE external_id = 'P-REC'"), 10000);
  auto loaded = LoadWriteOff(db_->database(), 1, *proposal, Language::kEnglish);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->status, "approved");
  ASSERT_EQ(loaded->recoveries.size(), 1u);
  EXPECT_EQ(loaded->recoveries[0].amount_minor, 10000);
  EXPECT_FALSE(LoadWriteOff(db_->database(), 2, *proposal, Language::kEnglish));
}

TEST_P(EscalationTest, RejectedWriteOffPostsNothing) {
  LoadSmallLedger();
  auto proposal = ProposeWriteOff(db_->database(), 1, "C2", {"I3"}, "incobrable", Audit("a"));
  ASSERT_TRUE(proposal);
  auto no_reason = ProposeWriteOff(db_->database(), 1, "C1", {}, "", Audit("a"));
  ASSERT_FALSE(no_reason);
  EXPECT_TRUE(no_reason.error().message.starts_with("reason:"));
  ASSERT_OK(DecideWriteOff(db_->database(), 1, *proposal, false, "aún cobrable", Audit("b")));
  EXPECT_EQ(Open("I3"), 5000);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM credit_notes"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'write_off'"), 2);
}

// Worked example 5 of ../shared/compliance/RULES.md: a COP 200,000 debt in
// 2025 (below 15 % of the minimum wage), notices on 2025-03-03 and
// 2025-03-04 -> earliest report 2025-03-24.
TEST_P(EscalationTest, BureauDatesFollowWorkedExample5) {
  Import(ImportKind::kCustomers,
         "external_id,name,tax_id,country,kind,time_zone,email\n"
         "P1,Ana Pérez,52000111,CO,person,America/Bogota,ana@example.com\n"
         "P2,Luis Gómez,52000222,CO,person,America/Bogota,luis@example.com\n");
  Import(ImportKind::kInvoices,
         "external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
         "B1,P1,F-10,2025-01-01,2025-02-01,COP,200000\n"
         "B2,P2,F-11,2024-12-01,2025-01-01,COP,50000\n"
         "B3,P2,F-12,2025-01-01,2025-02-01,COP,5000000\n");
  Import(ImportKind::kPayments,
         "external_id,customer_external_id,date,currency,amount,method,invoice_external_id\n"
         "PB2,P2,2025-03-01,COP,50000,transfer,B2\n");
  auto notice = [&](const std::string& customer, const std::string& sent_at, const std::string& status) {
    static int key = 0;
    auto ok = db_->database().Execute(fmt::format(
        "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, template, "
        "business_date, scheduled_at, status, payload, created_at, sent_at) SELECT 1, 'k{}', id, 'default', "
        "'bureau_notice', 'message', 'email', 'bureau_notice', '{}', '{}', '{}', '{{}}', '{}', '{}' FROM customers "
        "WHERE external_id = '{}'",
        ++key, sent_at.substr(0, 10), sent_at, status, sent_at, sent_at, customer));
    ASSERT_TRUE(ok) << ok.error().message;
  };
  notice("P1", "2025-03-03T15:00:00Z", "sent");
  notice("P1", "2025-03-04T15:00:00Z", "delivered");
  notice("P2", "2025-03-05T15:00:00Z", "bounced");  // came back: not a notice

  auto list = BureauReportList(db_->database(), 1, {*Date::ParseIso("2025-03-20"), std::nullopt, std::nullopt},
                               Language::kEnglish);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  const BureauEntry& small = (*list)[0];
  EXPECT_EQ(small.customer_external_id, "P1");
  EXPECT_TRUE(small.small_debt);
  EXPECT_EQ(small.notices_required, 2);
  ASSERT_EQ(small.notices.size(), 2u);
  EXPECT_EQ(small.notices[1].ToIso(), "2025-03-04");
  ASSERT_TRUE(small.earliest_report_date);
  EXPECT_EQ(small.earliest_report_date->ToIso(), "2025-03-24");
  EXPECT_EQ(small.status, "waiting");
  EXPECT_EQ(small.overdue_minor, 20000000);
  EXPECT_EQ(small.days_in_default, 47);
  EXPECT_EQ(small.rule_id, "co-credit-report-notice");

  const BureauEntry& large = (*list)[1];
  EXPECT_EQ(large.customer_external_id, "P2");
  EXPECT_FALSE(large.small_debt);
  EXPECT_EQ(large.notices_required, 1);
  EXPECT_TRUE(large.notices.empty()) << "a bounced notice does not count";
  EXPECT_FALSE(large.earliest_report_date);
  EXPECT_EQ(large.status, "notice_needed");
  // B2 was 59 days late when paid on 2025-03-01: removed 118 days later.
  ASSERT_TRUE(large.removal_date);
  EXPECT_EQ(large.removal_date->ToIso(), "2025-06-27");

  auto on_the_day = BureauReportList(db_->database(), 1,
                                     {*Date::ParseIso("2025-03-24"), std::string("P1"), std::string("reportable")},
                                     Language::kEnglish);
  ASSERT_TRUE(on_the_day) << on_the_day.error().message;
  ASSERT_EQ(on_the_day->size(), 1u);
  EXPECT_EQ((*on_the_day)[0].status, "reportable");
  // Before the second notice, one is not enough for a small debt.
  auto early = BureauReportList(db_->database(), 1, {*Date::ParseIso("2025-03-03"), std::string("P1"), std::nullopt},
                                Language::kEnglish);
  ASSERT_TRUE(early);
  ASSERT_EQ(early->size(), 1u);
  EXPECT_EQ((*early)[0].status, "notice_needed");
  const std::string csv = BureauCsv(*list);
  EXPECT_NE(csv.find("P1,Ana Pérez,52000111,CO,COP,200000.00,2025-02-01,47,2025-03-03 2025-03-04,2025-03-24,,waiting"),
            std::string::npos)
      << csv;
  EXPECT_FALSE(BureauReportList(
      db_->database(), 1, {*Date::ParseIso("2025-03-20"), std::string("nobody"), std::nullopt}, Language::kEnglish));
  auto other_tenant = BureauReportList(db_->database(), 2, {*Date::ParseIso("2025-03-20"), std::nullopt, std::nullopt},
                                       Language::kEnglish);
  ASSERT_TRUE(other_tenant);
  EXPECT_TRUE(other_tenant->empty());
}

// A crash between the payment import and the recovery row: the retry finds
// the payment imported and completes the recovery without paying twice.
TEST_P(EscalationTest, RecoveryRetryAfterACrashPaysOnce) {
  LoadSmallLedger();
  const int64_t agency = AddTestAgency("10");
  auto case_id = Escalate(db_->database(), 1, {"C1", "agency", agency, {"I1"}, ""}, Audit());
  ASSERT_TRUE(case_id) << case_id.error().message;
  Import(ImportKind::kPayments,
         "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n" +
             fmt::format("agency-{}-R1,C1,2026-11-18,USD,400.00,agency,R1,I1\n", *case_id));
  EXPECT_EQ(Open("I1"), 60000);
  auto other_amount =
      RecordRecovery(db_->database(), 1, *case_id, {"R1", *Date::ParseIso("2026-11-18"), "300.00", ""}, Audit());
  ASSERT_FALSE(other_amount);
  EXPECT_EQ(other_amount.error().code, ErrorCode::kConflict);
  auto retried =
      RecordRecovery(db_->database(), 1, *case_id, {"R1", *Date::ParseIso("2026-11-18"), "400.00", ""}, Audit());
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->commission_minor, 4000);
  EXPECT_EQ(Open("I1"), 60000) << "the payment counted once";
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM payments WHERE method = 'agency'"), 1);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM agency_recoveries"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, EscalationTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
