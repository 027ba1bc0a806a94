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

TEST(MeasureSms, SegmentsInGsm7AndUcs2) {
  EXPECT_EQ(MeasureSms("").segments, 0u);
  EXPECT_EQ(MeasureSms(std::string(160, 'a')).segments, 1u);
  EXPECT_EQ(MeasureSms(std::string(161, 'a')).segments, 2u);  // 153 per part once split
  EXPECT_EQ(MeasureSms(std::string(306, 'a')).segments, 2u);
  EXPECT_EQ(MeasureSms(std::string(307, 'a')).segments, 3u);
  EXPECT_EQ(MeasureSms(std::string(80, 'a') + "€").units, 82u);  // the euro sign takes two septets
  const SmsLength accented = MeasureSms("días" + std::string(66, 'a'));
  EXPECT_EQ(accented.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(accented.units, 70u);
  EXPECT_EQ(accented.segments, 1u);
  EXPECT_EQ(MeasureSms("días" + std::string(67, 'a')).segments, 2u);  // 67 per part
  EXPECT_EQ(MeasureSms("\xF0\x9F\x98\x80").units, 2u);             // an emoji is a surrogate pair
}

}  // namespace
}  // namespace cartera::templates
