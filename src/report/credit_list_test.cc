// The payment and credit note lists (report/payment_list.h,
// report/credit_note_list.h) on SQLite and on PostgreSQL when
// CARTERA_TEST_POSTGRES_URL names one: walking a list in pages of 7 gives
// every row once, in the order of one big page (date DESC, id DESC, with
// many equal dates); the applications are the allocations; unknown cursors
// and ids are kNotFound in both languages; another tenant's rows never
// appear.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/credit_note_list.h"
#include "report/payment_list.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

constexpr int kCustomers = 12;
constexpr int kPayments = 61;
constexpr int kCreditNotes = 23;
constexpr int64_t kPage = 7;
const Date kBase = *Date::ParseIso("2026-10-01");
constexpr const char* kStamp = "'2026-01-01T00:00:00Z'";

class CreditListStorage : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    ASSERT_TRUE(database().Execute(
        "INSERT INTO tenants (id, slug, name, country, time_zone, created_at) VALUES (2, 'otra', 'Otra empresa', "
        "'CO', 'America/Bogota', '2026-01-01T00:00:00Z')"));
    Seed(1, "", 1);
    // Tenant 2 reuses tenant 1's external ids (other amounts) and has its own.
    Seed(2, "", 5);
    Seed(2, "T2-", 7);
  }

  Database& database() { return db_->database(); }

  int64_t Id(const std::string& sql) { return db_->Count(sql); }

  // Customers C-001.. with a COP invoice (F-xxx-A) and a USD one (F-xxx-B);
  // payments P-0001.. on nine dates (ties), some applied whole, some in two
  // allocations, some not at all; credit notes N-0001.. on their invoices.
  void Seed(int64_t tenant, const std::string& prefix, int64_t scale) {
    for (int c = 1; c <= kCustomers; ++c) {
      ASSERT_TRUE(database().Execute(fmt::format(
          "INSERT INTO customers (tenant_id, external_id, name, tax_id, country, kind, time_zone, language, "
          "created_at, updated_at) VALUES ({}, '{}C-{:03}', 'Cliente {}', '{}', 'CO', 'company', 'America/Bogota', "
          "'es', {}, {})",
          tenant, prefix, c, c, 900 + c, kStamp, kStamp)));
      const int64_t customer = CustomerId(tenant, prefix, c);
      for (const char* kind : {"A", "B"}) {
        ASSERT_TRUE(database().Execute(fmt::format(
            "INSERT INTO invoices (tenant_id, external_id, customer_id, number, issue_date, due_date, currency, "
            "amount_minor, open_minor, created_at, updated_at) VALUES ({}, '{}F-{:03}-{}', {}, 'N{}{:03}', "
            "'2026-09-01', '2026-10-01', '{}', {}, {}, {}, {})",
            tenant, prefix, c, kind, customer, kind, c, kind[0] == 'A' ? "COP" : "USD", 100000000, 100000000,
            kStamp, kStamp)));
      }
    }
    for (int n = 1; n <= kPayments; ++n) {
      const int c = n % kCustomers + 1;
      const bool usd = n % 5 == 0;
      const int64_t customer = CustomerId(tenant, prefix, c);
      const int64_t invoice = InvoiceId(tenant, prefix, c, usd);
      const int64_t amount = 1000 * scale * (1 + n % 4);
      const int64_t unapplied = n % 3 == 0 ? amount : n % 3 == 1 ? 0 : amount / 4;
      ASSERT_TRUE(database().Execute(fmt::format(
          "INSERT INTO payments (tenant_id, external_id, customer_id, invoice_id, date, currency, amount_minor, "
          "method, reference, unapplied_minor, created_at, updated_at) VALUES ({}, '{}P-{:04}', {}, {}, '{}', '{}', "
          "{}, 'transfer', {}, {}, {}, {})",
          tenant, prefix, n, customer, n % 4 == 0 ? "NULL" : std::to_string(invoice),
          kBase.PlusDays(n * 5 % 9).ToIso(), usd ? "USD" : "COP", amount,
          n % 2 == 0 ? std::string("NULL") : fmt::format("'REF{}'", n), unapplied, kStamp, kStamp)));
      const int64_t payment = Id(fmt::format("SELECT id FROM payments WHERE tenant_id = {} AND external_id = '{}P-{:04}'",
                                             tenant, prefix, n));
      const int64_t applied = amount - unapplied;
      if (applied == 0) continue;
      const std::vector<int64_t> parts = n % 7 == 0 ? std::vector<int64_t>{applied / 2, applied - applied / 2}
                                                    : std::vector<int64_t>{applied};
      for (int64_t part : parts) {
        ASSERT_TRUE(database().Execute(fmt::format(
            "INSERT INTO allocations (tenant_id, customer_id, invoice_id, payment_id, date, currency, amount_minor, "
            "created_at) VALUES ({}, {}, {}, {}, '{}', '{}', {}, {})",
            tenant, customer, invoice, payment, kBase.PlusDays(n * 5 % 9).ToIso(), usd ? "USD" : "COP", part, kStamp)));
      }
    }
    for (int n = 1; n <= kCreditNotes; ++n) {
      const int c = n % kCustomers + 1;
      const int64_t customer = CustomerId(tenant, prefix, c);
      const int64_t invoice = InvoiceId(tenant, prefix, c, false);
      const int64_t amount = 500 * scale * (1 + n % 3);
      const int64_t unapplied = n % 4 == 0 ? amount : 0;
      ASSERT_TRUE(database().Execute(fmt::format(
          "INSERT INTO credit_notes (tenant_id, external_id, customer_id, invoice_id, date, currency, amount_minor, "
          "reason, unapplied_minor, created_at, updated_at) VALUES ({}, '{}N-{:04}', {}, {}, '{}', 'COP', {}, "
          "'devolución', {}, {}, {})",
          tenant, prefix, n, customer, invoice, kBase.PlusDays(n % 4).ToIso(), amount, unapplied, kStamp, kStamp)));
      if (unapplied == amount) continue;
      const int64_t note = Id(fmt::format(
          "SELECT id FROM credit_notes WHERE tenant_id = {} AND external_id = '{}N-{:04}'", tenant, prefix, n));
      ASSERT_TRUE(database().Execute(fmt::format(
          "INSERT INTO allocations (tenant_id, customer_id, invoice_id, credit_note_id, date, currency, amount_minor, "
          "created_at) VALUES ({}, {}, {}, {}, '{}', 'COP', {}, {})",
          tenant, customer, invoice, note, kBase.PlusDays(n % 4).ToIso(), amount, kStamp)));
    }
  }

  int64_t CustomerId(int64_t tenant, const std::string& prefix, int c) {
    return Id(fmt::format("SELECT id FROM customers WHERE tenant_id = {} AND external_id = '{}C-{:03}'", tenant,
                          prefix, c));
  }
  int64_t InvoiceId(int64_t tenant, const std::string& prefix, int c, bool usd) {
    return Id(fmt::format("SELECT id FROM invoices WHERE tenant_id = {} AND external_id = '{}F-{:03}-{}'", tenant,
                          prefix, c, usd ? "B" : "A"));
  }

  std::unique_ptr<TestDatabase> db_;
};

