#include "agreements/plan_limits.h"

#include <array>

#include <fmt/format.h>

#include "core/currency.h"
#include "core/money.h"

namespace cartera {
namespace {

__extension__ typedef __int128 PlanWide;  // products of minor units and percentages

constexpr std::array<std::string_view, 5> kSegments = {"habitual", "occasional", "high_risk", "new", "any"};

struct CurrencyDefaults {
  std::string_view currency;
  int64_t band_max_minor;         // "small" balances up to this
  int64_t min_installment_minor;
};

// Minor units: COP and the others with two decimals, CLP with none.
constexpr std::array<CurrencyDefaults, 6> kCurrencyDefaults = {{
    {"COP", 20'000'000'00, 50'000'00},
    {"USD", 5'000'00, 20'00},
    {"EUR", 5'000'00, 20'00},
    {"MXN", 100'000'00, 400'00},
    {"CLP", 5'000'000, 20'000},
    {"PEN", 20'000'00, 80'00},
}};

int CurrencyExponent(std::string_view code) {
  auto currency = Currency::FromCode(code);
  return currency ? currency->exponent() : 2;
}

std::string Amount(int64_t minor, std::string_view currency) {
  return FormatMinorUnits(minor, CurrencyExponent(currency));
}

// "82.818,70 COP" (Spanish) or "82,818.70 COP" (English): what a person reads.
std::string AmountWithCode(int64_t minor, std::string_view currency, Language language) {
  const std::string plain = Amount(minor, currency);  // "-82818.70"
  const size_t point = plain.find('.');
  const std::string whole = plain.substr(0, point);
  const bool negative = !whole.empty() && whole[0] == '-';
  const std::string digits = negative ? whole.substr(1) : whole;
  const char group = language == Language::kSpanish ? '.' : ',';
  const char decimal = language == Language::kSpanish ? ',' : '.';
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += group;
    grouped += digits[i];
  }
  std::string text = (negative ? "-" : "") + grouped;
  if (point != std::string::npos) text += decimal + plain.substr(point + 1);
  return fmt::format("{} {}", text, currency);
}

}  // namespace

std::vector<PlanLimitRule> DefaultPlanLimitRules() {
  std::vector<PlanLimitRule> rules;
  for (const CurrencyDefaults& defaults : kCurrencyDefaults) {
    PlanLimitRule high_risk;
    high_risk.segment = "high_risk";
    high_risk.currency = std::string(defaults.currency);
    high_risk.max_installments = 4;
    high_risk.min_down_payment_percent = 30;
    high_risk.min_installment_minor = defaults.min_installment_minor;
    high_risk.max_duration_days = 120;
    high_risk.earliest_start_days = 0;
    high_risk.latest_start_days = 15;
    rules.push_back(high_risk);

    PlanLimitRule small;
    small.segment = "any";
    small.currency = std::string(defaults.currency);
    small.balance_max_minor = defaults.band_max_minor;
    small.max_installments = 6;
    small.min_down_payment_percent = 10;
    small.min_installment_minor = defaults.min_installment_minor;
    small.max_duration_days = 180;
    small.earliest_start_days = 0;
    small.latest_start_days = 30;
    rules.push_back(small);

    PlanLimitRule large = small;
    large.balance_min_minor = defaults.band_max_minor + 1;
    large.balance_max_minor.reset();
    large.max_installments = 12;
    large.min_down_payment_percent = 20;
    large.max_duration_days = 365;
    rules.push_back(large);
  }
  return rules;
}

bool IsPlanLimitSegment(std::string_view segment) {
  for (std::string_view known : kSegments) {
    if (known == segment) return true;
  }
  return false;
}

std::optional<PlanLimitRule> MatchPlanLimitRule(const std::vector<PlanLimitRule>& rules, std::string_view segment,
                                                std::string_view currency, int64_t balance_minor) {
  for (const PlanLimitRule& rule : rules) {
    if (rule.segment != "any" && rule.segment != segment) continue;
    if (rule.currency != currency) continue;
    if (balance_minor < rule.balance_min_minor) continue;
    if (rule.balance_max_minor && balance_minor > *rule.balance_max_minor) continue;
    return rule;
  }
  return std::nullopt;
}

PlanLimitCheck CheckPlanLimits(const std::vector<PlanLimitRule>& rules, const PlanProposal& proposal,
                               std::string_view currency, int64_t balance_minor, std::string_view segment, Date today,
                               Language language) {
  PlanLimitCheck check;
  check.rule = MatchPlanLimitRule(rules, segment, currency, balance_minor);
  auto add = [&check](std::string_view code, std::string_view field, std::string message) {
    check.violations.push_back({std::string(code), std::string(field), std::move(message)});
  };
  if (!check.rule) {
    add("no_matching_limit", "",
        TrFormat(language, "no hay límites para un saldo de {} en el segmento {}: la empresa debe aprobar el plan",
                 "there are no limits for a balance of {} in segment {}: the company must approve the plan",
                 AmountWithCode(balance_minor, currency, language), segment));
    return check;
  }
  const PlanLimitRule& rule = *check.rule;
  if (proposal.installments > rule.max_installments) {
    add("installments_above_max", "installments",
        TrFormat(language, "como mucho {} cuotas (pidió {})", "at most {} installments ({} asked)",
                 rule.max_installments, proposal.installments));
  }
  // down * 100 >= balance * percent, in 128 bits: no product overflows.
  const PlanWide down_hundredths = static_cast<PlanWide>(proposal.down_payment_minor) * 100;
  const PlanWide required_hundredths = static_cast<PlanWide>(balance_minor) * rule.min_down_payment_percent;
  if (down_hundredths < required_hundredths) {
    // The smallest down payment that meets the percentage, rounded up.
    const PlanWide minimum = (required_hundredths + 99) / 100;
    add("down_payment_below_min", "down_payment",
        TrFormat(language, "la cuota inicial mínima es el {}% del saldo: {}",
                 "the minimum down payment is {}% of the balance: {}", rule.min_down_payment_percent,
                 AmountWithCode(static_cast<int64_t>(minimum), currency, language)));
  }
  if (proposal.installments >= 1 && proposal.down_payment_minor >= 0 && proposal.down_payment_minor < balance_minor) {
    const int64_t smallest = (balance_minor - proposal.down_payment_minor) / proposal.installments;
    if (smallest < rule.min_installment_minor) {
      add("installment_below_min", "installments",
          TrFormat(language, "cada cuota debe ser de al menos {} (con {} cuotas serían {})",
                   "each installment must be at least {} ({} installments would be {})",
                   AmountWithCode(rule.min_installment_minor, currency, language), proposal.installments,
                   AmountWithCode(smallest, currency, language)));
    }
  }
  if (proposal.installments >= 1 && proposal.installments <= kPlanMaxInstallments) {
    const Date last = PlanInstallmentDate(proposal.first_date, proposal.frequency, proposal.installments - 1);
    const Date latest_end = today.PlusDays(rule.max_duration_days);
    if (last > latest_end) {
      add("duration_above_max", "installments",
          TrFormat(language, "el plan debe terminar a más tardar el {} ({} días); la última cuota sería el {}",
                   "the plan must end by {} ({} days); the last installment would be on {}",
                   latest_end.ToIso(), rule.max_duration_days, last.ToIso()));
    }
  }
  const Date earliest = today.PlusDays(rule.earliest_start_days);
  const Date latest = today.PlusDays(rule.latest_start_days);
  if (proposal.first_date < earliest) {
    add("first_date_too_early", "first_date",
        TrFormat(language, "la primera cuota puede ser desde el {}", "the first installment may be on {} or later",
                 earliest.ToIso()));
  }
  if (proposal.first_date > latest) {
    add("first_date_too_late", "first_date",
        TrFormat(language, "la primera cuota debe ser a más tardar el {}", "the first installment must be by {}",
                 latest.ToIso()));
  }
  return check;
}

nlohmann::json PlanLimitViolationsJson(const std::vector<PlanLimitViolation>& violations) {
  nlohmann::json out = nlohmann::json::array();
  for (const PlanLimitViolation& violation : violations) {
    out.push_back({{"code", violation.code}, {"field", violation.field}, {"message", violation.message}});
  }
  return out;
}

nlohmann::json PlanLimitRuleJson(const PlanLimitRule& rule) {
  return {{"segment", rule.segment},
          {"currency", rule.currency},
          {"balance_min", Amount(rule.balance_min_minor, rule.currency)},
          {"balance_max", rule.balance_max_minor ? nlohmann::json(Amount(*rule.balance_max_minor, rule.currency))
                                                 : nlohmann::json()},
          {"max_installments", rule.max_installments},
          {"min_down_payment_percent", rule.min_down_payment_percent},
          {"min_installment", Amount(rule.min_installment_minor, rule.currency)},
          {"max_duration_days", rule.max_duration_days},
          {"earliest_start_days", rule.earliest_start_days},
          {"latest_start_days", rule.latest_start_days}};
}

nlohmann::json PlanLimitsJson(const PlanLimits& limits) {
  nlohmann::json rules = nlohmann::json::array();
  for (const PlanLimitRule& rule : limits.rules) rules.push_back(PlanLimitRuleJson(rule));
  return {{"object", "plan_limits"},
          {"source", limits.is_default ? "default" : "tenant"},
          {"updated_at", limits.is_default ? nlohmann::json() : nlohmann::json(limits.updated_at)},
          {"updated_by", limits.is_default ? nlohmann::json() : nlohmann::json(limits.updated_by)},
          {"rules", rules}};
}

namespace {

// One rule's fields, each checked; the first refusal wins (with its pointer).
struct RuleReader {
  const nlohmann::json& object;
  std::string base;  // "/rules/3"
  Language language;
  std::string pointer;  // set on the first refusal
  std::string message;

  bool failed() const { return !pointer.empty(); }
  void Refuse(std::string_view field, std::string text) {
    if (failed()) return;
    pointer = base + "/" + std::string(field);
    message = std::move(text);
  }
  const nlohmann::json* Get(std::string_view field, bool required) {
    auto found = object.find(std::string(field));
    if (found == object.end() || (found->is_null() && required)) {
      if (required) Refuse(field, std::string(Tr(language, "falta", "is required")));
      return nullptr;
    }
    return &*found;
  }
  std::optional<int64_t> Integer(std::string_view field, int64_t min, int64_t max) {
    const nlohmann::json* value = Get(field, true);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) {
      Refuse(field, std::string(Tr(language, "debe ser un número entero", "must be an integer")));
      return std::nullopt;
    }
    const int64_t number = value->get<int64_t>();
    if (number < min || number > max) {
      Refuse(field, TrFormat(language, "debe estar entre {} y {}", "must be between {} and {}", min, max));
      return std::nullopt;
    }
    return number;
  }
  std::optional<std::string> Text(std::string_view field) {
    const nlohmann::json* value = Get(field, true);
    if (!value) return std::nullopt;
    if (!value->is_string()) {
      Refuse(field, std::string(Tr(language, "debe ser un texto", "must be a string")));
      return std::nullopt;
    }
    return value->get<std::string>();
  }
  std::optional<int64_t> AmountOf(std::string_view field, const std::optional<Currency>& currency, bool required) {
    const nlohmann::json* value = Get(field, required);
    if (!value || value->is_null() || !currency) return std::nullopt;
    if (!value->is_string()) {
      Refuse(field, std::string(Tr(language, "debe ser un importe como texto (\"1250000.00\")",
                                   "must be an amount as a string (\"1250000.00\")")));
      return std::nullopt;
    }
    auto money = Money::Parse(value->get<std::string>(), *currency);
    if (!money || money->is_negative() || !IsWithinDocumentAmountLimit(money->minor_units())) {
      Refuse(field, TrFormat(language, "no es un importe válido en {}: {}", "is not a valid amount in {}: {}",
                             currency->code(), value->get<std::string>()));
      return std::nullopt;
    }
    return money->minor_units();
  }
};

constexpr std::array<std::string_view, 10> kRuleFields = {
    "segment",           "currency",          "balance_min",         "balance_max",       "max_installments",
    "min_down_payment_percent", "min_installment", "max_duration_days", "earliest_start_days", "latest_start_days"};

}  // namespace

Result<std::vector<PlanLimitRule>> ParsePlanLimitRules(const nlohmann::json& document, Language language,
                                                       std::string* pointer) {
  auto refuse = [&](std::string at, std::string message) -> Result<std::vector<PlanLimitRule>> {
    if (pointer) *pointer = at;
    return Fail(Error::BadInput(fmt::format("{}: {}", at, message)));
  };
  if (!document.is_object()) return refuse("", std::string(Tr(language, "debe ser un objeto", "must be an object")));
  for (const auto& [key, value] : document.items()) {
    if (key != "rules") return refuse("/" + key, std::string(Tr(language, "campo desconocido", "unknown field")));
  }
  auto rules_json = document.find("rules");
  if (rules_json == document.end()) return refuse("/rules", std::string(Tr(language, "falta", "is required")));
  if (!rules_json->is_array()) return refuse("/rules", std::string(Tr(language, "debe ser una lista", "must be a list")));
  if (rules_json->size() > kPlanLimitRulesMax) {
    return refuse("/rules", TrFormat(language, "admite como mucho {} reglas", "takes at most {} rules", kPlanLimitRulesMax));
  }
  std::vector<PlanLimitRule> rules;
  for (size_t i = 0; i < rules_json->size(); ++i) {
    const nlohmann::json& item = (*rules_json)[i];
    const std::string base = fmt::format("/rules/{}", i);
    if (!item.is_object()) return refuse(base, std::string(Tr(language, "debe ser un objeto", "must be an object")));
    for (const auto& [key, value] : item.items()) {
      bool known = false;
      for (std::string_view field : kRuleFields) known = known || field == key;
      if (!known) return refuse(base + "/" + key, std::string(Tr(language, "campo desconocido", "unknown field")));
    }
    RuleReader reader{item, base, language, "", ""};
    PlanLimitRule rule;
    if (auto segment = reader.Text("segment")) {
      if (!IsPlanLimitSegment(*segment)) {
        reader.Refuse("segment", std::string(Tr(language, "es habitual, occasional, high_risk, new o any",
                                                "is habitual, occasional, high_risk, new or any")));
      }
      rule.segment = *segment;
    }
    std::optional<Currency> currency;
    if (auto code = reader.Text("currency")) {
      currency = Currency::FromCode(*code);
      if (!currency) {
        reader.Refuse("currency", TrFormat(language, "no es un código ISO 4217: {}", "is not an ISO 4217 code: {}", *code));
      } else {
        rule.currency = *code;
      }
    }
    rule.balance_min_minor = reader.AmountOf("balance_min", currency, true).value_or(0);
    rule.balance_max_minor = reader.AmountOf("balance_max", currency, false);
    if (!reader.failed() && rule.balance_max_minor && *rule.balance_max_minor < rule.balance_min_minor) {
      reader.Refuse("balance_max", std::string(Tr(language, "debe ser mayor o igual que balance_min",
                                                  "must be at least balance_min")));
    }
    rule.max_installments = static_cast<int32_t>(reader.Integer("max_installments", 1, kPlanMaxInstallments).value_or(1));
    rule.min_down_payment_percent = static_cast<int32_t>(reader.Integer("min_down_payment_percent", 0, 99).value_or(0));
    rule.min_installment_minor = reader.AmountOf("min_installment", currency, true).value_or(0);
    rule.max_duration_days = static_cast<int32_t>(reader.Integer("max_duration_days", 1, 3650).value_or(1));
    rule.earliest_start_days = static_cast<int32_t>(reader.Integer("earliest_start_days", 0, 365).value_or(0));
    rule.latest_start_days = static_cast<int32_t>(reader.Integer("latest_start_days", 0, 365).value_or(0));
    if (!reader.failed() && rule.latest_start_days < rule.earliest_start_days) {
      reader.Refuse("latest_start_days", std::string(Tr(language, "debe ser mayor o igual que earliest_start_days",
                                                        "must be at least earliest_start_days")));
    }
    if (reader.failed()) return refuse(reader.pointer, reader.message);
    rules.push_back(std::move(rule));
  }
  return rules;
}

namespace {

constexpr std::string_view kSelectRules =
    "SELECT segment, currency, balance_min_minor, balance_max_minor, max_installments, min_down_payment_percent, "
    "min_installment_minor, max_duration_days, earliest_start_days, latest_start_days FROM plan_limit_rules "
    "WHERE tenant_id = ? ORDER BY position";

}  // namespace

Result<PlanLimits> LoadPlanLimits(Database& database, int64_t tenant_id) {
  PlanLimits limits;
  auto set = database.Prepare("SELECT updated_at, updated_by FROM plan_limit_sets WHERE tenant_id = ?");
  if (!set) return Fail(set.error());
  (*set)->BindInt64(1, tenant_id);
  auto found = (*set)->Step();
  if (!found) return Fail(found.error());
  if (!*found) {
    limits.rules = DefaultPlanLimitRules();
    return limits;
  }
  limits.is_default = false;
  limits.updated_at = std::string((*set)->GetText(0));
  limits.updated_by = std::string((*set)->GetText(1));
  set->reset();
  auto rows = database.Prepare(kSelectRules);
  if (!rows) return Fail(rows.error());
  (*rows)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*rows)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    PlanLimitRule rule;
    rule.segment = std::string((*rows)->GetText(0));
    rule.currency = std::string((*rows)->GetText(1));
    rule.balance_min_minor = (*rows)->GetInt64(2);
    if (!(*rows)->IsNull(3)) rule.balance_max_minor = (*rows)->GetInt64(3);
    rule.max_installments = static_cast<int32_t>((*rows)->GetInt64(4));
    rule.min_down_payment_percent = static_cast<int32_t>((*rows)->GetInt64(5));
    rule.min_installment_minor = (*rows)->GetInt64(6);
    rule.max_duration_days = static_cast<int32_t>((*rows)->GetInt64(7));
    rule.earliest_start_days = static_cast<int32_t>((*rows)->GetInt64(8));
    rule.latest_start_days = static_cast<int32_t>((*rows)->GetInt64(9));
    limits.rules.push_back(std::move(rule));
  }
  return limits;
}

namespace {

nlohmann::json RulesJson(const std::vector<PlanLimitRule>& rules) {
  nlohmann::json out = nlohmann::json::array();
  for (const PlanLimitRule& rule : rules) out.push_back(PlanLimitRuleJson(rule));
  return out;
}

Status DeleteRules(Database& database, int64_t tenant_id) {
  for (std::string_view sql : {std::string_view("DELETE FROM plan_limit_rules WHERE tenant_id = ?"),
                               std::string_view("DELETE FROM plan_limit_sets WHERE tenant_id = ?")}) {
    auto statement = database.Prepare(sql);
    if (!statement) return Fail(statement.error());
    (*statement)->BindInt64(1, tenant_id);
    if (auto ok = (*statement)->Run(); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<PlanLimits> SavePlanLimits(Database& database, int64_t tenant_id, const std::vector<PlanLimitRule>& rules,
                                  const AuditContext& audit) {
  if (rules.size() > kPlanLimitRulesMax) {
    return Fail(Error::BadInput(TrFormat(audit.language, "admite como mucho {} reglas", "takes at most {} rules",
                                         kPlanLimitRulesMax)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadPlanLimits(database, tenant_id);
  if (!before) return Fail(before.error());
  if (auto ok = DeleteRules(database, tenant_id); !ok) return Fail(ok.error());
  auto set = database.Prepare("INSERT INTO plan_limit_sets (tenant_id, updated_at, updated_by) VALUES (?, ?, ?)");
  if (!set) return Fail(set.error());
  (*set)->BindInt64(1, tenant_id);
  (*set)->BindText(2, audit.at);
  (*set)->BindText(3, audit.actor);
  if (auto ok = (*set)->Run(); !ok) return Fail(ok.error());
  auto insert = database.Prepare(
      "INSERT INTO plan_limit_rules (tenant_id, position, segment, currency, balance_min_minor, balance_max_minor, "
      "max_installments, min_down_payment_percent, min_installment_minor, max_duration_days, earliest_start_days, "
      "latest_start_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  for (size_t i = 0; i < rules.size(); ++i) {
    const PlanLimitRule& rule = rules[i];
    Statement& row = **insert;
    row.Reset();
    row.BindInt64(1, tenant_id);
    row.BindInt64(2, static_cast<int64_t>(i) + 1);
    row.BindText(3, rule.segment);
    row.BindText(4, rule.currency);
    row.BindInt64(5, rule.balance_min_minor);
    if (rule.balance_max_minor) {
      row.BindInt64(6, *rule.balance_max_minor);
    } else {
      row.BindNull(6);
    }
    row.BindInt64(7, rule.max_installments);
    row.BindInt64(8, rule.min_down_payment_percent);
    row.BindInt64(9, rule.min_installment_minor);
    row.BindInt64(10, rule.max_duration_days);
    row.BindInt64(11, rule.earliest_start_days);
    row.BindInt64(12, rule.latest_start_days);
    if (auto ok = row.Run(); !ok) return Fail(ok.error());
  }
  insert->reset();
  const nlohmann::json before_json = {{"source", before->is_default ? "default" : "tenant"},
                                      {"rules", RulesJson(before->rules)}};
  const nlohmann::json after_json = {{"source", "tenant"}, {"rules", RulesJson(rules)}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "plan_limits", tenant_id, "update", before_json.dump(),
                           after_json.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return PlanLimits{rules, false, audit.at, audit.actor};
}

Result<PlanLimits> ResetPlanLimits(Database& database, int64_t tenant_id, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadPlanLimits(database, tenant_id);
  if (!before) return Fail(before.error());
  if (auto ok = DeleteRules(database, tenant_id); !ok) return Fail(ok.error());
  const nlohmann::json before_json = {{"source", before->is_default ? "default" : "tenant"},
                                      {"rules", RulesJson(before->rules)}};
  const nlohmann::json after_json = {{"source", "default"}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "plan_limits", tenant_id, "delete", before_json.dump(),
                           after_json.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  PlanLimits limits;
  limits.rules = DefaultPlanLimitRules();
  return limits;
}

}  // namespace cartera
