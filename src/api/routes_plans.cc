// Payment plans (acuerdos de pago) for the business: propose on a
// customer's balance, accept on the debtor's behalf, cancel, list, read,
// and the terms PDF. Thin: each handler calls one use case of
// agreements/payment_plans.h. The collector rule
// (access/customer_assignment.h) applies to the changes, as for promises.
// The limits, the portal builder and approvals are routes_plan_portal.cc.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agreements/payment_plans.h"
#include "report/customer_list.h"
#include "api/customer_access.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "core/money.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

// A use case's "field: ..." refusal as a problem on that field's JSON
// Pointer ("invoice_ids/2: ..." -> "/invoices/2"); other errors as they are.
Problem PlanProblem(const Error& error) {
  if (error.code != ErrorCode::kBadInput) return Problem(error);
  static const std::vector<std::pair<std::string_view, std::string_view>> kFields = {
      {"installments", "/installments"},     {"frequency", "/frequency"},
      {"first_date", "/first_date"},         {"down_payment", "/down_payment"},
      {"annual_interest_rate", "/annual_interest_rate"}, {"missed_to_break", "/missed_to_break"},
      {"currency", "/currency"},             {"invoice_ids", "/invoices"},
      {"channel", "/channel"},               {"accepted_by", "/accepted_by"},
      {"reason", "/reason"},                 {"status", "/status"}};
  const std::string_view message = error.message;
  for (const auto& [field, pointer] : kFields) {
    if (message.starts_with(field) && message.size() > field.size() &&
        (message[field.size()] == ':' || message[field.size()] == '/')) {
      std::string path(pointer);
      if (message[field.size()] == '/') {
        const size_t colon = message.find(':', field.size());
        path += std::string(message.substr(field.size(), colon - field.size()));
      }
      return Problem::Field(ProblemCode::kInvalidRequest, path, error.message);
    }
  }
  return Problem(error);
}

std::expected<int64_t, Problem> PlanIdParam(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  return *id;
}

// The plan (kNotFound for another tenant's) after the collector rule on its customer.
std::expected<PlanRecord, Problem> PlanToChange(ApiCall& call) {
  auto id = PlanIdParam(call);
  if (!id) return std::unexpected(id.error());
  auto plan = GetPlan(call.database(), call.tenant_id(), *id, call.language());
  if (!plan) return std::unexpected(Problem(plan.error()));
  if (auto refused = RefusedProblem(
          access::MayActOnCustomer(call.database(), call.principal(), plan->customer_id, call.language()))) {
    return std::unexpected(*refused);
  }
  return std::move(*plan);
}

