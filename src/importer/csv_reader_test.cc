#include "importer/csv_reader.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

namespace cartera {
namespace {

struct Record {
  int64_t line;
  std::vector<std::string> fields;
  bool operator==(const Record&) const = default;
};

void PrintTo(const Record& record, std::ostream* os) {
  *os << "line " << record.line << ":";
  for (const auto& field : record.fields) *os << " [" << field << "]";
}

// Reads everything, copying fields (views die at the next call).
Result<std::vector<Record>> ReadAll(CsvReader& reader) {
  std::vector<Record> records;
  CsvRow row;
  for (;;) {
    Result<bool> more = reader.Next(row);
    if (!more) return Fail(more.error());
    if (!*more) return records;
    records.push_back({row.line, {row.fields.begin(), row.fields.end()}});
  }
}

std::vector<Record> ParseOk(std::string content, std::optional<char> delimiter = std::nullopt,
                            size_t block_size = 0) {
  CsvReader reader = CsvReader::FromString(std::move(content), delimiter, block_size);
  auto records = ReadAll(reader);
  EXPECT_TRUE(records.has_value()) << records.error().message;
  return records.value_or(std::vector<Record>{});
}

std::string ParseError(std::string content, size_t block_size = 0) {
  CsvReader reader = CsvReader::FromString(std::move(content), std::nullopt, block_size);
  auto records = ReadAll(reader);
  if (records) return "no error";
  EXPECT_EQ(records.error().code, ErrorCode::kBadInput);
  return records.error().message;
}

TEST(CsvReaderTest, ParsesCommaSeparatedRecords) {
  EXPECT_EQ(ParseOk("id,amount\nINV-1,10.00\nINV-2,20.50\n"),
            (std::vector<Record>{{1, {"id", "amount"}}, {2, {"INV-1", "10.00"}}, {3, {"INV-2", "20.50"}}}));
}

TEST(CsvReaderTest, DetectsDelimiterFromHeader) {
  EXPECT_EQ(CsvReader::FromString("a;b;c\n1,5;2;3\n").delimiter(), ';');
  EXPECT_EQ(CsvReader::FromString("a,b;c\n").delimiter(), ',');      // tie
  EXPECT_EQ(CsvReader::FromString("single\n").delimiter(), ',');     // tie at zero
  EXPECT_EQ(CsvReader::FromString("\"x,y,z\";b\n").delimiter(), ';');  // quoted commas do not count
  EXPECT_EQ(CsvReader::FromString("\n\r\na;b\n").delimiter(), ';');  // leading empty lines skipped
  EXPECT_EQ(CsvReader::FromString("a;b\n1,2,3,4\n").delimiter(), ';');  // only the header counts
  EXPECT_EQ(CsvReader::FromString("").delimiter(), ',');
  EXPECT_EQ(ParseOk("id;amount\nINV-1;1250000,50\n"),
            (std::vector<Record>{{1, {"id", "amount"}}, {2, {"INV-1", "1250000,50"}}}));
}

TEST(CsvReaderTest, ExplicitDelimiterOverridesDetection) {
  CsvReader reader = CsvReader::FromString("a;b,c\n", ',');
  EXPECT_EQ(reader.delimiter(), ',');
  EXPECT_EQ(ReadAll(reader).value(), (std::vector<Record>{{1, {"a;b", "c"}}}));
  EXPECT_EQ(ParseOk("a,b;c\n", ';'), (std::vector<Record>{{1, {"a,b", "c"}}}));
}

TEST(CsvReaderTest, SkipsUtf8Bom) {
  CsvReader reader = CsvReader::FromString("\xEF\xBB\xBFid;name\n1;Peñalosa\n");
  EXPECT_EQ(reader.delimiter(), ';');
  EXPECT_EQ(ReadAll(reader).value(), (std::vector<Record>{{1, {"id", "name"}}, {2, {"1", "Peñalosa"}}}));
  EXPECT_EQ(ParseOk("\xEF\xBB\xBF"), std::vector<Record>{});
}

TEST(CsvReaderTest, QuotedFieldsHoldDelimitersNewlinesAndQuotes) {
  EXPECT_EQ(ParseOk("name,note\n"
                    "\"Pérez, Ana\",\"line one\nline two\"\n"
                    "\"say \"\"hi\"\"\",\"\"\n"
                    "\"\"\"\",x\n"
                    "after,end\n"),
            (std::vector<Record>{{1, {"name", "note"}},
                                 {2, {"Pérez, Ana", "line one\nline two"}},
                                 {4, {"say \"hi\"", ""}},
                                 {5, {"\"", "x"}},
                                 {6, {"after", "end"}}}));
}

TEST(CsvReaderTest, EscapedFieldsStayValidTogether) {
  // Several unescaped copies in one row must not invalidate each other.
  std::string line;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    line += (i ? "," : "") + std::string("\"a\"\"") + std::to_string(i) + "\"";
    expected.push_back("a\"" + std::to_string(i));
  }
  EXPECT_EQ(ParseOk(line + "\n" + line + "\n"), (std::vector<Record>{{1, expected}, {2, expected}}));
}

TEST(CsvReaderTest, HandlesCrlfAndLoneCr) {
  EXPECT_EQ(ParseOk("a,b\r\n1,2\r\n\r\n\"x\r\ny\",3\r\n4,5"),
            (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}, {4, {"x\r\ny", "3"}}, {6, {"4", "5"}}}));
  EXPECT_EQ(ParseOk("a,b\r1,2\r\r3,4\r"),
            (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}, {4, {"3", "4"}}}));
}

