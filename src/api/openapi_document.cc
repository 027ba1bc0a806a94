#include "api/openapi_document.h"

#include <nlohmann/json.hpp>

namespace cartera::api {
namespace {

struct Merged {
  std::string text;
  std::vector<std::string> duplicates;
};

const Merged& MergedDocument() {
  static const Merged merged = [] {
    Merged out;
    nlohmann::json document = nlohmann::json::object();
    for (const OpenApiPart& part : OpenApiParts()) {
      nlohmann::json piece = nlohmann::json::parse(part.text, nullptr, false);
      if (piece.is_discarded()) {
        out.duplicates.push_back(part.name + ": not JSON");
        continue;
      }
      for (auto it = piece.begin(); it != piece.end(); ++it) {
        if (it.key() == "paths") {
          for (auto path = it->begin(); path != it->end(); ++path) {
            nlohmann::json& target = document["paths"][path.key()];
            for (auto method = path->begin(); method != path->end(); ++method) {
              if (target.contains(method.key())) out.duplicates.push_back(part.name + ": " + path.key() + " " + method.key());
              target[method.key()] = *method;
            }
          }
        } else if (it.key() == "components") {
          for (auto kind = it->begin(); kind != it->end(); ++kind) {
            for (auto entry = kind->begin(); entry != kind->end(); ++entry) {
              nlohmann::json& target = document["components"][kind.key()];
              if (target.contains(entry.key())) out.duplicates.push_back(part.name + ": " + kind.key() + "/" + entry.key());
              target[entry.key()] = *entry;
            }
          }
        } else {
          document[it.key()] = *it;
        }
      }
    }
    out.text = document.dump(1);
    return out;
  }();
  return merged;
}

}  // namespace

const std::string& OpenApiDocument() { return MergedDocument().text; }
std::vector<std::string> DuplicateOpenApiNames() { return MergedDocument().duplicates; }

}  // namespace cartera::api
