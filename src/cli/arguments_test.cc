#include "cli/arguments.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace cartera {
namespace {

std::optional<std::string> Check(std::vector<const char*> arguments, Language language) {
  arguments.insert(arguments.begin(), "cartera");
  return CheckArguments(static_cast<int>(arguments.size()), arguments.data(), language);
}

TEST(Arguments, LanguageComesFromTheCommandLineFirst) {
  setenv("CARTERA_LANG", "es", 1);
  const char* english[] = {"cartera", "--lang", "en", "summary"};
  EXPECT_EQ(LanguageFromArguments(4, english), Language::kEnglish);
  const char* equals[] = {"cartera", "--lang=en", "summary"};
  EXPECT_EQ(LanguageFromArguments(3, equals), Language::kEnglish);
  const char* none[] = {"cartera", "summary"};
  EXPECT_EQ(LanguageFromArguments(2, none), Language::kSpanish);
  unsetenv("CARTERA_LANG");
}

// `dispute open I9 --reason $'mala\xff'` aborted with 134; a note with a line
// break or an escape sequence was stored and printed raw.
TEST(Arguments, EveryArgumentIsUtf8TextWithoutControlCharacters) {
  EXPECT_FALSE(Check({"dispute", "open", "I9", "--reason", "mercancía defectuosa"}, Language::kSpanish));
  auto bad = Check({"dispute", "open", "I9", "--reason", "mala\xff"}, Language::kEnglish);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("argument 5 (--reason)"), std::string::npos) << *bad;
  EXPECT_NE(bad->find("is not valid UTF-8"), std::string::npos) << *bad;
  auto spanish = Check({"promise", "add", "C1", "--note", "una\nlínea"}, Language::kSpanish);
  ASSERT_TRUE(spanish);
  EXPECT_NE(spanish->find("contiene un carácter de control (U+000A)"), std::string::npos) << *spanish;
  EXPECT_TRUE(Check({"task", "assign", "1", "\x1b[31mana"}, Language::kEnglish));
  EXPECT_TRUE(Check({"customers", "--country", "C\x7f"}, Language::kEnglish));
  // Line breaks only where a field spans lines.
  EXPECT_FALSE(Check({"company", "set", "--address", "Calle 1\r\nBogotá"}, Language::kEnglish));
  EXPECT_FALSE(Check({"company", "set", "--payment-instructions=Banco\nCuenta 1"}, Language::kEnglish));
  EXPECT_TRUE(Check({"company", "set", "--address", "Calle 1\n\x1b[2J"}, Language::kEnglish));
  EXPECT_TRUE(Check({"company", "set", "--city", "Bogotá\nD.C."}, Language::kEnglish));
}

TEST(Arguments, OptionErrorsInSpanish) {
  EXPECT_EQ(ParseErrorMessage(CLI::RequiredError("--reason"), Language::kSpanish), "falta --reason");
  EXPECT_EQ(ParseErrorMessage(CLI::RequiredError::Subcommand(1), Language::kSpanish), "falta el comando (vea --help)");
  EXPECT_EQ(ParseErrorMessage(CLI::ExtrasError("summary", {"sobra"}), Language::kSpanish),
            "argumentos que no se esperaban: sobra");
  EXPECT_EQ(ParseErrorMessage(CLI::ValidationError("--days", "Value 0 not in range 1 to 3650"), Language::kSpanish),
            "--days: 0 no está entre 1 y 3650");
  EXPECT_EQ(ParseErrorMessage(CLI::ConversionError("--limit", std::vector<std::string>{"abc"}), Language::kSpanish),
            "--limit: 'abc' no es un valor válido");
  EXPECT_EQ(ParseErrorMessage(CLI::RequiredError("--reason"), Language::kEnglish), "--reason is required");
}

TEST(Arguments, ValidatorsSpeakTheCliLanguage) {
  SetCliLanguage(Language::kEnglish);
  std::string negative = "-1", zero = "0", port = "99999", good_port = "587", bogus = "bogus", open = "open";
  EXPECT_EQ(NotNegative()(negative), "'-1' must be a whole number, 0 or more");
  EXPECT_EQ(NotNegative()(zero), "");
  EXPECT_EQ(PortNumber()(port), "'99999' is not a TCP port (1 to 65535)");
  EXPECT_EQ(PortNumber()(good_port), "");
  EXPECT_EQ(OneOf({"open", "resolved"})(bogus), "'bogus' is not a valid value; use open or resolved");
  EXPECT_EQ(OneOf({"open", "resolved"})(open), "");
  SetCliLanguage(Language::kSpanish);
  EXPECT_EQ(PortNumber()(port), "'99999' no es un puerto TCP (1 a 65535)");
}

TEST(Arguments, JsonWithInvalidStoredTextIsReplacedNotThrown) {
  nlohmann::json value = {{"note", std::string("mala\xff")}};
  EXPECT_EQ(DumpJson(value), "{\n  \"note\": \"mala\xEF\xBF\xBD\"\n}");
}

}  // namespace
}  // namespace cartera
