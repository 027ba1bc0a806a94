// Payment-plan limits, the debtor's plan builder in the portal and the
// approval of plans outside the limits (agreements/plan_limits.h,
// agreements/plan_approval.h). The portal routes are public: their
// credential is the signed token in the path, verified the way
// routes_portal.cc does (a bad, altered or expired token, or one of a
// customer that is gone, is a 404 portal-link-invalid), with their own
// rate limit per token and address.
#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/secrets.h"
#include "agreements/payment_plans.h"
#include "report/customer_list.h"
#include "agreements/plan_approval.h"
#include "agreements/plan_limits.h"
#include "agreements/plan_terms.h"
#include "api/rate_limiter.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "api/server_key.h"
#include "core/currency.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "delivery/portal.h"
#include "delivery/portal_link.h"
#include "report/list_page.h"

namespace cartera::api {
namespace {

using Need = JsonFields::Need;

Problem PlanProblem(const Error& error);

// ---- Limits ----

HandlerResult GetLimits(ApiCall& call) {
  auto limits = LoadPlanLimits(call.database(), call.tenant_id());
  if (!limits) return std::unexpected(Problem(limits.error()));
  return ApiResponse::JsonWithETag(200, PlanLimitsJson(*limits));
}

HandlerResult PutLimits(ApiCall& call) {
  auto body = call.JsonObject();
  if (!body) return std::unexpected(body.error());
  std::string pointer;
  auto rules = ParsePlanLimitRules(*body, call.language(), &pointer);
  if (!rules) {
    std::string detail = rules.error().message;
    if (detail.starts_with(pointer + ": ")) detail = detail.substr(pointer.size() + 2);
    return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, pointer, detail));
  }
  auto current = LoadPlanLimits(call.database(), call.tenant_id());
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(PlanLimitsJson(*current))) return std::unexpected(*stale);
  auto saved = SavePlanLimits(call.database(), call.tenant_id(), *rules, call.Audit());
  if (!saved) return std::unexpected(Problem(saved.error()));
  return ApiResponse::JsonWithETag(200, PlanLimitsJson(*saved));
}

HandlerResult ResetLimits(ApiCall& call) {
  auto current = LoadPlanLimits(call.database(), call.tenant_id());
  if (!current) return std::unexpected(Problem(current.error()));
  if (auto stale = call.CheckIfMatch(PlanLimitsJson(*current))) return std::unexpected(*stale);
  auto reset = ResetPlanLimits(call.database(), call.tenant_id(), call.Audit());
  if (!reset) return std::unexpected(Problem(reset.error()));
  return ApiResponse::JsonWithETag(200, PlanLimitsJson(*reset));
}

// ---- Approvals ----

HandlerResult ListApprovals(ApiCall& call) {
  auto page = call.QueryPage();
  if (!page) return std::unexpected(page.error());
  PlanApprovalFilter filter;
  filter.language = call.language();
  filter.limit = static_cast<int32_t>(page->limit) + 1;
  if (page->starting_after) {
    auto after = NumericId(*page->starting_after);
    if (!after) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "starting_after",
                                            std::string(Tr(call.language(), "debe ser el id de un plan",
                                                           "must be a plan id"))));
    }
    filter.after_id = *after;
  }
  if (auto status = call.Query("status")) {
    if (*status != kApprovalPending && *status != kApprovalApproved && *status != kApprovalRejected) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "status",
                                            std::string(Tr(call.language(), "es pending, approved o rejected",
                                                           "is pending, approved or rejected"))));
    }
    filter.status = *status;
  }
  if (auto customer = call.Query("customer")) {  // the customer's external id, as GET /api/v1/plans takes it
    auto id = CustomerIdByExternalId(call.database(), call.tenant_id(), *customer, call.language());
    if (!id) {
      if (id.error().code == ErrorCode::kNotFound) {
        return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "customer", id.error().message));
      }
      return std::unexpected(Problem(id.error()));
    }
    filter.customer_id = *id;
  }
  auto approvals = ListPlanApprovals(call.database(), call.tenant_id(), filter);
  if (!approvals) return std::unexpected(Problem(approvals.error()));
  const bool has_more = approvals->size() > static_cast<size_t>(page->limit);
  if (has_more) approvals->pop_back();
  nlohmann::json data = nlohmann::json::array();
  for (const PlanApproval& approval : *approvals) data.push_back(PlanApprovalJson(approval));
  return ApiResponse::Json(200, ListPage(std::move(data), has_more));
}

