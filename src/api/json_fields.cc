#include "api/json_fields.h"

#include <fmt/format.h>

#include "core/text_check.h"

namespace cartera::api {

JsonFields::JsonFields(const nlohmann::json& object, Language language, std::string pointer)
    : object_(object), language_(language), pointer_(std::move(pointer)) {}

std::string JsonFields::PointerTo(std::string_view name) const {
  // RFC 6901: "~" and "/" in a name are escaped.
  std::string escaped;
  for (char c : name) {
    if (c == '~') escaped += "~0";
    else if (c == '/') escaped += "~1";
    else escaped += c;
  }
  return pointer_ + "/" + escaped;
}

void JsonFields::Reject(std::string_view name, ProblemCode code, std::string detail) {
  problems_.push_back(FieldProblem{PointerTo(name), code, std::move(detail)});
}

void JsonFields::WrongType(std::string_view name, std::string_view expected) {
  Reject(name, ProblemCode::kWrongType,
         TrFormat(language_, "'{}' debe ser {}", "'{}' must be {}", name, expected));
}

const nlohmann::json* JsonFields::Get(std::string_view name, Need need) {
  read_.emplace(name);
  auto found = object_.find(std::string(name));
  if (found == object_.end() || (found->is_null() && need == Need::kRequired)) {
    if (need == Need::kRequired) {
      Reject(name, ProblemCode::kMissingField, TrFormat(language_, "falta '{}'", "'{}' is required", name));
    }
    return nullptr;
  }
  if (found->is_null()) return nullptr;
  return &*found;
}

bool JsonFields::IsNull(std::string_view name) const {
  auto found = object_.find(std::string(name));
  return found != object_.end() && found->is_null();
}

bool JsonFields::Has(std::string_view name) const { return object_.contains(std::string(name)); }

std::optional<std::string> JsonFields::Text(std::string_view name, Need need, size_t max_bytes) {
  const nlohmann::json* value = Get(name, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    WrongType(name, Tr(language_, "un texto", "a string"));
    return std::nullopt;
  }
  const std::string& text = value->get_ref<const std::string&>();
  if (text.size() > max_bytes) {
    Reject(name, ProblemCode::kInvalidRequest,
           TrFormat(language_, "'{}' admite como mucho {} bytes", "'{}' takes at most {} bytes", name, max_bytes));
    return std::nullopt;
  }
  if (auto problem = FindTextProblem(text)) {
    Reject(name, ProblemCode::kInvalidRequest, fmt::format("'{}': {}", name, DescribeTextProblem(*problem, language_)));
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> JsonFields::Paragraph(std::string_view name, Need need, size_t max_bytes) {
  const nlohmann::json* value = Get(name, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    WrongType(name, Tr(language_, "un texto", "a string"));
    return std::nullopt;
  }
  std::string text = value->get<std::string>();
  if (text.size() > max_bytes) {
    Reject(name, ProblemCode::kInvalidRequest,
           TrFormat(language_, "'{}' admite como mucho {} bytes", "'{}' takes at most {} bytes", name, max_bytes));
    return std::nullopt;
  }
  // Line breaks are allowed; every other control character is not.
  std::string checked = text;
  for (char& c : checked) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (auto problem = FindTextProblem(checked)) {
    Reject(name, ProblemCode::kInvalidRequest, fmt::format("'{}': {}", name, DescribeTextProblem(*problem, language_)));
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> JsonFields::Integer(std::string_view name, Need need, int64_t min, int64_t max) {
  const nlohmann::json* value = Get(name, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    WrongType(name, Tr(language_, "un número entero", "an integer"));
    return std::nullopt;
  }
  if (value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    WrongType(name, Tr(language_, "un número entero de 64 bits", "a 64-bit integer"));
    return std::nullopt;
  }
  const int64_t number = value->get<int64_t>();
  if (number < min || number > max) {
    Reject(name, ProblemCode::kInvalidRequest,
           TrFormat(language_, "'{}' debe estar entre {} y {}", "'{}' must be between {} and {}", name, min, max));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonFields::Boolean(std::string_view name, Need need) {
  const nlohmann::json* value = Get(name, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    WrongType(name, Tr(language_, "true o false", "true or false"));
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<Date> JsonFields::DateField(std::string_view name, Need need) {
  const nlohmann::json* value = Get(name, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    WrongType(name, Tr(language_, "una fecha AAAA-MM-DD", "a date YYYY-MM-DD"));
    return std::nullopt;
  }
  auto date = Date::ParseIso(value->get_ref<const std::string&>());
  if (!date) {
    Reject(name, ProblemCode::kWrongType,
           TrFormat(language_, "'{}' no es una fecha AAAA-MM-DD válida", "'{}' is not a valid date YYYY-MM-DD", name));
    return std::nullopt;
  }
  return *date;
}

std::optional<std::string> JsonFields::Amount(std::string_view name, Need need) {
  const nlohmann::json* value = Get(name, need);
  if (value == nullptr) return std::nullopt;
  // A decimal string, never a JSON number: a binary float cannot hold every
  // amount, and the API promises money is never a float.
  if (!value->is_string()) {
    WrongType(name, Tr(language_, "un importe como texto decimal (\"1250000.00\")",
                       "an amount as a decimal string (\"1250000.00\")"));
    return std::nullopt;
  }
  const std::string& text = value->get_ref<const std::string&>();
  bool ok = !text.empty() && text.size() <= 30;
  int dots = 0;
  for (size_t i = 0; ok && i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') ok = ++dots <= 1 && i > 0 && i + 1 < text.size();
    else ok = (c >= '0' && c <= '9') || (c == '-' && i == 0 && text.size() > 1);
  }
  if (!ok) {
    Reject(name, ProblemCode::kWrongType,
           TrFormat(language_, "'{}' no es un importe decimal (\"1250000.00\")",
                    "'{}' is not a decimal amount (\"1250000.00\")", name));
    return std::nullopt;
  }
  return text;
}

std::optional<std::vector<std::string>> JsonFields::TextList(std::string_view name, Need need, size_t max_items) {
  const nlohmann::json* value = Get(name, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array() || value->size() > max_items) {
    WrongType(name, TrFormat(language_, "una lista de hasta {} textos", "a list of at most {} strings", max_items));
    return std::nullopt;
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < value->size(); ++i) {
    const nlohmann::json& item = (*value)[i];
    if (!item.is_string() || FindTextProblem(item.get_ref<const std::string&>())) {
      problems_.push_back(FieldProblem{fmt::format("{}/{}", PointerTo(name), i), ProblemCode::kWrongType,
                                       Tr(language_, "debe ser un texto", "must be a string").data()});
      continue;
    }
    items.push_back(item.get<std::string>());
  }
  return items;
}

const nlohmann::json* JsonFields::Raw(std::string_view name, Need need) { return Get(name, need); }

std::optional<Problem> JsonFields::Finish() {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (!read_.contains(it.key())) {
      problems_.push_back(FieldProblem{PointerTo(it.key()), ProblemCode::kUnknownField,
                                       TrFormat(language_, "campo desconocido '{}'", "unknown field '{}'",
                                                EscapeForDisplay(it.key()))});
    }
  }
  if (problems_.empty()) return std::nullopt;
  return FieldsProblem(std::move(problems_), language_);
}

Problem FieldsProblem(std::vector<FieldProblem> problems, Language language) {
  Problem problem;
  // One problem names its own code; several are an invalid request.
  problem.code = problems.size() == 1 ? problems.front().code : ProblemCode::kInvalidRequest;
  if (problems.size() == 1) {
    problem.detail = problems.front().detail;
  } else {
    problem.detail = TrFormat(language, "{} campos no son válidos", "{} fields are not valid", problems.size());
  }
  problem.errors = std::move(problems);
  return problem;
}

}  // namespace cartera::api
