#include "delivery/portal_link.h"

#include <gtest/gtest.h>

#include "core/time_zone.h"
#include "delivery/signed_token.h"

namespace cartera::delivery {
namespace {

class PortalLinkTest : public ::testing::Test {
 protected:
  SecretKey key_ = *ParseSecretKey(std::string(64, 'c'));
  Timestamp now_ = *ParseUtc("2026-11-22T08:00:00Z");
};

std::string TokenOf(const std::string& link) { return link.substr(link.rfind('/') + 1); }

TEST_F(PortalLinkTest, LinksToThePortalAndVerifiesForThirtyDays) {
  const std::string link = PortalLink(key_, 3, 42, "https://cobros.example.co/", now_);
  ASSERT_TRUE(link.starts_with("https://cobros.example.co/p/")) << link;
  auto claims = VerifyPortalToken(key_, TokenOf(link), now_ + std::chrono::days(30));
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->tenant_id, 3);
  EXPECT_EQ(claims->customer_id, 42);
  auto expired = VerifyPortalToken(key_, TokenOf(link), now_ + std::chrono::days(30) + std::chrono::seconds(1));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kBadInput);
  EXPECT_EQ(expired.error().message, "the link has expired");
}

TEST_F(PortalLinkTest, KeepsTheClaimsAMessageNames) {
  const std::string token = PortalToken(key_, 3, 42, now_ + std::chrono::hours(1),
                                        {{"invoices", {7, 9}}, {"currency", "COP"}, {"customer", 99}});
  auto raw = VerifyToken(key_, TokenPurpose::kPaymentLink, token, now_);
  ASSERT_TRUE(raw);
  EXPECT_EQ((*raw)["currency"], "COP");
  EXPECT_EQ((*raw)["customer"], 42) << "the customer argument wins over an extra claim";
  EXPECT_EQ(VerifyPortalToken(key_, token, now_)->customer_id, 42);
}

TEST_F(PortalLinkTest, LeavesOutInvoicesThatWouldMakeTheTokenTooLong) {
  nlohmann::json many = nlohmann::json::array();
  for (int64_t id = 1000000; id < 1000040; ++id) many.push_back(id);
  const std::string token = PortalToken(key_, 3, 42, now_ + std::chrono::days(30), {{"invoices", many}, {"currency", "COP"}});
  EXPECT_LE(token.size(), kPortalTokenMaxBytes);
  auto raw = VerifyToken(key_, TokenPurpose::kPaymentLink, token, now_);
  ASSERT_TRUE(raw);
  EXPECT_FALSE(raw->contains("invoices"));
  EXPECT_EQ((*raw)["currency"], "COP");
}

TEST_F(PortalLinkTest, RefusesTamperingAnotherPurposeAndAnotherKey) {
  const std::string token = PortalToken(key_, 3, 42, now_ + std::chrono::days(1));
  const std::string other = PortalToken(key_, 3, 43, now_ + std::chrono::days(1));
  // Another customer's claims under this signature, and a changed signature.
  EXPECT_FALSE(VerifyPortalToken(key_, other.substr(0, other.find('.')) + token.substr(token.find('.')), now_));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPortalToken(key_, flipped, now_));
  EXPECT_FALSE(VerifyPortalToken(key_, "", now_));
  EXPECT_FALSE(VerifyPortalToken(key_, "not-a-token", now_));
  // An unsubscribe token with the same claims is not a portal token.
  const std::string unsubscribe =
      SignToken(key_, TokenPurpose::kUnsubscribe, {{"tenant", 3}, {"customer", 42}}, now_ + std::chrono::days(1));
  EXPECT_FALSE(VerifyPortalToken(key_, unsubscribe, now_));
  EXPECT_FALSE(VerifyPortalToken(*ParseSecretKey(std::string(64, 'd')), token, now_));
  // A payment-link token that names no customer.
  const std::string nobody = SignToken(key_, TokenPurpose::kPaymentLink, {{"tenant", 3}}, now_ + std::chrono::days(1));
  EXPECT_FALSE(VerifyPortalToken(key_, nobody, now_));
}

}  // namespace
}  // namespace cartera::delivery
