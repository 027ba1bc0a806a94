// Whether a strategy can be carried out: every message, call and letter it
// plans has a script, in each language debtors read, for each channel the
// action may end up on, in the tone it asks for. A strategy naming a
// template, tone or channel without a script used to pass `policy validate`
// and `policy import` and then fail (or silently fall back) at send time.
#pragma once

#include "core/error.h"
#include "engine/strategy.h"

namespace cartera {

// kBadInput naming the path and what is missing:
// "strategy: stage 'overdue_15'.actions[0]: no script overdue_15 in tone
// 'severo' for email in Spanish (templates/es/email/overdue_15.severo.mustache);
// tones written for it: cordial, firm"; worded in `language`.
Status CheckStrategyScripts(const Strategy& strategy, Language language = Language::kEnglish);

}  // namespace cartera
