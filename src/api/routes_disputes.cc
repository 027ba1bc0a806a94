// Disputes with reasons, owners and deadlines (issue 17): the list with
// filters and the overdue flag, opening from the reasons catalogue,
// resolving (accepted: a credit note; rejected: the debtor told through the
// outbox), the catalogue itself and the root-cause report. Thin: the use
// cases are collection/dispute_reasons.h, collection/disputes.h and
// delivery/dispute_resolution.h. The collector rule
// (access/customer_assignment.h) applies to opening and resolving.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/customer_access.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "collection/dispute_reasons.h"
#include "collection/disputes.h"
#include "core/text_check.h"
#include "delivery/dispute_resolution.h"
#include "report/list_page.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

constexpr int64_t kDisputeListDefault = 100;
constexpr int64_t kDisputeListMax = 500;

// A use case's kBadInput that names its field first ("credit_amount: ...")
// becomes a problem at that field's JSON Pointer.
Problem FieldProblem(const Error& error, std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  if (error.code == ErrorCode::kBadInput) {
    for (auto [prefix, pointer] : fields) {
      if (error.message.starts_with(fmt::format("{}:", prefix))) {
        return Problem::Field(ProblemCode::kInvalidRequest, std::string(pointer), error.message);
      }
    }
  }
  return Problem(error);
}

std::expected<Date, Problem> Today(ApiCall& call) {
  auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
  if (!today) return std::unexpected(Problem(today.error()));
  return *today;
}

std::expected<std::optional<std::string>, Problem> QueryOneOf(const ApiCall& call, std::string_view name,
                                                              const std::vector<std::string>& choices) {
  auto value = call.Query(name);
  if (!value) return std::optional<std::string>();
  if (std::find(choices.begin(), choices.end(), *value) == choices.end()) {
    std::string joined;
    for (const std::string& choice : choices) joined += (joined.empty() ? "" : ", ") + choice;
    return std::unexpected(Problem::Field(ProblemCode::kBadParameter, fmt::format("?{}", name),
                                          TrFormat(call.language(), "'{}' es uno de: {}", "'{}' is one of: {}", name,
                                                   joined)));
  }
  return value;
}

std::expected<std::optional<std::string>, Problem> QueryName(const ApiCall& call, std::string_view name) {
  auto value = call.Query(name);
  if (!value) return std::optional<std::string>();
  if (value->empty() || value->size() > 200 || !IsCleanText(*value)) {
    return std::unexpected(Problem::Field(ProblemCode::kBadParameter, fmt::format("?{}", name),
                                          TrFormat(call.language(), "'{}' no es un valor válido",
                                                   "'{}' is not a valid value", name)));
  }
  return value;
}

std::vector<std::string> ReasonCodes() {
  std::vector<std::string> codes;
  for (const DisputeReasonDefault& reason : kDisputeReasonDefaults) codes.emplace_back(reason.code);
  return codes;
}

HandlerResult ListDisputes(ApiCall& call) {
  DisputeFilter filter;
  auto status = QueryOneOf(call, "status", {"open", "resolved"});
  if (!status) return std::unexpected(status.error());
  filter.status = *status;
  auto reason = QueryOneOf(call, "reason", ReasonCodes());
  if (!reason) return std::unexpected(reason.error());
  filter.reason_code = *reason;
  auto owner = QueryName(call, "owner");
  if (!owner) return std::unexpected(owner.error());
  filter.owner = *owner;
  auto customer = QueryName(call, "customer");
  if (!customer) return std::unexpected(customer.error());
  filter.customer_external_id = *customer;
  if (call.Query("overdue")) {
    auto overdue = call.QueryBool("overdue", false);
    if (!overdue) return std::unexpected(overdue.error());
    filter.overdue = *overdue;
  }
  auto limit = call.QueryInt("limit", 1, kDisputeListMax);
  if (!limit) return std::unexpected(limit.error());
  const int64_t wanted = limit->value_or(kDisputeListDefault);
  filter.limit = wanted + 1;
  auto today = Today(call);
  if (!today) return std::unexpected(today.error());
  filter.as_of = *today;
  auto views = ListDisputeViews(call.database(), call.tenant_id(), filter, call.language());
  if (!views) return std::unexpected(Problem(views.error()));
  const bool has_more = static_cast<int64_t>(views->size()) > wanted;
  if (has_more) views->resize(static_cast<size_t>(wanted));
  nlohmann::json data = nlohmann::json::array();
  for (const DisputeView& view : *views) data.push_back(DisputeViewJson(view));
  return ApiResponse::Json(200, ListPage(std::move(data), has_more));
}

