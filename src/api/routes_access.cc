// Signing in and out, the caller's own account, and the admin's users and
// API keys. Every route calls one use case in access/.
#include <nlohmann/json.hpp>

#include "access/api_keys.h"
#include "access/sessions.h"
#include "access/users.h"
#include "api/api_service.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "core/time_zone.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

std::string SessionCookie(const std::string& token, bool secure, int max_age_seconds) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", kSessionCookie, token, max_age_seconds,
                     secure ? "; Secure" : "");
}

nlohmann::json PrincipalJson(const access::Principal& principal) {
  return {{"kind", principal.kind == access::Principal::Kind::kUser ? "user" : "api_key"},
          {"id", principal.id},
          {"name", principal.name},
          // A user's e-mail (the customers' `collector`); a key has none.
          {"email", principal.kind == access::Principal::Kind::kUser ? nlohmann::json(principal.name)
                                                                      : nlohmann::json(nullptr)},
          {"role", access::RoleName(principal.role)},
          {"tenant_id", principal.tenant_id},
          {"must_change_password", principal.must_change_password}};
}

std::optional<Role> RoleField(JsonFields& fields, std::string_view name, Need need, Language language) {
  auto text = fields.Text(name, need, 20);
  if (!text) return std::nullopt;
  auto role = access::ParseRole(*text);
  if (!role) {
    fields.Reject(name, ProblemCode::kInvalidRequest,
                  std::string(Tr(language, "el rol es admin, manager, collector o viewer",
                                 "the role is admin, manager, collector or viewer")));
  }
  return role;
}

HandlerResult LogIn(ApiCall& call) {
  struct Credentials {
    std::string email, password;
  };
  auto credentials = ReadBody(call, [](JsonFields& fields) {
    return Credentials{fields.Text("email", Need::kRequired, 254).value_or(""),
                       fields.Text("password", Need::kRequired, access::kPasswordMaxBytes).value_or("")};
  });
  if (!credentials) return std::unexpected(credentials.error());
  if (int wait = call.TakeLoginAttempt(credentials->email); wait > 0) {
    Problem problem = Problem::Of(ProblemCode::kRateLimited,
                                  TrFormat(call.language(), "demasiados intentos: espere {} s",
                                           "too many attempts: wait {} s", wait));
    problem.retry_after_seconds = wait;
    return std::unexpected(problem);
  }
  auto session = access::Login(call.database(), credentials->email, credentials->password, call.clock().Now(),
                               call.language());
  if (!session) {
    if (session.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Of(ProblemCode::kLoginFailed, session.error().message));
    }
    return std::unexpected(Problem(session.error()));
  }
  ApiResponse response = ApiResponse::Json(
      201, {{"principal", PrincipalJson(session->principal)},
            {"csrf_token", session->csrf_token},
            {"expires_at", session->expires_at}});
  response.Header("Set-Cookie", SessionCookie(session->token, call.secure_cookies(), access::kSessionHours * 3600));
  response.Header("Cache-Control", "no-store");
  return response;
}

HandlerResult LogOut(ApiCall& call) {
  if (auto cookie = CookieValue(call.Header("Cookie").value_or(""), kSessionCookie)) {
    if (auto ok = access::Logout(call.database(), *cookie); !ok) return std::unexpected(Problem(ok.error()));
  }
  ApiResponse response = ApiResponse::NoContent();
  response.Header("Set-Cookie", SessionCookie("", call.secure_cookies(), 0));
  return response;
}

HandlerResult Me(ApiCall& call) { return ApiResponse::Json(200, PrincipalJson(call.principal())); }

HandlerResult ChangeMyPassword(ApiCall& call) {
  struct Change {
    std::string current, next;
  };
  auto change = ReadBody(call, [](JsonFields& fields) {
    return Change{fields.Text("current_password", Need::kRequired, access::kPasswordMaxBytes).value_or(""),
                  fields.Text("new_password", Need::kRequired, access::kPasswordMaxBytes).value_or("")};
  });
  if (!change) return std::unexpected(change.error());
  if (auto ok = access::ChangePassword(call.database(), call.principal(), change->current, change->next, call.Audit());
      !ok) {
    return std::unexpected(Problem(ok.error()));
  }
  return ApiResponse::NoContent();
}

HandlerResult FinishReset(ApiCall& call) {
  struct Reset {
    std::string token, password;
  };
  auto reset = ReadBody(call, [](JsonFields& fields) {
    return Reset{fields.Text("token", Need::kRequired, 200).value_or(""),
                 fields.Text("new_password", Need::kRequired, access::kPasswordMaxBytes).value_or("")};
  });
  if (!reset) return std::unexpected(reset.error());
  AuditContext audit{"password-reset", FormatUtc(call.clock().Now()), "api", call.language()};
  if (auto ok = access::FinishPasswordReset(call.database(), reset->token, reset->password, call.clock().Now(), audit);
      !ok) {
    return std::unexpected(Problem(ok.error()));
  }
  return ApiResponse::NoContent();
}

