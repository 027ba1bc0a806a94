#include "api/api_call.h"

#include <charconv>

#include "access/secrets.h"
#include "core/text_check.h"
#include "core/time_zone.h"

namespace cartera::api {

namespace {

std::string Serialized(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ETagOfText(std::string_view text) {
  return fmt::format("\"{}\"", access::Sha256Hex(text).substr(0, 32));
}

}  // namespace

ApiResponse ApiResponse::Json(int status, const nlohmann::json& body) {
  return ApiResponse{status, "application/json", Serialized(body), {}};
}


ApiResponse ApiResponse::JsonWithETag(int status, const nlohmann::json& body) {
  ApiResponse response{status, "application/json", Serialized(body), {}};
  response.Header("ETag", ETagOfText(response.body));
  return response;
}

nlohmann::json ListPage(nlohmann::json data, bool has_more) {
  return {{"object", "list"}, {"data", std::move(data)}, {"has_more", has_more}};
}

AuditContext ApiCall::Audit() const {
  return AuditContext{principal_ != nullptr ? principal_->Actor() : std::string("anonymous"), FormatUtc(clock_.Now()),
                      "api", language_};
}

const std::string& ApiCall::Param(const std::string& name) const {
  static const std::string empty;
  auto found = path_params_.find(name);
  return found == path_params_.end() ? empty : found->second;
}

std::optional<std::string> ApiCall::Query(std::string_view name) const {
  auto found = query_.find(std::string(name));
  if (found == query_.end()) return std::nullopt;
  return found->second;
}

namespace {

Problem BadParameter(Language language, std::string_view name, std::string detail) {
  return Problem::Field(ProblemCode::kBadParameter, fmt::format("?{}", name), std::move(detail));
  (void)language;
}

}  // namespace

std::expected<std::optional<int64_t>, Problem> ApiCall::QueryInt(std::string_view name, int64_t min,
                                                                 int64_t max) const {
  auto text = Query(name);
  if (!text) return std::optional<int64_t>();
  int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return std::unexpected(BadParameter(language_, name,
                                        TrFormat(language_, "'{}' debe ser un entero entre {} y {}",
                                                 "'{}' must be an integer between {} and {}", name, min, max)));
  }
  return std::optional<int64_t>(value);
}

std::expected<std::optional<Date>, Problem> ApiCall::QueryDate(std::string_view name) const {
  auto text = Query(name);
  if (!text) return std::optional<Date>();
  auto date = Date::ParseIso(*text);
  if (!date) {
    return std::unexpected(BadParameter(language_, name,
                                        TrFormat(language_, "'{}' debe ser una fecha AAAA-MM-DD",
                                                 "'{}' must be a date YYYY-MM-DD", name)));
  }
  return std::optional<Date>(*date);
}

std::expected<bool, Problem> ApiCall::QueryBool(std::string_view name, bool fallback) const {
  auto text = Query(name);
  if (!text) return fallback;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  return std::unexpected(BadParameter(language_, name,
                                      TrFormat(language_, "'{}' debe ser true o false", "'{}' must be true or false", name)));
}

std::expected<ApiCall::Page, Problem> ApiCall::QueryPage() const {
  Page page;
  auto limit = QueryInt("limit", 1, 100);
  if (!limit) return std::unexpected(limit.error());
  if (*limit) page.limit = **limit;
  if (auto after = Query("starting_after")) {
    if (after->empty() || after->size() > 200 || !IsCleanText(*after)) {
      return std::unexpected(BadParameter(language_, "starting_after",
                                          std::string(Tr(language_, "'starting_after' no es un id válido",
                                                         "'starting_after' is not a valid id"))));
    }
    page.starting_after = *after;
  }
  return page;
}

std::expected<nlohmann::json, Problem> ApiCall::JsonObject() const {
  if (body_.empty()) return nlohmann::json::object();
  nlohmann::json parsed = nlohmann::json::parse(body_, nullptr, false);
  if (parsed.is_discarded()) {
    // nlohmann refuses invalid UTF-8 inside strings as a parse error; say
    // which. Control characters are JSON's concern (whitespace), not UTF-8's.
    std::string_view rest = body_;
    while (auto problem = FindTextProblem(rest, TabRule::kAllowed)) {
      if (problem->kind == TextProblemKind::kInvalidUtf8) {
        return std::unexpected(Problem::Of(ProblemCode::kInvalidUtf8,
                                           std::string(Tr(language_, "el cuerpo no es UTF-8 válido",
                                                          "the body is not valid UTF-8"))));
      }
      rest.remove_prefix(problem->byte_offset + (problem->code_point < 0x80 ? 1 : 2));
    }
    return std::unexpected(Problem::Of(ProblemCode::kMalformedJson,
                                       std::string(Tr(language_, "el cuerpo no es JSON válido",
                                                      "the body is not valid JSON"))));
  }
  if (!parsed.is_object()) {
    return std::unexpected(Problem::Field(ProblemCode::kWrongType, "",
                                          std::string(Tr(language_, "el cuerpo debe ser un objeto JSON",
                                                         "the body must be a JSON object"))));
  }
  return parsed;
}

std::string ApiCall::ETagOf(const nlohmann::json& representation) { return ETagOfText(Serialized(representation)); }

std::optional<Problem> ApiCall::CheckIfMatch(const nlohmann::json& current) const {
  auto if_match = Header("If-Match");
  if (!if_match || *if_match == "*") return std::nullopt;
  const std::string etag = ETagOf(current);
  // A list of tags may be given; a weak tag never matches (RFC 9110 13.1.1).
  std::string_view rest = *if_match;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag == etag) return std::nullopt;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return Problem::Of(ProblemCode::kPreconditionFailed,
                     std::string(Tr(language_, "otra persona cambió este recurso: vuelva a leerlo y aplique su cambio",
                                    "someone else changed this resource: read it again and reapply your change")));
}

}  // namespace cartera::api
