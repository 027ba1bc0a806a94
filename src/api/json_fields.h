// Strict reading of a JSON request body: every field a route takes is read
// through here, so a wrong type, a missing field or a field nobody asked
// for is refused with its JSON Pointer, and every problem in the body is
// reported at once.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/problem.h"
#include "core/date.h"

namespace cartera::api {

class JsonFields {
 public:
  // `object` must outlive this; `pointer` is its own path ("" for the body).
  JsonFields(const nlohmann::json& object, Language language, std::string pointer = "");

  enum class Need { kOptional = 1, kRequired = 2 };
  // Text: UTF-8 without control characters, at most `max_bytes`.
  std::optional<std::string> Text(std::string_view name, Need need, size_t max_bytes = 1000);
  // Text that may hold line breaks (notes, addresses).
  std::optional<std::string> Paragraph(std::string_view name, Need need, size_t max_bytes = 4000);
  std::optional<int64_t> Integer(std::string_view name, Need need, int64_t min, int64_t max);
  std::optional<bool> Boolean(std::string_view name, Need need);
  std::optional<Date> DateField(std::string_view name, Need need);
  // An amount as a decimal string ("1250000.00"); checked against a
  // currency by the use case.
  std::optional<std::string> Amount(std::string_view name, Need need);
  // A list of texts.
  std::optional<std::vector<std::string>> TextList(std::string_view name, Need need, size_t max_items = 100);
  // Any JSON value, checked by the caller (strategies, templates).
  const nlohmann::json* Raw(std::string_view name, Need need);
  // A field present and null: a request to clear it.
  bool IsNull(std::string_view name) const;
  bool Has(std::string_view name) const;

  // Adds a problem for a field (a use-case check made here).
  void Reject(std::string_view name, ProblemCode code, std::string detail);
  // Unknown fields become problems; then every problem found, or nothing.
  std::optional<Problem> Finish();

 private:
  const nlohmann::json* Get(std::string_view name, Need need);
  void WrongType(std::string_view name, std::string_view expected);
  std::string PointerTo(std::string_view name) const;

  const nlohmann::json& object_;
  Language language_;
  std::string pointer_;
  std::set<std::string, std::less<>> read_;
  std::vector<FieldProblem> problems_;
};

// A whole-body problem or the field problems, as one Problem.
Problem FieldsProblem(std::vector<FieldProblem> problems, Language language);

}  // namespace cartera::api