HandlerResult ListUsers(ApiCall& call) {
  auto users = access::ListUsers(call.database(), call.tenant_id());
  if (!users) return std::unexpected(Problem(users.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const auto& user : *users) data.push_back(access::UserJson(user));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult AddUser(ApiCall& call) {
  auto user = ReadBody(call, [&](JsonFields& fields) {
    access::NewUser wanted;
    wanted.email = fields.Text("email", Need::kRequired, 254).value_or("");
    wanted.role = RoleField(fields, "role", Need::kRequired, call.language()).value_or(Role::kViewer);
    wanted.name = fields.Text("name", Need::kOptional, 200).value_or("");
    wanted.password = fields.Text("password", Need::kOptional, access::kPasswordMaxBytes);
    return wanted;
  });
  if (!user) return std::unexpected(user.error());
  auto added = access::AddUser(call.database(), call.tenant_id(), *user, call.Audit());
  if (!added) return std::unexpected(Problem(added.error()));
  nlohmann::json body = access::UserJson(added->user);
  if (added->one_time_password) body["one_time_password"] = *added->one_time_password;
  return ApiResponse::Json(201, body).Header("Cache-Control", "no-store");
}

HandlerResult GetUser(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto user = access::LoadUser(call.database(), call.tenant_id(), *id, call.language());
  if (!user) return std::unexpected(Problem(user.error()));
  const nlohmann::json body = access::UserJson(*user);
  return ApiResponse::Json(200, body).Header("ETag", ApiCall::ETagOf(body));
}

HandlerResult ChangeUser(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto change = ReadBody(call, [&](JsonFields& fields) {
    access::UserChange wanted;
    wanted.role = RoleField(fields, "role", Need::kOptional, call.language());
    wanted.name = fields.Text("name", Need::kOptional, 200);
    wanted.disabled = fields.Boolean("disabled", Need::kOptional);
    return wanted;
  });
  if (!change) return std::unexpected(change.error());
  auto current = access::LoadUser(call.database(), call.tenant_id(), *id, call.language());
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(access::UserJson(*current))) return std::unexpected(*stale);
  auto user = access::UpdateUser(call.database(), call.tenant_id(), *id, *change, call.Audit());
  if (!user) return std::unexpected(Problem(user.error()));
  const nlohmann::json body = access::UserJson(*user);
  return ApiResponse::Json(200, body).Header("ETag", ApiCall::ETagOf(body));
}

HandlerResult ListKeys(ApiCall& call) {
  auto keys = access::ListApiKeys(call.database(), call.tenant_id());
  if (!keys) return std::unexpected(Problem(keys.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const auto& key : *keys) data.push_back(access::ApiKeyJson(key));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult CreateKey(ApiCall& call) {
  struct NewKey {
    std::string name;
    Role role;
  };
  auto key = ReadBody(call, [&](JsonFields& fields) {
    return NewKey{fields.Text("name", Need::kRequired, 100).value_or(""),
                  RoleField(fields, "role", Need::kRequired, call.language()).value_or(Role::kViewer)};
  });
  if (!key) return std::unexpected(key.error());
  auto created = access::CreateApiKey(call.database(), call.tenant_id(), key->name, key->role, call.Audit());
  if (!created) return std::unexpected(Problem(created.error()));
  nlohmann::json body = access::ApiKeyJson(created->key);
  body["secret"] = created->secret;
  return ApiResponse::Json(201, body).Header("Cache-Control", "no-store");
}

HandlerResult RevokeKey(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto revoked = access::RevokeApiKey(call.database(), call.tenant_id(), *id, call.Audit());
  if (!revoked) return std::unexpected(Problem(revoked.error()));
  return ApiResponse::Json(200, access::ApiKeyJson(*revoked));
}

Route Make(std::string method, std::string pattern, Access access, Role role, BodyKind body,
           HandlerResult (*handler)(ApiCall&)) {
  return Route{std::move(method), std::move(pattern), access, role, body, handler};
}

}  // namespace

void AddAccessRoutes(std::vector<Route>& routes) {
  routes.push_back(Make("POST", "/api/v1/session", Access::kPublic, Role::kViewer, BodyKind::kJson, LogIn));
  routes.push_back(Make("DELETE", "/api/v1/session", Access::kSignedIn, Role::kViewer, BodyKind::kNone, LogOut));
  routes.push_back(Make("POST", "/api/v1/password-reset", Access::kPublic, Role::kViewer, BodyKind::kJson, FinishReset));
  routes.push_back(Make("GET", "/api/v1/me", Access::kSignedIn, Role::kViewer, BodyKind::kNone, Me));
  routes.push_back(Make("POST", "/api/v1/me/password", Access::kSignedIn, Role::kViewer, BodyKind::kJson, ChangeMyPassword));
  routes.push_back(Make("GET", "/api/v1/users", Access::kRole, Role::kAdmin, BodyKind::kNone, ListUsers));
  routes.push_back(Make("POST", "/api/v1/users", Access::kRole, Role::kAdmin, BodyKind::kJson, AddUser));
  routes.push_back(Make("GET", "/api/v1/users/{id}", Access::kRole, Role::kAdmin, BodyKind::kNone, GetUser));
  routes.push_back(Make("PATCH", "/api/v1/users/{id}", Access::kRole, Role::kAdmin, BodyKind::kJson, ChangeUser));
  routes.push_back(Make("GET", "/api/v1/api-keys", Access::kRole, Role::kAdmin, BodyKind::kNone, ListKeys));
  routes.push_back(Make("POST", "/api/v1/api-keys", Access::kRole, Role::kAdmin, BodyKind::kJson, CreateKey));
  routes.push_back(Make("DELETE", "/api/v1/api-keys/{id}", Access::kRole, Role::kAdmin, BodyKind::kNone, RevokeKey));
}

}  // namespace cartera::api
