// Migrations that rebuild a table must carry its rows over unchanged, on
// SQLite and PostgreSQL: a database made by an older cartera is upgraded
// on its first use by a newer one.
#include <gtest/gtest.h>

#include <string>

#include "store/migrations.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

using MigrationsTest = ::testing::TestWithParam<Backend>;

// Migration 19 rebuilds invoices on PostgreSQL (narrower row, TIMESTAMPTZ
// timestamps); on SQLite it changes nothing. Either way every value, id and
// index survives, and ids are never handed out twice.
TEST_P(MigrationsTest, InvoicesKeepTheirRowsIdsAndIndexesThroughMigration19) {
  std::string reason;
  auto db = TestDatabase::Create(GetParam(), reason, /*schema_version=*/18);
  if (!db) GTEST_SKIP() << reason;
  const std::string columns =
      "INSERT INTO invoices (tenant_id, external_id, customer_id, number, issue_date, due_date, currency, "
      "amount_minor, description, attributes, open_minor, last_allocation_date, created_at, updated_at) VALUES ";
  ASSERT_TRUE(db->database()
                  .Execute(columns +
                           "(1, 'F-1', 7, 'FV-1', '2025-01-10', '2025-02-09', 'COP', 150000, 'Servicios', "
                           "'{\"zona\":\"norte\"}', 50000, '2025-02-01', '2025-01-10T08:00:00Z', "
                           "'2025-02-01T09:30:00Z'), "
                           "(1, 'F-2', 7, 'FV-2', '2025-01-11', '2025-02-10', 'USD', 2500, NULL, NULL, 2500, NULL, "
                           "'2025-01-11T08:00:00Z', '2025-01-11T08:00:00Z'), "
                           "(1, 'F-3', 8, 'FV-3', '2025-01-12', '2025-02-11', 'COP', 100, NULL, NULL, 0, "
                           "'2025-01-20', '2025-01-12T08:00:00Z', '2025-01-20T08:00:00Z')")
                  .has_value());
  ASSERT_TRUE(db->database().Execute("DELETE FROM invoices WHERE external_id = 'F-3'").has_value());

  auto migrated = ApplyMigrations(db->database());
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(db->Count("SELECT MAX(version) FROM schema_migrations"), LatestSchemaVersion());

  EXPECT_EQ(db->Count("SELECT id FROM invoices WHERE tenant_id = 1 AND external_id = 'F-1' AND customer_id = 7 AND "
                      "number = 'FV-1' AND issue_date = '2025-01-10' AND due_date = '2025-02-09' AND currency = 'COP' "
                      "AND amount_minor = 150000 AND description = 'Servicios' AND attributes = '{\"zona\":\"norte\"}' "
                      "AND open_minor = 50000 AND last_allocation_date = '2025-02-01' AND "
                      "created_at = '2025-01-10T08:00:00Z' AND updated_at = '2025-02-01T09:30:00Z'"),
            1);
  EXPECT_EQ(db->Count("SELECT id FROM invoices WHERE external_id = 'F-2' AND currency = 'USD' AND description IS NULL "
                      "AND attributes IS NULL AND last_allocation_date IS NULL AND created_at = updated_at"),
            2);
  EXPECT_EQ(db->Count("SELECT COUNT(*) FROM invoices"), 2);

  const bool postgres = GetParam() == Backend::kPostgres;
  EXPECT_EQ(db->Count(postgres ? "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'invoices' AND indexname IN "
                                 "('invoices_pkey', 'invoices_by_customer', 'invoices_by_external_id', "
                                 "'invoices_open', 'invoices_settled')"
                               : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' "
                                 "AND name IN ('invoices_by_customer', 'invoices_by_external_id', 'invoices_open', "
                                 "'invoices_settled')"),
            postgres ? 5 : 4);
  // The open-invoice index still answers for the open ones only.
  EXPECT_EQ(db->Count("SELECT COUNT(*) FROM invoices WHERE tenant_id = 1 AND open_minor <> 0"), 2);

  // A new invoice takes an id past every id ever handed out: PostgreSQL's
  // identity carried F-3's id (deleted) over; SQLite's rowid never had it.
  ASSERT_TRUE(db->database()
                  .Execute(columns +
                           "(1, 'F-4', 7, 'FV-4', '2025-03-01', '2025-03-31', 'COP', 900, NULL, NULL, 900, NULL, "
                           "'2025-03-01T08:00:00Z', '2025-03-01T08:00:00Z')")
                  .has_value());
  EXPECT_EQ(db->Count("SELECT id FROM invoices WHERE external_id = 'F-4'"), postgres ? 4 : 3);
  // A duplicate external id is still refused.
  EXPECT_FALSE(db->database()
                   .Execute(columns +
                            "(1, 'F-4', 7, 'FV-5', '2025-03-01', '2025-03-31', 'COP', 900, NULL, NULL, 900, NULL, "
                            "'2025-03-01T08:00:00Z', '2025-03-01T08:00:00Z')")
                   .has_value());
  if (postgres) {
    EXPECT_EQ(db->Count("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'invoices' AND "
                        "column_name IN ('created_at', 'updated_at') AND data_type = 'timestamp with time zone'"),
              2);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
