#include "templates/template_catalogue.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <kainjow/mustache.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cartera::templates {
namespace {

constexpr auto kMessage = VariableScope::kMessage;
constexpr auto kInvoice = VariableScope::kInvoice;

constexpr std::array kVariables = std::to_array<TemplateVariable>({
    {"debtor_name", kMessage, VariableKind::kText, "the customer who owes: company or person"},
    {"company_name", kMessage, VariableKind::kText, "the tenant: the company the debt is owed to"},
    {"collector_name", kMessage, VariableKind::kText,
     "who signs: the collector name of the company profile, or a team's title when none is set"},
    {"payment_link", kMessage, VariableKind::kText, "where to pay (a link or a placeholder); false when there is none"},
    {"total_due", kMessage, VariableKind::kMoney,
     "sum of the open amounts of every invoice the message is about (both lists), formatted"},
    {"invoice_count", kMessage, VariableKind::kNumber, "how many invoices the message is about (both lists)"},
    {"several_invoices", kMessage, VariableKind::kFlag, "true when there is more than one invoice"},
    {"earliest_due_date", kMessage, VariableKind::kDate, "the earliest due date among the invoices, formatted"},
    {"max_days_late", kMessage, VariableKind::kNumber, "days past due of the oldest invoice (0 when none is past due)"},
    {"as_of_date", kMessage, VariableKind::kDate, "the date the message is written for, formatted"},
    {"dispute_reason", kMessage, VariableKind::kText,
     "dispute_rejected: why the company rejected the dispute (empty in other messages)"},
    {"installment_number", kMessage, VariableKind::kNumber,
     "payment plan messages: the installment's number (1, 2, ...); false in other messages"},
    {"installment_amount", kMessage, VariableKind::kMoney,
     "payment plan messages: what is still owed on the installment, formatted; false in other messages"},
    {"installment_due_date", kMessage, VariableKind::kDate,
     "payment plan messages: the installment's date, formatted; false in other messages"},
    {"plan_balance", kMessage, VariableKind::kMoney,
     "payment plan messages: what the plan still owes (its invoices' open amounts), formatted; total_due elsewhere"},
    {kOverdueInvoicesVariable, kMessage, VariableKind::kList,
     "the invoices 1 or more days past due at as_of_date (a list section)"},
    {kUpcomingInvoicesVariable, kMessage, VariableKind::kList,
     "the invoices not yet past due: due at as_of_date or later (a list section)"},
    {"number", kInvoice, VariableKind::kText, "the invoice number"},
    {"issue_date", kInvoice, VariableKind::kDate, "issue date, formatted"},
    {"due_date", kInvoice, VariableKind::kDate, "due date, formatted"},
    {"amount", kInvoice, VariableKind::kMoney, "invoice amount, formatted"},
    {"open_amount", kInvoice, VariableKind::kMoney, "what is still owed on the invoice, formatted"},
    {"days_late", kInvoice, VariableKind::kNumber,
     "days past due: 1 or more in overdue_invoices, 0 (due today) or negative in upcoming_invoices"},
});

enum class TagKind { kVariable, kSectionBegin, kInvertedBegin, kSectionEnd, kComment, kPartial, kSetDelimiter };

struct Tag {
  TagKind kind;
  std::string name;
  size_t position;  // byte offset of the opening delimiter
};

std::string Trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

// kainjow's "=<% %>=" rule: two delimiters separated by spaces, neither
// containing whitespace or '='.
bool ParseSetDelimiter(const std::string& contents, std::string& begin, std::string& end) {
  if (contents.size() < 5 || contents.back() != '=') return false;
  const std::string inner = Trim(std::string_view(contents).substr(1, contents.size() - 2));
  const size_t space = inner.find(' ');
  if (space == std::string::npos) return false;
  const size_t second = inner.find_first_not_of(' ', space + 1);
  if (second == std::string::npos) return false;
  std::string new_begin = inner.substr(0, space);
  std::string new_end = inner.substr(second);
  for (const std::string* delimiter : {&new_begin, &new_end}) {
    for (char c : *delimiter) {
      if (c == '=' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return false;
    }
  }
  begin = std::move(new_begin);
  end = std::move(new_end);
  return true;
}

// The tags of a template kainjow has accepted, found by the same rules its
// parser uses (mustache.hpp 4.1, parser::parse): a tag opens at the current
// begin delimiter; with the default braces "{{{" opens a triple mustache that
// closes at "}}}"; contents are trimmed; "=" sets delimiters; the first
// character gives the kind and the rest, trimmed, the name.
std::vector<Tag> Tokenise(std::string_view text) {
  std::vector<Tag> tags;
  std::string begin = "{{";
  std::string end = "}}";
  size_t position = 0;
  while (position < text.size()) {
    const size_t start = text.find(begin, position);
    if (start == std::string_view::npos) break;
    size_t contents_start = start + begin.size();
    const bool braces = begin == "{{" && end == "}}";
    const bool triple = braces && contents_start < text.size() && text[contents_start] == '{';
    const std::string_view closing = triple ? std::string_view("}}}") : std::string_view(end);
    if (triple) ++contents_start;
    const size_t close = text.find(closing, contents_start);
    if (close == std::string_view::npos) break;  // kainjow reports "Unclosed tag"
    const std::string contents = Trim(text.substr(contents_start, close - contents_start));
    position = close + closing.size();

    Tag tag{TagKind::kVariable, "", start};
    if (!contents.empty() && contents[0] == '=') {
      ParseSetDelimiter(contents, begin, end);
      tag.kind = TagKind::kSetDelimiter;
    } else if (triple || contents.empty()) {
      tag.name = contents;
    } else {
      switch (contents[0]) {
        case '#':
          tag.kind = TagKind::kSectionBegin;
          break;
        case '^':
          tag.kind = TagKind::kInvertedBegin;
          break;
        case '/':
          tag.kind = TagKind::kSectionEnd;
          break;
        case '>':
          tag.kind = TagKind::kPartial;
          break;
        case '!':
          tag.kind = TagKind::kComment;
          break;
        case '&':
          tag.kind = TagKind::kVariable;
          break;
        default:
          tag.kind = TagKind::kVariable;
          tag.name = contents;
          break;
      }
      if (tag.name.empty()) tag.name = Trim(std::string_view(contents).substr(1));
    }
    tags.push_back(std::move(tag));
  }
  return tags;
}

size_t LineOf(std::string_view text, size_t position) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(position), '\n'));
}

