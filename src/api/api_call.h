// What a route handler sees and returns. Handlers are thin: read the
// request through ApiCall (path parameters, query, strict JSON body), call
// one use case with call.tenant_id() and call.Audit(), map the result.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/principal.h"
#include "api/problem.h"
#include "core/clock.h"
#include "core/date.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::api {

class ServerHooks;  // api/server_hooks.h: what only the serving process can do

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static ApiResponse Json(int status, const nlohmann::json& body);
  // Json() with the ETag of the body (ApiCall::ETagOf), serialized once.
  static ApiResponse JsonWithETag(int status, const nlohmann::json& body);
  static ApiResponse NoContent() { return ApiResponse{204, "", "", {}}; }
  ApiResponse& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using HandlerResult = std::expected<ApiResponse, Problem>;

// A list page the way every list route answers: {"data": [...], "has_more"}.
nlohmann::json ListPage(nlohmann::json data, bool has_more);

class ApiCall {
 public:
  ApiCall(Database& database, const Clock& clock, Language language, const access::Principal* principal,
          std::string method, std::string path, std::map<std::string, std::string> path_params,
          std::multimap<std::string, std::string> query, std::function<std::optional<std::string>(std::string_view)> header,
          std::string body, ServerHooks* hooks)
      : database_(database), clock_(clock), language_(language), principal_(principal), method_(std::move(method)),
        path_(std::move(path)), path_params_(std::move(path_params)), query_(std::move(query)),
        header_(std::move(header)), body_(std::move(body)), hooks_(hooks) {}

  Database& database() { return database_; }
  const Clock& clock() const { return clock_; }
  Language language() const { return language_; }
  // REQUIRES: the route is not public.
  const access::Principal& principal() const { return *principal_; }
  const access::Principal* maybe_principal() const { return principal_; }
  int64_t tenant_id() const { return principal_->tenant_id; }
  // The audit stamp for a change this request makes: who, when, "api".
  AuditContext Audit() const;
  ServerHooks* hooks() { return hooks_; }
  const std::string& method() const { return method_; }
  const std::string& path() const { return path_; }
  const std::string& body() const { return body_; }
  std::optional<std::string> Header(std::string_view name) const { return header_(name); }

  // A path parameter the route pattern names ("{id}").
  const std::string& Param(const std::string& name) const;
  // Query parameters; a bad value is a kBadParameter problem naming it.
  std::optional<std::string> Query(std::string_view name) const;
  std::expected<std::optional<int64_t>, Problem> QueryInt(std::string_view name, int64_t min, int64_t max) const;
  std::expected<std::optional<Date>, Problem> QueryDate(std::string_view name) const;
  std::expected<bool, Problem> QueryBool(std::string_view name, bool fallback) const;
  // `limit` (1..100, default 25) and `starting_after`.
  struct Page {
    int64_t limit = 25;
    std::optional<std::string> starting_after;
  };
  std::expected<Page, Problem> QueryPage() const;
  // The body as a JSON object; an empty body is {}. Malformed JSON, a
  // non-object, or invalid UTF-8 is a problem.
  std::expected<nlohmann::json, Problem> JsonObject() const;

  // ETag of a representation and the If-Match check against it: nullopt
  // when the request may go on, a 412 problem when it may not.
  static std::string ETagOf(const nlohmann::json& representation);
  std::optional<Problem> CheckIfMatch(const nlohmann::json& current) const;

  // Sign-in throttling (per e-mail and per address): seconds to wait, or 0.
  int TakeLoginAttempt(const std::string& email) const { return login_throttle_ ? login_throttle_(email) : 0; }
  void SetLoginThrottle(std::function<int(const std::string&)> throttle) { login_throttle_ = std::move(throttle); }
  bool secure_cookies() const { return secure_cookies_; }
  void SetSecureCookies(bool secure) { secure_cookies_ = secure; }
  // The peer's address as the server saw it ("" when called directly).
  const std::string& remote_address() const { return remote_address_; }
  void SetRemoteAddress(std::string address) { remote_address_ = std::move(address); }

 private:
  Database& database_;
  const Clock& clock_;
  Language language_;
  const access::Principal* principal_;
  std::string method_;
  std::string path_;
  std::map<std::string, std::string> path_params_;
  std::multimap<std::string, std::string> query_;
  std::function<std::optional<std::string>(std::string_view)> header_;
  std::string body_;
  ServerHooks* hooks_;
  std::function<int(const std::string&)> login_throttle_;
  bool secure_cookies_ = false;
  std::string remote_address_;
};

// Who may call a route: anyone (health, login, webhooks, the portal), any
// signed-in principal, or a least role.
enum class Access { kPublic = 1, kSignedIn = 2, kRole = 3 };

// What a route's body is: nothing, a JSON object, or raw bytes (CSV, a
// provider's form post) handled by the route itself.
enum class BodyKind { kNone = 1, kJson = 2, kRaw = 3 };

struct Route {
  std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;  // "/api/v1/customers/{id}"
  Access access = Access::kRole;
  access::Role least_role = access::Role::kViewer;
  BodyKind body = BodyKind::kNone;
  std::function<HandlerResult(ApiCall&)> handler;
  size_t max_body_bytes = 1 << 20;  // 1 MiB unless the route says otherwise
  // A handler whose transaction lost a race (ErrorCode::kBusy: SQLite's
  // stale snapshot or lock, PostgreSQL's serialization failure) rolled back
  // and is run again, up to 3 times. False for a route that reaches outside
  // the database before it writes (a test message): it must not act twice.
  bool retry_when_busy = true;
};

}  // namespace cartera::api
