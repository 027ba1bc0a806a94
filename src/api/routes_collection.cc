// The collection work: the run (its plan and the run itself), the outbox,
// the collectors' worklist and call outcomes, promises, disputes, segments,
// a customer's explanation and timeline, and the simulator. Every route
// calls the use case `cartera` calls for the same thing (collection/,
// delivery/) and answers the record's one JSON shape.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/customer_access.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "api/strategy_problem.h"
#include "collection/explain.h"
#include "collection/outbox_list.h"
#include "collection/records.h"
#include "collection/run.h"
#include "collection/segments_report.h"
#include "collection/simulate.h"
#include "collection/strategy_store.h"
#include "collection/timeline.h"
#include "collection/worklist.h"
#include "core/text_check.h"
#include "delivery/delivery_service.h"
#include "report/list_page.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

// The longest simulation one request may ask for: a year (the CLI allows
// ten; a request holds a connection while it runs).
constexpr int64_t kSimulationDaysMax = 366;
// The most rows a list route reads that has no pagination of its own.
constexpr int64_t kWorklistLimitMax = 100;

Problem BadChoice(std::string_view name, const std::vector<std::string>& choices, Language language) {
  std::string joined;
  for (const std::string& choice : choices) joined += (joined.empty() ? "" : ", ") + choice;
  return Problem::Field(ProblemCode::kBadParameter, fmt::format("?{}", name),
                        TrFormat(language, "'{}' es uno de: {}", "'{}' is one of: {}", name, joined));
}

// A query parameter that must be one of `choices`.
std::expected<std::optional<std::string>, Problem> QueryChoice(const ApiCall& call, std::string_view name,
                                                               const std::vector<std::string>& choices) {
  auto value = call.Query(name);
  if (!value) return std::optional<std::string>();
  if (std::find(choices.begin(), choices.end(), *value) == choices.end()) {
    return std::unexpected(BadChoice(name, choices, call.language()));
  }
  return value;
}

// A query parameter naming a record by its external id.
std::expected<std::optional<std::string>, Problem> QueryExternalId(const ApiCall& call, std::string_view name) {
  auto value = call.Query(name);
  if (!value) return std::optional<std::string>();
  if (value->empty() || value->size() > 200 || !IsCleanText(*value)) {
    return std::unexpected(Problem::Field(
        ProblemCode::kBadParameter, fmt::format("?{}", name),
        TrFormat(call.language(), "'{}' no es un id externo válido", "'{}' is not a valid external id", name)));
  }
  return value;
}

// --- the run and the simulator ---

HandlerResult StartRun(ApiCall& call) {
  struct Wanted {
    std::optional<Date> as_of;
    bool dry_run = false;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    return Wanted{fields.DateField("as_of", Need::kOptional),
                  fields.Boolean("dry_run", Need::kOptional).value_or(false)};
  });
  if (!wanted) return std::unexpected(wanted.error());
  RunOptions options{call.tenant_id(), wanted->as_of, call.clock().Now(), wanted->dry_run,
                     call.Audit(),     std::nullopt,  std::nullopt};
  auto report = RunCollection(call.database(), options);
  if (!report) return std::unexpected(Problem(report.error()));
  return ApiResponse::Json(200, RunReportJson(*report, wanted->dry_run));
}