TEST(CsvReaderTest, FinalLineWithoutNewline) {
  EXPECT_EQ(ParseOk("a,b\n1,2"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}}));
  EXPECT_EQ(ParseOk("a,b\n\"1\",\"2\""), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}}));
  EXPECT_EQ(ParseOk("a,b\n1,"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", ""}}}));
}

TEST(CsvReaderTest, EmptyFieldsAndWhitespaceArePreserved) {
  EXPECT_EQ(ParseOk("a,b,c\n,,\n  x , y\t,\"\"\n   \n"),
            (std::vector<Record>{{1, {"a", "b", "c"}}, {2, {"", "", ""}}, {3, {"  x ", " y\t", ""}}, {4, {"   "}}}));
}

TEST(CsvReaderTest, UnquotedQuoteIsLiteral) {
  EXPECT_EQ(ParseOk("a,b\n12\" pipe,x\"y\"\n"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"12\" pipe", "x\"y\""}}}));
}

TEST(CsvReaderTest, SkipsEmptyLinesButCountsThem) {
  EXPECT_EQ(ParseOk("\n\na,b\n\n\n1,2\n\n"), (std::vector<Record>{{3, {"a", "b"}}, {6, {"1", "2"}}}));
  EXPECT_EQ(ParseOk(""), std::vector<Record>{});
  EXPECT_EQ(ParseOk("\n\r\n\n"), std::vector<Record>{});
}

TEST(CsvReaderTest, LineNumbersCountNewlinesInsideQuotes) {
  EXPECT_EQ(ParseOk("h1,h2\n\"a\nb\nc\",\"d\r\ne\"\n\nnext,row\n"),
            (std::vector<Record>{{1, {"h1", "h2"}}, {2, {"a\nb\nc", "d\r\ne"}}, {7, {"next", "row"}}}));
}

TEST(CsvReaderTest, UnterminatedQuoteNamesLines) {
  EXPECT_EQ(ParseError("a,b\n1,2\n3,\"open\n\nmore\n"),
            "<string>:3: unterminated quoted field (started on line 3)");
  EXPECT_EQ(ParseError("a,b\n\"x\ny\",\"open"), "<string>:2: unterminated quoted field (started on line 3)");
  EXPECT_EQ(ParseError("\""), "<string>:1: unterminated quoted field (started on line 1)");
}

TEST(CsvReaderTest, JunkAfterClosingQuote) {
  EXPECT_EQ(ParseError("a,b\n\"x\"y,2\n"), "<string>:2: unexpected character after closing quote in field 1");
  EXPECT_EQ(ParseError("a,b\n1,\"multi\nline\" \n"),
            "<string>:3: unexpected character after closing quote in field 2");
}

TEST(CsvReaderTest, ErrorsAreFinal) {
  CsvReader reader = CsvReader::FromString("a\n\"x\"y\nb\n");
  CsvRow row;
  ASSERT_TRUE(reader.Next(row).value());
  for (int i = 0; i < 2; ++i) {
    Result<bool> result = reader.Next(row);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message, "<string>:2: unexpected character after closing quote in field 1");
    EXPECT_TRUE(row.fields.empty());
  }
}

TEST(CsvReaderTest, RejectsInvalidUtf8) {
  EXPECT_EQ(ParseError("a,b,c\n1,2,x\xFFy\n"), "<string>:2: field 'c': is not valid UTF-8 (column 3)");
  EXPECT_EQ(ParseError("a,\xFF\n"), "<string>:1: invalid UTF-8 in field 2");  // the header names no column yet
  EXPECT_EQ(ParseError("a,b\n\"multi\nline \x80\",2\n"), "<string>:3: field 'a': is not valid UTF-8 (column 1)");
  EXPECT_EQ(ParseError("a\n\xC0\xAF\n"), "<string>:2: field 'a': is not valid UTF-8 (column 1)");      // overlong '/'
  EXPECT_EQ(ParseError("a\n\xED\xA0\x80\n"), "<string>:2: field 'a': is not valid UTF-8 (column 1)");  // surrogate
  EXPECT_EQ(ParseError("a\n\xF4\x90\x80\x80\n"), "<string>:2: field 'a': is not valid UTF-8 (column 1)");  // > U+10FFFF
  EXPECT_EQ(ParseError("a\n\xE2\x82"), "<string>:2: field 'a': is not valid UTF-8 (column 1)");  // truncated at end
  EXPECT_EQ(ParseError("a\n\xE2\x82,x\n"), "<string>:2: field 'a': is not valid UTF-8 (column 1)");
  EXPECT_EQ(ParseOk("a\n€ ñ 😀 \xEF\xBF\xBF\n"), (std::vector<Record>{{1, {"a"}}, {2, {"€ ñ 😀 \xEF\xBF\xBF"}}}));
}