// A plan id of the path; a malformed one is "not found".
std::expected<int64_t, Problem> PlanIdOf(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  return *id;
}


HandlerResult Approve(ApiCall& call) {
  auto id = PlanIdOf(call);
  if (!id) return std::unexpected(id.error());
  auto note = ReadBody(call, [](JsonFields& fields) { return fields.Paragraph("note", Need::kOptional, 2000); });
  if (!note) return std::unexpected(note.error());
  // The acceptance date: the tenant's today (the down payment falls due on it).
  auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
  if (!today) return std::unexpected(Problem(today.error()));
  auto approval = ApprovePlan(call.database(), call.tenant_id(), *id, note->value_or(""), *today, call.Audit());
  if (!approval) return std::unexpected(Problem(approval.error()));
  return ApiResponse::Json(200, PlanApprovalJson(*approval));
}

HandlerResult Reject(ApiCall& call) {
  auto id = PlanIdOf(call);
  if (!id) return std::unexpected(id.error());
  auto reason = ReadBody(call, [](JsonFields& fields) { return fields.Paragraph("reason", Need::kRequired, 2000); });
  if (!reason) return std::unexpected(reason.error());
  auto approval = RejectPlan(call.database(), call.tenant_id(), *id, reason->value_or(""), call.Audit());
  if (!approval) {
    if (approval.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/reason", approval.error().message));
    }
    return std::unexpected(Problem(approval.error()));
  }
  return ApiResponse::Json(200, PlanApprovalJson(*approval));
}

// ---- The business's preview ----