// The stored strategy played forward, or the one the body proposes (the
// document PUT /api/v1/strategy takes, checked as POST
// /api/v1/strategy/validate checks it; problems at /strategy/...): nothing
// is stored either way. The contacts as a list, and beside them what they
// add up to per day and in total, with what the law blocked or deferred.
HandlerResult StartSimulation(ApiCall& call) {
  struct Wanted {
    int64_t days = 90;
    std::optional<Date> as_of;
    bool with_payments = false;
    std::optional<nlohmann::json> strategy;
  };
  const Language language = call.language();
  auto wanted = ReadBody(call, [&](JsonFields& fields) {
    Wanted read{fields.Integer("days", Need::kRequired, 1, kSimulationDaysMax).value_or(1),
                fields.DateField("as_of", Need::kOptional),
                fields.Boolean("with_payments", Need::kOptional).value_or(false), std::nullopt};
    if (const nlohmann::json* strategy = fields.Raw("strategy", Need::kOptional)) {
      if (strategy->is_object()) {
        read.strategy = *strategy;
      } else {
        fields.Reject("strategy", ProblemCode::kWrongType,
                      std::string(Tr(language, "'strategy' debe ser un objeto (la estrategia)",
                                     "'strategy' must be an object (the strategy)")));
      }
    }
    return read;
  });
  if (!wanted) return std::unexpected(wanted.error());
  std::optional<Strategy> proposed;
  if (wanted->strategy) {
    auto checked = CheckStrategyDocument(*wanted->strategy, language);
    if (!checked) return std::unexpected(StrategyProblem(checked.error(), *wanted->strategy, "/strategy"));
    proposed = std::move(*checked);
  }
  Date from;
  if (wanted->as_of) {
    from = *wanted->as_of;
  } else {
    auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
    if (!today) return std::unexpected(Problem(today.error()));
    from = *today;
  }
  SimulationOptions options{call.tenant_id(), from, static_cast<int32_t>(wanted->days), wanted->with_payments,
                            proposed ? &*proposed : nullptr};
  auto report = Simulate(call.database(), options);
  if (!report) return std::unexpected(Problem(report.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const SimulatedContact& contact : report->contacts) data.push_back(SimulatedContactJson(contact));
  nlohmann::json body = ListPage(std::move(data), false);
  body.update(SimulationSummaryJson(*report, options.from, options.days));
  body["proposed"] = proposed.has_value();
  return ApiResponse::Json(200, body);
}

// --- the outbox ---

HandlerResult ListOutboxItems(ApiCall& call) {
  auto status = QueryChoice(call, "status", OutboxStatuses());
  if (!status) return std::unexpected(status.error());
  auto channel = QueryChoice(call, "channel", OutboxChannels());
  if (!channel) return std::unexpected(channel.error());
  auto customer = QueryExternalId(call, "customer");
  if (!customer) return std::unexpected(customer.error());
  auto from = call.QueryDate("from");
  if (!from) return std::unexpected(from.error());
  auto to = call.QueryDate("to");
  if (!to) return std::unexpected(to.error());
  if (*from && *to && **to < **from) {
    return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?to",
                                          std::string(Tr(call.language(), "'to' es anterior a 'from'",
                                                         "'to' is before 'from'"))));
  }
  auto page = call.QueryPage();
  if (!page) return std::unexpected(page.error());
  OutboxFilter filter;
  filter.status = *status;
  filter.channel = *channel;
  filter.customer_external_id = *customer;
  filter.business_date_from = *from;
  filter.business_date_to = *to;
  if (page->starting_after) {
    auto after = NumericId(*page->starting_after);
    // Not an item id: no item comes after it.
    if (!after) return ApiResponse::Json(200, ListPage(nlohmann::json::array(), false));
    filter.starting_after = *after;
  }
  filter.limit = page->limit + 1;  // one more says whether there is a next page
  auto items = ListOutbox(call.database(), call.tenant_id(), filter);
  if (!items) return std::unexpected(Problem(items.error()));
  const bool has_more = static_cast<int64_t>(items->size()) > page->limit;
  if (has_more) items->resize(static_cast<size_t>(page->limit));
  nlohmann::json data = nlohmann::json::array();
  for (const OutboxListItem& item : *items) data.push_back(OutboxItemJson(item));
  return ApiResponse::Json(200, ListPage(std::move(data), has_more));
}

// The outbox item `id` as the list shows it, or a 404.
HandlerResult OutboxItemResponse(ApiCall& call, int64_t id) {
  OutboxFilter filter;
  filter.id = id;
  filter.limit = 1;
  auto items = ListOutbox(call.database(), call.tenant_id(), filter);
  if (!items) return std::unexpected(Problem(items.error()));
  if (items->empty()) return std::unexpected(NotFoundProblem(call.language()));
  return ApiResponse::Json(200, OutboxItemJson(items->front()));
}

HandlerResult ResolveOutboxItem(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto resolution = ReadBody(call, [&](JsonFields& fields) -> std::optional<delivery::Resolution> {
    auto text = fields.Text("resolution", Need::kRequired, 20);
    if (!text) return std::nullopt;
    if (*text == "sent") return delivery::Resolution::kSent;
    if (*text == "resend") return delivery::Resolution::kResend;
    fields.Reject("resolution", ProblemCode::kInvalidRequest,
                  std::string(Tr(call.language(), "la resolución es sent (llegó) o resend (enviarlo de nuevo)",
                                 "the resolution is sent (it arrived) or resend (send it again)")));
    return std::nullopt;
  });
  if (!resolution) return std::unexpected(resolution.error());
  if (auto ok = delivery::ResolveUnknownItem(call.database(), call.tenant_id(), *id, **resolution, call.Audit()); !ok) {
    return std::unexpected(Problem(ok.error()));
  }
  return OutboxItemResponse(call, *id);
}

// --- the worklist and call tasks ---

