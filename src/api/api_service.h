// The API as a function from a request to a response, apart from any
// socket: finds the route, authenticates (API key or session cookie with
// its CSRF token), checks the role in the route table, limits the rate,
// reads the body strictly, replays idempotent POSTs, calls the handler and
// maps every failure to problem+json in the caller's language. The server
// (server/http_server.h) puts it on a socket; tests can call it directly.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "api/api_call.h"
#include "api/rate_limiter.h"
#include "api/server_hooks.h"
#include "core/clock.h"
#include "store/database_pool.h"

namespace cartera::api {

struct HttpRequest {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  // Case-insensitive lookup of a header.
  std::function<std::optional<std::string>(std::string_view)> header;
  std::string body;
  std::string remote_address;
};

struct ServiceOptions {
  // Cookies get `Secure` (the server is behind TLS).
  bool secure_cookies = false;
  // Requests a second per API key or user (0: no limit), and the burst.
  double rate_per_second = 50;
  double rate_burst = 100;
  // Login attempts a minute per e-mail and per address.
  double logins_per_minute = 10;
};

struct Outcome {
  ApiResponse response;
  std::string route;  // the pattern, never the path (a path may hold a token)
  int64_t tenant_id = 0;
  std::string actor;
  std::string internal_error;  // for the log only: a database's own words
};

class ApiService {
 public:
  ApiService(std::vector<Route> routes, DatabasePool& pool, const Clock& clock, ServiceOptions options,
             ServerHooks* hooks);
  ~ApiService();
  Outcome Handle(const HttpRequest& request);
  const std::vector<Route>& routes() const { return routes_; }
  // The route a method and path reach, with its parameters; nullptr if none.
  const Route* Match(std::string_view method, std::string_view path, std::map<std::string, std::string>& params,
                     bool& path_known) const;
  // Sign-in throttling for the login route: seconds to wait, or 0.
  int TakeLoginAttempt(const std::string& email, const std::string& address);

 private:
  std::vector<Route> routes_;
  // Each route's pattern cut at '/', once.
  std::vector<std::vector<std::string>> patterns_;
  DatabasePool& pool_;
  const Clock& clock_;
  ServiceOptions options_;
  ServerHooks* hooks_;
  // API keys' last use, written by one thread every few seconds, so no
  // request waits for the database's writer (a run may hold it).
  void StampLoop();
  std::mutex stamps_mutex_;
  std::condition_variable stamps_wake_;
  std::map<std::pair<int64_t, int64_t>, Timestamp> stamps_;  // (tenant, key) -> when
  bool stopping_ = false;
  std::thread stamper_;
  // API keys seen in the last second (by the key's SHA-256): a read then
  // costs no lookup. Revocation in this process empties it at once
  // (access::ApiKeysGeneration); another process's within the second.
  struct CachedKey {
    access::Principal principal;
    uint64_t generation = 0;
    std::chrono::steady_clock::time_point fetched;
  };
  std::optional<access::Principal> CachedPrincipal(const std::string& key_hash);
  void RememberPrincipal(const std::string& key_hash, const access::Principal& principal, uint64_t generation);
  std::mutex keys_mutex_;
  std::unordered_map<std::string, CachedKey> keys_;
  RateLimiter callers_;
  RateLimiter login_by_email_;
  RateLimiter login_by_address_;
};

// The language a request asks for: the best of es/en in Accept-Language
// (by q), Spanish when it names neither.
Language LanguageFromAcceptLanguage(std::string_view header);

// The session cookie's name and the CSRF header's.
inline constexpr std::string_view kSessionCookie = "cartera_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace cartera::api
