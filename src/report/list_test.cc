// The customer and invoice lists (report/customer_list.h,
// report/invoice_list.h) and the single records, on SQLite and on
// PostgreSQL when scripts/test.sh started one: walking a list in pages of 7
// gives every row once, in the order of one big page, for every sort;
// unknown cursors are kNotFound; another tenant's rows never appear.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/customer_list.h"
#include "report/customer_record.h"
#include "report/invoice_list.h"
#include "report/list_page.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

constexpr int kCustomers = 40;
constexpr int64_t kPage = 7;
const Date kAsOf = *Date::ParseIso("2026-11-20");

class ListStorage : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
    ASSERT_TRUE(database().Execute(
        "INSERT INTO tenants (id, slug, name, country, time_zone, created_at) VALUES (2, 'otra', 'Otra empresa', "
        "'CO', 'America/Bogota', '2026-01-01T00:00:00Z')"));
    Seed(1, "C-", "F-");
    // Tenant 2 reuses tenant 1's external ids and has ids of its own.
    Seed(2, "C-", "F-");
    Seed(2, "T2-C-", "T2-F-");
  }

  Database& database() { return db_->database(); }

  // Customers with ties in every sort key (names repeat, balances repeat,
  // due dates repeat), some without debt, some in two currencies, some with
  // credit only or credit in another currency.
  void Seed(int64_t tenant, const std::string& customer_prefix, const std::string& invoice_prefix) {
    std::string customers, invoices, payments, points;
    for (int i = 1; i <= kCustomers; ++i) {
      customers += fmt::format(
          "{}({}, '{}{:03}', 'Cliente {}', '{}', 'CO', '{}', 'America/Bogota', 'es', '2026-01-01T00:00:00Z', "
          "'2026-01-01T00:00:00Z', {})",
          customers.empty() ? "" : ", ", tenant, customer_prefix, i, i % 6, 900 + i, i % 2 ? "company" : "person",
          i % 5 == 0 ? "'new'" : "NULL");
    }
    ASSERT_TRUE(database().Execute(
        "INSERT INTO customers (tenant_id, external_id, name, tax_id, country, kind, time_zone, language, created_at, "
        "updated_at, segment) VALUES " +
        customers));
    auto id = [&](int i) {
      return db_->Count(fmt::format("SELECT id FROM customers WHERE tenant_id = {} AND external_id = '{}{:03}'", tenant,
                                    customer_prefix, i));
    };
    int invoice = 0;
    for (int i = 1; i <= kCustomers; ++i) {
      if (i % 7 == 3) continue;  // no invoices at all
      const int64_t customer_id = id(i);
      const int count = 1 + i % 3;
      for (int n = 0; n < count; ++n) {
        ++invoice;
        const int64_t amount = 100000 * (1 + (i * 7 + n) % 5);  // repeats: ties in amount and balance
        const int64_t open = (i + n) % 4 == 0 ? 0 : (i + n) % 4 == 1 ? amount / 2 : amount;
        const std::string currency = i % 8 == 1 && n == 1 ? "USD" : "COP";
        const Date due = kAsOf.PlusDays(-10 * ((i + n) % 9) + 5);  // repeats, some not yet due
        invoices += fmt::format("{}({}, '{}{:04}', {}, 'N{:04}', '{}', '{}', '{}', {}, {}, '2026-01-01T00:00:00Z', "
                                "'2026-01-01T00:00:00Z')",
                                invoices.empty() ? "" : ", ", tenant, invoice_prefix, invoice, customer_id,
                                (invoice * 37) % 101, due.PlusDays(-30).ToIso(), due.ToIso(), currency, amount, open);
      }
      if (i % 9 == 4) {  // credit in the customer's favour: COP, and EUR (a currency it does not owe in)
        payments += fmt::format("{}({}, '{}P{:03}', {}, '2026-03-01', 'COP', 5000, 'cash', 5000, "
                                "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), ({}, '{}Q{:03}', {}, '2026-03-01', "
                                "'EUR', 700, 'cash', 700, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                payments.empty() ? "" : ", ", tenant, invoice_prefix, i, customer_id, tenant,
                                invoice_prefix, i, customer_id);
      }
      if (i % 11 == 2) {
        points += fmt::format(
            "{}({}, {}, 'email', 'c{}@example.co', 1, 'import', '2026-01-01T00:00:00Z', 'granted', 'import', NULL, 1), "
            "({}, {}, 'phone', '+5730000000{:02}', 0, 'import', '2026-01-01T00:00:00Z', 'revoked', 'debtor', "
            "'2026-02-01T10:00:00Z', 1)",
            points.empty() ? "" : ", ", tenant, customer_id, i, tenant, customer_id, i);
      }
    }
    ASSERT_TRUE(database().Execute(
        "INSERT INTO invoices (tenant_id, external_id, customer_id, number, issue_date, due_date, currency, "
        "amount_minor, open_minor, created_at, updated_at) VALUES " +
        invoices));
    ASSERT_TRUE(database().Execute(
        "INSERT INTO payments (tenant_id, external_id, customer_id, date, currency, amount_minor, method, "
        "unapplied_minor, created_at, updated_at) VALUES " +
        payments));
    ASSERT_TRUE(database().Execute(
        "INSERT INTO contact_points (tenant_id, customer_id, channel, value, is_primary, source, created_at, consent, "
        "consent_source, consent_at, usable) VALUES " +
        points));
  }

  std::unique_ptr<TestDatabase> db_;
};