std::string KnownNames(bool in_invoice) {
  std::string names;
  for (const auto& variable : kVariables) {
    if (variable.scope == kInvoice && !in_invoice) continue;
    if (!names.empty()) names += ", ";
    names += variable.name;
  }
  return names;
}

}  // namespace

std::span<const TemplateVariable> TemplateVariables() { return kVariables; }

const TemplateVariable* FindTemplateVariable(std::string_view name) {
  for (const auto& variable : kVariables) {
    if (variable.name == name) return &variable;
  }
  return nullptr;
}

Status ValidateTemplate(std::string_view text) {
  const kainjow::mustache::mustache parsed{std::string(text)};
  if (!parsed.is_valid()) return Fail(Error::BadInput("template syntax error: " + parsed.error_message()));

  // The open sections. Invoice variables resolve inside a list section such
  // as {{#overdue_invoices}} (one context per invoice), not inside
  // {{^overdue_invoices}}, which renders only when there are none.
  struct OpenSection {
    std::string name;
    bool inverted;
  };
  std::vector<OpenSection> sections;
  for (const Tag& tag : Tokenise(text)) {
    const size_t line = LineOf(text, tag.position);
    const bool in_invoice = std::any_of(sections.begin(), sections.end(), [](const OpenSection& section) {
      const TemplateVariable* opened = FindTemplateVariable(section.name);
      return !section.inverted && opened != nullptr && opened->kind == VariableKind::kList;
    });
    switch (tag.kind) {
      case TagKind::kComment:
      case TagKind::kSetDelimiter:
        continue;
      case TagKind::kPartial:
        return Fail(Error::BadInput(
            fmt::format("partial '{}' at line {}: message templates cannot include partials", tag.name, line)));
      case TagKind::kSectionEnd:
        if (!sections.empty()) sections.pop_back();
        continue;
      case TagKind::kVariable:
      case TagKind::kSectionBegin:
      case TagKind::kInvertedBegin:
        break;
    }
    if (tag.name.empty()) return Fail(Error::BadInput(fmt::format("empty tag at line {}", line)));
    const TemplateVariable* variable = FindTemplateVariable(tag.name);
    if (variable == nullptr) {
      return Fail(Error::BadInput(
          fmt::format("unknown variable '{}' at line {} (known: {})", tag.name, line, KnownNames(in_invoice))));
    }
    if (variable->scope == kInvoice && !in_invoice) {
      return Fail(Error::BadInput(
          fmt::format("variable '{}' at line {} is an invoice variable: use it inside {{{{#{}}}}}...{{{{/{}}}}} or "
                      "{{{{#{}}}}}...{{{{/{}}}}}",
                      tag.name, line, kOverdueInvoicesVariable, kOverdueInvoicesVariable, kUpcomingInvoicesVariable,
                      kUpcomingInvoicesVariable)));
    }
    if (tag.kind == TagKind::kVariable && variable->kind == VariableKind::kList) {
      return Fail(Error::BadInput(
          fmt::format("variable '{}' at line {} is a list: open it as a section, {{{{#{}}}}}...{{{{/{}}}}}", tag.name,
                      line, tag.name, tag.name)));
    }
    if (tag.kind != TagKind::kVariable) sections.push_back({tag.name, tag.kind == TagKind::kInvertedBegin});
  }
  return {};
}

}  // namespace cartera::templates
