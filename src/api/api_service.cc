#include "api/api_service.h"

#include <algorithm>

#include <fmt/format.h>

#include "access/api_keys.h"
#include "access/secrets.h"
#include "access/sessions.h"
#include "api/idempotency.h"

namespace cartera::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

// A path parameter is one segment of printable ASCII without '%' games:
// ids are external ids, numbers or tokens.
bool IsParameterValue(std::string_view value) {
  if (value.empty() || value.size() > 200) return false;
  return std::all_of(value.begin(), value.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

HandlerResult Refuse(ProblemCode code, std::string detail) { return std::unexpected(Problem::Of(code, std::move(detail))); }

}  // namespace

Language LanguageFromAcceptLanguage(std::string_view header) {
  double best_q = -1;
  Language best = Language::kSpanish;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    double q = 1.0;
    if (const size_t semicolon = item.find(';'); semicolon != std::string_view::npos) {
      std::string_view parameters = item.substr(semicolon + 1);
      item = item.substr(0, semicolon);
      if (const size_t at = parameters.find("q="); at != std::string_view::npos) {
        try {
          q = std::stod(std::string(parameters.substr(at + 2)));
        } catch (...) {
          q = 0;
        }
      }
    }
    std::string tag(item.substr(0, 2));
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if ((tag == "es" || tag == "en") && q > 0 && q > best_q) {  // q=0: "not this one"
      best_q = q;
      best = tag == "es" ? Language::kSpanish : Language::kEnglish;
    }
  }
  return best;
}

std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const size_t semicolon = cookie_header.find(';');
    std::string_view pair = cookie_header.substr(0, semicolon);
    cookie_header = semicolon == std::string_view::npos ? std::string_view() : cookie_header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
  }
  return std::nullopt;
}

ApiService::ApiService(std::vector<Route> routes, DatabasePool& pool, const Clock& clock, ServiceOptions options,
                       ServerHooks* hooks)
    : routes_(std::move(routes)),
      pool_(pool),
      clock_(clock),
      options_(options),
      hooks_(hooks),
      callers_(options.rate_per_second, options.rate_burst),
      login_by_email_(options.logins_per_minute / 60.0, options.logins_per_minute),
      login_by_address_(options.logins_per_minute * 3 / 60.0, options.logins_per_minute * 3) {
  for (const Route& route : routes_) {
    std::vector<std::string> parts;
    for (std::string_view part : Segments(route.pattern)) parts.emplace_back(part);
    patterns_.push_back(std::move(parts));
  }
  stamper_ = std::thread([this] { StampLoop(); });
}

ApiService::~ApiService() {
  {
    std::lock_guard lock(stamps_mutex_);
    stopping_ = true;
  }
  stamps_wake_.notify_all();
  stamper_.join();
}

void ApiService::StampLoop() {
  std::unique_lock lock(stamps_mutex_);
  while (true) {
    stamps_wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; });
    std::map<std::pair<int64_t, int64_t>, Timestamp> due;
    due.swap(stamps_);
    const bool last = stopping_;
    lock.unlock();
    if (!due.empty()) {
      if (auto lease = pool_.Acquire()) {
        for (const auto& [key, at] : due) (void)access::StampApiKeyUse(**lease, key.first, key.second, at);
      }
    }
    if (last) return;
    lock.lock();
  }
}

const Route* ApiService::Match(std::string_view method, std::string_view path,
                               std::map<std::string, std::string>& params, bool& path_known) const {
  path_known = false;
  const std::vector<std::string_view> wanted = Segments(path);
  for (size_t index = 0; index < routes_.size(); ++index) {
    const Route& route = routes_[index];
    const std::vector<std::string>& pattern = patterns_[index];
    if (pattern.size() != wanted.size()) continue;
    std::map<std::string, std::string> found;
    bool matches = true;
    for (size_t i = 0; i < pattern.size() && matches; ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}') {
        matches = IsParameterValue(wanted[i]);
        if (matches) found.emplace(pattern[i].substr(1, pattern[i].size() - 2), std::string(wanted[i]));
      } else {
        matches = pattern[i] == wanted[i];
      }
    }
    if (!matches) continue;
    path_known = true;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      params = std::move(found);
      return &route;
    }
  }
  return nullptr;
}

std::optional<access::Principal> ApiService::CachedPrincipal(const std::string& key_hash) {
  std::lock_guard lock(keys_mutex_);
  auto found = keys_.find(key_hash);
  if (found == keys_.end()) return std::nullopt;
  if (found->second.generation != access::ApiKeysGeneration() ||
      std::chrono::steady_clock::now() - found->second.fetched > std::chrono::seconds(1)) {
    keys_.erase(found);
    return std::nullopt;
  }
  return found->second.principal;
}

