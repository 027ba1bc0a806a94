// Escalation: agencies, agency and legal cases (/escalations), their
// recoveries, stages, documents, costs and case files, and write-offs.
// Every route calls the use case the CLI calls (escalation/*.h) and answers
// its record's one JSON shape. A use case's refusal that names a body
// field ("amount: ...") becomes a problem at that field's JSON Pointer.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "api/route_helpers.h"
#include "api/routes.h"
#include "core/time_zone.h"
#include "escalation/bureau.h"
#include "escalation/case_file.h"
#include "escalation/escalation.h"
#include "escalation/legal.h"
#include "escalation/write_off.h"
#include "store/tenants.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;
using namespace escalation;

// The use case's error; at `pointers[field]` when its message starts with
// "field: " for a field of this body.
Problem UseCaseProblem(const Error& error, const std::map<std::string, std::string>& pointers) {
  const size_t colon = error.message.find(": ");
  if (colon != std::string::npos) {
    auto known = pointers.find(error.message.substr(0, colon));
    if (known != pointers.end()) {
      const ProblemCode code =
          error.code == ErrorCode::kConflict ? ProblemCode::kConflict : ProblemCode::kInvalidRequest;
      if (error.code == ErrorCode::kBadInput || error.code == ErrorCode::kNotFound ||
          error.code == ErrorCode::kConflict) {
        return Problem::Field(code, known->second, error.message.substr(colon + 2));
      }
    }
  }
  return Problem(error);
}

Problem BadParameter(std::string_view name, std::string detail) {
  return Problem::Field(ProblemCode::kBadParameter, fmt::format("?{}", name), std::move(detail));
}

// ?name among `choices`, or nullopt when absent.
std::expected<std::optional<std::string>, Problem> QueryChoice(ApiCall& call, std::string_view name,
                                                               std::initializer_list<std::string_view> choices) {
  auto value = call.Query(name);
  if (!value) return std::optional<std::string>();
  for (std::string_view choice : choices) {
    if (*value == choice) return value;
  }
  return std::unexpected(BadParameter(
      name, TrFormat(call.language(), "'{}' es uno de: {}", "'{}' is one of: {}", name, fmt::join(choices, ", "))));
}

std::expected<int64_t, Problem> CaseId(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  return *id;
}

HandlerResult CaseAnswer(ApiCall& call, int64_t case_id, int status) {
  auto item = LoadCase(call.database(), call.tenant_id(), case_id, call.language());
  if (!item) return std::unexpected(Problem(item.error()));
  return ApiResponse::Json(status, CaseJson(*item));
}