template <typename Row, typename Json>
std::vector<std::string> Dump(const std::vector<Row>& rows, Json json) {
  std::vector<std::string> out;
  for (const Row& row : rows) out.push_back(json(row).dump());
  return out;
}

std::vector<CreditListQuery> Queries() {
  std::vector<CreditListQuery> queries(5);
  queries[1].customer = "C-004";
  queries[2].from = kBase.PlusDays(2);
  queries[2].to = kBase.PlusDays(6);
  queries[3].currency = Currency::FromCode("USD");
  queries[4].customer = "C-002";
  queries[4].from = kBase.PlusDays(1);
  queries[4].currency = Currency::FromCode("COP");
  return queries;
}

// Walks `query` in pages of kPage with `list` and checks the walk against
// one big page: the same rows in the same order, each once, dates never
// rising, ids falling within a date.
template <typename List, typename Json>
void WalkInPages(const CreditListQuery& query, List list, Json json, size_t expected) {
  auto whole = list(query);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_FALSE(whole->has_more);
  EXPECT_EQ(whole->rows.size(), expected);
  for (size_t n = 1; n < whole->rows.size(); ++n) {
    const auto& before = whole->rows[n - 1];
    const auto& after = whole->rows[n];
    EXPECT_TRUE(before.date > after.date || (before.date == after.date && before.id > after.id))
        << before.external_id << " then " << after.external_id;
  }
  decltype(whole->rows) walked;
  CreditListQuery page = query;
  page.limit = kPage;
  size_t pages = 0;
  while (true) {
    auto got = list(page);
    ASSERT_TRUE(got) << got.error().message;
    ASSERT_LT(++pages, 100u);
    walked.insert(walked.end(), got->rows.begin(), got->rows.end());
    if (!got->has_more) break;
    EXPECT_EQ(static_cast<int64_t>(got->rows.size()), kPage);
    page.starting_after = got->rows.back().external_id;
  }
  EXPECT_EQ(Dump(walked, json), Dump(whole->rows, json));
  EXPECT_EQ(pages, std::max<size_t>(1, (whole->rows.size() + kPage - 1) / kPage));
  std::set<std::string> ids;
  for (const auto& row : walked) EXPECT_TRUE(ids.insert(row.external_id).second) << row.external_id;
}