void ApiService::RememberPrincipal(const std::string& key_hash, const access::Principal& principal,
                                   uint64_t generation) {
  std::lock_guard lock(keys_mutex_);
  if (keys_.size() > 10000) keys_.clear();  // a flood of distinct keys: start over
  keys_[key_hash] = CachedKey{principal, generation, std::chrono::steady_clock::now()};
}

int ApiService::TakeLoginAttempt(const std::string& email, const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  const int by_email = login_by_email_.Take("login:" + email, now);
  const int by_address = login_by_address_.Take("address:" + address, now);
  return std::max(by_email, by_address);
}

Outcome ApiService::Handle(const HttpRequest& request) {
  Outcome outcome;
  // ?lang=es|en (a link a person opens, the debtor portal) wins over Accept-Language.
  const Language language = [&] {
    if (auto lang = request.query.find("lang"); lang != request.query.end() && (lang->second == "es" || lang->second == "en")) {
      return lang->second == "es" ? Language::kSpanish : Language::kEnglish;
    }
    return LanguageFromAcceptLanguage(request.header("Accept-Language").value_or(""));
  }();
  auto answer = [&](HandlerResult result) -> Outcome& {
    if (result) {
      outcome.response = std::move(*result);
    } else {
      const Problem& problem = result.error();
      if (!problem.internal.empty()) outcome.internal_error = problem.internal;
      outcome.response = ApiResponse::Json(HttpStatusFor(problem.code), ProblemJson(problem, language, request.path));
      outcome.response.content_type = "application/problem+json";
      if (problem.retry_after_seconds) {
        outcome.response.Header("Retry-After", std::to_string(*problem.retry_after_seconds));
      }
    }
    outcome.response.Header("Content-Language", language == Language::kSpanish ? "es" : "en");
    return outcome;
  };
  // Domain errors keep their words; a database's words go to the log only.
  auto from_error = [&](const Error& error) { return HandlerResult(std::unexpected(Problem(error))); };

  std::map<std::string, std::string> params;
  bool path_known = false;
  const Route* route = Match(request.method, request.path, params, path_known);
  if (route == nullptr) {
    outcome.route = path_known ? "(method)" : "(unknown)";
    return answer(path_known ? Refuse(ProblemCode::kMethodNotAllowed,
                                      TrFormat(language, "{} no se admite aquí", "{} is not allowed here", request.method))
                             : Refuse(ProblemCode::kNotFound, std::string(Tr(language, "no existe esa ruta", "no such route"))));
  }
  outcome.route = route->pattern;

  if (request.body.size() > route->max_body_bytes) {
    return answer(Refuse(ProblemCode::kBodyTooLarge,
                         TrFormat(language, "el cuerpo pasa de {} bytes", "the body is over {} bytes", route->max_body_bytes)));
  }
  if (route->body == BodyKind::kJson && !request.body.empty()) {
    const std::string type = request.header("Content-Type").value_or("");
    if (!type.starts_with("application/json")) {
      return answer(Refuse(ProblemCode::kUnsupportedMediaType,
                           std::string(Tr(language, "envíe el cuerpo como application/json",
                                          "send the body as application/json"))));
    }
  }

  auto lease = pool_.Acquire();
  if (!lease) return answer(from_error(lease.error()));
  Database& database = **lease;

  // Who is calling: an API key, or a session cookie.
  std::optional<access::Principal> principal;
  bool by_cookie = false;
  if (route->access != Access::kPublic) {
    const std::string authorization = request.header("Authorization").value_or("");
    if (authorization.starts_with("Bearer ")) {
      const std::string presented(std::string_view(authorization).substr(7));
      const std::string key_hash = access::Sha256Hex(presented);
      principal = CachedPrincipal(key_hash);
      if (!principal) {
        const uint64_t generation = access::ApiKeysGeneration();
        bool stale_stamp = false;
        auto found = access::PrincipalForApiKey(database, presented, clock_.Now(), &stale_stamp);
        if (!found) return answer(from_error(found.error()));
        principal = *found;
        if (principal) RememberPrincipal(key_hash, *principal, generation);
        if (principal && stale_stamp) {
          std::lock_guard lock(stamps_mutex_);
          stamps_[{principal->tenant_id, principal->id}] = clock_.Now();
        }
      }
    } else if (auto cookie = CookieValue(request.header("Cookie").value_or(""), kSessionCookie)) {
      auto found = access::PrincipalForSession(database, *cookie, clock_.Now());
      if (!found) return answer(from_error(found.error()));
      principal = *found;
      by_cookie = true;
    }
    if (!principal) {
      return answer(Refuse(ProblemCode::kUnauthenticated,
                           std::string(Tr(language, "inicie sesión o envíe una clave de API (Authorization: Bearer)",
                                          "sign in or send an API key (Authorization: Bearer)"))));
    }
    outcome.tenant_id = principal->tenant_id;
    outcome.actor = principal->Actor();
    // A browser's state-changing request must echo the session's CSRF token.
    if (by_cookie && request.method != "GET" && request.method != "HEAD") {
      const std::string presented = request.header(kCsrfHeader).value_or("");
      if (presented.empty() || !access::SameSecret(access::Sha256Hex(presented), principal->csrf_token)) {
        return answer(Refuse(ProblemCode::kCsrfFailed,
                             std::string(Tr(language, "falta la cabecera X-CSRF-Token de esta sesión o no coincide",
                                            "the X-CSRF-Token header of this session is missing or wrong"))));
      }
    }
    if (principal->must_change_password && route->access != Access::kSignedIn) {
      return answer(Refuse(ProblemCode::kPasswordChangeRequired,
                           std::string(Tr(language, "cambie su contraseña de un solo uso (POST /api/v1/me/password)",
                                          "change your one-time password (POST /api/v1/me/password)"))));
    }
    if (route->access == Access::kRole && !access::Allows(principal->role, route->least_role)) {
      return answer(Refuse(ProblemCode::kForbidden,
                           TrFormat(language, "hace falta el rol '{}' o uno mayor", "this needs the role '{}' or higher",
                                    access::RoleName(route->least_role))));
    }
    if (int wait = callers_.Take(principal->Actor() + "@" + std::to_string(principal->tenant_id),
                                 std::chrono::steady_clock::now());
        wait > 0) {
      Problem problem = Problem::Of(ProblemCode::kRateLimited,
                                    TrFormat(language, "demasiadas solicitudes: espere {} s", "too many requests: wait {} s", wait));
      problem.retry_after_seconds = wait;
      return answer(std::unexpected(problem));
    }
  }

  ApiCall call(database, clock_, language, principal ? &*principal : nullptr, request.method, request.path,
               std::move(params), request.query, request.header, request.body, hooks_);
  call.SetSecureCookies(options_.secure_cookies);
  call.SetRemoteAddress(request.remote_address);
  call.SetLoginThrottle([this, address = request.remote_address](const std::string& email) {
    return TakeLoginAttempt(email, address);
  });

  // Idempotent POSTs: the first answer is kept and replayed.
  std::optional<std::string> idempotency_key;
  if (request.method == "POST" && principal) {
    idempotency_key = request.header("Idempotency-Key");
    if (idempotency_key && (idempotency_key->empty() || idempotency_key->size() > 255)) {
      return answer(std::unexpected(Problem::Field(ProblemCode::kBadParameter, "Idempotency-Key",
                                                   std::string(Tr(language, "la clave debe tener de 1 a 255 caracteres",
                                                                  "the key must have 1 to 255 characters")))));
    }
  }
  if (idempotency_key) {
    const std::string hash = access::Sha256Hex(request.method + " " + request.path + "\n" + request.body);
    auto claim = ClaimIdempotencyKey(database, principal->tenant_id, principal->Actor(), *idempotency_key, hash,
                                     clock_.Now());
    if (!claim) return answer(from_error(claim.error()));
    switch (claim->kind) {
      case IdempotencyClaim::Kind::kReplay: return answer(std::move(claim->stored));
      case IdempotencyClaim::Kind::kReused:
        return answer(Refuse(ProblemCode::kIdempotencyKeyReused,
                             std::string(Tr(language, "esta clave de idempotencia ya se usó con otra solicitud",
                                            "this idempotency key was already used with another request"))));
      case IdempotencyClaim::Kind::kInProgress:
        return answer(Refuse(ProblemCode::kIdempotencyInProgress,
                             std::string(Tr(language, "la primera solicitud con esta clave sigue en curso",
                                            "the first request with this key is still running"))));
      case IdempotencyClaim::Kind::kFirst: break;
    }
  }

  HandlerResult result;
  try {
    result = route->handler(call);
    // Use cases write in one transaction each; one that lost a race rolled
    // back whole, so the request runs again (store/retry.h's reasoning).
    for (int retry = 1; retry <= 3 && route->retry_when_busy && !result && result.error().code == ProblemCode::kBusy;
         ++retry) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25 << retry));
      result = route->handler(call);
    }
  } catch (const std::exception& exception) {
    // No exception escapes a request: it is a 500 with the reason logged.
    Problem problem = Problem::Of(ProblemCode::kInternal, "");
    problem.internal = exception.what();
    result = std::unexpected(problem);
  }
  Outcome& done = answer(std::move(result));
  if (idempotency_key) {
    if (auto stored = FinishIdempotencyKey(database, principal->tenant_id, principal->Actor(), *idempotency_key,
                                           done.response);
        !stored) {
      done.internal_error = stored.error().message;
    }
  }
  return done;
}

}  // namespace cartera::api
