// Errors as RFC 9457 problem details (application/problem+json). Every
// problem has a stable numbered code (never renumbered: clients switch on
// it), a type URI made from its name, a title and a detail in the caller's
// language, and, for bad input, the JSON Pointer of each bad field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"
#include "core/language.h"

namespace cartera::api {

// Never renumber; add new codes at the end of their hundred.
enum class ProblemCode {
  kInvalidRequest = 1000,      // a domain rule refused the input (422)
  kMalformedJson = 1001,       // 400
  kWrongType = 1002,           // 422
  kUnknownField = 1003,        // 422
  kMissingField = 1004,        // 422
  kBodyTooLarge = 1005,        // 413
  kInvalidUtf8 = 1006,         // 400
  kUnsupportedMediaType = 1007,// 415
  kBadParameter = 1008,        // 400: a query or path parameter
  kImportRejected = 1009,      // 422: a CSV with bad rows (errors per line)
  kUnauthenticated = 1100,     // 401
  kForbidden = 1101,           // 403: the role does not allow it
  kCsrfFailed = 1102,          // 403
  kPasswordChangeRequired = 1103,  // 403
  kLoginFailed = 1104,         // 401
  kNotFound = 1200,            // 404
  kMethodNotAllowed = 1201,    // 405
  kPortalLinkInvalid = 1202,   // 404: a debtor portal token that is malformed, altered or expired
  kConflict = 1300,            // 409
  kIdempotencyKeyReused = 1301,// 422: same key, another request
  kIdempotencyInProgress = 1302,  // 409
  kPreconditionFailed = 1303,  // 412: If-Match does not match
  kCurrencyMismatch = 1304,    // 422
  kOverflow = 1305,            // 422
  kRateLimited = 1400,         // 429
  kStorageUnavailable = 1500,  // 503
  kBusy = 1501,                // 503
  kInternal = 1502,            // 500
  kNotConfigured = 1503,       // 503: the server lacks a setting the route needs (e.g. its secret key)
};

struct FieldProblem {
  std::string field;  // JSON Pointer ("/amount", "/contacts/0/email") or "line 17: due_date"
  ProblemCode code = ProblemCode::kInvalidRequest;
  std::string detail;
};

struct Problem {
  ProblemCode code = ProblemCode::kInternal;
  std::string detail;
  std::vector<FieldProblem> errors;
  std::optional<int> retry_after_seconds;
  // A database's or the program's own words: logged, never sent.
  std::string internal;

  Problem() = default;
  // Implicit: a handler returns a use case's Error as it is. Domain errors
  // keep their words and get the code of their kind.
  Problem(const Error& error);  // NOLINT(google-explicit-constructor)
  static Problem From(const Error& error) { return Problem(error); }
  static Problem Of(ProblemCode code, std::string detail) {
    Problem problem;
    problem.code = code;
    problem.detail = std::move(detail);
    return problem;
  }
  static Problem Field(ProblemCode code, std::string field, std::string detail);
};

int HttpStatusFor(ProblemCode code);
// "malformed-json": the type URI's last part and docs/api.md's anchor.
std::string_view ProblemName(ProblemCode code);
std::string_view ProblemTitle(ProblemCode code, Language language);
nlohmann::json ProblemJson(const Problem& problem, Language language, std::string_view instance);

}  // namespace cartera::api
