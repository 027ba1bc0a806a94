#include "engine/strategy.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/language.h"
#include "core/money.h"
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace cartera {
namespace {

using nlohmann::json;

struct NamedChannel {
  std::string_view name;
  Channel channel;
};
constexpr NamedChannel kChannels[] = {{"email", Channel::kEmail}, {"sms", Channel::kSms},
                                      {"whatsapp", Channel::kWhatsapp}, {"call", Channel::kCall},
                                      {"letter", Channel::kLetter}, {"best", Channel::kBest}};
struct NamedAction {
  std::string_view name;
  ActionType type;
};
constexpr NamedAction kActions[] = {{"message", ActionType::kMessage},     {"call_task", ActionType::kCallTask},
                                    {"letter", ActionType::kLetter},       {"late_fee", ActionType::kLateFee},
                                    {"credit_hold", ActionType::kCreditHold}, {"escalate", ActionType::kEscalate},
                                    {"wait", ActionType::kWait}};

// "strategy: <path>: <problem>" (Spanish: "estrategia: ..."): the API
// reads the path back into a JSON Pointer (api/routes_settings.cc).
Error At(Language language, const std::string& path, std::string_view problem) {
  return Error::BadInput(fmt::format("{}: {}: {}", Tr(language, "estrategia", "strategy"), path, problem));
}

Result<Tristate> ParseTristate(const json& value, const std::string& path, Language language) {
  if (!value.is_boolean()) {
    return Fail(At(language, path, Tr(language, "debe ser true o false", "must be true or false")));
  }
  return value.get<bool>() ? Tristate::kYes : Tristate::kNo;
}

Result<std::vector<std::string>> ParseStrings(const json& value, const std::string& path, Language language) {
  if (!value.is_array()) {
    return Fail(At(language, path, Tr(language, "debe ser una lista de textos", "must be a list of texts")));
  }
  std::vector<std::string> out;
  for (const json& item : value) {
    if (!item.is_string()) {
      return Fail(At(language, path, Tr(language, "debe ser una lista de textos", "must be a list of texts")));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<int64_t> ParseInteger(const json& value, const std::string& path, Language language) {
  if (!value.is_number_integer()) {
    return Fail(At(language, path, Tr(language, "debe ser un número entero", "must be a whole number")));
  }
  return value.get<int64_t>();
}

// Each threshold with its field name and the range that makes sense.
struct ThresholdField {
  const char* name;
  int32_t SegmentThresholds::*field;
  int32_t min;
  int32_t max;
};
constexpr ThresholdField kThresholdFields[] = {
    {"grace_days", &SegmentThresholds::grace_days, 0, 60},
    {"min_history_invoices", &SegmentThresholds::min_history_invoices, 1, 1000},
    {"occasional_late_percent", &SegmentThresholds::occasional_late_percent, 0, 100},
    {"high_risk_late_percent", &SegmentThresholds::high_risk_late_percent, 0, 100},
    {"high_risk_over_60_percent", &SegmentThresholds::high_risk_over_60_percent, 0, 100},
    {"high_risk_broken_promises", &SegmentThresholds::high_risk_broken_promises, 1, 1000},
};

Result<SegmentThresholds> ParseSegmentThresholds(const json& value, const std::string& path, Language language) {
  SegmentThresholds thresholds;
  if (!value.is_object()) return Fail(At(language, path, Tr(language, "debe ser un objeto", "must be an object")));
  for (const auto& [key, item] : value.items()) {
    const std::string here = path + "." + key;
    const ThresholdField* known = nullptr;
    for (const ThresholdField& field : kThresholdFields) {
      if (key == field.name) known = &field;
    }
    if (known == nullptr) {
      std::string names;
      for (const ThresholdField& field : kThresholdFields) names += fmt::format("{}{}", names.empty() ? "" : ", ", field.name);
      return Fail(At(language, here,
                     TrFormat(language, "campo desconocido (conocidos: {})", "unknown field (known: {})", names)));
    }
    auto number = ParseInteger(item, here, language);
    if (!number) return Fail(number.error());
    if (*number < known->min || *number > known->max) {
      return Fail(
          At(language, here,
             TrFormat(language, "debe estar entre {} y {}", "must be between {} and {}", known->min, known->max)));
    }
    thresholds.*(known->field) = static_cast<int32_t>(*number);
  }
  if (thresholds.occasional_late_percent > thresholds.high_risk_late_percent) {
    return Fail(
        At(language, path + ".occasional_late_percent",
           Tr(language, "no debe ser mayor que high_risk_late_percent", "must not be above high_risk_late_percent")));
  }
  return thresholds;
}

json SegmentThresholdsToJson(const SegmentThresholds& thresholds) {
  json out = json::object();
  for (const ThresholdField& field : kThresholdFields) out[field.name] = thresholds.*(field.field);
  return out;
}

// `{amount: "1000000.00", currency: COP}`: the amount as decimal text (a
// JSON number is a binary float), in the currency's decimals.
Result<AmountThreshold> ParseAmountThreshold(const json& value, const std::string& path, Language language) {
  if (!value.is_object() || !value.contains("amount") || !value.contains("currency") || value.size() != 2) {
    return Fail(At(language, path,
                   Tr(language, "debe ser {amount: \"1000000.00\", currency: COP}",
                      "must be {amount: \"1000000.00\", currency: COP}")));
  }
  const json& code = value["currency"];
  auto currency = code.is_string() ? Currency::FromCode(code.get<std::string>()) : std::nullopt;
  if (!currency)
    return Fail(At(language, path + ".currency",
                   Tr(language, "debe ser un código de moneda ISO 4217 (COP, USD, MXN, ...)",
                      "must be an ISO 4217 currency code (COP, USD, MXN, ...)")));
  const json& amount = value["amount"];
  if (!amount.is_string())
    return Fail(At(language, path + ".amount",
                   Tr(language, "debe ser un decimal entre comillas, p. ej. \"1000000.00\"",
                      "must be a decimal in quotes, e.g. \"1000000.00\"")));
  auto money = Money::Parse(amount.get<std::string>(), *currency);
  if (!money) return Fail(At(language, path + ".amount", money.error().message));
  if (money->minor_units() < 0) {
    return Fail(At(language, path + ".amount", Tr(language, "no debe ser negativo", "must not be negative")));
  }
  return AmountThreshold{money->minor_units(), code.get<std::string>()};
}

json AmountThresholdToJson(const AmountThreshold& threshold) {
  auto currency = Currency::FromCode(threshold.currency);
  return {{"amount", FormatMinorUnits(threshold.minor_units, currency ? currency->exponent() : 2)},
          {"currency", threshold.currency}};
}

Result<Conditions> ParseConditions(const json& value, const std::string& path, Language language) {
  Conditions conditions;
  if (value.is_null()) return conditions;
  if (!value.is_object()) return Fail(At(language, path, Tr(language, "debe ser un objeto", "must be an object")));
  // Strategies from before thresholds had a currency: min_open_minor and
  // max_open_minor load only with a `currency` beside them.
  std::optional<int64_t> legacy_min, legacy_max;
  std::optional<std::string> legacy_currency;
  for (const auto& [key, item] : value.items()) {
    const std::string here = path + "." + key;
    if (key == "segments" || key == "size_segments" || key == "countries") {
      auto list = ParseStrings(item, here, language);
      if (!list) return Fail(list.error());
      (key == "segments" ? conditions.segments : key == "size_segments" ? conditions.size_segments : conditions.countries) =
          *list;
    } else if (key == "min_open" || key == "max_open") {
      auto threshold = ParseAmountThreshold(item, here, language);
      if (!threshold) return Fail(threshold.error());
      (key == "min_open" ? conditions.min_open : conditions.max_open) = *threshold;
    } else if (key == "currency") {
      if (!item.is_string() || !Currency::FromCode(item.get<std::string>())) {
        return Fail(At(language, here,
                       Tr(language, "debe ser un código de moneda ISO 4217 (COP, USD, MXN, ...)",
                          "must be an ISO 4217 currency code (COP, USD, MXN, ...)")));
      }
      legacy_currency = item.get<std::string>();
    } else if (key == "min_open_minor" || key == "max_open_minor" || key == "min_open_to_average_percent" ||
               key == "min_overdue_invoices") {
      auto number = ParseInteger(item, here, language);
      if (!number) return Fail(number.error());
      if (*number < 0) return Fail(At(language, here, Tr(language, "no debe ser negativo", "must not be negative")));
      if (key == "min_open_minor") legacy_min = *number;
      if (key == "max_open_minor") legacy_max = *number;
      if (key == "min_open_to_average_percent") conditions.min_open_to_average_percent = *number;
      if (key == "min_overdue_invoices") conditions.min_overdue_invoices = *number;
    } else if (key == "payer_history") {
      if (item == "first_time") {
        conditions.payer_history = PayerHistory::kFirstTime;
      } else if (item == "chronic") {
        conditions.payer_history = PayerHistory::kChronic;
      } else {
        return Fail(At(language, here, Tr(language, "debe ser first_time o chronic", "must be first_time or chronic")));
      }
    } else if (key == "promise_open" || key == "promise_broken" || key == "answered_last_contact" || key == "consumer") {
      auto flag = ParseTristate(item, here, language);
      if (!flag) return Fail(flag.error());
      (key == "promise_open"     ? conditions.promise_open
       : key == "promise_broken" ? conditions.promise_broken
       : key == "consumer"       ? conditions.consumer
                                 : conditions.answered_last_contact) = *flag;
    } else {
      return Fail(At(language, here,
                     TrFormat(language, "condición desconocida (conocidas: {})", "unknown condition (known: {})",
                              "segments, size_segments, countries, min_open, max_open, min_open_to_average_percent, "
                              "min_overdue_invoices, payer_history, promise_open, promise_broken, "
                              "answered_last_contact, consumer")));
    }
  }
  if (legacy_min || legacy_max) {
    if (!legacy_currency) {
      return Fail(At(language, path + (legacy_min ? ".min_open_minor" : ".max_open_minor"),
                     Tr(language,
                        "no tiene moneda: escriba min_open: {amount: \"1000000.00\", currency: COP} (o max_open), o "
                        "agregue currency: COP a su lado",
                        "has no currency: write min_open: {amount: \"1000000.00\", currency: COP} (or max_open), or "
                        "add currency: COP beside it")));
    }
    if ((legacy_min && conditions.min_open) || (legacy_max && conditions.max_open)) {
      return Fail(At(language, path,
                     Tr(language, "use min_open/max_open o min_open_minor/max_open_minor, no ambos",
                        "give min_open/max_open or min_open_minor/max_open_minor, not both")));
    }
    if (legacy_min) conditions.min_open = AmountThreshold{*legacy_min, *legacy_currency};
    if (legacy_max) conditions.max_open = AmountThreshold{*legacy_max, *legacy_currency};
  } else if (legacy_currency) {
    return Fail(
        At(language, path + ".currency",
           Tr(language, "va con min_open_minor o max_open_minor; escriba la moneda en min_open y max_open en su lugar",
              "goes with min_open_minor or max_open_minor; write the currency in min_open and max_open "
              "instead")));
  }
  if (conditions.min_open && conditions.max_open) {
    if (conditions.min_open->currency != conditions.max_open->currency) {
      return Fail(At(language, path,
                     Tr(language, "min_open y max_open están en monedas distintas",
                        "min_open and max_open are in different currencies")));
    }
    if (conditions.min_open->minor_units > conditions.max_open->minor_units) {
      return Fail(At(language, path, Tr(language, "min_open es mayor que max_open", "min_open is above max_open")));
    }
  }
  return conditions;
}

Result<Channel> ParseChannelAt(const json& value, const std::string& path, Language language) {
  if (value.is_string()) {
    if (auto channel = ParseChannel(value.get<std::string>())) return *channel;
  }
  return Fail(At(language, path,
                 Tr(language, "debe ser email, sms, whatsapp, call, letter o best",
                    "must be email, sms, whatsapp, call, letter or best")));
}

Result<Action> ParseAction(const json& value, const std::string& path, const std::string& stage_key,
                           Language language) {
  if (!value.is_object()) return Fail(At(language, path, Tr(language, "debe ser un objeto", "must be an object")));
  Action action;
  action.template_name = stage_key;
  const json& type = value.contains("type") ? value["type"] : json("message");
  auto found = std::find_if(std::begin(kActions), std::end(kActions),
                            [&](const NamedAction& named) { return type.is_string() && named.name == type.get<std::string>(); });
  if (found == std::end(kActions)) {
    return Fail(At(language, path + ".type",
                   Tr(language, "debe ser message, call_task, letter, late_fee, credit_hold, escalate o wait",
                      "must be message, call_task, letter, late_fee, credit_hold, escalate or wait")));
  }
  action.type = found->type;
  action.channel = action.type == ActionType::kCallTask ? Channel::kCall
                   : action.type == ActionType::kLetter ? Channel::kLetter
                                                        : Channel::kEmail;
  for (const auto& [key, item] : value.items()) {
    const std::string here = path + "." + key;
    if (key == "type") continue;
    if (key == "channel") {
      auto channel = ParseChannelAt(item, here, language);
      if (!channel) return Fail(channel.error());
      action.channel = *channel;
    } else if (key == "fallback") {
      if (!item.is_array()) {
        return Fail(At(language, here, Tr(language, "debe ser una lista de canales", "must be a list of channels")));
      }
      for (size_t i = 0; i < item.size(); ++i) {
        auto channel = ParseChannelAt(item[i], fmt::format("{}[{}]", here, i), language);
        if (!channel) return Fail(channel.error());
        action.fallback.push_back(*channel);
      }
    } else if (key == "template" || key == "tone" || key == "escalate_to") {
      if (!item.is_string() || item.get<std::string>().empty()) {
        return Fail(At(language, here, Tr(language, "debe ser un texto no vacío", "must be a non-empty text")));
      }
      (key == "template" ? action.template_name : key == "tone" ? action.tone : action.escalate_to) = item.get<std::string>();
    } else if (key == "attach_statement") {
      if (!item.is_boolean()) {
        return Fail(At(language, here, Tr(language, "debe ser true o false", "must be true or false")));
      }
      action.attach_statement = item.get<bool>();
    } else if (key == "conditions") {
      auto conditions = ParseConditions(item, here, language);
      if (!conditions) return Fail(conditions.error());
      action.conditions = *conditions;
    } else {
      return Fail(At(language, here,
                     TrFormat(language, "campo desconocido (conocidos: {})", "unknown field (known: {})",
                              "type, channel, fallback, template, tone, attach_statement, escalate_to, conditions")));
    }
  }
  if (action.type == ActionType::kEscalate && action.escalate_to != "agency" && action.escalate_to != "legal") {
    return Fail(
        At(language, path + ".escalate_to", Tr(language, "debe ser agency o legal", "must be agency or legal")));
  }
  if (action.type == ActionType::kMessage && (action.channel == Channel::kCall || action.channel == Channel::kLetter)) {
    return Fail(At(language, path + ".channel",
                   Tr(language, "un mensaje va por email, sms, whatsapp o best; use call_task o letter",
                      "a message goes by email, sms, whatsapp or best; use call_task or letter")));
  }
  return action;
}

Result<Stage> ParseStage(const json& value, const std::string& path, bool needs_day, Language language) {
  if (!value.is_object()) return Fail(At(language, path, Tr(language, "debe ser un objeto", "must be an object")));
  Stage stage;
  if (!value.contains("key") || !value["key"].is_string() || value["key"].get<std::string>().empty()) {
    return Fail(
        At(language, path + ".key",
           Tr(language, "es obligatorio (un nombre como overdue_30)", "is required (a name such as overdue_30)")));
  }
  stage.key = value["key"].get<std::string>();
  for (const auto& [key, item] : value.items()) {
    const std::string here = path + "." + key;
    if (key == "key") continue;
    if (key == "day") {
      auto day = ParseInteger(item, here, language);
      if (!day) return Fail(day.error());
      if (*day < -365 || *day > 3650) {
        return Fail(At(language, here, Tr(language, "debe estar entre -365 y 3650", "must be between -365 and 3650")));
      }
      stage.day = static_cast<int32_t>(*day);
    } else if (key == "window_days") {
      auto window = ParseInteger(item, here, language);
      if (!window) return Fail(window.error());
      if (*window < 1 || *window > 3650) {
        return Fail(At(language, here, Tr(language, "debe estar entre 1 y 3650", "must be between 1 and 3650")));
      }
      stage.window_days = static_cast<int32_t>(*window);
    } else if (key == "conditions") {
      auto conditions = ParseConditions(item, here, language);
      if (!conditions) return Fail(conditions.error());
      stage.conditions = *conditions;
    } else if (key == "actions") {
      if (!item.is_array() || item.empty()) {
        return Fail(At(language, here, Tr(language, "debe ser una lista no vacía", "must be a non-empty list")));
      }
      for (size_t i = 0; i < item.size(); ++i) {
        auto action = ParseAction(item[i], fmt::format("{}[{}]", here, i), stage.key, language);
        if (!action) return Fail(action.error());
        stage.actions.push_back(std::move(*action));
      }
    } else {
      return Fail(At(language, here,
                     Tr(language, "campo desconocido (conocidos: key, day, window_days, conditions, actions)",
                        "unknown field (known: key, day, window_days, conditions, actions)")));
    }
  }
  if (needs_day && !value.contains("day"))
    return Fail(At(language, path + ".day",
                   Tr(language, "es obligatorio (días desde el vencimiento)", "is required (days from the due date)")));
  if (stage.actions.empty()) {
    return Fail(At(language, path + ".actions", Tr(language, "es obligatorio", "is required")));
  }
  return stage;
}

json ConditionsToJson(const Conditions& conditions) {
  json out = json::object();
  if (!conditions.segments.empty()) out["segments"] = conditions.segments;
  if (!conditions.size_segments.empty()) out["size_segments"] = conditions.size_segments;
  if (!conditions.countries.empty()) out["countries"] = conditions.countries;
  if (conditions.min_open) out["min_open"] = AmountThresholdToJson(*conditions.min_open);
  if (conditions.max_open) out["max_open"] = AmountThresholdToJson(*conditions.max_open);
  if (conditions.min_open_to_average_percent) out["min_open_to_average_percent"] = *conditions.min_open_to_average_percent;
  if (conditions.min_overdue_invoices) out["min_overdue_invoices"] = *conditions.min_overdue_invoices;
  if (conditions.payer_history != PayerHistory::kAny) {
    out["payer_history"] = conditions.payer_history == PayerHistory::kFirstTime ? "first_time" : "chronic";
  }
  auto flag = [&](const char* key, Tristate value) {
    if (value != Tristate::kAny) out[key] = value == Tristate::kYes;
  };
  flag("promise_open", conditions.promise_open);
  flag("promise_broken", conditions.promise_broken);
  flag("answered_last_contact", conditions.answered_last_contact);
  flag("consumer", conditions.consumer);
  return out;
}

json StageToJson(const Stage& stage, bool with_day) {
  json out = {{"key", stage.key}};
  if (with_day) out["day"] = stage.day;
  if (stage.window_days) out["window_days"] = *stage.window_days;
  if (json conditions = ConditionsToJson(stage.conditions); !conditions.empty()) out["conditions"] = conditions;
  json actions = json::array();
  for (const Action& action : stage.actions) {
    json item = {{"type", ActionTypeName(action.type)}, {"channel", ChannelName(action.channel)},
                 {"template", action.template_name}, {"tone", action.tone}};
    if (!action.fallback.empty()) {
      item["fallback"] = json::array();
      for (Channel channel : action.fallback) item["fallback"].push_back(ChannelName(channel));
    }
    if (action.attach_statement) item["attach_statement"] = true;
    if (!action.escalate_to.empty()) item["escalate_to"] = action.escalate_to;
    if (json conditions = ConditionsToJson(action.conditions); !conditions.empty()) item["conditions"] = conditions;
    actions.push_back(std::move(item));
  }
  out["actions"] = actions;
  return out;
}

json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(YamlToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& item : node) out[item.first.as<std::string>()] = YamlToJson(item.second);
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string text = node.as<std::string>();
      if (node.Tag() == "!") return text;  // quoted: always text
      if (text == "true" || text == "false") return text == "true";
      int64_t number = 0;
      if (YAML::convert<int64_t>::decode(node, number)) return number;
      return text;
    }
    default:
      return nullptr;
  }
}

// `payment_plan: {stages: [{key, day, actions}...], broken_plan: {key, actions}}`:
// days relative to each installment's date.
Result<PlanReminders> ParsePlanReminders(const json& value, Language language) {
  const std::string path = "payment_plan";
  if (!value.is_object()) return Fail(At(language, path, Tr(language, "debe ser un objeto", "must be an object")));
  PlanReminders plan;
  for (const auto& [key, item] : value.items()) {
    const std::string here = path + "." + key;
    if (key == "stages") {
      if (!item.is_array() || item.empty()) {
        return Fail(At(language, here, Tr(language, "debe ser una lista no vacía", "must be a non-empty list")));
      }
      for (size_t i = 0; i < item.size(); ++i) {
        const std::string at = fmt::format("{}[{}]", here, i);
        auto stage = ParseStage(item[i], at, true, language);
        if (!stage) return Fail(stage.error());
        if (stage->day < -60 || stage->day > 60) {
          return Fail(At(language, at + ".day",
                         Tr(language, "debe estar entre -60 y 60 (días desde la fecha de la cuota)",
                            "must be between -60 and 60 (days from the installment's date)")));
        }
        plan.stages.push_back(std::move(*stage));
      }
    } else if (key == "broken_plan") {
      auto stage = ParseStage(item, here, false, language);
      if (!stage) return Fail(stage.error());
      plan.broken_plan = std::move(*stage);
    } else {
      return Fail(At(language, here,
                     Tr(language, "campo desconocido (conocidos: stages, broken_plan)",
                        "unknown field (known: stages, broken_plan)")));
    }
  }
  if (plan.stages.empty() && !plan.broken_plan) {
    return Fail(At(language, path + ".stages", Tr(language, "es obligatorio", "is required")));
  }
  // Kept in the document's order (errors name stages by their index there);
  // the decision finds the current stage by day whatever the order.
  for (size_t i = 0; i < plan.stages.size(); ++i) {
    for (size_t j = i + 1; j < plan.stages.size(); ++j) {
      if (plan.stages[i].day == plan.stages[j].day) {
        return Fail(At(language, fmt::format("{}.stages[{}].day", path, j),
                       TrFormat(language, "dos etapas el día {} ('{}' y '{}')", "two stages on day {} ('{}' and '{}')",
                                plan.stages[j].day, plan.stages[i].key, plan.stages[j].key)));
      }
    }
  }
  return plan;
}

}  // namespace

std::string_view ActionTypeName(ActionType type) {
  for (const NamedAction& named : kActions) {
    if (named.type == type) return named.name;
  }
  return "message";
}

std::string_view ChannelName(Channel channel) {
  for (const NamedChannel& named : kChannels) {
    if (named.channel == channel) return named.name;
  }
  return "email";
}

std::optional<Channel> ParseChannel(std::string_view text) {
  for (const NamedChannel& named : kChannels) {
    if (named.name == text) return named.channel;
  }
  return std::nullopt;
}

Result<Strategy> ParseStrategy(const json& document, Language language) {
  if (!document.is_object()) {
    return Fail(At(language, "(top)", Tr(language, "debe ser un objeto", "must be an object")));
  }
  Strategy strategy;
  for (const auto& [key, item] : document.items()) {
    if (key == "name" || key == "description") {
      if (!item.is_string()) return Fail(At(language, key, Tr(language, "debe ser un texto", "must be a text")));
      (key == "name" ? strategy.name : strategy.description) = item.get<std::string>();
    } else if (key == "stage_driver") {
      if (item == "oldest_invoice") {
        strategy.driver = StageDriver::kOldestInvoice;
      } else if (item == "largest_invoice") {
        strategy.driver = StageDriver::kLargestInvoice;
      } else {
        return Fail(
            At(language, key,
               Tr(language, "debe ser oldest_invoice o largest_invoice", "must be oldest_invoice or largest_invoice")));
      }
    } else if (key == "promise_grace_days") {
      auto days = ParseInteger(item, key, language);
      if (!days) return Fail(days.error());
      if (*days < 0 || *days > 60) {
        return Fail(At(language, key, Tr(language, "debe estar entre 0 y 60", "must be between 0 and 60")));
      }
      strategy.promise_grace_days = static_cast<int32_t>(*days);
    } else if (key == "segments") {
      auto thresholds = ParseSegmentThresholds(item, key, language);
      if (!thresholds) return Fail(thresholds.error());
      strategy.segment_thresholds = *thresholds;
    } else if (key == "stages") {
      if (!item.is_array() || item.empty()) {
        return Fail(At(language, key, Tr(language, "debe ser una lista no vacía", "must be a non-empty list")));
      }
      for (size_t i = 0; i < item.size(); ++i) {
        auto stage = ParseStage(item[i], fmt::format("stages[{}]", i), true, language);
        if (!stage) return Fail(stage.error());
        strategy.stages.push_back(std::move(*stage));
      }
    } else if (key == "broken_promise") {
      auto stage = ParseStage(item, key, false, language);
      if (!stage) return Fail(stage.error());
      strategy.broken_promise = std::move(*stage);
    } else if (key == "payment_plan") {
      auto plan = ParsePlanReminders(item, language);
      if (!plan) return Fail(plan.error());
      strategy.payment_plan = std::move(*plan);
    } else {
      return Fail(
          At(language, key,
             TrFormat(language, "campo desconocido (conocidos: {})", "unknown field (known: {})",
                      "name, description, stage_driver, promise_grace_days, segments, stages, broken_promise, "
                      "payment_plan")));
    }
  }
  if (strategy.name.empty()) return Fail(At(language, "name", Tr(language, "es obligatorio", "is required")));
  if (strategy.stages.empty()) return Fail(At(language, "stages", Tr(language, "es obligatorio", "is required")));
  std::stable_sort(strategy.stages.begin(), strategy.stages.end(),
                   [](const Stage& a, const Stage& b) { return a.day < b.day; });
  for (size_t i = 1; i < strategy.stages.size(); ++i) {
    if (strategy.stages[i].day == strategy.stages[i - 1].day) {
      return Fail(At(language, "stages",
                     TrFormat(language, "dos etapas el día {} ('{}' y '{}')", "two stages on day {} ('{}' and '{}')",
                              strategy.stages[i].day, strategy.stages[i - 1].key, strategy.stages[i].key)));
    }
  }
  for (size_t i = 0; i < strategy.stages.size(); ++i) {
    for (size_t j = i + 1; j < strategy.stages.size(); ++j) {
      if (strategy.stages[i].key == strategy.stages[j].key) {
        return Fail(At(language, "stages",
                       TrFormat(language, "la clave de etapa '{}' aparece dos veces", "stage key '{}' appears twice",
                                strategy.stages[i].key)));
      }
    }
  }
  if (strategy.payment_plan) {
    // The outbox remembers when each stage last fired by its key: a plan
    // stage sharing a key with another stage would silence one of them.
    std::vector<std::pair<std::string, std::string>> taken;  // key, path
    for (size_t i = 0; i < strategy.stages.size(); ++i) taken.emplace_back(strategy.stages[i].key, fmt::format("stages[{}]", i));
    if (strategy.broken_promise) taken.emplace_back(strategy.broken_promise->key, "broken_promise");
    std::vector<std::pair<const Stage*, std::string>> mine;
    for (size_t i = 0; i < strategy.payment_plan->stages.size(); ++i) {
      mine.emplace_back(&strategy.payment_plan->stages[i], fmt::format("payment_plan.stages[{}]", i));
    }
    if (strategy.payment_plan->broken_plan) mine.emplace_back(&*strategy.payment_plan->broken_plan, "payment_plan.broken_plan");
    for (const auto& [stage, path] : mine) {
      for (const auto& [key, other] : taken) {
        if (stage->key == key) {
          return Fail(At(language, path + ".key",
                         TrFormat(language, "la clave de etapa '{}' ya la usa {}", "stage key '{}' is already used by {}",
                                  key, other)));
        }
      }
      taken.emplace_back(stage->key, path);
    }
  }
  return strategy;
}

Result<Strategy> ParseStrategyText(std::string_view text, Language language) {
  std::string_view trimmed = text;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
  if (trimmed.starts_with('{')) {
    json document = json::parse(text, nullptr, false);
    if (document.is_discarded()) {
      return Fail(
          Error::BadInput(std::string(Tr(language, "estrategia: no es JSON válido", "strategy: not valid JSON"))));
    }
    return ParseStrategy(document, language);
  }
  try {
    return ParseStrategy(YamlToJson(YAML::Load(std::string(text))), language);
  } catch (const YAML::Exception& error) {
    return Fail(
        Error::BadInput(TrFormat(language, "estrategia: no es YAML ni JSON válido: línea {}: {}",
                                 "strategy: not valid YAML or JSON: line {}: {}", error.mark.line + 1, error.msg)));
  }
}

json StrategyToJson(const Strategy& strategy) {
  json out = {{"name", strategy.name},
              {"stage_driver", strategy.driver == StageDriver::kOldestInvoice ? "oldest_invoice" : "largest_invoice"},
              {"promise_grace_days", strategy.promise_grace_days},
              {"segments", SegmentThresholdsToJson(strategy.segment_thresholds)}};
  if (!strategy.description.empty()) out["description"] = strategy.description;
  out["stages"] = json::array();
  for (const Stage& stage : strategy.stages) out["stages"].push_back(StageToJson(stage, true));
  if (strategy.broken_promise) out["broken_promise"] = StageToJson(*strategy.broken_promise, false);
  if (strategy.payment_plan) {
    json plan = json::object();
    if (!strategy.payment_plan->stages.empty()) {
      plan["stages"] = json::array();
      for (const Stage& stage : strategy.payment_plan->stages) plan["stages"].push_back(StageToJson(stage, true));
    }
    if (strategy.payment_plan->broken_plan) plan["broken_plan"] = StageToJson(*strategy.payment_plan->broken_plan, false);
    out["payment_plan"] = std::move(plan);
  }
  return out;
}

}  // namespace cartera
