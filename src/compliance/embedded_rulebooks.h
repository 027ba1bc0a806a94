// The rulebooks/*.json files, compiled into the library by
// embed_rulebooks.cmake so the program finds them from any directory.
#pragma once

#include <span>
#include <string_view>

namespace cartera::compliance {

struct EmbeddedRulebook {
  std::string_view name;  // "CO.json"
  std::string_view text;
};

// Sorted by name.
std::span<const EmbeddedRulebook> EmbeddedRulebooks();

}  // namespace cartera::compliance
