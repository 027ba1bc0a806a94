#include "server/static_site.h"

#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace cartera::server {
namespace {

std::string ContentTypeOf(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".svg", "image/svg+xml"},
      {".png", "image/png"},                   {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},                {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"}, {".map", "application/json"}};
  auto found = kTypes.find(path.extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

// gzip (not raw deflate: every browser takes it), best compression since it
// happens once per start.
std::string Gzip(std::string_view data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? out : std::string();
}

bool Compressible(const std::string& content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("image/svg") || content_type.starts_with("application/manifest");
}

}  // namespace

bool IsApiPath(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path.starts_with("/webhooks/") || path == "/healthz" ||
         path == "/readyz" || path == "/metrics";
}

std::string DefaultWebRoot() {
  if (const char* root = std::getenv("CARTERA_WEB_ROOT"); root != nullptr && *root != '\0') return root;
  // The binary is build/src/cli/cartera; `npm run build` writes build/web.
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const auto candidate = exe.parent_path().parent_path().parent_path() / "web";
  return std::filesystem::is_regular_file(candidate / "index.html", error) ? candidate.string() : std::string();
}

Result<StaticSite> StaticSite::Load(const std::string& root) {
  StaticSite site;
  if (root.empty()) return site;
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) {
    return Fail(Error::BadInput(fmt::format("web root {} is not a directory", root)));
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root, error)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    File file;
    file.plain = contents.str();
    file.content_type = ContentTypeOf(entry.path());
    if (Compressible(file.content_type) && file.plain.size() > 512) {
      file.gzipped = Gzip(file.plain);
      if (file.gzipped.size() >= file.plain.size()) file.gzipped.clear();
    }
    const std::string name = "/" + std::filesystem::relative(entry.path(), root).generic_string();
    site.files_.emplace(name, std::move(file));
  }
  if (error) return Fail(Error::BadInput(fmt::format("cannot read web root {}: {}", root, error.message())));
  return site;
}

std::optional<StaticAnswer> StaticSite::Answer(const std::string& name, const File& file, bool accepts_gzip) const {
  StaticAnswer answer;
  const bool gzip = accepts_gzip && !file.gzipped.empty();
  answer.body = gzip ? file.gzipped : file.plain;
  answer.content_type = file.content_type;
  if (gzip) answer.headers.emplace_back("Content-Encoding", "gzip");
  answer.headers.emplace_back("Vary", "Accept-Encoding");
  answer.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (name.starts_with("/assets/")) {
    // Vite names assets by their content hash: a new build is a new name.
    answer.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    answer.headers.emplace_back("Cache-Control", "no-cache");
  }
  if (file.content_type.starts_with("text/html")) {
    // Scripts and styles only from this server; ECharts sets inline styles.
    answer.headers.emplace_back("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    answer.headers.emplace_back("X-Frame-Options", "DENY");
    // The portal's address holds the debtor's token: never send it on.
    answer.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  return answer;
}

std::optional<StaticAnswer> StaticSite::Get(std::string_view path, bool accepts_gzip) const {
  if (files_.empty() || IsApiPath(path)) return std::nullopt;
  if (auto found = files_.find(path); found != files_.end() && path != "/portal.html") {
    return Answer(found->first, found->second, accepts_gzip);
  }
  // A missing hashed asset is a 404, not the app's shell.
  if (path.starts_with("/assets/")) return std::nullopt;
  const bool portal = path == "/p" || path.starts_with("/p/") || path.starts_with("/unsubscribe/") ||
                      path.starts_with("/pay/");
  const std::string shell = portal ? "/portal.html" : "/index.html";
  auto found = files_.find(shell);
  if (found == files_.end()) return std::nullopt;
  auto answer = Answer(found->first, found->second, accepts_gzip);
  // On a phone's slow network every round trip counts: the browser fetches
  // the debtor's data while it still loads the script that asks for it.
  if (path.starts_with("/p/") && answer) {
    const std::string_view token = path.substr(3);
    const bool plain = !token.empty() && token.find_first_not_of(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == std::string_view::npos;
    if (plain) {
      answer->headers.emplace_back(
          "Link", "</api/v1/portal/" + std::string(token) + ">; rel=preload; as=fetch; crossorigin=anonymous");
    }
  }
  return answer;
}

}  // namespace cartera::server
