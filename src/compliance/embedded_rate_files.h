// The rulebooks/rates/*.json files (legal rate tables), compiled into the
// library by embed_rate_files.cmake so the program finds them from any
// directory.
#pragma once

#include <span>

#include "compliance/embedded_rulebooks.h"

namespace cartera::compliance {

// Sorted by name ("CO.json", "ES.json"); the same shape as a rulebook file.
std::span<const EmbeddedRulebook> EmbeddedRateFiles();

}  // namespace cartera::compliance