HandlerResult AddAgencyRoute(ApiCall& call) {
  struct Wanted {
    std::string name, contact, commission;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    Wanted agency;
    agency.name = fields.Text("name", Need::kRequired, kAgencyNameBytesMax).value_or("");
    agency.contact = fields.Paragraph("contact", Need::kOptional, kAgencyContactBytesMax).value_or("");
    agency.commission = fields.Text("commission_percent", Need::kRequired, 20).value_or("");
    return agency;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto basis_points = ParseCommissionPercent(wanted->commission, "commission_percent", call.language());
  if (!basis_points)
    return std::unexpected(UseCaseProblem(basis_points.error(), {{"commission_percent", "/commission_percent"}}));
  auto agency =
      AddAgency(call.database(), call.tenant_id(), wanted->name, wanted->contact, *basis_points, call.Audit());
  if (!agency) {
    return std::unexpected(UseCaseProblem(agency.error(), {{"name", "/name"}, {"contact", "/contact"}}));
  }
  return ApiResponse::Json(201, AgencyJson(*agency));
}

HandlerResult ListAgenciesRoute(ApiCall& call) {
  auto agencies = ListAgencies(call.database(), call.tenant_id());
  if (!agencies) return std::unexpected(Problem(agencies.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const Agency& agency : *agencies) data.push_back(AgencyJson(agency));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult EscalateRoute(ApiCall& call) {
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    EscalateRequest request;
    request.kind = fields.Text("kind", Need::kRequired, 20).value_or("");
    request.agency_id = fields.Integer("agency_id", Need::kOptional, 1, INT64_MAX);
    request.invoice_external_ids =
        fields.TextList("invoice_ids", Need::kOptional, kCaseInvoicesMax).value_or(std::vector<std::string>{});
    request.note = fields.Paragraph("note", Need::kOptional, kNoteBytesMax).value_or("");
    return request;
  });
  if (!wanted) return std::unexpected(wanted.error());
  wanted->customer_external_id = call.Param("id");
  auto id = Escalate(call.database(), call.tenant_id(), *wanted, call.Audit());
  if (!id) {
    return std::unexpected(UseCaseProblem(
        id.error(),
        {{"kind", "/kind"}, {"agency_id", "/agency_id"}, {"invoice_ids", "/invoice_ids"}, {"note", "/note"}}));
  }
  return CaseAnswer(call, *id, 201);
}

HandlerResult ListCasesRoute(ApiCall& call) {
  CaseFilter filter;
  if (auto customer = call.Query("customer")) {
    if (customer->empty() || customer->size() > 200) {
      return std::unexpected(
          BadParameter("customer", std::string(Tr(call.language(), "'customer' es el id externo de un cliente",
                                                  "'customer' is a customer's external id"))));
    }
    filter.customer_external_id = *customer;
  }
  auto kind = QueryChoice(call, "kind", {"agency", "legal"});
  if (!kind) return std::unexpected(kind.error());
  filter.kind = *kind;
  auto status = QueryChoice(call, "status", {"open", "recalled", "closed"});
  if (!status) return std::unexpected(status.error());
  filter.status = *status;
  auto cases = ListCases(call.database(), call.tenant_id(), filter, call.language());
  if (!cases) {
    if (cases.error().code == ErrorCode::kNotFound) {
      return std::unexpected(BadParameter("customer", cases.error().message));
    }
    return std::unexpected(Problem(cases.error()));
  }
  nlohmann::json data = nlohmann::json::array();
  for (const EscalationCase& item : *cases) data.push_back(CaseJson(item));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult GetCaseRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  return CaseAnswer(call, *id, 200);
}

HandlerResult RecallRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  if (auto ok = RecallCase(call.database(), call.tenant_id(), *id, call.Audit()); !ok) {
    return std::unexpected(Problem(ok.error()));
  }
  return CaseAnswer(call, *id, 200);
}

HandlerResult RecoveryRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    RecoveryRequest request;
    request.reference = fields.Text("reference", Need::kRequired, kReferenceBytesMax).value_or("");
    request.date = fields.DateField("date", Need::kRequired).value_or(Date());
    request.amount = fields.Amount("amount", Need::kRequired).value_or("");
    request.invoice_external_id = fields.Text("invoice_id", Need::kOptional, 200).value_or("");
    return request;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto recovery = RecordRecovery(call.database(), call.tenant_id(), *id, *wanted, call.Audit());
  if (!recovery) {
    return std::unexpected(UseCaseProblem(
        recovery.error(),
        {{"reference", "/reference"}, {"date", "/date"}, {"amount", "/amount"}, {"invoice_id", "/invoice_id"}}));
  }
  return ApiResponse::Json(201, RecoveryJson(*recovery));
}

HandlerResult CaseFileCsvRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  auto csv = CaseFileCsv(call.database(), call.tenant_id(), *id, call.language());
  if (!csv) return std::unexpected(Problem(csv.error()));
  ApiResponse response{200, "text/csv; charset=utf-8", std::move(*csv), {}};
  response.Header("Content-Disposition", fmt::format("attachment; filename=\"case-{}.csv\"", *id));
  return response;
}

HandlerResult CaseFilePdfRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  auto bytes = CaseFilePdf(call.database(), call.tenant_id(), *id, call.clock().Now(), call.language());
  if (!bytes) return std::unexpected(Problem(bytes.error()));
  ApiResponse response{200, "application/pdf", std::move(*bytes), {}};
  response.Header("Content-Disposition", fmt::format("inline; filename=\"case-{}.pdf\"", *id));
  return response;
}

