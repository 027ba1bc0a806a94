// What a collector does on one customer besides promises and disputes:
// add a note (collection/notes.h), and send the statement now
// (delivery/statement_send.h). The
// collector rule (access/customer_assignment.h) applies as for promises.
#include <nlohmann/json.hpp>

#include "api/customer_access.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "collection/notes.h"
#include "collection/outbox_list.h"
#include "delivery/statement_send.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

HandlerResult AddCustomerNote(ApiCall& call) {
  const std::string& customer = call.Param("id");
  auto text = ReadBody(
      call, [](JsonFields& fields) { return fields.Text("text", Need::kRequired, kNoteBytesMax).value_or(""); });
  if (!text) return std::unexpected(text.error());
  if (auto refused =
          RefusedProblem(access::MayActOnCustomer(call.database(), call.principal(), customer, call.language()))) {
    return std::unexpected(*refused);
  }
  auto note = AddNote(call.database(), call.tenant_id(), customer, *text, call.Audit());
  if (!note) {
    if (note.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/text", note.error().message));
    }
    return std::unexpected(Problem(note.error()));
  }
  return ApiResponse::Json(201, NoteJson(*note));
}

// The statement by e-mail now, through the outbox (delivery/statement_send.h):
// 202 with the queued item; the worker sends it when the law allows.
HandlerResult SendStatementNow(ApiCall& call) {
  const std::string& customer = call.Param("id");
  if (auto refused =
          RefusedProblem(access::MayActOnCustomer(call.database(), call.principal(), customer, call.language()))) {
    return std::unexpected(*refused);
  }
  auto id =
      delivery::QueueStatementEmail(call.database(), call.tenant_id(), customer, call.clock().Now(), call.Audit());
  if (!id) return std::unexpected(Problem(id.error()));
  OutboxFilter filter;
  filter.id = *id;
  filter.limit = 1;
  auto items = ListOutbox(call.database(), call.tenant_id(), filter);
  if (!items) return std::unexpected(Problem(items.error()));
  if (items->empty()) return std::unexpected(Problem(Error::Internal("the queued statement is not in the outbox")));
  return ApiResponse::Json(202, OutboxItemJson(items->front()));
}

}  // namespace

void AddCustomerActionRoutes(std::vector<Route>& routes) {
  routes.push_back(
      RoleRoute("POST", "/api/v1/customers/{id}/notes", Role::kCollector, BodyKind::kJson, AddCustomerNote));
  routes.push_back(
      RoleRoute("POST", "/api/v1/customers/{id}/statement/send", Role::kCollector, BodyKind::kNone, SendStatementNow));
}

}  // namespace cartera::api
