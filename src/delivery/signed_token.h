// Signed, expiring tokens for links in messages: the payment link and the
// unsubscribe link. base64url(JSON payload) "." base64url(HMAC-SHA-256),
// keyed by a subkey of the secret key per purpose, so a token made for one
// purpose never verifies for another and nobody can forge or alter one
// (the ids inside are signed, not guessable handles).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "delivery/secret_box.h"

namespace cartera::delivery {

enum class TokenPurpose { kPaymentLink = 1, kUnsubscribe = 2 };

std::string SignToken(const SecretKey& key, TokenPurpose purpose, const nlohmann::json& claims, Timestamp expires);

// The claims, or kBadInput: malformed, wrong signature (or purpose), expired.
Result<nlohmann::json> VerifyToken(const SecretKey& key, TokenPurpose purpose, std::string_view token, Timestamp now);

}  // namespace cartera::delivery
