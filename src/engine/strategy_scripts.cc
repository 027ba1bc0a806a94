#include "engine/strategy_scripts.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "templates/default_templates.h"

namespace cartera {
namespace {

// The channels an action may be sent on: its own (for "best", every written
// channel) and its fallbacks.
std::vector<templates::Channel> ChannelsOf(const Action& action) {
  std::vector<Channel> engine_channels;
  if (action.type == ActionType::kCallTask) {
    engine_channels = {Channel::kCall};
  } else if (action.type == ActionType::kLetter) {
    engine_channels = {Channel::kLetter};
  } else if (action.channel == Channel::kBest) {
    engine_channels = {Channel::kWhatsapp, Channel::kSms, Channel::kEmail};
  } else {
    engine_channels = {action.channel};
  }
  if (action.type == ActionType::kMessage) {
    for (Channel channel : action.fallback) engine_channels.push_back(channel);
  }
  std::vector<templates::Channel> out;
  for (Channel channel : engine_channels) {
    templates::Channel script_channel = templates::Channel::kEmail;
    switch (channel) {
      case Channel::kEmail: script_channel = templates::Channel::kEmail; break;
      case Channel::kSms: script_channel = templates::Channel::kSms; break;
      case Channel::kWhatsapp: script_channel = templates::Channel::kWhatsapp; break;
      case Channel::kCall: script_channel = templates::Channel::kCall; break;
      case Channel::kLetter: script_channel = templates::Channel::kLetter; break;
      case Channel::kBest: continue;
    }
    if (std::find(out.begin(), out.end(), script_channel) == out.end()) out.push_back(script_channel);
  }
  return out;
}

// The tones written for a stage and channel in a language, for the message.
std::string TonesWritten(templates::Stage stage, templates::Channel channel, templates::Language language) {
  std::string tones;
  auto all = templates::AllDefaultTemplates();
  if (!all) return tones;
  for (const templates::MessageTemplate& script : *all) {
    if (script.stage != templates::StageKey(stage) || script.channel != channel || script.language != language) continue;
    if (tones.find(script.tone) != std::string::npos) continue;
    tones += (tones.empty() ? "" : ", ") + script.tone;
  }
  return tones;
}

Status CheckAction(const Action& action, const std::string& path, Language language) {
  if (action.type != ActionType::kMessage && action.type != ActionType::kCallTask &&
      action.type != ActionType::kLetter) {
    return {};  // no script: fees, holds, escalations, waits
  }
  auto stage = templates::ParseStage(action.template_name);
  if (!stage) {
    std::string known;
    for (templates::Stage each : templates::AllStages()) {
      known += fmt::format("{}{}", known.empty() ? "" : ", ", templates::StageKey(each));
    }
    return Fail(Error::BadInput(TrFormat(language, "estrategia: {}.template: ningún guion se llama '{}' (guiones: {})",
                                         "strategy: {}.template: no script is called '{}' (scripts: {})", path,
                                         action.template_name, known)));
  }
  for (templates::Channel channel : ChannelsOf(action)) {
    for (templates::Language script_language : {templates::Language::kEs, templates::Language::kEn}) {
      if (templates::DefaultTemplate(*stage, channel, script_language, action.tone)) continue;
      const bool spanish_script = script_language == templates::Language::kEs;
      return Fail(Error::BadInput(TrFormat(
          language,
          "estrategia: {}: no hay guion {} en tono '{}' para {} en {} (templates/{}/{}/{}.{}.mustache); tonos "
          "escritos para él: {}",
          "strategy: {}: no script {} in tone '{}' for {} in {} (templates/{}/{}/{}.{}.mustache); tones written for "
          "it: {}",
          path, action.template_name, action.tone, templates::ChannelKey(channel),
          spanish_script ? Tr(language, "español", "Spanish") : Tr(language, "inglés", "English"),
          templates::LanguageCode(script_language), templates::ChannelKey(channel), action.template_name, action.tone,
          TonesWritten(*stage, channel, script_language))));
    }
  }
  return {};
}

Status CheckStage(const Stage& stage, const std::string& path, Language language) {
  for (size_t i = 0; i < stage.actions.size(); ++i) {
    if (auto ok = CheckAction(stage.actions[i], fmt::format("{}.actions[{}]", path, i), language); !ok) return ok;
  }
  return {};
}

}  // namespace

Status CheckStrategyScripts(const Strategy& strategy, Language language) {
  for (size_t i = 0; i < strategy.stages.size(); ++i) {
    const Stage& stage = strategy.stages[i];
    if (auto ok = CheckStage(stage, fmt::format("stage '{}'", stage.key), language); !ok) return ok;
  }
  if (strategy.broken_promise) {
    if (auto ok = CheckStage(*strategy.broken_promise, "broken_promise", language); !ok) return ok;
  }
  if (strategy.payment_plan) {
    for (size_t i = 0; i < strategy.payment_plan->stages.size(); ++i) {
      const Stage& stage = strategy.payment_plan->stages[i];
      if (auto ok = CheckStage(stage, fmt::format("payment_plan.stages[{}]", i), language); !ok) return ok;
    }
    if (strategy.payment_plan->broken_plan) {
      if (auto ok = CheckStage(*strategy.payment_plan->broken_plan, "payment_plan.broken_plan", language); !ok) return ok;
    }
  }
  return {};
}

}  // namespace cartera
