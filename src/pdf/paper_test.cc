#include "pdf/paper.h"

#include <gtest/gtest.h>

namespace cartera::pdf {
namespace {

TEST(PaperTest, LetterWhereItIsTheEverydayPaperA4Elsewhere) {
  for (const char* country : {"US", "CA", "MX", "CO", "CL", "PH", "VE", "PA"}) {
    EXPECT_EQ(DefaultPaperFor(country), Paper::kLetter) << country;
  }
  for (const char* country : {"ES", "PE", "AR", "EC", "DE", "", "XX"}) {
    EXPECT_EQ(DefaultPaperFor(country), Paper::kA4) << country;
  }
}

TEST(PaperTest, SizesInPoints) {
  EXPECT_DOUBLE_EQ(SizeOf(Paper::kA4).width_pt, 595.276);
  EXPECT_DOUBLE_EQ(SizeOf(Paper::kA4).height_pt, 841.89);
  EXPECT_DOUBLE_EQ(SizeOf(Paper::kLetter).width_pt, 612.0);
  EXPECT_DOUBLE_EQ(SizeOf(Paper::kLetter).height_pt, 792.0);
}

TEST(PaperTest, Parse) {
  EXPECT_EQ(ParsePaper("a4"), Paper::kA4);
  EXPECT_EQ(ParsePaper("Letter"), Paper::kLetter);
  EXPECT_EQ(ParsePaper("carta"), std::nullopt);
  EXPECT_EQ(ParsePaper(""), std::nullopt);
  EXPECT_EQ(PaperName(Paper::kLetter), "letter");
}

}  // namespace
}  // namespace cartera::pdf