HandlerResult ProposePlanRoute(ApiCall& call) {
  struct Wanted {
    int64_t installments = 0;
    std::string frequency = "monthly";
    Date first_date;
    std::optional<std::string> down_payment, annual_rate, interest_cap, currency;
    std::vector<std::string> invoices;
    int64_t missed_to_break = 2;
  };
  auto wanted = ReadBody(call, [&](JsonFields& fields) {
    Wanted body;
    body.installments = fields.Integer("installments", Need::kRequired, 1, kPlanMaxInstallments).value_or(0);
    body.frequency = fields.Text("frequency", Need::kOptional, 20).value_or("monthly");
    if (!ParsePlanFrequency(body.frequency)) {
      fields.Reject("frequency", ProblemCode::kInvalidRequest,
                    TrFormat(call.language(), "frequency: '{}' no es weekly, fortnightly ni monthly",
                             "frequency: '{}' is not weekly, fortnightly or monthly", body.frequency));
    }
    body.first_date = fields.DateField("first_date", Need::kRequired).value_or(Date());
    body.down_payment = fields.Amount("down_payment", Need::kOptional);
    body.annual_rate = fields.Text("annual_interest_rate", Need::kOptional, 20);
    body.interest_cap = fields.Text("interest_cap", Need::kOptional, 20);
    body.currency = fields.Text("currency", Need::kOptional, 3);
    body.invoices = fields.TextList("invoices", Need::kOptional, 1000).value_or(std::vector<std::string>());
    body.missed_to_break = fields.Integer("missed_to_break", Need::kOptional, 1, kPlanMaxInstallments).value_or(2);
    return body;
  });
  if (!wanted) return std::unexpected(wanted.error());
  const Language language = call.language();
  const std::string& customer = call.Param("id");
  auto customer_id = CustomerIdByExternalId(call.database(), call.tenant_id(), customer, language);
  if (!customer_id) return std::unexpected(Problem(customer_id.error()));
  if (auto refused =
          RefusedProblem(access::MayActOnCustomer(call.database(), call.principal(), *customer_id, language))) {
    return std::unexpected(*refused);
  }
  PlanProposal proposal;
  proposal.customer_id = *customer_id;
  proposal.currency = wanted->currency.value_or("");
  proposal.installments = static_cast<int32_t>(wanted->installments);
  proposal.frequency = *ParsePlanFrequency(wanted->frequency);
  proposal.first_date = wanted->first_date;
  proposal.missed_to_break = static_cast<int32_t>(wanted->missed_to_break);
  proposal.source = "user";
  for (size_t k = 0; k < wanted->invoices.size(); ++k) {
    auto id = PlanInvoiceId(call.database(), call.tenant_id(), *customer_id, wanted->invoices[k], language);
    if (!id) {
      if (id.error().code != ErrorCode::kNotFound) return std::unexpected(Problem(id.error()));
      return std::unexpected(
          Problem::Field(ProblemCode::kInvalidRequest, fmt::format("/invoices/{}", k), id.error().message));
    }
    proposal.invoice_ids.push_back(*id);
  }
  auto rate = [&](const std::optional<std::string>& text, std::string_view field)
      -> std::expected<std::optional<compliance::Rate>, Problem> {
    if (!text) return std::optional<compliance::Rate>();
    auto parsed = compliance::Rate::ParsePercent(*text);
    if (!parsed) {
      return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, fmt::format("/{}", field),
                                            fmt::format("{}: {}", field, parsed.error().message)));
    }
    return std::optional(*parsed);
  };
  auto annual = rate(wanted->annual_rate, "annual_interest_rate");
  if (!annual) return std::unexpected(annual.error());
  proposal.annual_interest = *annual;
  auto cap = rate(wanted->interest_cap, "interest_cap");
  if (!cap) return std::unexpected(cap.error());
  proposal.interest_cap = *cap;
  auto today = PlanCustomerToday(call.database(), call.tenant_id(), *customer_id, call.clock().Now(), language);
  if (!today) return std::unexpected(Problem(today.error()));
  if (wanted->down_payment) {
    // The decimals are the plan currency's: learn it from a preview first.
    auto preview = PreviewPlan(call.database(), call.tenant_id(), proposal, *today, language);
    if (!preview) return std::unexpected(PlanProblem(preview.error()));
    auto currency = Currency::FromCode(preview->currency);
    if (!currency) return std::unexpected(Problem(Error::Internal("the plan's currency is unknown")));
    auto amount = Money::Parse(*wanted->down_payment, *currency);
    if (!amount) {
      return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/down_payment",
                                            fmt::format("down_payment: {}", amount.error().message)));
    }
    proposal.down_payment_minor = amount->minor_units();
  }
  auto plan = ProposePlan(call.database(), call.tenant_id(), proposal, *today, call.Audit());
  if (!plan) return std::unexpected(PlanProblem(plan.error()));
  return ApiResponse::Json(201, PlanJson(*plan));
}