std::string Conditions(const CreditListQuery& query, const std::string& table) {
  std::string sql = fmt::format("SELECT COUNT(*) FROM {} k JOIN customers c ON c.id = k.customer_id WHERE k.tenant_id = 1",
                                table);
  if (query.customer) sql += fmt::format(" AND c.external_id = '{}'", *query.customer);
  if (query.from) sql += fmt::format(" AND k.date >= '{}'", query.from->ToIso());
  if (query.to) sql += fmt::format(" AND k.date <= '{}'", query.to->ToIso());
  if (query.currency) sql += fmt::format(" AND k.currency = '{}'", query.currency->code());
  return sql;
}

TEST_P(CreditListStorage, PaymentPagesOfSevenGiveEveryPaymentOnceInOrder) {
  for (const CreditListQuery& query : Queries()) {
    SCOPED_TRACE(Conditions(query, "payments"));
    const int64_t expected = db_->Count(Conditions(query, "payments"));
    ASSERT_GT(expected, 0);
    WalkInPages(
        query, [&](const CreditListQuery& q) { return ListPayments(database(), 1, q, Language::kEnglish); },
        PaymentJson, static_cast<size_t>(expected));
  }
}

TEST_P(CreditListStorage, CreditNotePagesOfSevenGiveEveryCreditNoteOnceInOrder) {
  for (CreditListQuery query : Queries()) {
    if (query.currency && query.currency->code() == "USD") continue;  // credit notes are in COP
    SCOPED_TRACE(Conditions(query, "credit_notes"));
    const int64_t expected = db_->Count(Conditions(query, "credit_notes"));
    ASSERT_GT(expected, 0);
    WalkInPages(
        query, [&](const CreditListQuery& q) { return ListCreditNotes(database(), 1, q, Language::kEnglish); },
        CreditNoteJson, static_cast<size_t>(expected));
  }
}