HandlerResult ListWorklist(ApiCall& call) {
  auto collector = call.Query("collector");
  if (collector && (collector->empty() || collector->size() > 200 || !IsCleanText(*collector))) {
    return std::unexpected(Problem::Field(
        ProblemCode::kBadParameter, "?collector",
        std::string(Tr(call.language(), "'collector' no es un nombre válido", "'collector' is not a valid name"))));
  }
  auto limit = call.QueryInt("limit", 1, kWorklistLimitMax);
  if (!limit) return std::unexpected(limit.error());
  // mine=true: the tasks the caller may act on (its customers and the unassigned).
  auto mine = call.QueryBool("mine", false);
  if (!mine) return std::unexpected(mine.error());
  std::optional<std::string> free_for;
  if (*mine) free_for = call.principal().kind == access::Principal::Kind::kUser ? call.principal().name : "";
  const int64_t wanted = limit->value_or(25);
  // Overdue disputes come first, as items of kind "dispute" (collection/worklist.h).
  auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
  if (!today) return std::unexpected(Problem(today.error()));
  auto tasks = LoadWorklist(call.database(), call.tenant_id(), collector, wanted + 1, free_for, *today);
  if (!tasks) return std::unexpected(Problem(tasks.error()));
  const bool has_more = static_cast<int64_t>(tasks->size()) > wanted;
  if (has_more) tasks->resize(static_cast<size_t>(wanted));
  nlohmann::json data = nlohmann::json::array();
  for (const WorklistTask& task : *tasks) data.push_back(WorklistTaskJson(task));
  return ApiResponse::Json(200, ListPage(std::move(data), has_more));
}

HandlerResult RecordOutcome(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  struct Outcome {
    std::string outcome;
    std::optional<Date> promise_date;
    std::optional<std::string> promise_amount;
    std::string reason;
  };
  auto outcome = ReadBody(call, [&](JsonFields& fields) {
    Outcome wanted;
    wanted.outcome = fields.Text("outcome", Need::kRequired, 40).value_or("");
    const bool promise = wanted.outcome == "promise", dispute = wanted.outcome == "dispute";
    wanted.promise_date = fields.DateField("promise_date", promise ? Need::kRequired : Need::kOptional);
    wanted.promise_amount = fields.Amount("promise_amount", promise ? Need::kRequired : Need::kOptional);
    wanted.reason = fields.Text("reason", dispute ? Need::kRequired : Need::kOptional, 1000).value_or("");
    if (!promise && (wanted.promise_date || wanted.promise_amount)) {
      fields.Reject(wanted.promise_date ? "promise_date" : "promise_amount", ProblemCode::kInvalidRequest,
                    std::string(Tr(call.language(), "solo con el resultado promise", "only with the outcome promise")));
    }
    if (dispute && wanted.reason.empty() && fields.Has("reason")) {
      fields.Reject("reason", ProblemCode::kInvalidRequest,
                    std::string(Tr(call.language(), "diga qué disputa el cliente", "say what the customer disputes")));
    }
    return wanted;
  });
  if (!outcome) return std::unexpected(outcome.error());
  if (auto refused = RefusedProblem(access::MayActOnTask(call.database(), call.principal(), *id, call.language()))) {
    return std::unexpected(*refused);
  }
  if (auto ok = RecordTaskOutcome(call.database(), call.tenant_id(), *id, outcome->outcome, outcome->promise_date,
                                  outcome->promise_amount, call.Audit(), outcome->reason);
      !ok) {
    return std::unexpected(Problem(ok.error()));
  }
  return OutboxItemResponse(call, *id);
}

HandlerResult AssignCallTask(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto collector =
      ReadBody(call, [](JsonFields& fields) { return fields.Text("collector", Need::kRequired, 200).value_or(""); });
  if (!collector) return std::unexpected(collector.error());
  if (auto ok = AssignTask(call.database(), call.tenant_id(), *id, *collector, call.Audit()); !ok) {
    return std::unexpected(Problem(ok.error()));
  }
  return OutboxItemResponse(call, *id);
}

// --- promises ---

