// The charges calculator and the tenant's legal rate rows
// (collection/charge_rates.h, compliance/charges_quote.h): the same use
// cases `cartera charges quote|rate` calls. See docs/charges.md.
#include <nlohmann/json.hpp>

#include "api/route_helpers.h"
#include "api/routes.h"
#include "collection/charge_rates.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

// A refused quote: a request field as its query parameter (?annual_rate),
// a problem with the rate data as a plain 422.
Problem QuoteProblem(const compliance::ChargesQuoteFailure& failure) {
  if (failure.field.empty() || failure.error.code != ErrorCode::kBadInput) return Problem(failure.error);
  return Problem::Field(ProblemCode::kBadParameter, "?" + failure.field, failure.error.message);
}

// GET /api/v1/charges/quote?country=CO&amount=1000000&from=...&to=...
HandlerResult Quote(ApiCall& call) {
  compliance::ChargesQuoteText text;
  for (auto [name, target] :
       {std::pair{"country", &text.country}, std::pair{"amount", &text.amount}, std::pair{"currency", &text.currency},
        std::pair{"from", &text.from}, std::pair{"to", &text.to}, std::pair{"annual_rate", &text.annual_rate},
        std::pair{"uf_value", &text.uf_value}, std::pair{"invoices", &text.invoices}}) {
    *target = call.Query(name).value_or("");
  }
  auto request = compliance::ParseChargesQuoteRequest(text, call.language());
  if (!request) return std::unexpected(QuoteProblem(request.error()));
  auto quote = QuoteChargesForTenant(call.database(), call.tenant_id(), *request, call.language());
  if (!quote) return std::unexpected(QuoteProblem(quote.error()));
  return ApiResponse::Json(200, ChargesQuoteJson(*quote));
}

HandlerResult ListRates(ApiCall& call) {
  ChargeRateFilter filter;
  if (auto country = call.Query("country")) filter.country = *country;
  if (auto kind = call.Query("kind")) {
    filter.kind = compliance::ParseRateKind(*kind);
    if (!filter.kind) {
      return std::unexpected(
          Problem::Field(ProblemCode::kBadParameter, "?kind",
                         TrFormat(call.language(), "'{}' no es un tipo de tasa ({})", "'{}' is not a rate kind ({})",
                                  *kind, compliance::RateKindList())));
    }
  }
  auto tenant_only = call.QueryBool("tenant_only", false);
  if (!tenant_only) return std::unexpected(tenant_only.error());
  filter.tenant_only = *tenant_only;
  auto rows = ListChargeRates(call.database(), call.tenant_id(), filter);
  if (!rows) return std::unexpected(Problem(rows.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const ChargeRateRecord& record : *rows) data.push_back(ChargeRateJson(record));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult AddRate(ApiCall& call) {
  auto input = ReadBody(call, [](JsonFields& fields) {
    ChargeRateInput read;
    read.country = fields.Text("country", Need::kRequired, 2).value_or("");
    read.kind = fields.Text("kind", Need::kRequired, 40).value_or("");
    read.valid_from = fields.Text("valid_from", Need::kRequired, 10).value_or("");
    read.valid_to = fields.Text("valid_to", Need::kRequired, 10).value_or("");
    read.rate = fields.Text("rate", Need::kRequired, 20).value_or("");
    read.source = fields.Text("source", Need::kRequired, kChargeRateSourceBytesMax).value_or("");
    return read;
  });
  if (!input) return std::unexpected(input.error());
  auto added = AddChargeRate(call.database(), call.tenant_id(), *input, call.Audit());
  if (!added) {
    if (added.error().field.empty() || added.error().error.code != ErrorCode::kBadInput) {
      return std::unexpected(Problem(added.error().error));
    }
    return std::unexpected(
        Problem::Field(ProblemCode::kInvalidRequest, "/" + added.error().field, added.error().error.message));
  }
  return ApiResponse::Json(201, ChargeRateJson(*added));
}

}  // namespace

void AddChargesRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/charges/quote", Role::kViewer, BodyKind::kNone, Quote));
  routes.push_back(RoleRoute("GET", "/api/v1/charges/rates", Role::kViewer, BodyKind::kNone, ListRates));
  routes.push_back(RoleRoute("POST", "/api/v1/charges/rates", Role::kManager, BodyKind::kJson, AddRate));
}

}  // namespace cartera::api