TEST_P(CreditListStorage, AnExactPageEndsWithoutMore) {
  PaymentListQuery query;
  query.limit = kPayments;
  auto exact = ListPayments(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->rows.size(), static_cast<size_t>(kPayments));
  EXPECT_FALSE(exact->has_more);
  query.limit = kPayments - 1;
  auto short_one = ListPayments(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(short_one);
  EXPECT_TRUE(short_one->has_more);
  query.starting_after = exact->rows.back().external_id;  // after the last: an empty last page
  auto after_last = ListPayments(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(after_last);
  EXPECT_TRUE(after_last->rows.empty());
  EXPECT_FALSE(after_last->has_more);
}

TEST_P(CreditListStorage, APaymentShowsHowItWasApplied) {
  // P-0007: C-008's, COP 4000 (1000 x (1 + 7 % 4)), none unapplied (7 % 3 == 1), applied in two
  // allocations (7 % 7 == 0) to F-008-A, the invoice it named; reference REF7.
  auto payment = LoadPayment(database(), 1, "P-0007", Language::kEnglish);
  ASSERT_TRUE(payment) << payment.error().message;
  EXPECT_EQ(payment->customer_external_id, "C-008");
  EXPECT_EQ(payment->customer_name, "Cliente 8");
  EXPECT_EQ(payment->date, kBase.PlusDays(35 % 9).ToIso());
  EXPECT_EQ(payment->currency, "COP");
  EXPECT_EQ(payment->amount_minor, 4000);
  EXPECT_EQ(payment->unapplied_minor, 0);
  EXPECT_EQ(payment->method, "transfer");
  EXPECT_EQ(payment->reference, "REF7");
  EXPECT_EQ(payment->invoice_external_id, "F-008-A");
  ASSERT_EQ(payment->applied.size(), 2u);
  EXPECT_EQ(payment->applied[0].invoice_external_id, "F-008-A");
  EXPECT_EQ(payment->applied[0].invoice_number, "NA008");
  EXPECT_EQ(payment->applied[0].amount_minor + payment->applied[1].amount_minor, 4000);
  const nlohmann::json json = PaymentJson(*payment);
  EXPECT_EQ(json.size(), 11u);
  EXPECT_EQ(json["amount"], (nlohmann::json{{"amount", "40.00"}, {"currency", "COP"}}));
  EXPECT_EQ(json["unapplied"], (nlohmann::json{{"amount", "0.00"}, {"currency", "COP"}}));
  EXPECT_EQ(json["applied"][0].size(), 4u);
  EXPECT_EQ(json["applied"][1]["amount"]["currency"], "COP");
  // P-0004: named no invoice, no reference; P-0003: nothing applied, all unapplied.
  auto unnamed = LoadPayment(database(), 1, "P-0004", Language::kEnglish);
  ASSERT_TRUE(unnamed);
  EXPECT_FALSE(unnamed->reference);
  EXPECT_FALSE(unnamed->invoice_external_id);
  EXPECT_TRUE(PaymentJson(*unnamed)["reference"].is_null());
  EXPECT_TRUE(PaymentJson(*unnamed)["invoice_external_id"].is_null());
  auto waiting = LoadPayment(database(), 1, "P-0003", Language::kEnglish);
  ASSERT_TRUE(waiting);
  EXPECT_TRUE(waiting->applied.empty());
  EXPECT_EQ(waiting->unapplied_minor, waiting->amount_minor);
  EXPECT_TRUE(PaymentJson(*waiting)["applied"].is_array());
  // The list's row is the record.
  PaymentListQuery query;
  query.customer = "C-008";
  auto list = ListPayments(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(list);
  bool seen = false;
  for (const PaymentRow& row : list->rows) {
    if (row.external_id == "P-0007") {
      seen = true;
      EXPECT_EQ(PaymentJson(row), json);
    }
  }
  EXPECT_TRUE(seen);
}

TEST_P(CreditListStorage, ACreditNoteShowsItsInvoiceAndApplication) {
  auto note = LoadCreditNote(database(), 1, "N-0005", Language::kEnglish);
  ASSERT_TRUE(note) << note.error().message;
  EXPECT_EQ(note->customer_external_id, "C-006");
  EXPECT_EQ(note->invoice_external_id, "F-006-A");
  EXPECT_EQ(note->invoice_number, "NA006");
  EXPECT_EQ(note->date, kBase.PlusDays(1).ToIso());
  EXPECT_EQ(note->amount_minor, 1500);  // 500 x (1 + 5 % 3)
  EXPECT_EQ(note->reason, "devolución");
  ASSERT_EQ(note->applied.size(), 1u);
  EXPECT_EQ(note->applied[0].amount_minor, 1500);
  const nlohmann::json json = CreditNoteJson(*note);
  EXPECT_EQ(json.size(), 11u);
  EXPECT_EQ(json["amount"], (nlohmann::json{{"amount", "15.00"}, {"currency", "COP"}}));
  EXPECT_EQ(json["applied"][0]["invoice_external_id"], "F-006-A");
  auto unapplied = LoadCreditNote(database(), 1, "N-0004", Language::kEnglish);
  ASSERT_TRUE(unapplied);
  EXPECT_TRUE(unapplied->applied.empty());
  EXPECT_EQ(unapplied->unapplied_minor, unapplied->amount_minor);
}

TEST_P(CreditListStorage, UnknownIdsCursorsAndBadLimitsAreRefused) {
  PaymentListQuery query;
  query.starting_after = "NOPE";
  auto unknown = ListPayments(database(), 1, query, Language::kEnglish);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message, "no payment with external id 'NOPE'");
  query.starting_after = "T2-P-0001";  // tenant 2's
  auto other = ListPayments(database(), 1, query, Language::kSpanish);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(other.error().message, "no hay un pago con el id externo 'T2-P-0001'");
  auto other_note = ListCreditNotes(database(), 1, query, Language::kEnglish);
  ASSERT_FALSE(other_note);
  EXPECT_EQ(other_note.error().message, "no credit note with external id 'T2-P-0001'");
  query.starting_after = "T2-N-0001";
  auto other_note_es = ListCreditNotes(database(), 1, query, Language::kSpanish);
  ASSERT_FALSE(other_note_es);
  EXPECT_EQ(other_note_es.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(other_note_es.error().message, "no hay una nota crédito con el id externo 'T2-N-0001'");
  query.starting_after.reset();
  query.customer = "T2-C-001";
  auto unknown_customer = ListPayments(database(), 1, query, Language::kEnglish);
  ASSERT_FALSE(unknown_customer);
  EXPECT_EQ(unknown_customer.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown_customer.error().message, "no customer with external id 'T2-C-001'");
  query.customer.reset();
  query.limit = 0;
  auto zero = ListPayments(database(), 1, query, Language::kEnglish);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::kBadInput);
  auto missing = LoadPayment(database(), 1, "T2-P-0001", Language::kSpanish);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "no hay un pago con el id externo 'T2-P-0001'");
  auto missing_note = LoadCreditNote(database(), 1, "T2-N-0001", Language::kEnglish);
  ASSERT_FALSE(missing_note);
  EXPECT_EQ(missing_note.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing_note.error().message, "no credit note with external id 'T2-N-0001'");
}

TEST_P(CreditListStorage, AnotherTenantsRowsNeverAppear) {
  auto one = ListPayments(database(), 1, {}, Language::kEnglish);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->rows.size(), static_cast<size_t>(kPayments));
  for (const PaymentRow& row : one->rows) {
    EXPECT_FALSE(row.external_id.starts_with("T2-")) << row.external_id;
    EXPECT_LE(row.amount_minor, 4000) << "tenant 2's amount " << row.external_id;
    for (const CreditApplication& application : row.applied) {
      EXPECT_FALSE(application.invoice_external_id.starts_with("T2-"));
    }
  }
  auto two = ListPayments(database(), 2, {}, Language::kEnglish);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->rows.size(), static_cast<size_t>(2 * kPayments));
  // The same external id in each tenant is that tenant's payment.
  auto mine = LoadPayment(database(), 1, "P-0007", Language::kEnglish);
  auto theirs = LoadPayment(database(), 2, "P-0007", Language::kEnglish);
  ASSERT_TRUE(mine && theirs);
  EXPECT_EQ(mine->amount_minor * 5, theirs->amount_minor);
  ASSERT_EQ(theirs->applied.size(), 2u);
  EXPECT_EQ(theirs->applied[0].amount_minor + theirs->applied[1].amount_minor, theirs->amount_minor);
  // Tenant 2's cursor over tenant 2's list works; the customer filter is per tenant.
  PaymentListQuery query;
  query.customer = "C-004";
  query.limit = 2;
  auto page = ListPayments(database(), 2, query, Language::kEnglish);
  ASSERT_TRUE(page);
  for (const PaymentRow& row : page->rows) EXPECT_EQ(row.amount_minor % 5000, 0) << row.external_id;
  auto notes_one = ListCreditNotes(database(), 1, {}, Language::kEnglish);
  auto notes_two = ListCreditNotes(database(), 2, {}, Language::kEnglish);
  ASSERT_TRUE(notes_one && notes_two);
  EXPECT_EQ(notes_one->rows.size(), static_cast<size_t>(kCreditNotes));
  EXPECT_EQ(notes_two->rows.size(), static_cast<size_t>(2 * kCreditNotes));
  for (const CreditNoteRow& row : notes_one->rows) {
    EXPECT_FALSE(row.external_id.starts_with("T2-"));
    EXPECT_LE(row.amount_minor, 1500) << "tenant 2's amount " << row.external_id;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CreditListStorage, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
