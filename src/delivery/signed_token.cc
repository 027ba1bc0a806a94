#include "delivery/signed_token.h"

#include <sodium.h>

#include <array>
#include <chrono>
#include <vector>

namespace cartera::delivery {
namespace {

using Subkey = std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES>;

Subkey SubkeyFor(const SecretKey& key, TokenPurpose purpose) {
  Subkey subkey{};
  crypto_kdf_derive_from_key(subkey.data(), subkey.size(), static_cast<uint64_t>(purpose), "cartlink", key.data());
  return subkey;
}

std::string Base64Url(const unsigned char* bytes, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::vector<unsigned char>> FromBase64Url(std::string_view text) {
  std::vector<unsigned char> bytes(text.size());
  size_t length = 0;
  if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

int64_t UnixSeconds(Timestamp at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

}  // namespace

std::string SignToken(const SecretKey& key, TokenPurpose purpose, const nlohmann::json& claims, Timestamp expires) {
  nlohmann::json payload = claims;
  payload["exp"] = UnixSeconds(expires);
  const std::string text = payload.dump();
  const std::string body = Base64Url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
  const Subkey subkey = SubkeyFor(key, purpose);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(body.data()), body.size(), subkey.data());
  return body + "." + Base64Url(mac.data(), mac.size());
}

Result<nlohmann::json> VerifyToken(const SecretKey& key, TokenPurpose purpose, std::string_view token, Timestamp now) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos) return Fail(Error::BadInput("the link is not valid (malformed token)"));
  const std::string_view body = token.substr(0, dot);
  auto mac = FromBase64Url(token.substr(dot + 1));
  const Subkey subkey = SubkeyFor(key, purpose);
  if (!mac || mac->size() != crypto_auth_hmacsha256_BYTES ||
      crypto_auth_hmacsha256_verify(mac->data(), reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                                    subkey.data()) != 0) {
    return Fail(Error::BadInput("the link is not valid (its signature does not match)"));
  }
  auto text = FromBase64Url(body);
  if (!text) return Fail(Error::BadInput("the link is not valid (malformed token)"));
  nlohmann::json payload = nlohmann::json::parse(text->begin(), text->end(), nullptr, false);
  if (!payload.is_object() || !payload.contains("exp") || !payload["exp"].is_number_integer()) {
    return Fail(Error::BadInput("the link is not valid (malformed token)"));
  }
  if (payload["exp"].get<int64_t>() < UnixSeconds(now)) return Fail(Error::BadInput("the link has expired"));
  payload.erase("exp");
  return payload;
}

}  // namespace cartera::delivery
