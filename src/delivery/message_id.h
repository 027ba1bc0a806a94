// The Message-ID our emails carry, and how a bounce proves it is about one
// of them. A delivery report (delivery/delivery_report.h) names the message
// that bounced only by its Message-ID, and anybody can send us a report;
// an id anyone could compute from guessable parts (tenant, customer,
// stage, date) would let a forged report disable a debtor's email. So the
// id carries a MAC under a key only this installation holds:
//
//   <cartera.HASH.MAC@domain>
//   HASH: 16 bytes of BLAKE2b of the outbox item's idempotency key (hex);
//   MAC:  16 bytes of HMAC-SHA-256 of HASH under a subkey of the secret
//         key for the tenant (libsodium crypto_kdf, context "cartmsid"), hex.
//
// It is stable per item (a resend carries the same id) and verifiable from
// the id alone. Ids written before it, <cartera.HASH@domain>, are "legacy".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "delivery/secret_box.h"

namespace cartera::delivery {

std::string SignedMessageIdFor(const SecretKey& key, int64_t tenant_id, std::string_view idempotency_key,
                               std::string_view from_address);

enum class MessageIdKind {
  kSigned = 1,  // ours, for this tenant: the MAC verifies
  kLegacy = 2,  // <cartera.HASH@domain>, from before ids were signed: proves nothing
  kForeign = 3, // anything else, a MAC that does not verify included
};

// Compares the MAC in constant time.
MessageIdKind ClassifyMessageId(const SecretKey& key, int64_t tenant_id, std::string_view message_id);

}  // namespace cartera::delivery
