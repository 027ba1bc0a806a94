// Bulk inserts (the BulkWriter port) and whole reads (Database::ReadAll) on
// SQLite and PostgreSQL. PostgreSQL sends rows in COPY's binary format when
// it knows every column's type and in the text format otherwise, and reads
// with COPY TO: every way must keep each value exactly as it was.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

using Row = std::vector<std::optional<std::string_view>>;

class BulkInsertTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }

  Status Load(std::string_view table, const std::vector<std::string>& columns, const std::vector<Row>& rows) {
    auto writer = db_->database().BulkInsert(table, columns);
    if (!writer) return Fail(writer.error());
    for (const Row& row : rows) {
      if (auto added = (*writer)->Add(row); !added) return added;
    }
    return (*writer)->Finish();
  }

  // Every column of one row as text ("NULL" for NULL), to compare with
  // what was loaded.
  std::string RowText(std::string_view sql) {
    auto query = db_->database().Prepare(sql);
    EXPECT_TRUE(query) << query.error().message;
    if (!query) return {};
    auto has_row = (*query)->Step();
    EXPECT_TRUE(has_row && *has_row);
    if (!has_row || !*has_row) return {};
    std::string text;
    for (int column = 0; column < 7; ++column) {
      if (column > 0) text += '|';
      text += (*query)->IsNull(column) ? "NULL" : std::string((*query)->GetText(column));
    }
    return text;
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(BulkInsertTest, StoresEveryValueAsGiven) {
  ASSERT_TRUE(db_->database()
                  .Execute("CREATE TABLE loaded (n INTEGER NOT NULL, small SMALLINT, big BIGINT, day DATE, "
                           "note TEXT, code CHAR(3), label VARCHAR(40))")
                  .has_value());
  const std::vector<std::string> columns = {"n", "small", "big", "day", "note", "code", "label"};
  ASSERT_TRUE(Load("loaded", columns,
                   {
                       {"1", "-32768", "-9223372036854775808", "1999-12-31", "tab\there", "COP", "Ñandú"},
                       {"2", "32767", "9223372036854775807", "2000-01-01", "line\nbreak\\slash", "USD", ""},
                       {"3", "0", "0", "2024-02-29", "retorno\r", "KWD", "x"},
                       {"4", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                       {"-2147483648", "7", "-1", "1900-03-01", "\\N", "CLP", "\\."},
                   })
                  .has_value());
  const std::string select = "SELECT n, small, big, day, note, code, label FROM loaded WHERE n = ";
  EXPECT_EQ(RowText(select + "1"), "1|-32768|-9223372036854775808|1999-12-31|tab\there|COP|Ñandú");
  EXPECT_EQ(RowText(select + "2"), "2|32767|9223372036854775807|2000-01-01|line\nbreak\\slash|USD|");
  EXPECT_EQ(RowText(select + "3"), "3|0|0|2024-02-29|retorno\r|KWD|x");
  EXPECT_EQ(RowText(select + "4"), "4|NULL|NULL|NULL|NULL|NULL|NULL");
  EXPECT_EQ(RowText(select + "-2147483648"), "-2147483648|7|-1|1900-03-01|\\N|CLP|\\.");
}

// Timestamps as Cartera writes them (UTC, ISO 8601): TIMESTAMPTZ on
// PostgreSQL (invoices since migration 19), text on SQLite.
TEST_P(BulkInsertTest, StoresUtcTimesAsGiven) {
  const bool postgres = GetParam() == Backend::kPostgres;
  ASSERT_TRUE(db_->database()
                  .Execute(fmt::format("CREATE TABLE stamped (n BIGINT, at {})", postgres ? "TIMESTAMPTZ" : "TEXT"))
                  .has_value());
  ASSERT_TRUE(Load("stamped", {"n", "at"},
                   {{"1", "2026-11-22T10:15:30Z"},
                    {"2", "1999-12-31T23:59:59.5Z"},
                    {"3", "2000-01-01T00:00:00.000001Z"},
                    {"4", std::nullopt}})
                  .has_value());
  EXPECT_EQ(db_->Count("SELECT n FROM stamped WHERE at = '2026-11-22T10:15:30Z'"), 1);
  EXPECT_EQ(db_->Count("SELECT n FROM stamped WHERE at = '1999-12-31T23:59:59.5Z'"), 2);
  EXPECT_EQ(db_->Count("SELECT n FROM stamped WHERE at = '2000-01-01T00:00:00.000001Z'"), 3);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM stamped WHERE at IS NULL"), 1);
  if (postgres) {  // the instant itself, whatever the session's time zone
    EXPECT_EQ(db_->Count("SELECT CAST(EXTRACT(EPOCH FROM at) AS BIGINT) FROM stamped WHERE n = 1"), 1795342530);
    EXPECT_EQ(db_->Count("SELECT CAST(FLOOR(EXTRACT(EPOCH FROM at)) AS BIGINT) FROM stamped WHERE n = 2"), 946684799);
  }
}

// A type PostgreSQL's binary COPY is not given here (NUMERIC) makes the
// whole load use the text format.
TEST_P(BulkInsertTest, LoadsColumnsOfOtherTypesToo) {
  ASSERT_TRUE(db_->database().Execute("CREATE TABLE priced (n BIGINT, price NUMERIC(12,2), day DATE)").has_value());
  ASSERT_TRUE(Load("priced", {"n", "price", "day"}, {{"1", "12.50", "2025-06-30"}, {"2", std::nullopt, "2001-02-03"}})
                  .has_value());
  EXPECT_EQ(db_->Count("SELECT CAST(price * 100 AS INTEGER) FROM priced WHERE n = 1 AND day = '2025-06-30'"), 1250);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM priced WHERE n = 2 AND price IS NULL AND day = '2001-02-03'"), 1);
}

TEST_P(BulkInsertTest, AValueTheColumnCannotHoldFailsTheLoadAndNamesTheColumn) {
  if (GetParam() == Backend::kSqlite) GTEST_SKIP() << "SQLite stores any value in any column (type affinity)";
  ASSERT_TRUE(db_->database().Execute("CREATE TABLE strict (n BIGINT, day DATE, at TIMESTAMPTZ)").has_value());
  const std::string at = "2025-01-01T08:00:00Z";
  for (const Row& bad : {Row{"12x", "2025-01-01", at}, Row{"1", "2025-02-30", at}, Row{"1", "31/01/2025", at},
                         Row{"1", "2025-01-01", "2025-01-01 08:00:00"}, Row{"1", "2025-01-01", "2025-01-01T24:00:00Z"},
                         Row{"1", "2025-01-01", "2025-01-01T08:00:00.1234567Z"}}) {
    auto loaded = Load("strict", {"n", "day", "at"}, {{"1", "2025-01-01", at}, bad});
    ASSERT_FALSE(loaded);
    const std::string column = bad[0] == "12x"   ? "column n: '12x'"
                               : bad[2] == at    ? fmt::format("column day: '{}'", *bad[1])
                                                 : fmt::format("column at: '{}'", *bad[2]);
    EXPECT_NE(loaded.error().message.find(column), std::string::npos) << loaded.error().message;
    EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM strict"), 0);
  }
}

TEST_P(BulkInsertTest, ReadAllGivesEveryRowBackAsText) {
  ASSERT_TRUE(db_->database().Execute("CREATE TABLE kept (n BIGINT, note TEXT, day DATE)").has_value());
  ASSERT_TRUE(Load("kept", {"n", "note", "day"},
                   {{"1", "tab\there, line\nbreak", "2025-01-31"},
                    {"2", "back\\slash \\N \\t", std::nullopt},
                    {"3", std::nullopt, "1999-12-31"},
                    {"4", "Ñandú", "2000-02-29"},
                    {"5", "", "2025-06-01"}})
                  .has_value());
  std::vector<std::string> rows;
  auto read = db_->database().ReadAll("SELECT n, note, day FROM kept ORDER BY n", [&](const Database::RowValues& row) {
    std::string text;
    for (const auto& value : row) text += (text.empty() ? "" : "|") + std::string(value.value_or("NULL"));
    rows.push_back(text);
    return Status();
  });
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(rows, (std::vector<std::string>{"1|tab\there, line\nbreak|2025-01-31", "2|back\\slash \\N \\t|NULL",
                                            "3|NULL|1999-12-31", "4|Ñandú|2000-02-29", "5||2025-06-01"}));
  // A row the caller refuses ends the read with the caller's error.
  int seen = 0;
  read = db_->database().ReadAll("SELECT n FROM kept ORDER BY n", [&](const Database::RowValues&) -> Status {
    return ++seen == 2 ? Fail(Error::BadInput("enough")) : Status();
  });
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "enough");
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM kept"), 5);  // the connection is usable again
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkInsertTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
