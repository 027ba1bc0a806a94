#include "templates/template_catalogue.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cartera::templates {
namespace {

std::string ErrorOf(std::string_view text) {
  auto status = ValidateTemplate(text);
  if (status) return "";
  EXPECT_EQ(status.error().code, ErrorCode::kBadInput);
  return status.error().message;
}

TEST(TemplateCatalogue, TableIsConsistent) {
  std::set<std::string_view> names;
  for (const auto& variable : TemplateVariables()) {
    EXPECT_TRUE(names.insert(variable.name).second) << "duplicate " << variable.name;
    EXPECT_FALSE(variable.meaning.empty()) << variable.name;
    EXPECT_EQ(FindTemplateVariable(variable.name), &variable);
  }
  for (std::string_view name :
       {"debtor_name", "company_name", "collector_name", "payment_link", "total_due", "overdue_invoices",
        "upcoming_invoices", "number", "issue_date", "due_date", "amount", "open_amount", "days_late"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
  for (std::string_view name : {kOverdueInvoicesVariable, kUpcomingInvoicesVariable}) {
    const TemplateVariable* list = FindTemplateVariable(name);
    ASSERT_NE(list, nullptr) << name;
    EXPECT_EQ(list->kind, VariableKind::kList) << name;
    EXPECT_EQ(list->scope, VariableScope::kMessage) << name;
  }
  EXPECT_EQ(FindTemplateVariable("number")->scope, VariableScope::kInvoice);
  EXPECT_EQ(FindTemplateVariable("deudor"), nullptr);
}

TEST(ValidateTemplate, AcceptsTheCatalogue) {
  EXPECT_TRUE(ValidateTemplate("Hola, {{debtor_name}}. {{company_name}} le recuerda su saldo de {{total_due}}."));
  EXPECT_TRUE(
      ValidateTemplate("{{#overdue_invoices}}{{number}} {{issue_date}} {{due_date}} {{amount}} "
                       "{{open_amount}} {{days_late}} {{debtor_name}}\n{{/overdue_invoices}}"));
  EXPECT_TRUE(
      ValidateTemplate("{{#payment_link}}Pague en {{payment_link}}{{/payment_link}}"
                       "{{^payment_link}}Responda este mensaje{{/payment_link}}"));
  EXPECT_TRUE(ValidateTemplate("{{#several_invoices}}sus facturas{{/several_invoices}}"));
  EXPECT_TRUE(ValidateTemplate("{{{debtor_name}}} {{&company_name}} {{ collector_name }}"));
  EXPECT_TRUE(ValidateTemplate("{{# overdue_invoices }}{{ number }}{{/ overdue_invoices }}"));
  EXPECT_TRUE(ValidateTemplate("{{! a comment may say {{deudor}} or anything }}{{debtor_name}}"));
  EXPECT_TRUE(ValidateTemplate("plain text, no tags"));
  EXPECT_TRUE(ValidateTemplate(""));
}

TEST(ValidateTemplate, RejectsAnUnknownVariableByName) {
  const std::string error = ErrorOf("Hola,\n{{deudor}}");
  EXPECT_EQ(error.rfind("unknown variable 'deudor' at line 2 (known: debtor_name, company_name, ", 0), 0u) << error;
  // Outside the invoice list, invoice variables are not offered.
  EXPECT_EQ(error.find("open_amount"), std::string::npos) << error;
}

TEST(ValidateTemplate, RejectsUnknownNamesInEveryTagKind) {
  EXPECT_NE(ErrorOf("{{{deudor}}}").find("unknown variable 'deudor'"), std::string::npos);
  EXPECT_NE(ErrorOf("{{&deudor}}").find("unknown variable 'deudor'"), std::string::npos);
  EXPECT_NE(ErrorOf("{{#deudor}}x{{/deudor}}").find("unknown variable 'deudor'"), std::string::npos);
  EXPECT_NE(ErrorOf("{{^deudor}}x{{/deudor}}").find("unknown variable 'deudor'"), std::string::npos);
  EXPECT_NE(ErrorOf("{{debtor.name}}").find("unknown variable 'debtor.name'"), std::string::npos);
  EXPECT_NE(ErrorOf("{{.}}").find("unknown variable '.'"), std::string::npos);
  EXPECT_NE(ErrorOf("{{Debtor_Name}}").find("unknown variable 'Debtor_Name'"), std::string::npos);
}

TEST(ValidateTemplate, InvoiceVariablesOnlyInsideTheList) {
  const std::string inside = ErrorOf("{{#overdue_invoices}}{{numero}}{{/overdue_invoices}}");
  EXPECT_NE(inside.find("unknown variable 'numero' at line 1"), std::string::npos) << inside;
  EXPECT_NE(inside.find("number, issue_date, due_date, amount, open_amount, days_late"), std::string::npos) << inside;

  const std::string outside = ErrorOf("Vence el {{due_date}}");
  EXPECT_NE(outside.find("'due_date'"), std::string::npos) << outside;
  EXPECT_NE(outside.find("{{#overdue_invoices}}"), std::string::npos) << outside;

  EXPECT_NE(outside.find("{{#upcoming_invoices}}"), std::string::npos) << outside;

  // Either list opens the invoice scope.
  EXPECT_TRUE(ValidateTemplate("{{#upcoming_invoices}}{{number}} vence el {{due_date}}\n{{/upcoming_invoices}}"));
  EXPECT_NE(ErrorOf("{{upcoming_invoices}}").find("'upcoming_invoices' at line 1 is a list"), std::string::npos);

  // After the list closes, and inside the inverted list (no invoices), they are gone.
  EXPECT_FALSE(ValidateTemplate("{{#overdue_invoices}}{{number}}{{/overdue_invoices}}{{number}}"));
  EXPECT_FALSE(ValidateTemplate("{{^overdue_invoices}}{{number}}{{/overdue_invoices}}"));
  EXPECT_FALSE(ValidateTemplate("{{^upcoming_invoices}}{{number}}{{/upcoming_invoices}}"));
  EXPECT_FALSE(ValidateTemplate("{{#several_invoices}}{{number}}{{/several_invoices}}"));
  // Nested conditions inside the list keep the invoice scope.
  EXPECT_TRUE(
      ValidateTemplate("{{#overdue_invoices}}{{#payment_link}}{{number}}{{/payment_link}}{{/overdue_invoices}}"));
}

TEST(ValidateTemplate, TheListIsNotAValue) {
  const std::string error = ErrorOf("{{overdue_invoices}}");
  EXPECT_NE(error.find("'overdue_invoices' at line 1 is a list"), std::string::npos) << error;
}

TEST(ValidateTemplate, FollowsSetDelimiters) {
  EXPECT_TRUE(ValidateTemplate("{{=<% %>=}}<% debtor_name %> {{deudor}} is text now"));
  EXPECT_NE(ErrorOf("{{=<% %>=}}<% debtor_name %> <% deudor %>").find("unknown variable 'deudor'"), std::string::npos);
  EXPECT_TRUE(
      ValidateTemplate("{{=<% %>=}}<%#overdue_invoices%><%number%><%/overdue_invoices%><%={{ }}=%>{{total_due}}"));
  // Triple mustache exists only with the default braces (as in kainjow).
  EXPECT_NE(ErrorOf("{{=<% %>=}}<%{debtor_name}%>").find("unknown variable '{debtor_name}'"), std::string::npos);
}

TEST(ValidateTemplate, RejectsPartials) {
  const std::string error = ErrorOf("Hola\n{{> firma}}");
  EXPECT_NE(error.find("partial 'firma' at line 2"), std::string::npos) << error;
}

TEST(ValidateTemplate, RejectsSyntaxErrorsWithTheLibrarysMessage) {
  EXPECT_EQ(ErrorOf("{{#overdue_invoices}}{{number}}"),
            "template syntax error: Unclosed section \"overdue_invoices\" at 0");
  EXPECT_EQ(ErrorOf("Hola {{debtor_name"), "template syntax error: Unclosed tag at 5");
  EXPECT_EQ(ErrorOf("{{/payment_link}}"), "template syntax error: Unopened section \"payment_link\" at 0");
  EXPECT_EQ(ErrorOf("{{#payment_link}}{{/several_invoices}}"),
            "template syntax error: Unclosed section \"payment_link\" at 0");
  EXPECT_EQ(ErrorOf("{{=<%>=}}"), "template syntax error: Invalid set delimiter tag at 0");
}

TEST(ValidateTemplate, RejectsEmptyTags) {
  EXPECT_NE(ErrorOf("x {{}} y").find("empty tag at line 1"), std::string::npos);
  EXPECT_NE(ErrorOf("{{#}}{{/}}").find("empty tag"), std::string::npos);
}

}  // namespace
}  // namespace cartera::templates