// What POST /api/v1/customers/{id}/plans would store, without storing it:
// the web app's proposal form shows the schedule as the plan core computes it.
HandlerResult PreviewCustomerPlan(ApiCall& call) {
  struct Wanted {
    int64_t installments = 1;
    std::string frequency = "monthly";
    Date first_date;
    std::optional<std::string> down_payment, currency;
  };
  const Language language = call.language();
  auto wanted = ReadBody(call, [&](JsonFields& fields) {
    Wanted body;
    body.installments = fields.Integer("installments", Need::kRequired, 1, kPlanMaxInstallments).value_or(1);
    body.frequency = fields.Text("frequency", Need::kOptional, 20).value_or("monthly");
    if (!ParsePlanFrequency(body.frequency)) {
      fields.Reject("frequency", ProblemCode::kInvalidRequest,
                    std::string(Tr(language, "es weekly, fortnightly o monthly", "is weekly, fortnightly or monthly")));
    }
    body.first_date = fields.DateField("first_date", Need::kRequired).value_or(Date());
    body.down_payment = fields.Amount("down_payment", Need::kOptional);
    body.currency = fields.Text("currency", Need::kOptional, 3);
    if (body.currency && !Currency::FromCode(*body.currency)) {
      fields.Reject("currency", ProblemCode::kInvalidRequest,
                    std::string(Tr(language, "no es un código ISO 4217", "is not an ISO 4217 code")));
    }
    return body;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto customer_id = CustomerIdByExternalId(call.database(), call.tenant_id(), call.Param("id"), language);
  if (!customer_id) return std::unexpected(Problem(customer_id.error()));
  PlanProposal proposal;
  proposal.customer_id = *customer_id;
  proposal.currency = wanted->currency.value_or("");
  proposal.installments = static_cast<int32_t>(wanted->installments);
  proposal.frequency = *ParsePlanFrequency(wanted->frequency);
  proposal.first_date = wanted->first_date;
  proposal.missed_to_break = std::min<int32_t>(2, proposal.installments);
  auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
  if (!today) return std::unexpected(Problem(today.error()));
  if (wanted->down_payment) {
    // The down payment is in the plan's currency: the one asked for, or the one a first preview finds.
    std::string currency = proposal.currency;
    if (currency.empty()) {
      auto probe = PreviewPlan(call.database(), call.tenant_id(), proposal, *today, language);
      if (!probe) return std::unexpected(PlanProblem(probe.error()));
      currency = probe->currency;
    }
    auto money = Money::Parse(*wanted->down_payment, *Currency::FromCode(currency));
    if (!money) return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/down_payment", money.error().message));
    proposal.down_payment_minor = money->minor_units();
  }
  auto plan = PreviewPlan(call.database(), call.tenant_id(), proposal, *today, language);
  if (!plan) return std::unexpected(PlanProblem(plan.error()));
  return ApiResponse::Json(200, PlanJson(*plan));
}

// ---- The portal ----

constexpr double kPlanPortalRequestsPerMinute = 60;

RateLimiter& PlanPortalLimiter() {
  static RateLimiter limiter(kPlanPortalRequestsPerMinute / 60.0, kPlanPortalRequestsPerMinute);
  return limiter;
}

Problem InvalidLink(Language language) {
  return Problem::Of(ProblemCode::kPortalLinkInvalid,
                     std::string(Tr(language, "el enlace no es válido o ya venció: pida uno nuevo a la empresa",
                                    "the link is not valid or has expired: ask the company for a new one")));
}

std::expected<delivery::PortalCustomer, Problem> PortalCustomerOf(ApiCall& call) {
  const std::string& token = call.Param("token");
  const std::string caller = access::Sha256Hex(token) + "@" + call.remote_address();
  if (const int wait = PlanPortalLimiter().Take(caller, std::chrono::steady_clock::now()); wait > 0) {
    Problem problem = Problem::Of(ProblemCode::kRateLimited, TrFormat(call.language(), "demasiadas solicitudes: espere {} s",
                                                                      "too many requests: wait {} s", wait));
    problem.retry_after_seconds = wait;
    return std::unexpected(problem);
  }
  auto key = ServerSecretKey(call.language());
  if (!key) return std::unexpected(key.error());
  auto claims = delivery::VerifyPortalToken(*key, token, call.clock().Now());
  if (!claims) return std::unexpected(InvalidLink(call.language()));
  auto customer = delivery::LoadPortalCustomer(call.database(), *claims, call.language());
  if (!customer) {
    if (customer.error().code == ErrorCode::kNotFound) return std::unexpected(InvalidLink(call.language()));
    return std::unexpected(Problem(customer.error()));
  }
  return *customer;
}

ApiResponse Private(ApiResponse response) {
  response.Header("Cache-Control", "no-store");
  response.Header("Referrer-Policy", "no-referrer");
  return response;
}

// The debtor's today: the calendar date in their time zone.
Date DebtorToday(ApiCall& call, const delivery::PortalCustomer& customer) {
  return DateIn(customer.time_zone, call.clock().Now());
}

// A plan core or limits refusal "field: text" as a problem naming /field.
Problem PlanProblem(const Error& error) {
  if (error.code == ErrorCode::kBadInput) {
    for (std::string_view field : {"installments", "frequency", "first_date", "down_payment", "currency",
                                   "terms_accepted", "missed_to_break", "invoices"}) {
      const std::string prefix = std::string(field) + ": ";
      if (error.message.starts_with(prefix)) {
        return Problem::Field(ProblemCode::kInvalidRequest, "/" + std::string(field),
                              error.message.substr(prefix.size()));
      }
    }
  }
  return Problem(error);
}

HandlerResult PlanOptions(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  const std::string currency = call.Query("currency").value_or("");
  if (!currency.empty() && !Currency::FromCode(currency)) {
    return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "currency",
                                          std::string(Tr(call.language(), "no es un código ISO 4217",
                                                         "is not an ISO 4217 code"))));
  }
  auto options = PortalPlanOptions(call.database(), customer->tenant_id, customer->customer_id, currency,
                                   DebtorToday(call, *customer), call.language());
  if (!options) return std::unexpected(Problem(options.error()));
  return Private(ApiResponse::Json(200, *options));
}

