// Payments and credit notes: the lists and the single records, with how
// each was applied. Every route calls the use case `cartera payments` /
// `cartera credit-notes` call (report/payment_list.h,
// report/credit_note_list.h) and answers the record's one JSON shape.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/route_helpers.h"
#include "api/routes.h"
#include "report/credit_note_list.h"
#include "report/payment_list.h"

namespace cartera::api {
namespace {

using access::Role;

Problem BadParameter(std::string_view name, std::string detail) {
  return Problem::Field(ProblemCode::kBadParameter, fmt::format("?{}", name), std::move(detail));
}

// ?customer, ?from, ?to, ?currency, ?limit, ?starting_after.
std::expected<CreditListQuery, Problem> ReadCreditListQuery(ApiCall& call) {
  const Language language = call.language();
  CreditListQuery query;
  if (auto customer = call.Query("customer")) {
    if (customer->empty() || customer->size() > 200) {
      return std::unexpected(BadParameter(
          "customer", std::string(Tr(language, "'customer' es el id externo de un cliente",
                                     "'customer' is a customer's external id"))));
    }
    query.customer = *customer;
  }
  auto from = call.QueryDate("from");
  if (!from) return std::unexpected(from.error());
  query.from = *from;
  auto to = call.QueryDate("to");
  if (!to) return std::unexpected(to.error());
  query.to = *to;
  if (query.from && query.to && *query.to < *query.from) {
    return std::unexpected(BadParameter(
        "to", std::string(Tr(language, "'to' no puede ser anterior a 'from'", "'to' cannot be before 'from'"))));
  }
  if (auto currency = call.Query("currency")) {
    query.currency = Currency::FromCode(*currency);
    if (!query.currency) {
      return std::unexpected(BadParameter("currency", TrFormat(language, "'{}' no es un código ISO 4217",
                                                               "'{}' is not an ISO 4217 code", *currency)));
    }
  }
  auto page = call.QueryPage();
  if (!page) return std::unexpected(page.error());
  query.limit = page->limit;
  query.starting_after = page->starting_after;
  return query;
}

HandlerResult ListPaymentsRoute(ApiCall& call) {
  auto query = ReadCreditListQuery(call);
  if (!query) return std::unexpected(query.error());
  auto list = ListPayments(call.database(), call.tenant_id(), *query, call.language());
  if (!list) return std::unexpected(Problem(list.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const PaymentRow& row : list->rows) data.push_back(PaymentJson(row));
  return ApiResponse::Json(200, ListPage(std::move(data), list->has_more));
}

HandlerResult GetPayment(ApiCall& call) {
  auto payment = LoadPayment(call.database(), call.tenant_id(), call.Param("id"), call.language());
  if (!payment) return std::unexpected(Problem(payment.error()));
  return ApiResponse::Json(200, PaymentJson(*payment));
}

HandlerResult ListCreditNotesRoute(ApiCall& call) {
  auto query = ReadCreditListQuery(call);
  if (!query) return std::unexpected(query.error());
  auto list = ListCreditNotes(call.database(), call.tenant_id(), *query, call.language());
  if (!list) return std::unexpected(Problem(list.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const CreditNoteRow& row : list->rows) data.push_back(CreditNoteJson(row));
  return ApiResponse::Json(200, ListPage(std::move(data), list->has_more));
}

HandlerResult GetCreditNote(ApiCall& call) {
  auto note = LoadCreditNote(call.database(), call.tenant_id(), call.Param("id"), call.language());
  if (!note) return std::unexpected(Problem(note.error()));
  return ApiResponse::Json(200, CreditNoteJson(*note));
}

Route Read(std::string pattern, HandlerResult (*handler)(ApiCall&)) {
  return RoleRoute("GET", std::move(pattern), Role::kViewer, BodyKind::kNone, handler);
}

}  // namespace

void AddPaymentRoutes(std::vector<Route>& routes) {
  routes.push_back(Read("/api/v1/payments", ListPaymentsRoute));
  routes.push_back(Read("/api/v1/payments/{id}", GetPayment));
  routes.push_back(Read("/api/v1/credit-notes", ListCreditNotesRoute));
  routes.push_back(Read("/api/v1/credit-notes/{id}", GetCreditNote));
}

}  // namespace cartera::api
