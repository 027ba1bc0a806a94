#include "api/strategy_problem.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include <fmt/format.h>

namespace cartera::api {
namespace {

// "stages[2].actions[0].channel" -> "/stages/2/actions/0/channel"; nullopt
// for a path written for people.
std::optional<std::string> PointerFromPath(std::string_view path) {
  if (path == "(top)") return std::string();
  std::string pointer;
  std::string name;
  auto flush = [&]() {
    if (!name.empty()) pointer += "/" + name;
    name.clear();
  };
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      flush();
    } else if (c == '[') {
      flush();
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) return std::nullopt;
      const std::string_view index = path.substr(i + 1, close - i - 1);
      if (index.empty() || !std::all_of(index.begin(), index.end(), [](unsigned char d) { return std::isdigit(d); })) {
        return std::nullopt;
      }
      pointer += "/" + std::string(index);
      i = close;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      name += c;
    } else {
      return std::nullopt;
    }
  }
  flush();
  return pointer;
}

// The script check names a stage by its key ("stage 'overdue_15'.actions[0]
// : ..."): the same text with "stages[<index>]" for it, found in the
// document the strategy was read from; nullopt when no stage has that key.
std::optional<std::string> WithStageIndex(std::string_view message, const nlohmann::json& document) {
  if (!message.starts_with("stage '")) return std::nullopt;
  const auto stages = document.find("stages");
  if (stages == document.end() || !stages->is_array()) return std::nullopt;
  for (size_t i = 0; i < stages->size(); ++i) {
    const nlohmann::json& stage = (*stages)[i];
    if (!stage.is_object()) continue;
    const auto key = stage.find("key");
    if (key == stage.end() || !key->is_string()) continue;
    const std::string named = fmt::format("stage '{}'", key->get<std::string>());
    if (!message.starts_with(named) || message.size() == named.size()) continue;
    const char next = message[named.size()];
    if (next != '.' && next != ':') continue;
    return fmt::format("stages[{}]{}", i, message.substr(named.size()));
  }
  return std::nullopt;
}

}  // namespace

FieldProblem StrategyFieldProblem(const Error& error, const nlohmann::json& document, std::string_view prefix) {
  std::string_view message = error.message;
  for (std::string_view start : {"strategy: ", "estrategia: "}) {
    if (message.starts_with(start)) message.remove_prefix(start.size());
  }
  const std::optional<std::string> indexed = WithStageIndex(message, document);
  if (indexed) message = *indexed;
  const size_t colon = message.find(": ");
  if (colon != std::string_view::npos) {
    if (auto pointer = PointerFromPath(message.substr(0, colon))) {
      const std::string_view detail = message.substr(colon + 2);
      // The script check's words when the action's tone has no script
      // (engine/strategy_scripts.cc): the tone is what to change.
      const bool no_script_in_tone =
          pointer->find("/actions/") != std::string::npos && !pointer->ends_with("/template") &&
          (detail.starts_with("no script ") || detail.starts_with("no hay guion "));
      if (no_script_in_tone) *pointer += "/tone";
      return FieldProblem{std::string(prefix) + *pointer, ProblemCode::kInvalidRequest, std::string(detail)};
    }
  }
  return FieldProblem{std::string(prefix), ProblemCode::kInvalidRequest, error.message};
}

Problem StrategyProblem(const Error& error, const nlohmann::json& document, std::string_view prefix) {
  if (error.code != ErrorCode::kBadInput) return Problem(error);
  FieldProblem field = StrategyFieldProblem(error, document, prefix);
  return Problem::Field(ProblemCode::kInvalidRequest, field.field, field.detail);
}

}  // namespace cartera::api
