#include "delivery/signed_token.h"

#include <gtest/gtest.h>

#include "core/time_zone.h"

namespace cartera::delivery {
namespace {

class SignedTokenTest : public ::testing::Test {
 protected:
  SecretKey key_ = *ParseSecretKey(std::string(64, 'c'));
  Timestamp now_ = *ParseUtc("2026-11-22T08:00:00Z");
  Timestamp later_ = *ParseUtc("2026-12-22T08:00:00Z");
};

TEST_F(SignedTokenTest, VerifiesItsClaimsUntilItExpires) {
  const nlohmann::json claims = {{"tenant", 1}, {"customer", 42}, {"invoices", {7, 9}}};
  const std::string token = SignToken(key_, TokenPurpose::kPaymentLink, claims, later_);
  EXPECT_EQ(token.find_first_of("+/= "), std::string::npos) << "URL-safe";
  auto verified = VerifyToken(key_, TokenPurpose::kPaymentLink, token, now_);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(*verified, claims);
  auto expired = VerifyToken(key_, TokenPurpose::kPaymentLink, token, later_ + std::chrono::seconds(1));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "the link has expired");
}

TEST_F(SignedTokenTest, RefusesAnotherPurposeAnotherKeyAndAlterations) {
  const std::string token = SignToken(key_, TokenPurpose::kUnsubscribe, {{"customer", 42}}, later_);
  EXPECT_FALSE(VerifyToken(key_, TokenPurpose::kPaymentLink, token, now_));
  EXPECT_FALSE(VerifyToken(*ParseSecretKey(std::string(64, 'd')), TokenPurpose::kUnsubscribe, token, now_));
  // Another customer's claims with this signature.
  const std::string other = SignToken(key_, TokenPurpose::kUnsubscribe, {{"customer", 43}}, later_);
  const std::string forged = other.substr(0, other.find('.')) + token.substr(token.find('.'));
  EXPECT_FALSE(VerifyToken(key_, TokenPurpose::kUnsubscribe, forged, now_));
  EXPECT_FALSE(VerifyToken(key_, TokenPurpose::kUnsubscribe, "no-dot", now_));
  EXPECT_FALSE(VerifyToken(key_, TokenPurpose::kUnsubscribe, token + "x", now_));
}

}  // namespace
}  // namespace cartera::delivery