template <typename Row, typename Json>
std::vector<std::string> Dump(const std::vector<Row>& rows, Json json) {
  std::vector<std::string> out;
  for (const Row& row : rows) out.push_back(json(row).dump());
  return out;
}

// The customer filters each sort is walked with.
std::vector<CustomerListQuery> CustomerQueries() {
  std::vector<CustomerListQuery> queries;
  for (CustomerSort sort :
       {CustomerSort::kExternalId, CustomerSort::kName, CustomerSort::kBalance, CustomerSort::kDaysPastDue}) {
    CustomerListQuery all;
    all.as_of = kAsOf;
    all.sort = sort;
    queries.push_back(all);
    CustomerListQuery owing = all;
    owing.with_balance = true;
    owing.min_days_past_due = 1;
    queries.push_back(owing);
    CustomerListQuery cop = all;
    cop.currency = Currency::FromCode("COP");
    cop.min_amount = *Money::Parse("1000", *cop.currency);
    cop.segment = "new";
    queries.push_back(cop);
  }
  return queries;
}

TEST_P(ListStorage, CustomerPagesOfSevenGiveEveryCustomerOnceInOrder) {
  for (const CustomerListQuery& query : CustomerQueries()) {
    SCOPED_TRACE(fmt::format("sort {} with_balance {} currency {}", static_cast<int>(query.sort), query.with_balance,
                             query.currency.has_value()));
    auto whole = ListCustomers(database(), 1, query, Language::kEnglish);
    ASSERT_TRUE(whole) << whole.error().message;
    EXPECT_FALSE(whole->has_more);
    ASSERT_FALSE(whole->rows.empty());
    std::vector<CustomerListRow> walked;
    std::set<std::string> seen;
    CustomerListQuery page = query;
    page.limit = kPage;
    int pages = 0;
    while (true) {
      auto got = ListCustomers(database(), 1, page, Language::kEnglish);
      ASSERT_TRUE(got) << got.error().message;
      ASSERT_LT(++pages, 100);
      std::set<std::string> on_page;
      for (const CustomerListRow& row : got->rows) on_page.insert(row.external_id);
      EXPECT_LE(static_cast<int64_t>(on_page.size()), kPage);
      for (const std::string& customer : on_page) EXPECT_TRUE(seen.insert(customer).second) << customer << " twice";
      walked.insert(walked.end(), got->rows.begin(), got->rows.end());
      if (!got->has_more) {
        EXPECT_LE(static_cast<int64_t>(on_page.size()), kPage);
        break;
      }
      EXPECT_EQ(static_cast<int64_t>(on_page.size()), kPage) << "a page before the last is full";
      page.starting_after = got->rows.back().external_id;
    }
    EXPECT_EQ(Dump(walked, CustomerListRowJson), Dump(whole->rows, CustomerListRowJson));
    EXPECT_EQ(pages, static_cast<int>((seen.size() + kPage - 1) / kPage));
  }
}

