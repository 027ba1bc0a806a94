#include "templates/gsm7.h"

#include <gtest/gtest.h>

namespace cartera::templates {
namespace {

TEST(Gsm7, CountsBasicCharactersOnce) {
  EXPECT_EQ(Gsm7Septets(""), 0u);
  EXPECT_EQ(Gsm7Septets("Hola, $ 1.250.000"), 17u);
  // Spanish letters in the basic table: é ñ ü ¿ ¡ (and É Ñ Ü).
  EXPECT_EQ(Gsm7Septets("¿Señor Pérez? ¡Gracias! pingüino"), 32u);
  EXPECT_EQ(Gsm7Septets("@£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"), 28u);
  EXPECT_EQ(Gsm7Septets("line\nline"), 9u);
}

TEST(Gsm7, ExtensionCharactersTakeTwo) {
  EXPECT_EQ(Gsm7Septets("€"), 2u);
  EXPECT_EQ(Gsm7Septets("1.250,00 €"), 11u);
  EXPECT_EQ(Gsm7Septets("[x]{y}|~^\\"), 2u * 8 + 2);
}

TEST(Gsm7, RejectsWhatForcesUcs2) {
  EXPECT_EQ(Gsm7Septets("días"), std::nullopt);  // í is not GSM-7
  EXPECT_EQ(Gsm7Septets("está"), std::nullopt);
  EXPECT_EQ(Gsm7Septets("jurídico"), std::nullopt);
  EXPECT_EQ(Gsm7Septets("`"), std::nullopt);
  EXPECT_EQ(Gsm7Septets("\xF0\x9F\x98\x80"), std::nullopt);  // emoji
  EXPECT_EQ(Gsm7Septets("\xC3"), std::nullopt);              // truncated UTF-8
  EXPECT_EQ(Gsm7Septets("\xFF"), std::nullopt);
}

}  // namespace
}  // namespace cartera::templates
