// The ledger and its reports: customers (with their contact points and
// consent), invoices, CSV imports, aging, statements, the summary and the
// audit log. Every route calls the use case the matching CLI command calls.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/users.h"
#include "api/customer_access.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "api/server_hooks.h"
#include "delivery/opt_out.h"
#include "importer/customer_change.h"
#include "importer/import.h"
#include "pdf/customer_documents.h"
#include "pdf/paper.h"
#include "report/aging_report.h"
#include "report/audit_report.h"
#include "report/customer_list.h"
#include "report/customer_record.h"
#include "report/invoice_list.h"
#include "report/list_page.h"
#include "report/portfolio_summary.h"
#include "report/summary_cache.h"
#include "report/statement.h"

namespace cartera::api {
namespace {

using access::Role;

// A CSV upload is read whole into memory: a larger file is split, or
// loaded with `cartera import` on the server. A rejection lists at most
// this many of its errors (its detail counts them all).
constexpr size_t kImportBodyBytesMax = size_t{64} << 20;
constexpr size_t kImportErrorsShownMax = 1000;

Problem BadParameter(std::string_view name, std::string detail) {
  return Problem::Field(ProblemCode::kBadParameter, fmt::format("?{}", name), std::move(detail));
}

// `?name=` as one of `allowed`, or a bad-parameter problem listing them.
template <typename Value, typename FromName>
std::expected<std::optional<Value>, Problem> QueryChoice(ApiCall& call, std::string_view name, FromName from_name,
                                                          std::string_view allowed) {
  auto text = call.Query(name);
  if (!text) return std::optional<Value>();
  auto value = from_name(*text);
  if (!value) {
    return std::unexpected(BadParameter(name, TrFormat(call.language(), "'{}' es uno de: {}", "'{}' is one of: {}",
                                                       name, allowed)));
  }
  return std::optional<Value>(*value);
}

std::expected<std::optional<Currency>, Problem> QueryCurrency(ApiCall& call) {
  auto text = call.Query("currency");
  if (!text) return std::optional<Currency>();
  auto currency = Currency::FromCode(*text);
  if (!currency) {
    return std::unexpected(BadParameter("currency", TrFormat(call.language(), "'{}' no es un código ISO 4217",
                                                             "'{}' is not an ISO 4217 code", *text)));
  }
  return std::optional<Currency>(*currency);
}

// The filters the customer and invoice lists share (the CLI's common
// options), into either list's query.
template <typename Query>
std::optional<Problem> ReadListFilters(ApiCall& call, Query& query) {
  const Language language = call.language();
  auto as_of = call.QueryDate("as_of");
  if (!as_of) return as_of.error();
  if (*as_of) {
    query.as_of = **as_of;
  } else {
    auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
    if (!today) return Problem(today.error());
    query.as_of = *today;
  }
  if (auto segment = call.Query("segment")) {
    if (*segment != "habitual" && *segment != "occasional" && *segment != "high_risk" && *segment != "new") {
      return BadParameter("segment", TrFormat(language, "'{}' es uno de: {}", "'{}' is one of: {}", "segment",
                                              "habitual, occasional, high_risk, new"));
    }
    query.segment = *segment;
  }
  if (auto country = call.Query("country")) {
    const bool ok = country->size() == 2 && std::isupper(static_cast<unsigned char>((*country)[0])) &&
                    std::isupper(static_cast<unsigned char>((*country)[1]));
    if (!ok) {
      return BadParameter("country", std::string(Tr(language, "'country' es un código ISO 3166 alfa-2 (CO, MX, ...)",
                                                    "'country' is an ISO 3166 alpha-2 code (CO, MX, ...)")));
    }
    query.country = *country;
  }
  auto currency = QueryCurrency(call);
  if (!currency) return currency.error();
  query.currency = *currency;
  auto days = call.QueryInt("min_days_past_due", 0, 100000);
  if (!days) return days.error();
  if (*days) query.min_days_past_due = static_cast<int32_t>(**days);
  if (auto amount = call.Query("min_amount")) {
    if (!query.currency) {
      return BadParameter("min_amount", std::string(Tr(language, "'min_amount' necesita 'currency' (los valores son por moneda)",
                                                       "'min_amount' needs 'currency' (amounts are per currency)")));
    }
    auto parsed = Money::Parse(*amount, *query.currency);
    if (!parsed) return BadParameter("min_amount", parsed.error().message);
    query.min_amount = *parsed;
  }
  auto page = call.QueryPage();
  if (!page) return page.error();
  query.limit = page->limit;
  query.starting_after = page->starting_after;
  return std::nullopt;
}

// `?collector=`: a user's id, `me` (the signed-in user) or `none`
// (customers assigned to no one). Another tenant's user is not found, like
// a made-up id.
std::expected<std::optional<CustomerListQuery::CollectorFilter>, Problem> QueryCollector(ApiCall& call) {
  using Filter = CustomerListQuery::CollectorFilter;
  const Language language = call.language();
  auto text = call.Query("collector");
  if (!text) return std::optional<Filter>();
  if (*text == "none") return std::optional<Filter>(Filter{});
  if (*text == "me") {
    if (call.principal().kind != access::Principal::Kind::kUser) {
      return std::unexpected(BadParameter(
          "collector",
          std::string(
              Tr(language,
                 "'collector=me' es para un usuario; una clave de API no tiene clientes asignados: use el id de un "
                 "usuario o none",
                 "'collector=me' is for a user; an API key has no customers assigned: give a user's id or none"))));
    }
    auto user = access::LoadUser(call.database(), call.tenant_id(), call.principal().id, language);
    if (!user) return std::unexpected(Problem(user.error()));
    return std::optional<Filter>(Filter{user->email});
  }
  auto id = NumericId(*text);
  if (!id) {
    return std::unexpected(BadParameter("collector", std::string(Tr(language,
        "'collector' es el id de un usuario, me o none", "'collector' is a user's id, me or none"))));
  }
  auto user = access::LoadUser(call.database(), call.tenant_id(), *id, language);
  if (!user) return std::unexpected(Problem(user.error()));
  return std::optional<Filter>(Filter{user->email});
}

HandlerResult ListCustomersRoute(ApiCall& call) {
  CustomerListQuery query;
  if (auto problem = ReadListFilters(call, query)) return std::unexpected(*problem);
  if (auto status = call.Query("status")) {
    if (*status != "with_balance") {
      return std::unexpected(BadParameter("status", TrFormat(call.language(), "'{}' es uno de: {}", "'{}' is one of: {}",
                                                             "status", "with_balance")));
    }
    query.with_balance = true;
  }
  auto sort = QueryChoice<CustomerSort>(call, "sort", CustomerSortFromName, "external_id, name, balance, days_past_due");
  if (!sort) return std::unexpected(sort.error());
  if (*sort) query.sort = **sort;
  auto collector = QueryCollector(call);
  if (!collector) return std::unexpected(collector.error());
  query.collector = *collector;
  if (auto text = call.Query("q")) {
    auto search = CustomerSearchText(*text, call.language());
    if (!search) return std::unexpected(BadParameter("q", search.error().message));
    query.search = *search;
  }
  if (call.Query("on_hold")) {
    auto on_hold = call.QueryBool("on_hold", false);
    if (!on_hold) return std::unexpected(on_hold.error());
    query.on_hold = *on_hold;
  }
  auto list = ListCustomers(call.database(), call.tenant_id(), query, call.language());
  if (!list) return std::unexpected(Problem(list.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const CustomerListRow& row : list->rows) data.push_back(CustomerListRowJson(row));
  return ApiResponse::Json(200, ListPage(std::move(data), list->has_more));
}

std::expected<Date, Problem> AsOfOrToday(ApiCall& call) {
  auto as_of = call.QueryDate("as_of");
  if (!as_of) return std::unexpected(as_of.error());
  if (*as_of) return **as_of;
  auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
  if (!today) return std::unexpected(Problem(today.error()));
  return *today;
}

HandlerResult GetCustomer(ApiCall& call) {
  auto as_of = AsOfOrToday(call);
  if (!as_of) return std::unexpected(as_of.error());
  auto record = LoadCustomerRecord(call.database(), call.tenant_id(), call.Param("id"), *as_of, call.language());
  if (!record) return std::unexpected(Problem(record.error()));
  return ApiResponse::JsonWithETag(200, CustomerRecordJson(*record));
}

// A refused change of one customer: each field the importer refused, as
// the JSON Pointer of the body field that carried it.
Problem CustomerChangeProblem(const ImportReport& report, Language language,
                              const std::vector<std::pair<std::string, std::string>>& column_to_field) {
  std::vector<FieldProblem> problems;
  for (const ImportReport::RowError& error : report.row_errors) {
    std::string field;
    for (const auto& [column, body_field] : column_to_field) {
      if (column == error.field) field = body_field;
    }
    if (field.empty() && !error.field.empty()) field = "/" + error.field;
    problems.push_back(FieldProblem{std::move(field), ProblemCode::kInvalidRequest, error.problem});
  }
  return FieldsProblem(std::move(problems), language);
}

std::expected<CustomerRecord, Problem> LoadCurrent(ApiCall& call) {
  auto today = TenantToday(call.database(), call.tenant_id(), call.clock().Now());
  if (!today) return std::unexpected(Problem(today.error()));
  auto record = LoadCustomerRecord(call.database(), call.tenant_id(), call.Param("id"), *today, call.language());
  if (!record) return std::unexpected(Problem(record.error()));
  return *record;
}

HandlerResult CustomerAnswer(ApiCall& call, int status) {
  auto record = LoadCurrent(call);
  if (!record) return std::unexpected(record.error());
  const nlohmann::json body = CustomerRecordJson(*record);
  return ApiResponse::Json(status, body).Header("ETag", ApiCall::ETagOf(body));
}

// The fields a customers import can change, with the import's checks.
HandlerResult PatchCustomer(ApiCall& call) {
  const Language language = call.language();
  auto current = LoadCurrent(call);
  if (!current) return std::unexpected(current.error());
  auto columns = ReadBody(call, [&](JsonFields& fields) {
    CustomerColumns wanted;
    // Required in a customer: a value, never null.
    for (std::string_view name : {"name", "tax_id", "country", "kind", "time_zone", "language"}) {
      if (fields.IsNull(name)) {
        fields.Reject(name, ProblemCode::kWrongType, TrFormat(language, "'{}' no puede ser null", "'{}' cannot be null", name));
      }
      if (auto text = fields.Text(name, JsonFields::Need::kOptional, 200)) wanted.emplace_back(name, *text);
    }
    // Optional: null clears.
    for (std::string_view name : {"address", "currency", "segment"}) {
      if (fields.IsNull(name)) wanted.emplace_back(name, "");
      if (auto text = fields.Text(name, JsonFields::Need::kOptional, 200)) wanted.emplace_back(name, *text);
    }
    if (fields.IsNull("credit_limit")) wanted.emplace_back("credit_limit", "");
    if (auto amount = fields.Amount("credit_limit", JsonFields::Need::kOptional)) wanted.emplace_back("credit_limit", *amount);
    return wanted;
  });
  if (!columns) return std::unexpected(columns.error());
  if (auto stale = call.CheckIfMatch(CustomerRecordJson(*current))) return std::unexpected(*stale);
  auto given = [&](std::string_view column) {
    return std::any_of(columns->begin(), columns->end(), [&](const auto& pair) { return pair.first == column; });
  };
  // The importer needs the required columns, and a credit limit its currency.
  if (!given("name")) columns->emplace_back("name", current->name);
  if (!given("tax_id")) columns->emplace_back("tax_id", current->tax_id);
  if (!given("country")) columns->emplace_back("country", current->country);
  if (given("credit_limit") && !given("currency") && current->currency) columns->emplace_back("currency", *current->currency);
  AuditContext audit = call.Audit();
  auto report = ChangeCustomerFields(call.database(), call.tenant_id(), current->external_id, *columns, audit);
  if (!report) return std::unexpected(Problem(report.error()));
  if (!report->ok()) return std::unexpected(CustomerChangeProblem(*report, language, {}));
  return CustomerAnswer(call, 200);
}

// The CSV column of a channel's consent ("phone" carries SMS and calls).
std::string_view ConsentColumn(std::string_view channel) {
  return channel == "email" ? "consent_email" : channel == "whatsapp" ? "consent_whatsapp" : "consent_sms";
}

std::optional<std::string> ChannelField(JsonFields& fields, Language language) {
  auto channel = fields.Text("channel", JsonFields::Need::kRequired, 20);
  if (channel && *channel != "email" && *channel != "phone" && *channel != "whatsapp") {
    fields.Reject("channel", ProblemCode::kInvalidRequest,
                  std::string(Tr(language, "el canal es email, phone o whatsapp", "the channel is email, phone or whatsapp")));
    return std::nullopt;
  }
  return channel;
}

std::optional<std::string> ConsentField(JsonFields& fields, JsonFields::Need need, Language language) {
  auto consent = fields.Text("consent", need, 20);
  if (consent && *consent != "granted" && *consent != "revoked") {
    fields.Reject("consent", ProblemCode::kInvalidRequest,
                  std::string(Tr(language, "el consentimiento es granted o revoked", "consent is granted or revoked")));
    return std::nullopt;
  }
  return consent;
}

// A new contact point, or one made the primary of its channel again, as an
// import row with that address does it; `consent` is the debtor's word.
HandlerResult AddContactPoint(ApiCall& call) {
  const Language language = call.language();
  auto current = LoadCurrent(call);
  if (!current) return std::unexpected(current.error());
  struct Wanted {
    std::string channel, value;
    std::optional<std::string> consent;
  };
  auto wanted = ReadBody(call, [&](JsonFields& fields) {
    Wanted point;
    point.channel = ChannelField(fields, language).value_or("");
    point.value = fields.Text("value", JsonFields::Need::kRequired, 200).value_or("");
    point.consent = ConsentField(fields, JsonFields::Need::kOptional, language);
    return point;
  });
  if (!wanted) return std::unexpected(wanted.error());
  CustomerColumns columns{{"name", current->name}, {"tax_id", current->tax_id}, {"country", current->country},
                          {wanted->channel, wanted->value}};
  if (wanted->consent) columns.emplace_back(ConsentColumn(wanted->channel), *wanted->consent == "granted" ? "yes" : "no");
  auto report = ChangeCustomerFields(call.database(), call.tenant_id(), current->external_id, columns, call.Audit());
  if (!report) return std::unexpected(Problem(report.error()));
  if (!report->ok()) {
    return std::unexpected(CustomerChangeProblem(
        *report, language,
        {{wanted->channel, "/value"}, {std::string(ConsentColumn(wanted->channel)), "/consent"}}));
  }
  return CustomerAnswer(call, 201);
}

// The debtor's consent on one address: revoked is an opt-out (as a STOP
// reply or an unsubscribe link records it); granted is the debtor's
// authorisation, as a consent column of an import records it.
HandlerResult ChangeConsent(ApiCall& call) {
  const Language language = call.language();
  auto current = LoadCurrent(call);
  if (!current) return std::unexpected(current.error());
  struct Wanted {
    std::string channel, value, consent;
  };
  auto wanted = ReadBody(call, [&](JsonFields& fields) {
    Wanted change;
    change.channel = ChannelField(fields, language).value_or("");
    change.value = fields.Text("value", JsonFields::Need::kRequired, 200).value_or("");
    change.consent = ConsentField(fields, JsonFields::Need::kRequired, language).value_or("");
    return change;
  });
  if (!wanted) return std::unexpected(wanted.error());
  if (auto refused = RefusedProblem(
          access::MayActOnCustomer(call.database(), call.principal(), current->external_id, language))) {
    return std::unexpected(*refused);
  }
  const bool known = std::any_of(current->contact_points.begin(), current->contact_points.end(), [&](const auto& point) {
    return point.channel == wanted->channel && point.value == wanted->value;
  });
  if (!known) {
    return std::unexpected(Problem::Field(ProblemCode::kNotFound, "/value",
                                          TrFormat(language, "el cliente no tiene {} '{}'", "the customer has no {} '{}'",
                                                   wanted->channel, wanted->value)));
  }
  if (wanted->consent == "revoked") {
    auto customer_id = CustomerIdByExternalId(call.database(), call.tenant_id(), current->external_id, language);
    if (!customer_id) return std::unexpected(Problem(customer_id.error()));
    auto transaction = Transaction::Begin(call.database());
    if (!transaction) return std::unexpected(Problem(transaction.error()));
    auto recorded = delivery::RecordOptOut(call.database(), call.tenant_id(), *customer_id, wanted->channel,
                                           wanted->value, "api", call.Audit());
    if (!recorded) return std::unexpected(Problem(recorded.error()));
    if (auto committed = transaction->Commit(); !committed) return std::unexpected(Problem(committed.error()));
  } else {
    CustomerColumns columns{{"name", current->name}, {"tax_id", current->tax_id}, {"country", current->country},
                            {wanted->channel, wanted->value}, {std::string(ConsentColumn(wanted->channel)), "yes"}};
    auto report = ChangeCustomerFields(call.database(), call.tenant_id(), current->external_id, columns, call.Audit());
    if (!report) return std::unexpected(Problem(report.error()));
    if (!report->ok()) return std::unexpected(CustomerChangeProblem(*report, language, {{wanted->channel, "/value"}}));
  }
  return CustomerAnswer(call, 200);
}

// The collector the customer is assigned to (a user of the tenant with the
// role collector or above), or null: unassigned.
HandlerResult AssignCustomerCollector(ApiCall& call) {
  const Language language = call.language();
  auto current = LoadCurrent(call);
  if (!current) return std::unexpected(current.error());
  auto collector = ReadBody(call, [&](JsonFields& fields) {
    if (!fields.Has("collector")) {
      fields.Reject("collector", ProblemCode::kMissingField,
                    std::string(Tr(language, "falta 'collector' (un correo o null)",
                                   "'collector' is required (an e-mail or null)")));
    }
    return fields.Text("collector", JsonFields::Need::kOptional, 200);
  });
  if (!collector) return std::unexpected(collector.error());
  if (auto stale = call.CheckIfMatch(CustomerRecordJson(*current))) return std::unexpected(*stale);
  auto assigned =
      access::AssignCustomer(call.database(), call.tenant_id(), current->external_id, *collector, call.Audit());
  if (!assigned) {
    if (assigned.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/collector", assigned.error().message));
    }
    return std::unexpected(Problem(assigned.error()));
  }
  return CustomerAnswer(call, 200);
}

HandlerResult ListInvoicesRoute(ApiCall& call) {
  InvoiceListQuery query;
  if (auto problem = ReadListFilters(call, query)) return std::unexpected(*problem);
  auto status = QueryChoice<InvoiceStatus>(call, "status", InvoiceStatusFromName, "open, partially_paid, paid, unpaid");
  if (!status) return std::unexpected(status.error());
  query.status = *status;
  auto sort = QueryChoice<InvoiceSort>(call, "sort", InvoiceSortFromName,
                                       "due_date, issue_date, amount, open, days_past_due, number");
  if (!sort) return std::unexpected(sort.error());
  if (*sort) query.sort = **sort;
  query.customer = call.Query("customer");
  auto list = ListInvoices(call.database(), call.tenant_id(), query, call.language());
  if (!list) return std::unexpected(Problem(list.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const InvoiceRow& row : list->rows) data.push_back(InvoiceRowJson(row));
  return ApiResponse::Json(200, ListPage(std::move(data), list->has_more));
}

HandlerResult GetInvoice(ApiCall& call) {
  auto as_of = AsOfOrToday(call);
  if (!as_of) return std::unexpected(as_of.error());
  auto invoice = LoadInvoice(call.database(), call.tenant_id(), call.Param("id"), *as_of, call.language());
  if (!invoice) return std::unexpected(Problem(invoice.error()));
  return ApiResponse::Json(200, InvoiceRowJson(*invoice));
}

// A CSV upload through the importer the CLI uses: all-or-nothing, every bad
// line reported, `dry_run` to validate only.
HandlerResult Import(ApiCall& call) {
  const Language language = call.language();
  const std::string& entity = call.Param("entity");
  auto kind = ParseImportKind(entity);
  if (!kind) return std::unexpected(NotFoundProblem(language));
  if (auto type = call.Header("Content-Type")) {
    if (!type->starts_with("text/csv") && !type->starts_with("text/plain") &&
        !type->starts_with("application/octet-stream")) {
      return std::unexpected(Problem::Of(ProblemCode::kUnsupportedMediaType,
                                         std::string(Tr(language, "envíe el archivo como text/csv",
                                                        "send the file as text/csv"))));
    }
  }
  auto dry_run = call.QueryBool("dry_run", false);
  if (!dry_run) return std::unexpected(dry_run.error());
  auto decimal_comma = call.QueryBool("decimal_comma", false);
  if (!decimal_comma) return std::unexpected(decimal_comma.error());
  ImportOptions import;
  import.kind = *kind;
  import.path = fmt::format("{}.csv", entity);
  import.content = call.body();
  import.tenant_id = call.tenant_id();
  import.dry_run = *dry_run;
  import.decimal_separator = *decimal_comma ? DecimalSeparator::kComma : DecimalSeparator::kPoint;
  if (auto format = call.Query("date_format")) {
    if (*format != "iso" && *format != "dmy") {
      return std::unexpected(BadParameter("date_format", TrFormat(language, "'{}' es uno de: {}", "'{}' is one of: {}",
                                                                  "date_format", "iso, dmy")));
    }
    import.date_format = *format == "dmy" ? DateFormat::kDayMonthYear : DateFormat::kIso;
  }
  if (auto delimiter = call.Query("delimiter")) {
    if (*delimiter != "," && *delimiter != ";") {
      return std::unexpected(BadParameter("delimiter", TrFormat(language, "'{}' es uno de: {}", "'{}' is one of: {}",
                                                                "delimiter", ", ;")));
    }
    import.delimiter = (*delimiter)[0];
  }
  import.audit = call.Audit();
  import.audit.source = fmt::format("api: {}", import.path);
  import.language = language;
  import.errors_kept_max = kImportErrorsShownMax;
  auto report = RunImport(call.database(), import);
  if (!report) {
    // The file as a whole (no header, a missing column) is refused like its rows.
    if (report.error().code != ErrorCode::kBadInput) return std::unexpected(Problem(report.error()));
    return std::unexpected(Problem::Field(ProblemCode::kImportRejected, "file", report.error().message));
  }
  if (!report->ok()) {
    Problem problem;
    problem.code = ProblemCode::kImportRejected;
    const int64_t rows = std::max<int64_t>(report->bad_rows, 1);
    problem.detail = TrFormat(language, "{} {} en {} {}: no se importó nada", "{} {} in {} {}: nothing was imported",
                              report->error_count,
                              report->error_count == 1 ? Tr(language, "error", "error") : Tr(language, "errores", "errors"),
                              rows, rows == 1 ? Tr(language, "fila", "row") : Tr(language, "filas", "rows"));
    for (const ImportReport::RowError& error : report->row_errors) {
      std::string field = error.line == 0 ? std::string("file")
                          : error.field.empty() ? fmt::format("line {}", error.line)
                                                : fmt::format("line {}: {}", error.line, error.field);
      problem.errors.push_back(FieldProblem{std::move(field), ProblemCode::kImportRejected, error.problem});
    }
    return std::unexpected(problem);
  }
  if (!report->dry_run && call.hooks() != nullptr) call.hooks()->RequestRun(call.tenant_id());
  return ApiResponse::Json(200, {{"entity", entity},
                                 {"dry_run", report->dry_run},
                                 {"rows", report->rows},
                                 {"created", report->created},
                                 {"updated", report->updated},
                                 {"unchanged", report->unchanged},
                                 {"allocations_created", report->rebalance.allocations_created},
                                 {"allocations_released", report->rebalance.allocations_dropped}});
}

// The report is built whole (its totals need every line) and answered a
// page at a time: 200,000 customers' lines were 85 MB in one answer.
HandlerResult Aging(ApiCall& call) {
  auto page = call.QueryPage();
  if (!page) return std::unexpected(page.error());
  AgingOptions aging;
  aging.tenant_id = call.tenant_id();
  auto as_of = call.QueryDate("as_of");
  if (!as_of) return std::unexpected(as_of.error());
  aging.as_of = *as_of;
  auto currency = QueryCurrency(call);
  if (!currency) return std::unexpected(currency.error());
  if (*currency) aging.currency = std::string((*currency)->code());
  if (auto text = call.Query("buckets")) {
    auto buckets = AgingBuckets::Parse(*text);
    if (!buckets) {
      return std::unexpected(BadParameter("buckets", std::string(Tr(call.language(),
                                                                    "'buckets' son días crecientes separados por comas (30,60,90,180)",
                                                                    "'buckets' are increasing days separated by commas (30,60,90,180)"))));
    }
    aging.buckets = *buckets;
  }
  auto report = BuildAgingReport(call.database(), aging, call.clock());
  if (!report) return std::unexpected(Problem(report.error()));
  return ApiResponse::Json(200, AgingPageJson(*report, PageAgingReport(*report, page->limit, page->starting_after)));
}

HandlerResult Statement(ApiCall& call) {
  const Language language = call.language();
  auto as_of = call.QueryDate("as_of");
  if (!as_of) return std::unexpected(as_of.error());
  bool pdf = call.Header("Accept").value_or("").find("application/pdf") != std::string::npos;
  if (auto format = call.Query("format")) {
    if (*format != "json" && *format != "pdf") {
      return std::unexpected(BadParameter("format", TrFormat(language, "'{}' es uno de: {}", "'{}' is one of: {}",
                                                             "format", "json, pdf")));
    }
    pdf = *format == "pdf";
  }
  std::optional<pdf::Paper> paper;
  if (auto text = call.Query("paper")) {
    paper = pdf::ParsePaper(*text);
    if (!paper) {
      return std::unexpected(BadParameter("paper", TrFormat(language, "'{}' es uno de: {}", "'{}' is one of: {}",
                                                            "paper", "a4, letter")));
    }
  }
  const std::string& customer = call.Param("id");
  auto customer_id = CustomerIdByExternalId(call.database(), call.tenant_id(), customer, language);
  if (!customer_id) return std::unexpected(Problem(customer_id.error()));
  if (pdf) {
    auto bytes = pdf::StatementPdfForCustomer(call.database(), call.tenant_id(), *customer_id, *as_of, paper,
                                              call.clock().Now());
    if (!bytes) return std::unexpected(Problem(bytes.error()));
    ApiResponse response{200, "application/pdf", std::move(*bytes), {}};
    response.Header("Content-Disposition", fmt::format("inline; filename=\"statement-{}.pdf\"", customer));
    return response;
  }
  auto statement = BuildStatement(call.database(), call.tenant_id(), customer, *as_of, call.clock());
  if (!statement) return std::unexpected(Problem(statement.error()));
  return ApiResponse::Json(200, StatementJson(*statement));
}

HandlerResult Summary(ApiCall& call) {
  // The kept summary (report/summary_cache.h): one row read, refreshed by
  // the scheduler as the ledger and the outbox change.
  auto summary = LoadPortfolioSummary(call.database(), call.tenant_id(), call.clock());
  if (!summary) return std::unexpected(Problem(summary.error()));
  return ApiResponse::Json(200, *summary);
}

HandlerResult Audit(ApiCall& call) {
  const Language language = call.language();
  static constexpr std::string_view kWithExternalIds[] = {"customer", "invoice", "payment", "credit_note"};
  AuditFilter filter;
  if (auto entity = call.Query("entity")) {
    // Any kind of record the log holds ("customer", "template", "api_key", ...).
    const bool word = !entity->empty() && entity->size() <= 40 &&
                      std::all_of(entity->begin(), entity->end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    if (!word) {
      return std::unexpected(BadParameter("entity", std::string(Tr(language, "'entity' es un nombre como customer o invoice",
                                                                   "'entity' is a name such as customer or invoice"))));
    }
    filter.entity = *entity;
  }
  if (auto id = call.Query("id")) {
    if (!filter.entity || std::find(std::begin(kWithExternalIds), std::end(kWithExternalIds), *filter.entity) ==
                              std::end(kWithExternalIds)) {
      return std::unexpected(BadParameter(
          "id", std::string(Tr(language, "'id' necesita 'entity' customer, invoice, payment o credit_note",
                               "'id' needs 'entity' customer, invoice, payment or credit_note"))));
    }
    filter.external_id = *id;
  }
  auto limit = call.QueryInt("limit", 1, 1000);
  if (!limit) return std::unexpected(limit.error());
  if (*limit) filter.limit = **limit;
  auto events = ListAuditEvents(call.database(), call.tenant_id(), filter);
  if (!events) return std::unexpected(Problem(events.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const AuditEvent& event : *events) data.push_back(AuditEventJson(event));
  return ApiResponse::Json(200, ListPage(std::move(data), false));
}

}  // namespace

void AddLedgerRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("GET", "/api/v1/customers", Role::kViewer, BodyKind::kNone, ListCustomersRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/customers/{id}", Role::kViewer, BodyKind::kNone, GetCustomer));
  routes.push_back(RoleRoute("PATCH", "/api/v1/customers/{id}", Role::kManager, BodyKind::kJson, PatchCustomer));
  routes.push_back(RoleRoute("POST", "/api/v1/customers/{id}/contact-points", Role::kManager, BodyKind::kJson, AddContactPoint));
  routes.push_back(RoleRoute("PUT", "/api/v1/customers/{id}/consent", Role::kCollector, BodyKind::kJson, ChangeConsent));
  routes.push_back(
      RoleRoute("PUT", "/api/v1/customers/{id}/collector", Role::kManager, BodyKind::kJson, AssignCustomerCollector));
  routes.push_back(RoleRoute("GET", "/api/v1/customers/{id}/statement", Role::kViewer, BodyKind::kNone, Statement));
  routes.push_back(RoleRoute("GET", "/api/v1/invoices", Role::kViewer, BodyKind::kNone, ListInvoicesRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/invoices/{id}", Role::kViewer, BodyKind::kNone, GetInvoice));
  routes.push_back(RoleRoute("POST", "/api/v1/imports/{entity}", Role::kManager, BodyKind::kRaw, Import, kImportBodyBytesMax));
  routes.push_back(RoleRoute("GET", "/api/v1/aging", Role::kViewer, BodyKind::kNone, Aging));
  routes.push_back(RoleRoute("GET", "/api/v1/summary", Role::kViewer, BodyKind::kNone, Summary));
  routes.push_back(RoleRoute("GET", "/api/v1/audit", Role::kViewer, BodyKind::kNone, Audit));
}

}  // namespace cartera::api
