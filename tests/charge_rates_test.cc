// A tenant's legal rate rows (collection/charge_rates.h) on SQLite and
// PostgreSQL: adding (validated, audited, no overlap), listing with the
// shipped rows, tenant isolation, and the quote reading them.
#include "collection/charge_rates.h"

#include <gtest/gtest.h>

#include "store/tenants.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

AuditContext Audit(Language language = Language::kEnglish) {
  return AuditContext{"cli:ana", "2026-12-03T15:00:00Z", "charge_rates_test", language};
}

ChargeRateInput Row(std::string country, std::string kind, std::string from, std::string to, std::string rate,
                    std::string source = "Resolución 9999 de 2026 (test)") {
  return ChargeRateInput{std::move(country), std::move(kind), std::move(from),
                         std::move(to),      std::move(rate), std::move(source)};
}

compliance::ChargesQuoteRequest CoRequest(std::string_view from, std::string_view to) {
  compliance::ChargesQuoteRequest request;
  request.country = "CO";
  request.amount = *Money::Parse("1000000", *Currency::FromCode("COP"));
  request.from = *Date::ParseIso(from);
  request.to = *Date::ParseIso(to);
  return request;
}

class ChargeRatesStorage : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }
  std::unique_ptr<TestDatabase> db_;
};

// A month we do not ship (2026-10) is refused until the tenant adds it; then
// the quote uses it, and the row is audited with its actor.
TEST_P(ChargeRatesStorage, AddedMonthFeedsTheQuote) {
  Database& database = db_->database();
  auto before = QuoteChargesForTenant(database, 1, CoRequest("2026-09-30", "2026-10-10"), Language::kEnglish);
  ASSERT_FALSE(before.has_value());
  EXPECT_NE(before.error().error.message.find("no certified usury rate for 2026-10"), std::string::npos);

  auto added = AddChargeRate(database, 1, Row("co", "usury", "2026-10-01", "2026-10-31", "30.00"), Audit());
  ASSERT_TRUE(added.has_value()) << added.error().error.message;
  EXPECT_GT(added->row.id, 0);
  EXPECT_EQ(added->row.country, "CO");
  EXPECT_EQ(added->created_by, "cli:ana");

  auto quote = QuoteChargesForTenant(database, 1, CoRequest("2026-09-30", "2026-10-10"), Language::kEnglish);
  ASSERT_TRUE(quote.has_value()) << quote.error().error.message;
  ASSERT_EQ(quote->periods.size(), 1u);
  EXPECT_EQ(quote->periods[0].annual_rate, *compliance::Rate::ParsePercent("30"));
  EXPECT_EQ(quote->periods[0].cap_source, "Resolución 9999 de 2026 (test)");
  // 10 days at 30% EA: 1.30^(10/365) - 1 = 0.7213958169% -> 7,213.96.
  EXPECT_EQ(quote->interest, *Money::Parse("7213.96", *Currency::FromCode("COP")));

  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'charge_rate' AND action = 'create' AND "
                       "tenant_id = 1"),
            1);
  EXPECT_EQ(db_->Text("SELECT actor FROM audit_log WHERE entity = 'charge_rate'"), "cli:ana");
  EXPECT_EQ(db_->Count("SELECT rate_micro_percent FROM charge_rates"), 30'000'000);
}

TEST_P(ChargeRatesStorage, TenantRowWinsOverTheShippedOneForItsMonth) {
  Database& database = db_->database();
  ASSERT_TRUE(AddChargeRate(database, 1, Row("CO", "ibc", "2024-01-01", "2024-01-31", "20.00"), Audit()));
  auto quote = QuoteChargesForTenant(database, 1, CoRequest("2024-01-20", "2024-02-10"), Language::kEnglish);
  ASSERT_TRUE(quote.has_value()) << quote.error().error.message;
  ASSERT_EQ(quote->periods.size(), 2u);
  // January: the tenant's IBC 20.00% -> usury 30.00% (not the shipped 34.98%).
  EXPECT_EQ(quote->periods[0].cap, *compliance::Rate::ParsePercent("30"));
  // February: shipped, 34.97% (Resolución 0150 de 2024).
  EXPECT_EQ(quote->periods[1].cap, *compliance::Rate::ParsePercent("34.97"));
}