HandlerResult GetDispute(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto today = Today(call);
  if (!today) return std::unexpected(today.error());
  auto view = LoadDisputeView(call.database(), call.tenant_id(), *id, *today, call.language());
  if (!view) return std::unexpected(Problem(view.error()));
  return ApiResponse::Json(200, DisputeViewJson(*view));
}

HandlerResult OpenDispute(ApiCall& call) {
  auto opening = ReadBody(call, [&](JsonFields& fields) {
    DisputeOpening wanted;
    wanted.invoice_external_id = fields.Text("invoice", Need::kRequired, 200).value_or("");
    wanted.reason_code = fields.Text("reason", Need::kRequired, 40).value_or("");
    wanted.text = fields.Paragraph("text", Need::kOptional, 2000).value_or("");
    if (fields.Has("reason") && !wanted.reason_code.empty() && !IsDisputeReasonCode(wanted.reason_code)) {
      fields.Reject("reason", ProblemCode::kInvalidRequest,
                    TrFormat(call.language(), "'{}' no es un motivo del catálogo (use {})",
                             "'{}' is not a reason of the catalogue (use {})", wanted.reason_code,
                             DisputeReasonCodes()));
    }
    return wanted;
  });
  if (!opening) return std::unexpected(opening.error());
  if (auto refused = RefusedProblem(
          access::MayActOnInvoice(call.database(), call.principal(), opening->invoice_external_id, call.language()))) {
    return std::unexpected(*refused);
  }
  auto id = OpenDisputeFromCatalogue(call.database(), call.tenant_id(), *opening, call.Audit());
  if (!id) return std::unexpected(FieldProblem(id.error(), {{"reason_code", "/reason"}}));
  auto today = Today(call);
  if (!today) return std::unexpected(today.error());
  auto view = LoadDisputeView(call.database(), call.tenant_id(), *id, *today, call.language());
  if (!view) return std::unexpected(Problem(view.error()));
  return ApiResponse::Json(201, DisputeViewJson(*view));
}

HandlerResult ResolveDispute(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto decision = ReadBody(call, [&](JsonFields& fields) {
    delivery::DisputeDecision wanted;
    wanted.outcome = fields.Text("outcome", Need::kRequired, 40).value_or("");
    wanted.credit_amount = fields.Amount("credit_amount", Need::kOptional);
    wanted.resolution = fields.Paragraph("resolution", Need::kOptional, 2000).value_or("");
    if (fields.Has("outcome") && !wanted.outcome.empty() && wanted.outcome != "accepted" &&
        wanted.outcome != "rejected") {
      fields.Reject("outcome", ProblemCode::kInvalidRequest,
                    std::string(Tr(call.language(), "use accepted o rejected", "use accepted or rejected")));
    }
    return wanted;
  });
  if (!decision) return std::unexpected(decision.error());
  if (auto refused = RefusedProblem(access::MayActOnDispute(call.database(), call.principal(), *id, call.language()))) {
    return std::unexpected(*refused);
  }
  const Timestamp now = call.clock().Now();
  auto resolved = delivery::ResolveDisputeWithOutcome(call.database(), call.tenant_id(), *id, *decision, now,
                                                      call.Audit());
  if (!resolved) return std::unexpected(FieldProblem(resolved.error(), {{"outcome", "/outcome"},
                                                                       {"credit_amount", "/credit_amount"},
                                                                       {"resolution", "/resolution"}}));
  auto today = Today(call);
  if (!today) return std::unexpected(today.error());
  auto view = LoadDisputeView(call.database(), call.tenant_id(), *id, *today, call.language());
  if (!view) return std::unexpected(Problem(view.error()));
  nlohmann::json notice = nullptr;
  if (resolved->notice_id) notice = {{"id", *resolved->notice_id}, {"channel", resolved->notice_channel}};
  return ApiResponse::Json(200, {{"dispute", DisputeViewJson(*view)},
                                 {"notice", notice},
                                 {"notice_refusal", resolved->notice_refusal.empty()
                                                        ? nlohmann::json(nullptr)
                                                        : nlohmann::json(resolved->notice_refusal)}});
}