TEST_P(ListStorage, CustomerSortsOrderAsTheySay) {
  CustomerListQuery query;
  query.as_of = kAsOf;
  query.sort = CustomerSort::kBalance;
  auto by_balance = ListCustomers(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(by_balance);
  // A customer's key is its largest open amount in one currency.
  std::vector<std::pair<std::string, int64_t>> largest;
  for (const CustomerListRow& row : by_balance->rows) {
    if (largest.empty() || largest.back().first != row.external_id) largest.emplace_back(row.external_id, 0);
    largest.back().second = std::max(largest.back().second, row.open_minor);
  }
  for (size_t i = 1; i < largest.size(); ++i) {
    EXPECT_LE(largest[i].second, largest[i - 1].second) << largest[i].first;
    if (largest[i].second == largest[i - 1].second) {
      EXPECT_LT(largest[i - 1].first, largest[i].first);
    }
  }
  query.sort = CustomerSort::kDaysPastDue;
  auto by_days = ListCustomers(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(by_days);
  // Customers in order, and whether each owes: no debtor after one who does not.
  std::vector<std::pair<std::string, bool>> customers;
  for (const CustomerListRow& row : by_days->rows) {
    if (customers.empty() || customers.back().first != row.external_id) customers.emplace_back(row.external_id, false);
    if (row.currency && row.open_minor > 0) customers.back().second = true;
  }
  bool debtors = true;
  for (const auto& [customer, owes] : customers) {
    if (!owes) debtors = false;
    EXPECT_TRUE(debtors || !owes) << customer << " owes after the debtors";
  }
}

TEST_P(ListStorage, InvoicePagesOfSevenGiveEveryInvoiceOnceInOrder) {
  for (InvoiceSort sort : {InvoiceSort::kDueDate, InvoiceSort::kIssueDate, InvoiceSort::kAmount, InvoiceSort::kOpen,
                           InvoiceSort::kDaysPastDue, InvoiceSort::kNumber}) {
    for (int filter = 0; filter < 3; ++filter) {
      SCOPED_TRACE(fmt::format("sort {} filter {}", static_cast<int>(sort), filter));
      InvoiceListQuery query;
      query.as_of = kAsOf;
      query.sort = sort;
      if (filter == 1) {
        query.status = InvoiceStatus::kUnpaid;
        query.min_days_past_due = 1;
      } else if (filter == 2) {
        query.currency = Currency::FromCode("COP");
        query.min_amount = *Money::Parse("1000", *query.currency);
        query.country = "CO";
      }
      auto whole = ListInvoices(database(), 1, query, Language::kEnglish);
      ASSERT_TRUE(whole) << whole.error().message;
      EXPECT_FALSE(whole->has_more);
      ASSERT_FALSE(whole->rows.empty());
      std::vector<InvoiceRow> walked;
      InvoiceListQuery page = query;
      page.limit = kPage;
      size_t pages = 0;
      while (true) {
        auto got = ListInvoices(database(), 1, page, Language::kEnglish);
        ASSERT_TRUE(got) << got.error().message;
        ASSERT_LT(++pages, 100u);
        walked.insert(walked.end(), got->rows.begin(), got->rows.end());
        if (!got->has_more) break;
        EXPECT_EQ(static_cast<int64_t>(got->rows.size()), kPage);
        page.starting_after = got->rows.back().external_id;
      }
      EXPECT_EQ(Dump(walked, InvoiceRowJson), Dump(whole->rows, InvoiceRowJson));
      EXPECT_EQ(pages, (whole->rows.size() + kPage - 1) / kPage);
      std::set<std::string> ids;
      for (const InvoiceRow& row : walked) EXPECT_TRUE(ids.insert(row.external_id).second) << row.external_id;
    }
  }
}

TEST_P(ListStorage, AnExactPageEndsWithoutMore) {
  InvoiceListQuery query;
  query.as_of = kAsOf;
  auto whole = ListInvoices(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(whole);
  query.limit = static_cast<int64_t>(whole->rows.size());
  auto exact = ListInvoices(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(exact);
  EXPECT_FALSE(exact->has_more);
  query.limit = *query.limit - 1;
  auto short_one = ListInvoices(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(short_one);
  EXPECT_TRUE(short_one->has_more);
  query.starting_after = whole->rows.back().external_id;  // after the last: an empty last page
  auto after_last = ListInvoices(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(after_last);
  EXPECT_TRUE(after_last->rows.empty());
  EXPECT_FALSE(after_last->has_more);
}

TEST_P(ListStorage, UnknownCursorsAndBadLimitsAreRefused) {
  CustomerListQuery customers;
  customers.as_of = kAsOf;
  customers.limit = kPage;
  for (CustomerSort sort : {CustomerSort::kExternalId, CustomerSort::kBalance}) {
    customers.sort = sort;
    customers.starting_after = "NOPE";
    auto unknown = ListCustomers(database(), 1, customers, Language::kEnglish);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(unknown.error().message, "no customer with external id 'NOPE'");
    customers.starting_after = "T2-C-001";  // tenant 2's
    auto other_tenant = ListCustomers(database(), 1, customers, Language::kSpanish);
    ASSERT_FALSE(other_tenant);
    EXPECT_EQ(other_tenant.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(other_tenant.error().message, "no hay un cliente con el id externo 'T2-C-001'");
  }
  InvoiceListQuery invoices;
  invoices.as_of = kAsOf;
  invoices.starting_after = "T2-F-0001";
  auto unknown_invoice = ListInvoices(database(), 1, invoices, Language::kEnglish);
  ASSERT_FALSE(unknown_invoice);
  EXPECT_EQ(unknown_invoice.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown_invoice.error().message, "no invoice with external id 'T2-F-0001'");
  invoices.starting_after.reset();
  invoices.customer = "T2-C-001";
  auto unknown_customer = ListInvoices(database(), 1, invoices, Language::kEnglish);
  ASSERT_FALSE(unknown_customer);
  EXPECT_EQ(unknown_customer.error().code, ErrorCode::kNotFound);
  invoices.customer.reset();
  invoices.limit = 0;
  auto zero = ListInvoices(database(), 1, invoices, Language::kEnglish);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::kBadInput);
  customers.starting_after.reset();
  customers.limit = -1;
  auto negative = ListCustomers(database(), 1, customers, Language::kEnglish);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, ErrorCode::kBadInput);
}

TEST_P(ListStorage, AnotherTenantsRowsNeverAppear) {
  CustomerListQuery customers;
  customers.as_of = kAsOf;
  for (CustomerSort sort :
       {CustomerSort::kExternalId, CustomerSort::kName, CustomerSort::kBalance, CustomerSort::kDaysPastDue}) {
    customers.sort = sort;
    auto one = ListCustomers(database(), 1, customers, Language::kEnglish);
    ASSERT_TRUE(one);
    std::set<std::string> ids;
    for (const CustomerListRow& row : one->rows) {
      EXPECT_FALSE(row.external_id.starts_with("T2-")) << row.external_id;
      ids.insert(row.external_id);
    }
    EXPECT_EQ(ids.size(), static_cast<size_t>(kCustomers));
    auto two = ListCustomers(database(), 2, customers, Language::kEnglish);
    ASSERT_TRUE(two);
    ids.clear();
    for (const CustomerListRow& row : two->rows) ids.insert(row.external_id);
    EXPECT_EQ(ids.size(), static_cast<size_t>(2 * kCustomers));
  }
  // The same external id in both tenants: each list reads its own anchor.
  customers.sort = CustomerSort::kBalance;
  customers.limit = kPage;
  customers.starting_after = "C-005";
  auto after = ListCustomers(database(), 1, customers, Language::kEnglish);
  ASSERT_TRUE(after);
  for (const CustomerListRow& row : after->rows) EXPECT_FALSE(row.external_id.starts_with("T2-"));

  InvoiceListQuery invoices;
  invoices.as_of = kAsOf;
  auto mine = ListInvoices(database(), 1, invoices, Language::kEnglish);
  ASSERT_TRUE(mine);
  for (const InvoiceRow& row : mine->rows) EXPECT_FALSE(row.external_id.starts_with("T2-")) << row.external_id;
  auto theirs = ListInvoices(database(), 2, invoices, Language::kEnglish);
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->rows.size(), 2 * mine->rows.size());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices WHERE tenant_id = 1"), static_cast<int64_t>(mine->rows.size()));
}

TEST_P(ListStorage, CreditShowsBesideDebtAndAlone) {
  // C-004: COP debt, COP and EUR credit (payments seeded for i % 9 == 4).
  CustomerListQuery query;
  query.as_of = kAsOf;
  auto rows = ListCustomerRows(database(), 1, "C-004", query, Language::kEnglish);
  ASSERT_TRUE(rows) << rows.error().message;
  std::vector<std::string> shown;
  for (const CustomerListRow& row : *rows) {
    shown.push_back(fmt::format("{} open {} credit {} balance {}", row.currency.value_or("-"), row.open_minor,
                                row.credit_minor, row.balance_minor()));
  }
  const int64_t open = db_->Count(
      "SELECT SUM(i.open_minor) FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.tenant_id = 1 AND "
      "c.external_id = 'C-004' AND i.open_minor <> 0");
  EXPECT_EQ(shown, (std::vector<std::string>{fmt::format("COP open {} credit 5000 balance {}", open, open - 5000),
                                             "EUR open 0 credit 700 balance -700"}));
  const nlohmann::json json = CustomerListRowJson(rows->back());
  EXPECT_EQ(json["credit"], (nlohmann::json{{"amount", "7.00"}, {"currency", "EUR"}}));
  EXPECT_EQ(json["balance"], (nlohmann::json{{"amount", "-7.00"}, {"currency", "EUR"}}));
  // C-003 has no invoices and no credit: one row, money null.
  auto none = ListCustomerRows(database(), 1, "C-003", query, Language::kEnglish);
  ASSERT_TRUE(none);
  ASSERT_EQ(none->size(), 1u);
  const nlohmann::json empty = CustomerListRowJson(none->front());
  EXPECT_TRUE(empty["currency"].is_null());
  EXPECT_TRUE(empty["open"].is_null());
  EXPECT_TRUE(empty["balance"].is_null());
  EXPECT_EQ(empty["open_invoices"], 0);
}

TEST_P(ListStorage, OneCustomerRecord) {
  auto record = LoadCustomerRecord(database(), 1, "C-013", kAsOf, Language::kEnglish);
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->name, "Cliente 1");
  EXPECT_EQ(record->kind, "company");
  // 13 % 11 == 2: an e-mail with the business's consent, a phone the debtor revoked.
  const nlohmann::json json = CustomerRecordJson(*record);
  ASSERT_EQ(json["contact_points"].size(), 2u);
  EXPECT_EQ(json["contact_points"][0]["channel"], "email");
  EXPECT_EQ(json["contact_points"][0]["consent"], "granted");
  EXPECT_EQ(json["contact_points"][0]["consent_source"], "import");
  EXPECT_EQ(json["contact_points"][1]["consent"], "revoked");
  EXPECT_EQ(json["contact_points"][1]["consent_at"], "2026-02-01T10:00:00Z");
  EXPECT_EQ(json["contact_points"][1]["primary"], false);
  // Its balances are the customer list's rows for it.
  CustomerListQuery query;
  query.as_of = kAsOf;
  auto rows = ListCustomerRows(database(), 1, "C-013", query, Language::kEnglish);
  ASSERT_TRUE(rows);
  int64_t invoices = 0;
  int32_t days = 0;
  for (const CustomerListRow& row : *rows) {
    invoices += row.open_invoices;
    days = std::max(days, row.max_days_past_due);
  }
  EXPECT_EQ(json["open_invoices"], invoices);
  EXPECT_EQ(json["max_days_past_due"], days);
  EXPECT_EQ(json["balances"].size(), rows->size());
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.tenant_id = 1 "
                       "AND c.external_id = 'C-013' AND i.open_minor <> 0"),
            invoices);

  auto missing = LoadCustomerRecord(database(), 1, "T2-C-001", kAsOf, Language::kSpanish);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "no hay un cliente con el id externo 'T2-C-001'");
  auto missing_en = LoadCustomerRecord(database(), 1, "NOPE", kAsOf, Language::kEnglish);
  ASSERT_FALSE(missing_en);
  EXPECT_EQ(missing_en.error().message, "no customer with external id 'NOPE'");
  auto id = CustomerIdByExternalId(database(), 2, "T2-C-001", Language::kEnglish);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, db_->Count("SELECT id FROM customers WHERE tenant_id = 2 AND external_id = 'T2-C-001'"));
}

TEST_P(ListStorage, OneInvoiceIsTheListsRow) {
  InvoiceListQuery query;
  query.as_of = kAsOf;
  auto list = ListInvoices(database(), 1, query, Language::kEnglish);
  ASSERT_TRUE(list);
  for (const InvoiceRow& row : list->rows) {
    auto one = LoadInvoice(database(), 1, row.external_id, kAsOf, Language::kEnglish);
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_EQ(InvoiceRowJson(*one), InvoiceRowJson(row));
  }
  auto missing = LoadInvoice(database(), 1, "T2-F-0001", kAsOf, Language::kSpanish);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "no hay una factura con el id externo 'T2-F-0001'");
  const nlohmann::json json = InvoiceRowJson(list->rows.front());
  EXPECT_TRUE(json["amount"].is_object());
  EXPECT_EQ(json.size(), 11u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ListStorage, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
