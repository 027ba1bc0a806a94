// Stable codes (statuses, stages, segments, channels, outcomes, engine
// reasons) as a person reads them, in their language. JSON and CSV print the
// codes themselves; tables and sentences print these labels.
#pragma once

#include <string>
#include <string_view>

#include "core/language.h"

namespace cartera {

// The label of a code in the language; an unknown code is shown as it is
// (a stage key a tenant named itself, a status added later).
std::string Label(std::string_view code, Language language);

// A call task's outcome ("wrong_number" -> "número equivocado").
inline std::string OutcomeLabel(std::string_view outcome, Language language) { return Label(outcome, language); }

}  // namespace cartera
