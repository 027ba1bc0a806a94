// The OpenAPI 3.1 document that describes every route, served at
// /api/v1/openapi.json and kept true by tests/api (every route in it, every
// answer valid against it). It is kept in parts, one per route group
// (src/api/openapi/*.json: "paths" and "components"), embedded at build
// time and merged here, so each group's routes and schemas live together.
#pragma once

#include <string>
#include <vector>

namespace cartera::api {

struct OpenApiPart {
  std::string name;
  std::string text;
};
const std::vector<OpenApiPart>& OpenApiParts();

// The merged document as JSON text. A path or schema defined in two parts
// is a programming error the test suite catches (DuplicateOpenApiNames).
const std::string& OpenApiDocument();
std::vector<std::string> DuplicateOpenApiNames();

}  // namespace cartera::api
