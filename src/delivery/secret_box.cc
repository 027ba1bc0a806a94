#include "delivery/secret_box.h"

#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace cartera::delivery {
namespace {

bool InitialiseSodium() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

}  // namespace

Result<SecretKey> ParseSecretKey(std::string_view text) {
  // Only the 64 hexadecimal characters `cartera secret-key` prints: a
  // 32-character passphrase ("correct horse battery staple ...") is not a
  // key, however long it looks.
  SecretKey key{};
  size_t length = 0;
  if (text.size() != 2 * key.size() ||
      sodium_hex2bin(key.data(), key.size(), text.data(), text.size(), nullptr, &length, nullptr) != 0 ||
      length != key.size()) {
    return Fail(Error::BadInput(
        "the secret key must be the 64 hexadecimal characters `cartera secret-key` prints (a passphrase is not a "
        "key): run `export CARTERA_SECRET_KEY=$(cartera secret-key)`, or keep it in a file named by "
        "CARTERA_SECRET_KEY_FILE"));
  }
  return key;
}

Result<SecretKey> LoadSecretKey() {
  if (!InitialiseSodium()) return Fail(Error::Internal("libsodium could not be initialised"));
  if (const char* hex = std::getenv("CARTERA_SECRET_KEY"); hex != nullptr && *hex != '\0') {
    auto key = ParseSecretKey(Trimmed(hex));
    if (!key) return Fail(Error::BadInput(fmt::format("CARTERA_SECRET_KEY: {}", key.error().message)));
    return key;
  }
  if (const char* path = std::getenv("CARTERA_SECRET_KEY_FILE"); path != nullptr && *path != '\0') {
    std::ifstream file(path, std::ios::binary);
    if (!file) return Fail(Error::BadInput(fmt::format("CARTERA_SECRET_KEY_FILE: cannot read '{}'", path)));
    std::stringstream content;
    content << file.rdbuf();
    std::string text = content.str();
    if (text.size() == SecretKey().size()) {  // 32 raw bytes, e.g. `head -c 32 /dev/urandom > key`
      SecretKey key{};
      std::copy(text.begin(), text.end(), key.begin());
      sodium_memzero(text.data(), text.size());
      return key;
    }
    auto key = ParseSecretKey(Trimmed(text));
    if (!key) return Fail(Error::BadInput(fmt::format("CARTERA_SECRET_KEY_FILE '{}': {}", path, key.error().message)));
    return key;
  }
  return Fail(Error::BadInput(
      "no secret key: set CARTERA_SECRET_KEY (64 hex characters, e.g. from `cartera secret-key`) or "
      "CARTERA_SECRET_KEY_FILE; channel passwords are stored encrypted with it"));
}

std::string NewSecretKeyHex() {
  InitialiseSodium();
  SecretKey key{};
  crypto_secretbox_keygen(key.data());
  std::string hex(2 * key.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  hex.pop_back();
  sodium_memzero(key.data(), key.size());
  return hex;
}

std::string Seal(const SecretKey& key, std::string_view plaintext) {
  InitialiseSodium();
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  unsigned char* nonce = box.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), nonce, key.data());
  std::string encoded(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), box.data(), box.size(), sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

Result<std::string> Unseal(const SecretKey& key, std::string_view sealed) {
  InitialiseSodium();
  std::vector<unsigned char> box(sealed.size());
  size_t length = 0;
  if (sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Fail(Error::BadInput("a stored secret is not in the sealed format"));
  }
  std::string plaintext(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 box.data() + crypto_secretbox_NONCEBYTES, length - crypto_secretbox_NONCEBYTES,
                                 box.data(), key.data()) != 0) {
    return Fail(Error::BadInput("a stored secret cannot be opened with this key (was CARTERA_SECRET_KEY changed?)"));
  }
  return plaintext;
}

}  // namespace cartera::delivery
