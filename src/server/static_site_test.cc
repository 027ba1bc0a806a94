#include "server/static_site.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace cartera::server {
namespace {

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("cartera-site-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_ / "assets");
    Write("index.html", "<!doctype html><title>app</title>");
    Write("portal.html", "<!doctype html><title>portal</title>");
    Write("assets/app-1a2b.js", std::string(4000, 'x'));
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(root_ / name) << text; }
  static std::string Header(const StaticAnswer& answer, const std::string& name) {
    for (const auto& [key, value] : answer.headers) {
      if (key == name) return value;
    }
    return {};
  }
  std::filesystem::path root_;
};

TEST_F(StaticSiteTest, PagePathsGetTheirShellAndTheApiIsLeftAlone) {
  auto site = StaticSite::Load(root_.string());
  ASSERT_TRUE(site);
  EXPECT_EQ(site->Get("/customers/CLI-1", false)->body, "<!doctype html><title>app</title>");
  EXPECT_EQ(site->Get("/p/abc.def", false)->body, "<!doctype html><title>portal</title>");
  EXPECT_EQ(site->Get("/unsubscribe/abc", false)->body, "<!doctype html><title>portal</title>");
  EXPECT_FALSE(site->Get("/api/v1/customers", false));
  EXPECT_FALSE(site->Get("/webhooks/1/twilio", false));
  EXPECT_FALSE(site->Get("/healthz", false));
  // A missing hashed asset is a 404, never the app's page.
  EXPECT_FALSE(site->Get("/assets/gone-9z.js", false));
}

TEST_F(StaticSiteTest, AssetsAreImmutableCompressedOncePagesAreNeverCached) {
  auto site = StaticSite::Load(root_.string());
  ASSERT_TRUE(site);
  auto asset = site->Get("/assets/app-1a2b.js", true);
  ASSERT_TRUE(asset);
  EXPECT_EQ(Header(*asset, "Content-Encoding"), "gzip");
  EXPECT_NE(Header(*asset, "Cache-Control").find("immutable"), std::string::npos);
  EXPECT_LT(asset->body.size(), 200u);
  // The gzip member inflates back to the file.
  std::string out(5000, '\0');
  z_stream stream{};
  ASSERT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(asset->body.data()));
  stream.avail_in = static_cast<uInt>(asset->body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  EXPECT_EQ(out, std::string(4000, 'x'));
  EXPECT_EQ(Header(*site->Get("/assets/app-1a2b.js", false), "Content-Encoding"), "");
  auto page = site->Get("/", true);
  EXPECT_EQ(Header(*page, "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(*page, "Referrer-Policy"), "no-referrer");
  EXPECT_NE(Header(*page, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST_F(StaticSiteTest, ThePortalPageAsksTheBrowserToFetchTheDebtorsDataAtOnce) {
  auto site = StaticSite::Load(root_.string());
  ASSERT_TRUE(site);
  EXPECT_EQ(Header(*site->Get("/p/eyJ0.c2ln-_", false), "Link"),
            "</api/v1/portal/eyJ0.c2ln-_>; rel=preload; as=fetch; crossorigin=anonymous");
  // Anything that is not a plain token gets no header to inject into.
  EXPECT_EQ(Header(*site->Get("/p/a>;rel=x", false), "Link"), "");
  EXPECT_EQ(Header(*site->Get("/customers", false), "Link"), "");
}

TEST(StaticSite, NoRootServesNothingAndABadRootIsAnError) {
  auto empty = StaticSite::Load("");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->Get("/", false));
  EXPECT_FALSE(StaticSite::Load("/nonexistent/cartera-web"));
}

}  // namespace
}  // namespace cartera::server