HandlerResult StageRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  struct Wanted {
    std::string stage, note;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    Wanted change;
    change.stage = fields.Text("stage", Need::kRequired, 40).value_or("");
    change.note = fields.Paragraph("note", Need::kOptional, kNoteBytesMax).value_or("");
    return change;
  });
  if (!wanted) return std::unexpected(wanted.error());
  if (auto ok = AdvanceLegalCase(call.database(), call.tenant_id(), *id, wanted->stage, wanted->note, call.Audit());
      !ok) {
    return std::unexpected(UseCaseProblem(ok.error(), {{"stage", "/stage"}, {"note", "/note"}}));
  }
  return CaseAnswer(call, *id, 200);
}

HandlerResult AddDocumentRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  struct Wanted {
    std::string name, content_type, content_base64;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    Wanted document;
    document.name = fields.Text("name", Need::kRequired, kLegalDocumentNameBytesMax).value_or("");
    document.content_type = fields.Text("content_type", Need::kRequired, 100).value_or("");
    document.content_base64 =
        fields.Text("content_base64", Need::kRequired, (kLegalDocumentBytesMax + 2) / 3 * 4 + 4).value_or("");
    return document;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto bytes = DecodeBase64(wanted->content_base64);
  if (!bytes) {
    return std::unexpected(Problem::Field(
        ProblemCode::kInvalidRequest, "/content_base64",
        std::string(Tr(call.language(), "no es base64 (RFC 4648, con relleno)", "is not base64 (RFC 4648, padded)"))));
  }
  auto document = AddLegalDocument(call.database(), call.tenant_id(), *id, wanted->name, wanted->content_type, *bytes,
                                   call.Audit());
  if (!document) {
    return std::unexpected(UseCaseProblem(
        document.error(), {{"name", "/name"}, {"content_type", "/content_type"}, {"content", "/content_base64"}}));
  }
  return CaseAnswer(call, *id, 201);
}

HandlerResult GetDocumentRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  auto document_id = NumericId(call.Param("document_id"));
  if (!document_id) return std::unexpected(NotFoundProblem(call.language()));
  auto document = LoadLegalDocument(call.database(), call.tenant_id(), *id, *document_id, call.language());
  if (!document) return std::unexpected(Problem(document.error()));
  ApiResponse response{200, document->content_type, std::move(document->bytes), {}};
  response.Header("Content-Disposition", fmt::format("attachment; filename=\"document-{}\"", *document_id));
  return response;
}

