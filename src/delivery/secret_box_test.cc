#include "delivery/secret_box.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace cartera::delivery {
namespace {

TEST(SecretBox, SealsAndOpensWithTheSameKey) {
  auto key = ParseSecretKey(NewSecretKeyHex());
  ASSERT_TRUE(key);
  const std::string sealed = Seal(*key, "contraseña-smtp");
  EXPECT_EQ(sealed.find("contraseña"), std::string::npos);
  EXPECT_NE(sealed, Seal(*key, "contraseña-smtp")) << "a fresh nonce each time";
  auto opened = Unseal(*key, sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, "contraseña-smtp");
}

TEST(SecretBox, AnotherKeyOrAlteredTextFails) {
  auto key = ParseSecretKey(NewSecretKeyHex());
  auto other = ParseSecretKey(NewSecretKeyHex());
  ASSERT_TRUE(key && other);
  std::string sealed = Seal(*key, "secreto");
  EXPECT_FALSE(Unseal(*other, sealed));
  sealed[sealed.size() / 2] = sealed[sealed.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(Unseal(*key, sealed));
  EXPECT_FALSE(Unseal(*key, "not base64!"));
}

TEST(SecretBox, KeyMustBe64HexCharacters) {
  EXPECT_FALSE(ParseSecretKey("abc"));
  EXPECT_FALSE(ParseSecretKey(std::string(64, 'z')));
  EXPECT_TRUE(ParseSecretKey(std::string(64, 'a')));
}

TEST(SecretBox, LoadsTheKeyFromTheEnvironmentOrSaysHow) {
  unsetenv("CARTERA_SECRET_KEY");
  unsetenv("CARTERA_SECRET_KEY_FILE");
  auto missing = LoadSecretKey();
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("CARTERA_SECRET_KEY"), std::string::npos);
  setenv("CARTERA_SECRET_KEY", std::string(64, 'b').c_str(), 1);
  EXPECT_TRUE(LoadSecretKey());
  setenv("CARTERA_SECRET_KEY", "short", 1);
  EXPECT_FALSE(LoadSecretKey());
  unsetenv("CARTERA_SECRET_KEY");
}

// A 32-character passphrase was taken as raw key bytes: only the hex key
// `cartera secret-key` prints is a key in the environment; 32 raw bytes only
// in a key file.
TEST(SecretBox, APassphraseIsNotAKey) {
  unsetenv("CARTERA_SECRET_KEY_FILE");
  setenv("CARTERA_SECRET_KEY", "correct horse battery staple 123", 1);  // 32 characters
  auto refused = LoadSecretKey();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("cartera secret-key"), std::string::npos);
  EXPECT_FALSE(ParseSecretKey("correct horse battery staple 123"));
  unsetenv("CARTERA_SECRET_KEY");
  char path[] = "/tmp/cartera-key-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string raw(32, '\x07');
  ASSERT_EQ(write(fd, raw.data(), raw.size()), 32);
  close(fd);
  setenv("CARTERA_SECRET_KEY_FILE", path, 1);
  auto from_file = LoadSecretKey();
  ASSERT_TRUE(from_file);
  EXPECT_EQ((*from_file)[0], 7);
  unsetenv("CARTERA_SECRET_KEY_FILE");
  unlink(path);
}

}  // namespace
}  // namespace cartera::delivery
