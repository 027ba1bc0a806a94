// The secrets Cartera hands out (passwords, session and API-key tokens,
// reset tokens) and how they are kept: passwords as libsodium's Argon2id
// strings with the interactive limits, tokens only as a SHA-256, so a copy
// of the database lets nobody log in.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cartera::access {

// Argon2id (crypto_pwhash_str, OPSLIMIT/MEMLIMIT_INTERACTIVE).
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);
// Spends the same time as VerifyPassword on a real hash, for a user that
// does not exist: a login cannot tell "no such user" from "wrong password".
void VerifyAgainstDummy(std::string_view password);

// `bytes` random bytes as URL-safe base64 without padding.
std::string RandomToken(size_t bytes);
// Lower-case hex SHA-256: how tokens are stored and looked up.
std::string Sha256Hex(std::string_view text);
// Constant-time comparison of two equal-length texts.
bool SameSecret(std::string_view a, std::string_view b);

}  // namespace cartera::access