// The builder's choices, from a JSON body (`with_terms`: the acceptance box too).
std::expected<PortalPlanRequest, Problem> ReadRequest(ApiCall& call, const delivery::PortalCustomer& customer,
                                                      bool with_terms) {
  const Language language = call.language();
  auto request = ReadBody(call, [&](JsonFields& fields) {
    PortalPlanRequest wanted;
    wanted.customer_id = customer.customer_id;
    wanted.installments =
        static_cast<int32_t>(fields.Integer("installments", Need::kRequired, 1, kPlanMaxInstallments).value_or(1));
    if (auto frequency = fields.Text("frequency", Need::kRequired, 20)) {
      if (auto parsed = ParsePlanFrequency(*frequency)) {
        wanted.frequency = *parsed;
      } else {
        fields.Reject("frequency", ProblemCode::kInvalidRequest,
                      std::string(Tr(language, "es weekly, fortnightly o monthly", "is weekly, fortnightly or monthly")));
      }
    }
    wanted.first_date = fields.DateField("first_date", Need::kRequired).value_or(Date());
    const std::optional<std::string> currency = fields.Text("currency", Need::kRequired, 3);
    std::optional<Currency> known;
    if (currency) {
      known = Currency::FromCode(*currency);
      if (!known) {
        fields.Reject("currency", ProblemCode::kInvalidRequest,
                      std::string(Tr(language, "no es un código ISO 4217", "is not an ISO 4217 code")));
      } else {
        wanted.currency = *currency;
      }
    }
    if (auto down = fields.Amount("down_payment", Need::kOptional); down && known) {
      auto money = Money::Parse(*down, *known);
      if (!money || money->is_negative()) {
        fields.Reject("down_payment", ProblemCode::kInvalidRequest,
                      TrFormat(language, "no es un importe válido en {}", "is not a valid amount in {}", *currency));
      } else {
        wanted.down_payment_minor = money->minor_units();
      }
    }
    if (with_terms) wanted.terms_accepted = fields.Boolean("terms_accepted", Need::kRequired).value_or(false);
    return wanted;
  });
  if (!request) return std::unexpected(request.error());
  request->ip = call.remote_address();
  request->user_agent = call.Header("User-Agent").value_or("");
  return *request;
}

nlohmann::json OutcomeJson(const PortalPlanOutcome& outcome, bool stored) {
  std::string_view result = "preview";
  if (stored) result = outcome.within_limits ? "active" : "awaiting_approval";
  return {{"object", "portal_plan"},
          {"result", result},
          {"within_limits", outcome.within_limits},
          {"violations", PlanLimitViolationsJson(outcome.violations)},
          {"plan", PlanJson(outcome.plan)}};
}

HandlerResult PreviewPlanRoute(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  auto request = ReadRequest(call, *customer, false);
  if (!request) return std::unexpected(request.error());
  auto outcome = PreviewPortalPlan(call.database(), customer->tenant_id, *request, DebtorToday(call, *customer),
                                   call.language());
  if (!outcome) return std::unexpected(PlanProblem(outcome.error()));
  return Private(ApiResponse::Json(200, OutcomeJson(*outcome, false)));
}

HandlerResult SubmitPlan(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  auto request = ReadRequest(call, *customer, true);
  if (!request) return std::unexpected(request.error());
  const AuditContext audit = delivery::PortalAudit(call.clock().Now(), call.remote_address(),
                                                   call.Header("User-Agent").value_or(""), call.language());
  auto outcome =
      SubmitPortalPlan(call.database(), customer->tenant_id, *request, DebtorToday(call, *customer), audit);
  if (!outcome) return std::unexpected(PlanProblem(outcome.error()));
  return Private(ApiResponse::Json(201, OutcomeJson(*outcome, true)));
}

ApiResponse PdfResponse(std::string bytes, std::string_view name) {
  ApiResponse response{200, "application/pdf", std::move(bytes), {}};
  response.Header("Content-Disposition", fmt::format("inline; filename=\"{}.pdf\"", name));
  return Private(std::move(response));
}

