// The API's pieces that need no server: language negotiation, cookies,
// strict bodies, problem codes, the rate limiter, the OpenAPI parts.
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/api_service.h"
#include "api/json_fields.h"
#include "api/openapi_document.h"
#include "api/problem.h"
#include "api/rate_limiter.h"
#include "api/routes.h"

namespace cartera::api {
namespace {

TEST(AcceptLanguage, PicksTheBestOfSpanishAndEnglish) {
  EXPECT_EQ(LanguageFromAcceptLanguage(""), Language::kSpanish);
  EXPECT_EQ(LanguageFromAcceptLanguage("en-US,en;q=0.9"), Language::kEnglish);
  EXPECT_EQ(LanguageFromAcceptLanguage("es-CO"), Language::kSpanish);
  EXPECT_EQ(LanguageFromAcceptLanguage("fr-FR, en;q=0.4, es;q=0.6"), Language::kSpanish);
  EXPECT_EQ(LanguageFromAcceptLanguage("es;q=0.1, EN;q=0.8"), Language::kEnglish);
  EXPECT_EQ(LanguageFromAcceptLanguage("de, fr"), Language::kSpanish);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=garbage"), Language::kSpanish);
}

TEST(Cookies, FindsTheNamedOne) {
  EXPECT_EQ(CookieValue("a=1; cartera_session=abc; b=2", "cartera_session"), "abc");
  EXPECT_EQ(CookieValue("xcartera_session=abc", "cartera_session"), std::nullopt);
  EXPECT_EQ(CookieValue("", "cartera_session"), std::nullopt);
}

TEST(JsonFields, ReportsEveryProblemWithItsPointer) {
  const nlohmann::json body = {{"name", 5}, {"days", 4000}, {"a/b", true}, {"date", "2026-02-30"}, {"amount", 1.5}};
  JsonFields fields(body, Language::kEnglish);
  EXPECT_FALSE(fields.Text("name", JsonFields::Need::kRequired));
  EXPECT_FALSE(fields.Integer("days", JsonFields::Need::kOptional, 0, 3650));
  EXPECT_FALSE(fields.DateField("date", JsonFields::Need::kOptional));
  EXPECT_FALSE(fields.Amount("amount", JsonFields::Need::kOptional));
  EXPECT_FALSE(fields.Text("missing", JsonFields::Need::kRequired));
  auto problem = fields.Finish();
  ASSERT_TRUE(problem);
  std::set<std::pair<std::string, int>> found;
  for (const FieldProblem& field : problem->errors) found.emplace(field.field, static_cast<int>(field.code));
  EXPECT_EQ(found, (std::set<std::pair<std::string, int>>{{"/name", 1002},
                                                          {"/days", 1000},
                                                          {"/date", 1002},
                                                          {"/amount", 1002},
                                                          {"/missing", 1004},
                                                          {"/a~1b", 1003}}));
}

TEST(JsonFields, AcceptsGoodValuesAndRefusesControlCharacters) {
  const nlohmann::json body = {{"name", "Ferretería Ñandú"}, {"amount", "1250000.00"}, {"note", "línea 1\nlínea 2"},
                               {"bad", "a\x1b[31mb"}};
  JsonFields fields(body, Language::kSpanish);
  EXPECT_EQ(fields.Text("name", JsonFields::Need::kRequired), "Ferretería Ñandú");
  EXPECT_EQ(fields.Amount("amount", JsonFields::Need::kRequired), "1250000.00");
  EXPECT_EQ(fields.Paragraph("note", JsonFields::Need::kOptional), "línea 1\nlínea 2");
  EXPECT_FALSE(fields.Text("bad", JsonFields::Need::kOptional));
  auto problem = fields.Finish();
  ASSERT_TRUE(problem);
  ASSERT_EQ(problem->errors.size(), 1u);
  EXPECT_EQ(problem->errors[0].field, "/bad");
}

TEST(Problems, CodesAndNamesAreUniqueAndTitledInBothLanguages) {
  std::set<int> codes;
  std::set<std::string> names;
  for (int code = 1000; code < 1600; ++code) {
    const auto problem = static_cast<ProblemCode>(code);
    if (ProblemName(problem) == "internal" && code != 1502) continue;  // not a code
    EXPECT_TRUE(codes.insert(code).second);
    EXPECT_TRUE(names.insert(std::string(ProblemName(problem))).second) << code;
    EXPECT_NE(ProblemTitle(problem, Language::kSpanish), ProblemTitle(problem, Language::kEnglish)) << code;
  }
  EXPECT_EQ(codes.size(), 29u);  // 1503 not-configured added
}

TEST(Problems, DatabaseWordsNeverReachTheCaller) {
  Problem problem(Error::Storage("SQLite: near \"SELECT\": syntax error"));
  const nlohmann::json body = ProblemJson(problem, Language::kEnglish, "/api/v1/x");
  EXPECT_EQ(body["status"], 503);
  EXPECT_EQ(body.dump().find("SELECT"), std::string::npos);
  EXPECT_NE(problem.internal.find("SELECT"), std::string::npos);
}

TEST(RateLimiter, RefillsAtItsRate) {
  RateLimiter limiter(10, 2);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(limiter.Take("k", start), 0);
  EXPECT_EQ(limiter.Take("k", start), 0);
  EXPECT_GE(limiter.Take("k", start), 1);
  EXPECT_EQ(limiter.Take("other", start), 0);
  EXPECT_EQ(limiter.Take("k", start + std::chrono::milliseconds(150)), 0);
  RateLimiter off(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(off.Take("k", start), 0);
}

TEST(OpenApi, PartsMergeWithoutDuplicatesAndDescribeEveryRoute) {
  EXPECT_EQ(DuplicateOpenApiNames(), std::vector<std::string>{});
  const nlohmann::json document = nlohmann::json::parse(OpenApiDocument());
  EXPECT_EQ(document["openapi"], "3.1.0");
  for (const Route& route : AllRoutes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(document["paths"].contains(route.pattern) && document["paths"][route.pattern].contains(method))
        << route.method << ' ' << route.pattern;
  }
}

}  // namespace
}  // namespace cartera::api