HandlerResult AcceptPlanRoute(ApiCall& call) {
  struct Wanted {
    std::string channel;
    std::optional<std::string> accepted_by;
  };
  auto wanted = ReadBody(call, [&](JsonFields& fields) {
    Wanted body;
    body.channel = fields.Text("channel", Need::kRequired, 20).value_or("");
    if (fields.Has("channel") && body.channel != "phone" && body.channel != "email" && body.channel != "in_person") {
      fields.Reject("channel", ProblemCode::kInvalidRequest,
                    TrFormat(call.language(), "channel: '{}' no es phone, email ni in_person (el portal acepta por sí mismo)",
                             "channel: '{}' is not phone, email or in_person (the portal accepts by itself)",
                             body.channel));
    }
    body.accepted_by = fields.Text("accepted_by", Need::kOptional, 200);
    return body;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto plan = PlanToChange(call);
  if (!plan) return std::unexpected(plan.error());
  const AuditContext audit = call.Audit();
  PlanAcceptance acceptance;
  acceptance.plan_id = plan->id;
  acceptance.channel = wanted->channel;
  acceptance.accepted_by = wanted->accepted_by.value_or(audit.actor);
  auto accepted = AcceptPlan(call.database(), call.tenant_id(), acceptance, audit);
  if (!accepted) return std::unexpected(PlanProblem(accepted.error()));
  return ApiResponse::Json(200, PlanJson(*accepted));
}

HandlerResult CancelPlanRoute(ApiCall& call) {
  auto reason = ReadBody(call, [](JsonFields& fields) {
    return fields.Paragraph("reason", Need::kRequired, 2000).value_or("");
  });
  if (!reason) return std::unexpected(reason.error());
  auto plan = PlanToChange(call);
  if (!plan) return std::unexpected(plan.error());
  auto cancelled = CancelPlan(call.database(), call.tenant_id(), plan->id, *reason, call.Audit());
  if (!cancelled) return std::unexpected(PlanProblem(cancelled.error()));
  return ApiResponse::Json(200, PlanJson(*cancelled));
}

HandlerResult GetPlanRoute(ApiCall& call) {
  auto id = PlanIdParam(call);
  if (!id) return std::unexpected(id.error());
  auto plan = GetPlan(call.database(), call.tenant_id(), *id, call.language());
  if (!plan) return std::unexpected(Problem(plan.error()));
  return ApiResponse::Json(200, PlanJson(*plan));
}

HandlerResult ListPlansRoute(ApiCall& call) {
  const Language language = call.language();
  PlanFilter filter;
  filter.language = language;
  if (auto customer = call.Query("customer")) {
    auto id = CustomerIdByExternalId(call.database(), call.tenant_id(), *customer, language);
    if (!id) {
      if (id.error().code == ErrorCode::kNotFound) {
        return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "customer", id.error().message));
      }
      return std::unexpected(Problem(id.error()));
    }
    filter.customer_id = *id;
  }
  if (auto status = call.Query("status")) filter.status = *status;
  auto page = call.QueryPage();
  if (!page) return std::unexpected(page.error());
  if (page->starting_after) {
    auto after = NumericId(*page->starting_after);
    if (!after) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "starting_after",
                                            std::string(Tr(language, "starting_after: no es un id de acuerdo",
                                                           "starting_after: is not a plan id"))));
    }
    filter.after_id = *after;
  }
  filter.limit = static_cast<int32_t>(page->limit) + 1;
  auto plans = ListPlans(call.database(), call.tenant_id(), filter);
  if (!plans) {
    if (plans.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "status", plans.error().message));
    }
    return std::unexpected(Problem(plans.error()));
  }
  const bool has_more = static_cast<int64_t>(plans->size()) > page->limit;
  if (has_more) plans->pop_back();
  nlohmann::json data = nlohmann::json::array();
  for (const PlanRecord& plan : *plans) data.push_back(PlanJson(plan));
  return ApiResponse::Json(200, ListPage(std::move(data), has_more));
}

HandlerResult PlanTermsRoute(ApiCall& call) {
  auto id = PlanIdParam(call);
  if (!id) return std::unexpected(id.error());
  auto bytes = PlanTermsPdf(call.database(), call.tenant_id(), *id, call.language());
  if (!bytes) return std::unexpected(Problem(bytes.error()));
  ApiResponse response{200, "application/pdf", std::move(*bytes), {}};
  response.Header("Content-Disposition", fmt::format("inline; filename=\"payment-plan-{}.pdf\"", *id));
  return response;
}

}  // namespace

void AddPlanRoutes(std::vector<Route>& routes) {
  routes.push_back(
      RoleRoute("POST", "/api/v1/customers/{id}/plans", Role::kCollector, BodyKind::kJson, ProposePlanRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/plans", Role::kViewer, BodyKind::kNone, ListPlansRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/plans/{id}", Role::kViewer, BodyKind::kNone, GetPlanRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/plans/{id}/accept", Role::kCollector, BodyKind::kJson, AcceptPlanRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/plans/{id}/cancel", Role::kCollector, BodyKind::kJson, CancelPlanRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/plans/{id}/terms.pdf", Role::kViewer, BodyKind::kNone, PlanTermsRoute));
}

}  // namespace cartera::api
