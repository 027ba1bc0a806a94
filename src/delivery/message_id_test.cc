#include "delivery/message_id.h"

#include <gtest/gtest.h>

#include "delivery/email_message.h"

namespace cartera::delivery {
namespace {

SecretKey KeyOf(unsigned char fill) {
  SecretKey key{};
  key.fill(fill);
  return key;
}

constexpr std::string_view kItem = "1:42:default:overdue_7:COP:2026-11-22:0";

TEST(SignedMessageId, IsStablePerItemAndVerifiesOnlyUnderItsKeyAndTenant) {
  const std::string id = SignedMessageIdFor(KeyOf(1), 1, kItem, "cobranza@empresa.com.co");
  EXPECT_EQ(id, SignedMessageIdFor(KeyOf(1), 1, kItem, "cobranza@empresa.com.co"));
  EXPECT_NE(id, SignedMessageIdFor(KeyOf(1), 1, "1:42:default:overdue_7:COP:2026-11-23:0", "cobranza@empresa.com.co"));
  EXPECT_TRUE(id.starts_with("<cartera.") && id.ends_with("@empresa.com.co>")) << id;
  EXPECT_EQ(ClassifyMessageId(KeyOf(1), 1, id), MessageIdKind::kSigned);
  EXPECT_EQ(ClassifyMessageId(KeyOf(2), 1, id), MessageIdKind::kForeign) << "another installation's key";
  EXPECT_EQ(ClassifyMessageId(KeyOf(1), 2, id), MessageIdKind::kForeign) << "another tenant";
}

// Regression (issue 14): the old id was an unkeyed hash of guessable parts,
// so anyone could write a report naming it.
TEST(SignedMessageId, AForgedOrAlteredIdDoesNotVerify) {
  const std::string id = SignedMessageIdFor(KeyOf(1), 1, kItem, "cobranza@empresa.co");
  std::string altered = id;
  const size_t mac_at = altered.find('.', 9) + 1;
  altered[mac_at] = altered[mac_at] == '0' ? '1' : '0';
  EXPECT_EQ(ClassifyMessageId(KeyOf(1), 1, altered), MessageIdKind::kForeign);
  // What a forger can compute: the old unkeyed id of a guessed item.
  const std::string guessed = MessageIdFor(kItem, "cobranza@empresa.co");
  EXPECT_EQ(ClassifyMessageId(KeyOf(1), 1, guessed), MessageIdKind::kLegacy);
  EXPECT_NE(guessed, id);
  for (const char* other : {"", "<>", "<abc@empresa.co>", "<cartera.zz@empresa.co>", "cartera.1.2@x",
                            "<cartera.00000000000000000000000000000000.00@empresa.co>"}) {
    EXPECT_EQ(ClassifyMessageId(KeyOf(1), 1, other), MessageIdKind::kForeign) << other;
  }
}

}  // namespace
}  // namespace cartera::delivery