TEST_P(ChargeRatesStorage, BadInputNamesTheFieldAndWritesNothing) {
  Database& database = db_->database();
  auto field_of = [&](ChargeRateInput input) {
    auto added = AddChargeRate(database, 1, input, Audit());
    EXPECT_FALSE(added.has_value());
    return added ? std::string("(added)") : added.error().field;
  };
  EXPECT_EQ(field_of(Row("AR", "usury", "2026-10-01", "2026-10-31", "30")), "country");
  EXPECT_EQ(field_of(Row("CO", "interest", "2026-10-01", "2026-10-31", "30")), "kind");
  EXPECT_EQ(field_of(Row("CO", "ecb_reference", "2026-10-01", "2026-10-31", "30")), "kind");
  EXPECT_EQ(field_of(Row("CO", "usury", "2026-10-32", "2026-10-31", "30")), "valid_from");
  EXPECT_EQ(field_of(Row("CO", "usury", "2026-10-01", "2026-09-30", "30")), "valid_to");
  EXPECT_EQ(field_of(Row("CO", "usury", "2026-10-05", "2026-10-31", "30")), "valid_from");         // not a whole month
  EXPECT_EQ(field_of(Row("ES", "ecb_reference", "2026-07-01", "2026-09-30", "2")), "valid_from");  // not a half
  EXPECT_EQ(field_of(Row("CO", "usury", "2026-10-01", "2026-10-31", "30,5")), "rate");
  EXPECT_EQ(field_of(Row("CO", "usury", "2026-10-01", "2026-10-31", "30", "  ")), "source");
  EXPECT_EQ(field_of(Row("CO", "usury", "2026-10-01", "2026-10-31", "30", std::string(501, 'x'))), "source");
  auto spanish =
      AddChargeRate(database, 1, Row("CO", "interest", "2026-10-01", "2026-10-31", "30"), Audit(Language::kSpanish));
  ASSERT_FALSE(spanish.has_value());
  EXPECT_NE(spanish.error().error.message.find("no es un tipo de tasa"), std::string::npos);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM charge_rates"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'charge_rate'"), 0);
}

TEST_P(ChargeRatesStorage, OverlappingRowIsAConflict) {
  Database& database = db_->database();
  ASSERT_TRUE(AddChargeRate(database, 1, Row("US", "us_state_cap", "2020-01-01", "2030-12-31", "16"), Audit()));
  auto overlap = AddChargeRate(database, 1, Row("US", "us_state_cap", "2025-01-01", "2025-12-31", "18"), Audit());
  ASSERT_FALSE(overlap.has_value());
  EXPECT_EQ(overlap.error().error.code, ErrorCode::kConflict);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM charge_rates"), 1);
  // Another kind for the same days is fine.
  EXPECT_TRUE(AddChargeRate(database, 1, Row("MX", "max_rate", "2025-01-01", "2025-12-31", "36"), Audit()));
}

TEST_P(ChargeRatesStorage, ListAndTenantIsolation) {
  Database& database = db_->database();
  auto other = CreateTenant(database, NewTenant{"Otra S.A.S.", "", "CO", "COP", "America/Bogota"},
                            AuditContext{"test", "2026-12-03T15:00:00Z", "test", Language::kEnglish});
  ASSERT_TRUE(other.has_value()) << other.error().message;
  ASSERT_TRUE(AddChargeRate(database, other->id, Row("CO", "usury", "2026-10-01", "2026-10-31", "30"), Audit()));

  // Tenant 1 sees none of the other tenant's rows, and its quote for 2026-10 is still refused.
  ChargeRateFilter tenant_only;
  tenant_only.tenant_only = true;
  auto mine = ListChargeRates(database, 1, tenant_only);
  ASSERT_TRUE(mine.has_value());
  EXPECT_TRUE(mine->empty());
  EXPECT_FALSE(QuoteChargesForTenant(database, 1, CoRequest("2026-09-30", "2026-10-10"), Language::kEnglish));
  EXPECT_TRUE(QuoteChargesForTenant(database, other->id, CoRequest("2026-09-30", "2026-10-10"), Language::kEnglish));

  // The list: shipped rows first for a day, then the tenant's; filters by country and kind.
  ChargeRateFilter co_usury;
  co_usury.country = "co";
  co_usury.kind = compliance::RateKind::kUsury;
  auto theirs = ListChargeRates(database, other->id, co_usury);
  ASSERT_TRUE(theirs.has_value());
  ASSERT_EQ(theirs->size(), 46u);  // 45 shipped months + the tenant's October 2026
  EXPECT_EQ(theirs->front().row.valid_from.ToIso(), "2023-01-01");
  EXPECT_EQ(theirs->back().row.origin, compliance::RateOrigin::kTenant);
  EXPECT_EQ(theirs->back().row.valid_from.ToIso(), "2026-10-01");
  const nlohmann::json json = ChargeRateJson(theirs->back());
  EXPECT_EQ(json["origin"], "tenant");
  EXPECT_EQ(json["rate"], "30.00");
  EXPECT_TRUE(ChargeRateJson(theirs->front())["id"].is_null());
}

INSTANTIATE_TEST_SUITE_P(Backends, ChargeRatesStorage, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
