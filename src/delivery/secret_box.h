// Secrets at rest (SMTP passwords, provider tokens): sealed with libsodium's
// secretbox (XSalsa20-Poly1305) under a key that never touches the database.
// The key comes from CARTERA_SECRET_KEY (64 hex characters) or from the file
// named by CARTERA_SECRET_KEY_FILE (the same hex text, or 32 raw bytes).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cartera::delivery {

using SecretKey = std::array<unsigned char, 32>;

// Fails with a message that says how to provide the key, never what it is.
Result<SecretKey> LoadSecretKey();
// Only 64 hex characters (what NewSecretKeyHex makes); 32 raw bytes are a
// key only in a key file (LoadSecretKey), never typed text.
Result<SecretKey> ParseSecretKey(std::string_view text);
// A new random key as 64 hex characters (`cartera secret-key`).
std::string NewSecretKeyHex();

// base64(nonce || ciphertext): a fresh random nonce each time.
std::string Seal(const SecretKey& key, std::string_view plaintext);
// Fails (kBadInput) when the text was not sealed with this key or was altered.
Result<std::string> Unseal(const SecretKey& key, std::string_view sealed);

}  // namespace cartera::delivery
