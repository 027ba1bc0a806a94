#include "report/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace cartera {
namespace {

std::string Row(const std::vector<std::string>& cells) {
  std::ostringstream out;
  WriteCsvRow(out, cells);
  return out.str();
}

// Regression (issue 14): names such as =HYPERLINK(...) were written as is,
// and a spreadsheet ran them. One line per cell: what is written for it.
TEST(CsvWriterTest, NeutralisesCellsASpreadsheetWouldRun) {
  const struct {
    std::string cell, written;
  } kCases[] = {
      {"=HYPERLINK(\"http://evil.example\",\"pagar\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"pagar\"\")\""},
      {"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
      {"+573001234567", "'+573001234567"},
      {"-2+3", "'-2+3"},
      {"-", "'-"},
      {"\tTAB", "'\tTAB"},
      {"\r=1", "\"'\r=1\""},
      {"-12.50", "-12.50"},  // an amount stays a number
      {"-7", "-7"},
      {"1250000.00", "1250000.00"},
      {"-.5", "'-.5"},
      {"Ferretería Ñandú S.A.S.", "Ferretería Ñandú S.A.S."},
      {"a=b", "a=b"},  // only the first character matters
      {"", ""},
      {"x,y", "\"x,y\""},
  };
  for (const auto& test : kCases) EXPECT_EQ(Row({test.cell}), test.written + "\n") << test.cell;
}

TEST(CsvWriterTest, AmountsWrittenAsMinorUnitsAreNeverTouched) {
  std::ostringstream out;
  {
    CsvWriter csv(out);
    csv.Field("=1");
    csv.MinorUnits(-1250, 2);
    csv.Integer(-3);
    csv.EndRow();
  }
  EXPECT_EQ(out.str(), "'=1,-12.50,-3\n");
}

}  // namespace
}  // namespace cartera
