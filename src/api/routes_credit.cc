// Credit policy (docs/credit-policy.md): the rules per segment
// (credit/credit_policy.h) and a customer's credit reviews
// (credit/credit_reviews.h). The hold itself is shown on the customer
// (GET /customers/{id} "credit", GET /customers?on_hold=true).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/route_helpers.h"
#include "api/routes.h"
#include "credit/credit_policy.h"
#include "credit/credit_reviews.h"
#include "report/list_page.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

HandlerResult GetCreditPolicy(ApiCall& call) {
  auto policy = credit::LoadCreditPolicy(call.database(), call.tenant_id());
  if (!policy) return std::unexpected(Problem(policy.error()));
  return ApiResponse::JsonWithETag(200, credit::CreditPolicyJson(*policy));
}

// {"rules": [{"segment", "hold_over_limit", "hold_days_past_due": n|null,
// "review_months"}]}: each segment listed gets that rule whole; the others
// keep theirs.
HandlerResult PutCreditPolicy(ApiCall& call) {
  const Language language = call.language();
  auto body = call.JsonObject();
  if (!body) return std::unexpected(body.error());
  JsonFields fields(*body, language);
  const nlohmann::json* list = fields.Raw("rules", Need::kRequired);
  std::vector<FieldProblem> problems;
  if (list != nullptr && (!list->is_array() || list->empty() || list->size() > credit::kCreditSegments.size())) {
    problems.push_back({"/rules", ProblemCode::kInvalidRequest,
                        TrFormat(language, "debe ser una lista de 1 a {} reglas", "must be a list of 1 to {} rules",
                                 credit::kCreditSegments.size())});
    list = nullptr;
  }
  if (auto problem = fields.Finish()) {
    problem->errors.insert(problem->errors.end(), problems.begin(), problems.end());
    return std::unexpected(*problem);
  }
  std::vector<credit::CreditRuleChange> changes;
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    const std::string at = fmt::format("/rules/{}", i);
    const nlohmann::json& item = (*list)[i];
    if (!item.is_object()) {
      problems.push_back({at, ProblemCode::kWrongType, std::string(Tr(language, "debe ser un objeto", "must be an object"))});
      continue;
    }
    JsonFields rule(item, language, at);
    credit::CreditRuleChange change;
    if (auto segment = rule.Text("segment", Need::kRequired, 20)) {
      if (!credit::IsCreditSegment(*segment)) {
        rule.Reject("segment", ProblemCode::kInvalidRequest,
                    std::string(Tr(language, "debe ser habitual, occasional, high_risk o new",
                                   "must be habitual, occasional, high_risk or new")));
      }
      for (const credit::CreditRuleChange& earlier : changes) {
        if (earlier.segment == *segment) {
          rule.Reject("segment", ProblemCode::kInvalidRequest,
                      std::string(Tr(language, "el segmento ya está en la lista", "the segment is already listed")));
        }
      }
      change.segment = *segment;
    }
    change.hold_over_limit = rule.Boolean("hold_over_limit", Need::kRequired);
    if (rule.IsNull("hold_days_past_due")) {
      (void)rule.Raw("hold_days_past_due", Need::kOptional);  // present and null: marked as read
      change.hold_days_past_due = std::optional<int32_t>();
    } else if (auto days = rule.Integer("hold_days_past_due", Need::kRequired, 1, credit::kHoldDaysMax)) {
      change.hold_days_past_due = std::optional<int32_t>(static_cast<int32_t>(*days));
    }
    if (auto months = rule.Integer("review_months", Need::kRequired, 1, credit::kReviewMonthsMax)) {
      change.review_months = static_cast<int32_t>(*months);
    }
    if (auto problem = rule.Finish()) {
      for (FieldProblem& one : problem->errors) problems.push_back(std::move(one));
      continue;
    }
    changes.push_back(std::move(change));
  }
  if (!problems.empty()) return std::unexpected(FieldsProblem(std::move(problems), language));
  auto current = credit::LoadCreditPolicy(call.database(), call.tenant_id());
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(credit::CreditPolicyJson(*current))) return std::unexpected(*stale);
  auto changed = credit::ChangeCreditPolicy(call.database(), call.tenant_id(), changes, call.Audit());
  if (!changed) return std::unexpected(Problem(changed.error().error));
  return ApiResponse::JsonWithETag(200, credit::CreditPolicyJson(*changed));
}

HandlerResult ListCreditReviewsRoute(ApiCall& call) {
  auto page = call.QueryInt("limit", 1, 100);
  if (!page) return std::unexpected(page.error());
  auto reviews = credit::ListCreditReviews(call.database(), call.tenant_id(), call.Param("id"), page->value_or(25),
                                           call.language());
  if (!reviews) return std::unexpected(Problem(reviews.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const credit::CreditReview& review : *reviews) data.push_back(credit::CreditReviewJson(review));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

// {"note": text, "limit": "25000000.00" (optional, the customer's
// currency), "reviewed_on": date (optional; today in the tenant's zone)}.
HandlerResult RecordCreditReviewRoute(ApiCall& call) {
  auto request = ReadBody(call, [](JsonFields& fields) {
    credit::CreditReviewRequest wanted;
    wanted.note = fields.Paragraph("note", Need::kRequired, credit::kReviewNoteBytesMax).value_or("");
    wanted.new_limit = fields.Amount("limit", Need::kOptional);
    if (auto day = fields.DateField("reviewed_on", Need::kOptional)) wanted.reviewed_on = *day;
    return std::make_pair(wanted, fields.Has("reviewed_on"));
  });
  if (!request) return std::unexpected(request.error());
  credit::CreditReviewRequest wanted = request->first;
  wanted.customer_external_id = call.Param("id");
  if (!request->second) {
    auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
    if (!today) return std::unexpected(Problem(today.error()));
    wanted.reviewed_on = *today;
  }
  auto review = credit::RecordCreditReview(call.database(), call.tenant_id(), wanted, call.Audit());
  if (!review) {
    if (review.error().error.code == ErrorCode::kBadInput && !review.error().field.empty()) {
      return std::unexpected(
          Problem::Field(ProblemCode::kInvalidRequest, "/" + review.error().field, review.error().error.message));
    }
    return std::unexpected(Problem(review.error().error));
  }
  return ApiResponse::Json(201, credit::CreditReviewJson(*review));
}

}  // namespace

void AddCreditRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/credit-policy", Role::kViewer, BodyKind::kNone, GetCreditPolicy));
  routes.push_back(RoleRoute("PUT", "/api/v1/credit-policy", Role::kManager, BodyKind::kJson, PutCreditPolicy));
  routes.push_back(RoleRoute("GET", "/api/v1/customers/{id}/credit-reviews", Role::kViewer, BodyKind::kNone,
                             ListCreditReviewsRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/customers/{id}/credit-reviews", Role::kManager, BodyKind::kJson,
                             RecordCreditReviewRoute));
}

}  // namespace cartera::api
