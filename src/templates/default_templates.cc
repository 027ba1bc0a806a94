#include "templates/default_templates.h"

#include <fmt/core.h>

#include <array>
#include <string>

#include "templates/default_templates_data.h"

namespace cartera::templates {
namespace {

constexpr std::array<std::pair<Stage, std::string_view>, 14> kStages = {{
    {Stage::kBeforeDue, "before_due"},
    {Stage::kDueToday, "due_today"},
    {Stage::kOverdue1, "overdue_1"},
    {Stage::kOverdue7, "overdue_7"},
    {Stage::kOverdue15, "overdue_15"},
    {Stage::kOverdue30, "overdue_30"},
    {Stage::kOverdue60, "overdue_60"},
    {Stage::kOverdue90, "overdue_90"},
    {Stage::kLegal, "legal"},
    {Stage::kBrokenPromise, "broken_promise"},
    {Stage::kDisputeRejected, "dispute_rejected"},
    {Stage::kPlanInstallmentDue, "plan_installment_due"},
    {Stage::kPlanInstallmentMissed, "plan_installment_missed"},
    {Stage::kPlanBroken, "plan_broken"},
}};

constexpr std::array kStageList = {Stage::kBeforeDue, Stage::kDueToday,  Stage::kOverdue1,
                                   Stage::kOverdue7,  Stage::kOverdue15, Stage::kOverdue30,
                                   Stage::kOverdue60, Stage::kOverdue90, Stage::kLegal,
                                   Stage::kBrokenPromise, Stage::kDisputeRejected, Stage::kPlanInstallmentDue,
                                   Stage::kPlanInstallmentMissed, Stage::kPlanBroken};

constexpr std::array kChannelList = {Channel::kEmail, Channel::kSms, Channel::kWhatsapp, Channel::kCall,
                                     Channel::kLetter};

constexpr std::string_view kSubjectPrefix = "subject:";
constexpr std::string_view kExtension = ".mustache";

std::string TemplatePath(Stage stage, Channel channel, Language language, std::string_view tone) {
  return fmt::format("{}/{}/{}.{}{}", LanguageCode(language), ChannelKey(channel), StageKey(stage), tone, kExtension);
}

// "es/email/overdue_30.cordial.mustache" -> its parts, or nullopt.
struct PathParts {
  Language language;
  Channel channel;
  std::string stage;
  std::string tone;
};
std::optional<PathParts> SplitPath(std::string_view path) {
  const size_t first = path.find('/');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = path.find('/', first + 1);
  if (second == std::string_view::npos || !path.ends_with(kExtension)) return std::nullopt;
  const std::string_view file = path.substr(second + 1, path.size() - second - 1 - kExtension.size());
  const size_t dot = file.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto language = ParseLanguage(path.substr(0, first));
  auto channel = ParseChannel(path.substr(first + 1, second - first - 1));
  if (!language || !channel) return std::nullopt;
  return PathParts{*language, *channel, std::string(file.substr(0, dot)), std::string(file.substr(dot + 1))};
}

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

std::string_view StageKey(Stage stage) {
  for (const auto& [value, key] : kStages) {
    if (value == stage) return key;
  }
  return "";
}

std::optional<Stage> ParseStage(std::string_view key) {
  for (const auto& [value, name] : kStages) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::span<const Stage> AllStages() { return kStageList; }

bool IsPlanInstallmentStage(Stage stage) {
  return stage == Stage::kPlanInstallmentDue || stage == Stage::kPlanInstallmentMissed;
}

bool IsOverdueStage(Stage stage) {
  return stage != Stage::kBeforeDue && stage != Stage::kDueToday && stage != Stage::kDisputeRejected &&
         !IsPlanInstallmentStage(stage);
}

bool IsInvoiceForStage(Stage stage, const InvoiceLine& invoice) {
  if (stage == Stage::kDueToday) return invoice.days_late == 0;
  // The invoice of a rejected dispute, due or not: the notice speaks of it.
  if (stage == Stage::kDisputeRejected) return true;
  // An installment's reminder speaks of the whole plan, due or not.
  if (IsPlanInstallmentStage(stage)) return true;
  return IsOverdue(invoice) == IsOverdueStage(stage);
}

void KeepInvoicesForStage(Stage stage, std::vector<InvoiceLine>& invoices) {
  std::erase_if(invoices, [stage](const InvoiceLine& invoice) { return !IsInvoiceForStage(stage, invoice); });
}

std::string StageInvoicesDescription(Stage stage, Date as_of) {
  if (stage == Stage::kDisputeRejected || IsPlanInstallmentStage(stage)) return fmt::format("open on {}", as_of.ToIso());
  const std::string_view kind =
      stage == Stage::kDueToday ? "due on" : (IsOverdueStage(stage) ? "past due on" : "not yet past due on");
  return fmt::format("{} {}", kind, as_of.ToIso());
}

std::span<const Channel> AllChannels() { return kChannelList; }

Result<MessageTemplate> ParseTemplateFile(std::string_view text, Channel channel) {
  MessageTemplate parsed;
  parsed.channel = channel;
  if (!HasSubject(channel)) {
    parsed.body = std::string(text);
    return parsed;
  }
  const size_t newline = text.find('\n');
  const std::string_view first_line = text.substr(0, newline);
  if (!first_line.starts_with(kSubjectPrefix)) {
    return Fail(
        Error::BadInput(fmt::format("{} template: the first line must be \"subject: ...\"", ChannelKey(channel))));
  }
  parsed.subject = Trim(first_line.substr(kSubjectPrefix.size()));
  parsed.body = newline == std::string_view::npos ? std::string() : std::string(text.substr(newline + 1));
  return parsed;
}

Result<MessageTemplate> DefaultTemplate(Stage stage, Channel channel, Language language, std::string_view tone) {
  const std::string path = TemplatePath(stage, channel, language, tone);
  for (const auto& file : internal::EmbeddedTemplateFiles()) {
    if (file.path != path) continue;
    auto parsed = ParseTemplateFile(file.text, channel);
    if (!parsed) return Fail(Error::Internal(fmt::format("templates/{}: {}", path, parsed.error().message)));
    parsed->stage = std::string(StageKey(stage));
    parsed->language = language;
    parsed->tone = std::string(tone);
    return parsed;
  }
  return Fail(Error::NotFound(fmt::format("no default template {}", path)));
}

Result<std::vector<MessageTemplate>> AllDefaultTemplates() {
  std::vector<MessageTemplate> templates;
  for (const auto& file : internal::EmbeddedTemplateFiles()) {
    auto parts = SplitPath(file.path);
    if (!parts) {
      return Fail(
          Error::Internal(fmt::format("templates/{}: not <language>/<channel>/<stage>.<tone>.mustache", file.path)));
    }
    auto parsed = ParseTemplateFile(file.text, parts->channel);
    if (!parsed) return Fail(Error::Internal(fmt::format("templates/{}: {}", file.path, parsed.error().message)));
    parsed->stage = parts->stage;
    parsed->language = parts->language;
    parsed->tone = parts->tone;
    templates.push_back(std::move(*parsed));
  }
  return templates;
}

}  // namespace cartera::templates
