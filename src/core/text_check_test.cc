#include "core/text_check.h"

#include <gtest/gtest.h>

namespace cartera {
namespace {

// One line per case: the text, and the problem found ("" for none).
TEST(TextCheckTest, FindsControlCharactersAndInvalidUtf8) {
  const struct {
    std::string_view text;
    std::string_view problem;  // as DescribeTextProblem words it in English
  } kCases[] = {
      {"Ferretería Ñandú S.A.S.", ""},
      {"日本語 and emoji 😀", ""},
      {"", ""},
      {std::string_view("a\0b", 3), "contains a control character (U+0000) at byte 2"},
      {"a\tb", "contains a control character (U+0009) at byte 2"},
      {"line\r\nbreak", "contains a control character (U+000D) at byte 5"},
      {"\x1b[31mred", "contains a control character (U+001B) at byte 1"},
      {"del\x7f", "contains a control character (U+007F) at byte 4"},
      {"c1 \xc2\x9b", "contains a control character (U+009B) at byte 4"},  // C1 CSI
      {"mala\xff", "is not valid UTF-8 (byte 5)"},
      {"\xc3", "is not valid UTF-8 (byte 1)"},              // truncated
      {"\xc0\xaf", "is not valid UTF-8 (byte 1)"},          // overlong '/'
      {"\xed\xa0\x80", "is not valid UTF-8 (byte 1)"},      // a surrogate
      {"\xf4\x90\x80\x80", "is not valid UTF-8 (byte 1)"},  // above U+10FFFF
      {"ok \xe2\x82", "is not valid UTF-8 (byte 4)"},
  };
  for (const auto& test : kCases) {
    auto problem = FindTextProblem(test.text);
    EXPECT_EQ(problem ? DescribeTextProblem(*problem, Language::kEnglish) : "", test.problem) << test.text;
  }
  EXPECT_TRUE(IsCleanText("a\tb", TabRule::kAllowed));
  EXPECT_FALSE(IsCleanText("a\nb", TabRule::kAllowed));
}

TEST(TextCheckTest, EscapesWhatATerminalWouldObey) {
  EXPECT_EQ(EscapeForDisplay("billing>\r\nRCPT\tTO:<evil@attacker.example>"),
            "billing>\\r\\nRCPT\\tTO:<evil@attacker.example>");
  EXPECT_EQ(EscapeForDisplay("\x1b[2Jmala\xff Ñ"), "\\x1b[2Jmala\\xff Ñ");
  EXPECT_EQ(EscapeForDisplay(std::string(100, 'a'), 10), std::string(10, 'a') + "...");
  EXPECT_EQ(DescribeTextProblem(*FindTextProblem("a\nb"), Language::kSpanish),
            "contiene un carácter de control (U+000A) en el byte 2");
}

}  // namespace
}  // namespace cartera
