// The promise-kept report (collection/promise_report.h): GET
// /api/v1/reports/promises?from&to&by&customer (viewer). Promises
// themselves, with their outcome and the payments that kept them, are
// under /api/v1/promises (routes_collection.cc).
#include <fmt/format.h>

#include "api/route_helpers.h"
#include "api/routes.h"
#include "collection/promise_report.h"
#include "report/list_page.h"

namespace cartera::api {
namespace {

using access::Role;

HandlerResult PromiseReportRoute(ApiCall& call) {
  PromiseReportOptions options;
  auto from = call.QueryDate("from");
  if (!from) return std::unexpected(from.error());
  auto to = call.QueryDate("to");
  if (!to) return std::unexpected(to.error());
  options.from = *from;
  options.to = *to;
  if (auto by = call.Query("by")) {
    auto parsed = ParsePromiseReportBy(*by, "by", call.language());
    if (!parsed) return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?by", parsed.error().message));
    options.by = *parsed;
  }
  if (auto customer = call.Query("customer")) {
    if (customer->empty() || customer->size() > 200) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?customer",
                                            std::string(Tr(call.language(), "customer: un id externo de cliente",
                                                           "customer: a customer's external id"))));
    }
    options.customer_external_id = *customer;
  }
  if (options.from && options.to && *options.to < *options.from) {
    return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?to",
                                          TrFormat(call.language(), "to ({}) es anterior a from ({})",
                                                   "to ({}) is before from ({})", options.to->ToIso(),
                                                   options.from->ToIso())));
  }
  auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
  if (!today) return std::unexpected(Problem(today.error()));
  auto report = BuildPromiseReport(call.database(), call.tenant_id(), options, *today, call.language());
  if (!report) {
    if (report.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?from", report.error().message));
    }
    return std::unexpected(Problem(report.error()));
  }
  return ApiResponse::Json(200, PromiseReportJson(*report));
}

}  // namespace

void AddPromiseReportRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/reports/promises", Role::kViewer, BodyKind::kNone, PromiseReportRoute));
}

}  // namespace cartera::api