// Every block size cuts records, quotes, CRLFs and UTF-8 sequences at every
// possible place; the result must match parsing the whole string at once.
TEST(CsvReaderTest, RecordsStraddlingBlockBoundaries) {
  const std::string content =
      "\xEF\xBB\xBFid;name;note\r\n"
      "INV-1;\"Peñalosa; Ana\";\"say \"\"hi\"\"\"\r\n"
      "\r\n"
      "INV-2;\"two\r\nlines\";€\r"
      "INV-3;;\"\"\"\"\n"
      "\n"
      "INV-4;a somewhat longer unquoted field than the block;😀\n"
      "INV-5;\"\";\"end\"";
  const std::vector<Record> expected = {
      {1, {"id", "name", "note"}},
      {2, {"INV-1", "Peñalosa; Ana", "say \"hi\""}},
      {4, {"INV-2", "two\r\nlines", "€"}},
      {6, {"INV-3", "", "\""}},
      {8, {"INV-4", "a somewhat longer unquoted field than the block", "😀"}},
      {9, {"INV-5", "", "end"}},
  };
  ASSERT_EQ(ParseOk(content), expected);
  for (size_t block = 1; block <= content.size() + 1; ++block) {
    SCOPED_TRACE(block);
    CsvReader reader = CsvReader::FromString(content, std::nullopt, block);
    EXPECT_EQ(reader.delimiter(), ';');
    EXPECT_EQ(ReadAll(reader).value(), expected);
  }
  for (size_t block : {1, 2, 3, 7}) {
    EXPECT_EQ(ParseError("a,b\n1,\"open\nx", block), "<string>:2: unterminated quoted field (started on line 2)");
    EXPECT_EQ(ParseError("a,b\n1,\"\xE2\x82\"\n", block), "<string>:2: field 'b': is not valid UTF-8 (column 2)");
  }
}

TEST(CsvReaderTest, RejectsRecordLargerThanLimit) {
  std::string content = "a\n\"";
  content.append(CsvReader::kMaxRecordBytes, 'x');
  EXPECT_EQ(ParseError(content, 1 << 16), "<string>:2: record longer than 16 MiB (unterminated quoted field?)");
}

TEST(CsvReaderTest, ViewsSurviveMovingTheReader) {
  CsvReader reader = CsvReader::FromString("a,b\n1,2\n");
  CsvRow row;
  ASSERT_TRUE(reader.Next(row).value());
  CsvReader moved = std::move(reader);
  EXPECT_EQ(row.fields, (std::vector<std::string_view>{"a", "b"}));
  ASSERT_TRUE(moved.Next(row).value());
  EXPECT_EQ(row.fields, (std::vector<std::string_view>{"1", "2"}));
}

class CsvReaderFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::path(::testing::TempDir()) / ("csv_reader_test_" + std::to_string(::getpid()) + ".csv");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void Write(const std::string& content) { std::ofstream(path_, std::ios::binary) << content; }
  std::filesystem::path path_;
};

TEST_F(CsvReaderFileTest, StreamsFileInSmallBlocks) {
  std::string content = "\xEF\xBB\xBFnumero;cliente;monto\n";
  std::vector<Record> expected = {{1, {"numero", "cliente", "monto"}}};
  for (int i = 1; i <= 200; ++i) {
    const std::string number = "F-" + std::to_string(i);
    content += number + ";\"Cliente " + std::to_string(i) + "\nS.A.S.\";" + std::to_string(i * 1000) + ",50\n";
    expected.push_back({2 * i, {number, "Cliente " + std::to_string(i) + "\nS.A.S.", std::to_string(i * 1000) + ",50"}});
  }
  Write(content);
  for (size_t block : {size_t{7}, CsvReader::kDefaultBlockSize}) {
    Result<CsvReader> reader = CsvReader::OpenFile(path_.string(), std::nullopt, block);
    ASSERT_TRUE(reader.has_value()) << reader.error().message;
    EXPECT_EQ(reader->source_name(), path_.string());
    EXPECT_EQ(reader->delimiter(), ';');
    EXPECT_EQ(ReadAll(*reader).value(), expected);
  }
}

TEST_F(CsvReaderFileTest, ErrorsNameThePath) {
  Write("a,b\n1,\"2\n");
  Result<CsvReader> reader = CsvReader::OpenFile(path_.string(), std::nullopt, 7);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(ReadAll(*reader).error().message, path_.string() + ":2: unterminated quoted field (started on line 2)");
}

TEST_F(CsvReaderFileTest, MissingFileIsNotFound) {
  Result<CsvReader> reader = CsvReader::OpenFile(path_.string());
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code, ErrorCode::kNotFound);
  EXPECT_NE(reader.error().message.find(path_.string()), std::string::npos);
}

}  // namespace
}  // namespace cartera
