// The web app's and the debtor portal's built files (web/, `npm run build`),
// read once at start and served from memory: hashed assets cached for a
// year, the two HTML shells never cached, everything gzip-compressed once.
// Paths under /p/ get the portal's shell, every other page path the app's
// (the front end routes itself).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cartera::server {

struct StaticAnswer {
  int status = 200;
  std::string_view body;  // points into the site; lives as long as it
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

class StaticSite {
 public:
  // Reads every file under root. An empty site (no root) answers nothing.
  static Result<StaticSite> Load(const std::string& root);
  StaticSite() = default;

  bool empty() const { return files_.empty(); }
  size_t file_count() const { return files_.size(); }
  // The answer for a GET of path, or nullopt when the path is not the
  // site's (the API answers it).
  std::optional<StaticAnswer> Get(std::string_view path, bool accepts_gzip) const;

 private:
  struct File {
    std::string plain;
    std::string gzipped;  // empty when compressing does not pay
    std::string content_type;
  };
  std::optional<StaticAnswer> Answer(const std::string& name, const File& file, bool accepts_gzip) const;
  std::map<std::string, File, std::less<>> files_;  // "/assets/app-1a2b.js" -> file
};

// Where `cartera serve` looks for the built site when --web-root is not
// given: CARTERA_WEB_ROOT, else build/web beside the binary's build tree.
std::string DefaultWebRoot();

// True for paths the API, the webhooks and the probes own.
bool IsApiPath(std::string_view path);

}  // namespace cartera::server