HandlerResult ListPromiseRecords(ApiCall& call) {
  auto customer = QueryExternalId(call, "customer");
  if (!customer) return std::unexpected(customer.error());
  auto status = QueryChoice(call, "status", {"open", "kept", "broken", "cancelled"});
  if (!status) return std::unexpected(status.error());
  auto records = ListPromises(call.database(), call.tenant_id(), *customer, *status, call.language());
  if (!records) return std::unexpected(Problem(records.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const PromiseRecord& record : *records) data.push_back(PromiseJson(record));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult AddPromiseRecord(ApiCall& call) {
  struct Wanted {
    std::string customer;
    Date date;
    std::string amount;
    std::optional<std::string> currency;
    std::string note;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    Wanted promise;
    promise.customer = fields.Text("customer", Need::kRequired, 200).value_or("");
    promise.date = fields.DateField("date", Need::kRequired).value_or(Date());
    promise.amount = fields.Amount("amount", Need::kRequired).value_or("");
    promise.currency = fields.Text("currency", Need::kOptional, 3);
    promise.note = fields.Paragraph("note", Need::kOptional, 2000).value_or("");
    return promise;
  });
  if (!wanted) return std::unexpected(wanted.error());
  if (auto refused = RefusedProblem(
          access::MayActOnCustomer(call.database(), call.principal(), wanted->customer, call.language()))) {
    return std::unexpected(*refused);
  }
  auto id = AddPromise(call.database(), call.tenant_id(), wanted->customer, wanted->date, wanted->amount,
                       wanted->currency, "api", wanted->note, call.Audit());
  if (!id) return std::unexpected(Problem(id.error()));
  auto record = LoadPromise(call.database(), call.tenant_id(), *id, call.language());
  if (!record) return std::unexpected(Problem(record.error()));
  return ApiResponse::Json(201, PromiseJson(*record));
}

HandlerResult GetPromise(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto record = LoadPromise(call.database(), call.tenant_id(), *id, call.language());
  if (!record) return std::unexpected(Problem(record.error()));
  return ApiResponse::Json(200, PromiseJson(*record));
}

HandlerResult CancelPromiseRecord(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  if (auto refused = RefusedProblem(access::MayActOnPromise(call.database(), call.principal(), *id, call.language()))) {
    return std::unexpected(*refused);
  }
  if (auto ok = CancelPromise(call.database(), call.tenant_id(), *id, call.Audit()); !ok) {
    return std::unexpected(Problem(ok.error()));
  }
  return GetPromise(call);
}

// Disputes: routes_disputes.cc.

// --- what the engine thinks of a customer ---

HandlerResult ListSegments(ApiCall& call) {
  auto as_of = call.QueryDate("as_of");
  if (!as_of) return std::unexpected(as_of.error());
  auto segment = QueryChoice(call, "segment", {"habitual", "occasional", "high_risk", "new"});
  if (!segment) return std::unexpected(segment.error());
  auto rows = LoadCustomerSegments(call.database(), call.tenant_id(), *as_of, *segment);
  if (!rows) return std::unexpected(Problem(rows.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const CustomerSegmentRow& row : *rows) data.push_back(CustomerSegmentJson(row));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

HandlerResult ExplainCustomerRoute(ApiCall& call) {
  auto as_of = call.QueryDate("as_of");
  if (!as_of) return std::unexpected(as_of.error());
  auto explanation =
      ExplainCustomer(call.database(), call.tenant_id(), call.Param("id"), *as_of, call.clock().Now(), call.Audit());
  if (!explanation) return std::unexpected(Problem(explanation.error()));
  return ApiResponse::Json(200, CustomerExplanationJson(*explanation, call.language()));
}

HandlerResult CustomerTimeline(ApiCall& call) {
  auto entries = LoadTimeline(call.database(), call.tenant_id(), call.Param("id"));
  if (!entries) return std::unexpected(Problem(entries.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const TimelineEntry& entry : *entries) data.push_back(TimelineEntryJson(entry));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

}  // namespace

void AddCollectionRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("POST", "/api/v1/runs", Role::kManager, BodyKind::kJson, StartRun));
  routes.push_back(RoleRoute("POST", "/api/v1/simulations", Role::kManager, BodyKind::kJson, StartSimulation));
  routes.push_back(RoleRoute("GET", "/api/v1/outbox", Role::kViewer, BodyKind::kNone, ListOutboxItems));
  routes.push_back(RoleRoute("POST", "/api/v1/outbox/{id}/resolve", Role::kManager, BodyKind::kJson, ResolveOutboxItem));
  routes.push_back(RoleRoute("GET", "/api/v1/worklist", Role::kViewer, BodyKind::kNone, ListWorklist));
  routes.push_back(RoleRoute("POST", "/api/v1/tasks/{id}/outcome", Role::kCollector, BodyKind::kJson, RecordOutcome));
  routes.push_back(RoleRoute("POST", "/api/v1/tasks/{id}/assign", Role::kManager, BodyKind::kJson, AssignCallTask));
  routes.push_back(RoleRoute("GET", "/api/v1/promises", Role::kViewer, BodyKind::kNone, ListPromiseRecords));
  routes.push_back(RoleRoute("POST", "/api/v1/promises", Role::kCollector, BodyKind::kJson, AddPromiseRecord));
  routes.push_back(RoleRoute("GET", "/api/v1/promises/{id}", Role::kViewer, BodyKind::kNone, GetPromise));
  routes.push_back(
      RoleRoute("POST", "/api/v1/promises/{id}/cancel", Role::kCollector, BodyKind::kNone, CancelPromiseRecord));
  routes.push_back(RoleRoute("GET", "/api/v1/segments", Role::kViewer, BodyKind::kNone, ListSegments));
  routes.push_back(RoleRoute("GET", "/api/v1/customers/{id}/explain", Role::kViewer, BodyKind::kNone, ExplainCustomerRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/customers/{id}/timeline", Role::kViewer, BodyKind::kNone, CustomerTimeline));
}

}  // namespace cartera::api