HandlerResult AddCostRoute(ApiCall& call) {
  auto id = CaseId(call);
  if (!id) return std::unexpected(id.error());
  struct Wanted {
    Date date;
    std::string amount, currency, description;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    Wanted cost;
    cost.date = fields.DateField("date", Need::kRequired).value_or(Date());
    cost.amount = fields.Amount("amount", Need::kRequired).value_or("");
    cost.currency = fields.Text("currency", Need::kRequired, 3).value_or("");
    cost.description = fields.Paragraph("description", Need::kRequired, kNoteBytesMax).value_or("");
    return cost;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto cost = AddLegalCost(call.database(), call.tenant_id(), *id, wanted->date, wanted->amount, wanted->currency,
                           wanted->description, call.Audit());
  if (!cost) {
    return std::unexpected(UseCaseProblem(
        cost.error(), {{"amount", "/amount"}, {"currency", "/currency"}, {"description", "/description"}}));
  }
  return CaseAnswer(call, *id, 201);
}

HandlerResult WriteOffAnswer(ApiCall& call, int64_t write_off_id, int status) {
  auto item = LoadWriteOff(call.database(), call.tenant_id(), write_off_id, call.language());
  if (!item) return std::unexpected(Problem(item.error()));
  return ApiResponse::Json(status, WriteOffJson(*item));
}

HandlerResult ProposeWriteOffRoute(ApiCall& call) {
  struct Wanted {
    std::vector<std::string> invoices;
    std::string reason;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    Wanted proposal;
    proposal.invoices =
        fields.TextList("invoice_ids", Need::kOptional, kCaseInvoicesMax).value_or(std::vector<std::string>{});
    proposal.reason = fields.Paragraph("reason", Need::kRequired, kNoteBytesMax).value_or("");
    return proposal;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto id = ProposeWriteOff(call.database(), call.tenant_id(), call.Param("id"), wanted->invoices, wanted->reason,
                            call.Audit());
  if (!id) return std::unexpected(UseCaseProblem(id.error(), {{"invoice_ids", "/invoice_ids"}, {"reason", "/reason"}}));
  return WriteOffAnswer(call, *id, 201);
}

HandlerResult DecideWriteOffRoute(ApiCall& call, bool approve) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto note = ReadBody(
      call, [](JsonFields& fields) { return fields.Paragraph("note", Need::kOptional, kNoteBytesMax).value_or(""); });
  if (!note) return std::unexpected(note.error());
  if (auto ok = DecideWriteOff(call.database(), call.tenant_id(), *id, approve, *note, call.Audit()); !ok) {
    return std::unexpected(UseCaseProblem(ok.error(), {{"note", "/note"}}));
  }
  return WriteOffAnswer(call, *id, 200);
}

HandlerResult ApproveWriteOffRoute(ApiCall& call) { return DecideWriteOffRoute(call, true); }
HandlerResult RejectWriteOffRoute(ApiCall& call) { return DecideWriteOffRoute(call, false); }

HandlerResult ListWriteOffsRoute(ApiCall& call) {
  auto status = QueryChoice(call, "status", {"proposed", "approved", "rejected"});
  if (!status) return std::unexpected(status.error());
  auto items = ListWriteOffs(call.database(), call.tenant_id(), *status);
  if (!items) return std::unexpected(Problem(items.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const WriteOff& item : *items) data.push_back(WriteOffJson(item));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult GetWriteOffRoute(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  return WriteOffAnswer(call, *id, 200);
}

HandlerResult WriteOffExportRoute(ApiCall& call) {
  auto from = call.QueryDate("from");
  if (!from) return std::unexpected(from.error());
  auto to = call.QueryDate("to");
  if (!to) return std::unexpected(to.error());
  auto csv = WriteOffExportCsv(call.database(), call.tenant_id(), *from, *to);
  if (!csv) return std::unexpected(Problem(csv.error()));
  ApiResponse response{200, "text/csv; charset=utf-8", std::move(*csv), {}};
  response.Header("Content-Disposition", "attachment; filename=\"write-offs.csv\"");
  return response;
}

// ?as_of (default: today in the tenant's zone), ?status; the customer from
// the path or ?customer.
std::expected<BureauQuery, Problem> ReadBureauQuery(ApiCall& call) {
  BureauQuery query;
  auto as_of = call.QueryDate("as_of");
  if (!as_of) return std::unexpected(as_of.error());
  if (*as_of) {
    query.as_of = **as_of;
  } else {
    auto tenant = FindTenant(call.database(), std::to_string(call.tenant_id()), call.language());
    if (!tenant) return std::unexpected(Problem(tenant.error()));
    query.as_of = DateIn(tenant->time_zone, call.clock().Now());
  }
  auto status = QueryChoice(call, "status", {"reportable", "waiting", "notice_needed", "paid"});
  if (!status) return std::unexpected(status.error());
  query.status = *status;
  return query;
}

HandlerResult BureauListRoute(ApiCall& call) {
  auto query = ReadBureauQuery(call);
  if (!query) return std::unexpected(query.error());
  if (auto customer = call.Query("customer")) query->customer_external_id = *customer;
  auto entries = BureauReportList(call.database(), call.tenant_id(), *query, call.language());
  if (!entries) {
    if (entries.error().code == ErrorCode::kNotFound) {
      return std::unexpected(BadParameter("customer", entries.error().message));
    }
    return std::unexpected(Problem(entries.error()));
  }
  auto format = QueryChoice(call, "format", {"json", "csv"});
  if (!format) return std::unexpected(format.error());
  if (format->value_or("json") == "csv") {
    ApiResponse response{200, "text/csv; charset=utf-8", BureauCsv(*entries), {}};
    response.Header("Content-Disposition", "attachment; filename=\"bureau-report-list.csv\"");
    return response;
  }
  nlohmann::json data = nlohmann::json::array();
  for (const BureauEntry& entry : *entries) data.push_back(BureauEntryJson(entry));
  nlohmann::json page = ListPage(std::move(data), false);
  page["as_of"] = query->as_of.ToIso();
  return ApiResponse::Json(200, page);
}

HandlerResult CustomerBureauRoute(ApiCall& call) {
  auto query = ReadBureauQuery(call);
  if (!query) return std::unexpected(query.error());
  query->customer_external_id = call.Param("id");
  auto entries = BureauReportList(call.database(), call.tenant_id(), *query, call.language());
  if (!entries) return std::unexpected(Problem(entries.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const BureauEntry& entry : *entries) data.push_back(BureauEntryJson(entry));
  nlohmann::json page = ListPage(std::move(data), false);
  page["as_of"] = query->as_of.ToIso();
  return ApiResponse::Json(200, page);
}

}  // namespace

void AddEscalationRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("POST", "/api/v1/agencies", Role::kManager, BodyKind::kJson, AddAgencyRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/agencies", Role::kViewer, BodyKind::kNone, ListAgenciesRoute));
  routes.push_back(
      RoleRoute("POST", "/api/v1/customers/{id}/escalations", Role::kManager, BodyKind::kJson, EscalateRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/escalations", Role::kViewer, BodyKind::kNone, ListCasesRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/escalations/{id}", Role::kViewer, BodyKind::kNone, GetCaseRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/escalations/{id}/recall", Role::kManager, BodyKind::kNone, RecallRoute));
  routes.push_back(
      RoleRoute("POST", "/api/v1/escalations/{id}/recoveries", Role::kManager, BodyKind::kJson, RecoveryRoute));
  routes.push_back(
      RoleRoute("GET", "/api/v1/escalations/{id}/case-file.csv", Role::kManager, BodyKind::kNone, CaseFileCsvRoute));
  routes.push_back(
      RoleRoute("GET", "/api/v1/escalations/{id}/case-file.pdf", Role::kManager, BodyKind::kNone, CaseFilePdfRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/escalations/{id}/stage", Role::kManager, BodyKind::kJson, StageRoute));
  // A document's base64 is 4/3 of its bytes: the body limit leaves room for that.
  routes.push_back(RoleRoute("POST", "/api/v1/escalations/{id}/documents", Role::kManager, BodyKind::kJson,
                             AddDocumentRoute, 2 << 20));
  routes.push_back(RoleRoute("GET", "/api/v1/escalations/{id}/documents/{document_id}", Role::kManager, BodyKind::kNone,
                             GetDocumentRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/escalations/{id}/costs", Role::kManager, BodyKind::kJson, AddCostRoute));
  routes.push_back(
      RoleRoute("POST", "/api/v1/customers/{id}/write-offs", Role::kManager, BodyKind::kJson, ProposeWriteOffRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/write-offs", Role::kManager, BodyKind::kNone, ListWriteOffsRoute));
  routes.push_back(
      RoleRoute("GET", "/api/v1/write-offs/export.csv", Role::kManager, BodyKind::kNone, WriteOffExportRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/write-offs/{id}", Role::kManager, BodyKind::kNone, GetWriteOffRoute));
  routes.push_back(
      RoleRoute("POST", "/api/v1/write-offs/{id}/approve", Role::kAdmin, BodyKind::kJson, ApproveWriteOffRoute));
  routes.push_back(
      RoleRoute("POST", "/api/v1/write-offs/{id}/reject", Role::kAdmin, BodyKind::kJson, RejectWriteOffRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/bureau/report-list", Role::kManager, BodyKind::kNone, BureauListRoute));
  routes.push_back(
      RoleRoute("GET", "/api/v1/customers/{id}/bureau", Role::kViewer, BodyKind::kNone, CustomerBureauRoute));
}

}  // namespace cartera::api
