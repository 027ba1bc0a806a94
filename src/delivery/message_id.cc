#include "delivery/message_id.h"

#include <sodium.h>

#include <array>

#include <fmt/format.h>

namespace cartera::delivery {
namespace {

constexpr size_t kHashBytes = 16;
constexpr size_t kMacBytes = 16;

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string hex(2 * size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

Mac MacOf(const SecretKey& key, int64_t tenant_id, std::string_view hash_hex) {
  std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> subkey{};
  crypto_kdf_derive_from_key(subkey.data(), subkey.size(), static_cast<uint64_t>(tenant_id), "cartmsid", key.data());
  Mac mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(hash_hex.data()), hash_hex.size(),
                         subkey.data());
  sodium_memzero(subkey.data(), subkey.size());
  return mac;
}

bool IsLowerHex(std::string_view text, size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string SignedMessageIdFor(const SecretKey& key, int64_t tenant_id, std::string_view idempotency_key,
                               std::string_view from_address) {
  std::array<unsigned char, kHashBytes> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(idempotency_key.data()),
                     idempotency_key.size(), nullptr, 0);
  const std::string hash_hex = Hex(hash.data(), hash.size());
  const Mac mac = MacOf(key, tenant_id, hash_hex);
  const size_t at = from_address.rfind('@');
  const std::string_view domain = at == std::string_view::npos ? "cartera.invalid" : from_address.substr(at + 1);
  return fmt::format("<cartera.{}.{}@{}>", hash_hex, Hex(mac.data(), kMacBytes), domain);
}

MessageIdKind ClassifyMessageId(const SecretKey& key, int64_t tenant_id, std::string_view message_id) {
  if (!message_id.starts_with("<cartera.") || !message_id.ends_with('>')) return MessageIdKind::kForeign;
  std::string_view local = message_id.substr(9, message_id.size() - 10);
  const size_t at = local.find('@');
  if (at == std::string_view::npos) return MessageIdKind::kForeign;
  local = local.substr(0, at);
  if (IsLowerHex(local, 2 * kHashBytes)) return MessageIdKind::kLegacy;
  const size_t dot = local.find('.');
  if (dot == std::string_view::npos) return MessageIdKind::kForeign;
  const std::string_view hash_hex = local.substr(0, dot), mac_hex = local.substr(dot + 1);
  if (!IsLowerHex(hash_hex, 2 * kHashBytes) || !IsLowerHex(mac_hex, 2 * kMacBytes)) return MessageIdKind::kForeign;
  std::array<unsigned char, kMacBytes> given{};
  if (sodium_hex2bin(given.data(), given.size(), mac_hex.data(), mac_hex.size(), nullptr, nullptr, nullptr) != 0) {
    return MessageIdKind::kForeign;
  }
  const Mac expected = MacOf(key, tenant_id, hash_hex);
  return sodium_memcmp(given.data(), expected.data(), kMacBytes) == 0 ? MessageIdKind::kSigned : MessageIdKind::kForeign;
}

}  // namespace cartera::delivery
