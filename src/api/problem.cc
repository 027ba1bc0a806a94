#include "api/problem.h"

#include <nlohmann/json.hpp>

namespace cartera::api {
namespace {

struct Entry {
  ProblemCode code;
  int status;
  std::string_view name;
  std::string_view title_es;
  std::string_view title_en;
};

constexpr Entry kEntries[] = {
    {ProblemCode::kInvalidRequest, 422, "invalid-request", "Solicitud no válida", "Invalid request"},
    {ProblemCode::kMalformedJson, 400, "malformed-json", "JSON mal formado", "Malformed JSON"},
    {ProblemCode::kWrongType, 422, "wrong-type", "Tipo de dato incorrecto", "Wrong type"},
    {ProblemCode::kUnknownField, 422, "unknown-field", "Campo desconocido", "Unknown field"},
    {ProblemCode::kMissingField, 422, "missing-field", "Falta un campo", "Missing field"},
    {ProblemCode::kBodyTooLarge, 413, "body-too-large", "Cuerpo demasiado grande", "Body too large"},
    {ProblemCode::kInvalidUtf8, 400, "invalid-utf8", "UTF-8 no válido", "Invalid UTF-8"},
    {ProblemCode::kUnsupportedMediaType, 415, "unsupported-media-type", "Tipo de contenido no admitido",
     "Unsupported media type"},
    {ProblemCode::kBadParameter, 400, "bad-parameter", "Parámetro no válido", "Bad parameter"},
    {ProblemCode::kImportRejected, 422, "import-rejected", "Archivo rechazado", "File rejected"},
    {ProblemCode::kUnauthenticated, 401, "unauthenticated", "Falta autenticarse", "Authentication required"},
    {ProblemCode::kForbidden, 403, "forbidden", "Su rol no lo permite", "Your role does not allow this"},
    {ProblemCode::kCsrfFailed, 403, "csrf-failed", "Falta el token CSRF o no coincide",
     "Missing or wrong CSRF token"},
    {ProblemCode::kPasswordChangeRequired, 403, "password-change-required", "Debe cambiar su contraseña",
     "You must change your password"},
    {ProblemCode::kLoginFailed, 401, "login-failed", "No se pudo iniciar sesión", "Login failed"},
    {ProblemCode::kNotFound, 404, "not-found", "No encontrado", "Not found"},
    {ProblemCode::kMethodNotAllowed, 405, "method-not-allowed", "Método no permitido", "Method not allowed"},
    {ProblemCode::kPortalLinkInvalid, 404, "portal-link-invalid", "El enlace no es válido o venció",
     "The link is not valid or has expired"},
    {ProblemCode::kConflict, 409, "conflict", "Conflicto con el estado actual", "Conflict with the current state"},
    {ProblemCode::kIdempotencyKeyReused, 422, "idempotency-key-reused",
     "La clave de idempotencia ya se usó con otra solicitud", "Idempotency key already used for another request"},
    {ProblemCode::kIdempotencyInProgress, 409, "idempotency-in-progress",
     "Una solicitud con esta clave de idempotencia está en curso", "A request with this idempotency key is in progress"},
    {ProblemCode::kPreconditionFailed, 412, "precondition-failed", "El recurso cambió (If-Match)",
     "The resource has changed (If-Match)"},
    {ProblemCode::kCurrencyMismatch, 422, "currency-mismatch", "Monedas distintas", "Currency mismatch"},
    {ProblemCode::kOverflow, 422, "overflow", "Importe fuera de rango", "Amount out of range"},
    {ProblemCode::kRateLimited, 429, "rate-limited", "Demasiadas solicitudes", "Too many requests"},
    {ProblemCode::kStorageUnavailable, 503, "storage-unavailable", "La base de datos no responde",
     "The database is unavailable"},
    {ProblemCode::kBusy, 503, "busy", "Ocupado: intente de nuevo", "Busy: try again"},
    {ProblemCode::kNotConfigured, 503, "not-configured", "El servidor no está configurado para esto",
     "The server is not configured for this"},
    // Last: what an unknown code falls back to.
    {ProblemCode::kInternal, 500, "internal", "Error interno", "Internal error"},
};

const Entry& EntryFor(ProblemCode code) {
  for (const Entry& entry : kEntries) {
    if (entry.code == code) return entry;
  }
  return kEntries[std::size(kEntries) - 1];
}

}  // namespace

Problem::Problem(const Error& error) {
  detail = error.message;
  switch (error.code) {
    case ErrorCode::kBadInput: code = ProblemCode::kInvalidRequest; return;
    case ErrorCode::kNotFound: code = ProblemCode::kNotFound; return;
    case ErrorCode::kConflict: code = ProblemCode::kConflict; return;
    case ErrorCode::kOverflow: code = ProblemCode::kOverflow; return;
    case ErrorCode::kCurrencyMismatch: code = ProblemCode::kCurrencyMismatch; return;
    case ErrorCode::kBusy:
      code = ProblemCode::kBusy;
      retry_after_seconds = 1;
      return;
    case ErrorCode::kStorage:
    case ErrorCode::kInternal:
      break;
  }
  // A database's own words may carry SQL: they go to the log only.
  code = error.code == ErrorCode::kStorage ? ProblemCode::kStorageUnavailable : ProblemCode::kInternal;
  internal = std::move(detail);
  detail.clear();
}

Problem Problem::Field(ProblemCode code, std::string field, std::string detail) {
  Problem problem = Of(code, detail);
  problem.errors.push_back(FieldProblem{std::move(field), code, std::move(detail)});
  return problem;
}

int HttpStatusFor(ProblemCode code) { return EntryFor(code).status; }
std::string_view ProblemName(ProblemCode code) { return EntryFor(code).name; }
std::string_view ProblemTitle(ProblemCode code, Language language) {
  const Entry& entry = EntryFor(code);
  return Tr(language, entry.title_es, entry.title_en);
}

nlohmann::json ProblemJson(const Problem& problem, Language language, std::string_view instance) {
  nlohmann::json body = {
      {"type", fmt::format("https://cartera.dev/problems/{}", ProblemName(problem.code))},
      {"title", ProblemTitle(problem.code, language)},
      {"status", HttpStatusFor(problem.code)},
      {"code", static_cast<int>(problem.code)},
      {"detail", problem.detail.empty() ? std::string(ProblemTitle(problem.code, language)) : problem.detail},
      {"instance", instance},
  };
  if (!problem.errors.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const FieldProblem& field : problem.errors) {
      errors.push_back({{"field", field.field}, {"code", static_cast<int>(field.code)}, {"detail", field.detail}});
    }
    body["errors"] = std::move(errors);
  }
  return body;
}

}  // namespace cartera::api