// The terms of the plan the builder's choices would make, before it exists
// (the link beside "I have read and accept the terms").
HandlerResult PreviewTermsPdf(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  PortalPlanRequest request;
  request.customer_id = customer->customer_id;
  auto installments = call.QueryInt("installments", 1, kPlanMaxInstallments);
  if (!installments) return std::unexpected(installments.error());
  request.installments = static_cast<int32_t>(installments->value_or(1));
  auto first_date = call.QueryDate("first_date");
  if (!first_date) return std::unexpected(first_date.error());
  request.first_date = first_date->value_or(DebtorToday(call, *customer));
  if (auto frequency = call.Query("frequency")) {
    auto parsed = ParsePlanFrequency(*frequency);
    if (!parsed) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "frequency",
                                            std::string(Tr(call.language(), "es weekly, fortnightly o monthly",
                                                           "is weekly, fortnightly or monthly"))));
    }
    request.frequency = *parsed;
  }
  request.currency = call.Query("currency").value_or("");
  std::optional<Currency> currency;
  if (!request.currency.empty()) currency = Currency::FromCode(request.currency);
  if (!request.currency.empty() && !currency) {
    return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "currency",
                                          std::string(Tr(call.language(), "no es un código ISO 4217",
                                                         "is not an ISO 4217 code"))));
  }
  if (auto down = call.Query("down_payment")) {
    auto money = currency ? Money::Parse(*down, *currency) : Result<Money>(Fail(Error::BadInput("")));
    if (!money || money->is_negative()) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "down_payment",
                                            std::string(Tr(call.language(), "no es un importe válido en la moneda",
                                                           "is not a valid amount in the currency"))));
    }
    request.down_payment_minor = money->minor_units();
  }
  auto plan = PreviewPlan(call.database(), customer->tenant_id, PortalProposal(request), DebtorToday(call, *customer),
                          call.language());
  if (!plan) return std::unexpected(PlanProblem(plan.error()));
  auto bytes = RenderPlanTerms(call.database(), customer->tenant_id, *plan);
  if (!bytes) return std::unexpected(Problem(bytes.error()));
  return PdfResponse(std::move(*bytes), customer->language == "es" ? "terminos-del-plan" : "plan-terms");
}

// The terms of one of the debtor's own stored plans.
HandlerResult PlanTermsPdfRoute(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  auto id = PlanIdOf(call);
  if (!id) return std::unexpected(id.error());
  auto plan = GetPlan(call.database(), customer->tenant_id, *id, call.language());
  if (!plan || plan->customer_id != customer->customer_id) return std::unexpected(NotFoundProblem(call.language()));
  auto bytes = RenderPlanTerms(call.database(), customer->tenant_id, *plan);
  if (!bytes) return std::unexpected(Problem(bytes.error()));
  return PdfResponse(std::move(*bytes),
                     fmt::format("{}-{}", customer->language == "es" ? "terminos-del-plan" : "plan-terms", *id));
}

Route PublicRoute(std::string method, std::string pattern, BodyKind body, HandlerResult (*handler)(ApiCall&)) {
  Route route{std::move(method), std::move(pattern), Access::kPublic, access::Role::kViewer, body, handler};
  route.max_body_bytes = 16 << 10;
  return route;
}

}  // namespace

void AddPlanPortalRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/plan-limits", access::Role::kViewer, BodyKind::kNone, GetLimits));
  routes.push_back(RoleRoute("PUT", "/api/v1/plan-limits", access::Role::kManager, BodyKind::kJson, PutLimits));
  routes.push_back(RoleRoute("DELETE", "/api/v1/plan-limits", access::Role::kManager, BodyKind::kNone, ResetLimits));
  routes.push_back(RoleRoute("GET", "/api/v1/plan-approvals", access::Role::kViewer, BodyKind::kNone, ListApprovals));
  routes.push_back(RoleRoute("POST", "/api/v1/plans/{id}/approve", access::Role::kManager, BodyKind::kJson, Approve));
  routes.push_back(RoleRoute("POST", "/api/v1/plans/{id}/reject", access::Role::kManager, BodyKind::kJson, Reject));
  routes.push_back(RoleRoute("POST", "/api/v1/customers/{id}/plans/preview", access::Role::kCollector, BodyKind::kJson,
                             PreviewCustomerPlan));
  routes.push_back(PublicRoute("GET", "/api/v1/portal/{token}/plan-options", BodyKind::kNone, PlanOptions));
  routes.push_back(PublicRoute("POST", "/api/v1/portal/{token}/plans/preview", BodyKind::kJson, PreviewPlanRoute));
  routes.push_back(PublicRoute("GET", "/api/v1/portal/{token}/plan-terms.pdf", BodyKind::kNone, PreviewTermsPdf));
  routes.push_back(PublicRoute("POST", "/api/v1/portal/{token}/plans", BodyKind::kJson, SubmitPlan));
  routes.push_back(PublicRoute("GET", "/api/v1/portal/{token}/plans/{id}/terms.pdf", BodyKind::kNone, PlanTermsPdfRoute));
}

}  // namespace cartera::api