HandlerResult ListReasons(ApiCall& call) {
  auto reasons = LoadDisputeReasons(call.database(), call.tenant_id());
  if (!reasons) return std::unexpected(Problem(reasons.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const DisputeReasonSetting& reason : *reasons) data.push_back(DisputeReasonJson(reason));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult SetReason(ApiCall& call) {
  const std::string& code = call.Param("code");
  if (!IsDisputeReasonCode(code)) return std::unexpected(NotFoundProblem(call.language()));
  auto change = ReadBody(call, [&](JsonFields& fields) {
    DisputeReasonChange wanted;
    if (auto days = fields.Integer("deadline_days", Need::kOptional, 1, kDisputeDeadlineMaxDays)) {
      wanted.deadline_days = static_cast<int32_t>(*days);
    }
    if (fields.IsNull("owner")) {
      fields.Raw("owner", Need::kOptional);
      wanted.owner = "";
    } else if (auto owner = fields.Text("owner", Need::kOptional, 200)) {
      wanted.owner = *owner;
    }
    if (!fields.Has("deadline_days") && !fields.Has("owner")) {
      fields.Reject("deadline_days", ProblemCode::kMissingField,
                    std::string(Tr(call.language(), "cambie deadline_days, owner o ambos",
                                   "change deadline_days, owner or both")));
    }
    return wanted;
  });
  if (!change) return std::unexpected(change.error());
  auto saved = SetDisputeReason(call.database(), call.tenant_id(), code, *change, call.Audit());
  if (!saved) return std::unexpected(FieldProblem(saved.error(), {{"deadline_days", "/deadline_days"}, {"owner", "/owner"}}));
  return ApiResponse::Json(200, DisputeReasonJson(*saved));
}

HandlerResult DisputeReportRoute(ApiCall& call) {
  DisputeReportOptions options;
  auto from = call.QueryDate("from");
  if (!from) return std::unexpected(from.error());
  auto to = call.QueryDate("to");
  if (!to) return std::unexpected(to.error());
  options.from = *from;
  options.to = *to;
  auto by = QueryOneOf(call, "by", {"reason", "customer", "month"});
  if (!by) return std::unexpected(by.error());
  if (*by) options.by = **by;
  if (options.from && options.to && *options.to < *options.from) {
    return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?to",
                                          TrFormat(call.language(), "to ({}) es anterior a from ({})",
                                                   "to ({}) is before from ({})", options.to->ToIso(),
                                                   options.from->ToIso())));
  }
  auto today = Today(call);
  if (!today) return std::unexpected(today.error());
  auto report = BuildDisputeReport(call.database(), call.tenant_id(), options, *today, call.language());
  if (!report) return std::unexpected(Problem(report.error()));
  return ApiResponse::Json(200, DisputeReportJson(*report));
}

}  // namespace

void AddDisputeRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/disputes", Role::kViewer, BodyKind::kNone, ListDisputes));
  routes.push_back(RoleRoute("POST", "/api/v1/disputes", Role::kCollector, BodyKind::kJson, OpenDispute));
  routes.push_back(RoleRoute("GET", "/api/v1/disputes/{id}", Role::kViewer, BodyKind::kNone, GetDispute));
  routes.push_back(
      RoleRoute("POST", "/api/v1/disputes/{id}/resolve", Role::kCollector, BodyKind::kJson, ResolveDispute));
  routes.push_back(RoleRoute("GET", "/api/v1/dispute-reasons", Role::kViewer, BodyKind::kNone, ListReasons));
  routes.push_back(RoleRoute("PUT", "/api/v1/dispute-reasons/{code}", Role::kManager, BodyKind::kJson, SetReason));
  routes.push_back(RoleRoute("GET", "/api/v1/reports/disputes", Role::kViewer, BodyKind::kNone, DisputeReportRoute));
}

}  // namespace cartera::api
