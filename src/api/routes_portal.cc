// The debtor portal: public routes whose credential is the signed token in
// the path (delivery/portal_link.h). Every answer is about the one customer
// of the one tenant the token names; a bad, altered or expired token is a
// 404 portal-link-invalid. Each token and address gets its own rate limit,
// and every change is audited with actor "portal", the address and the
// user agent. Each route calls one use case in delivery/portal.h (the same
// records the business's routes write: promises, disputes, consent, tasks).
#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/secrets.h"
#include "api/rate_limiter.h"
#include "api/route_helpers.h"
#include "api/server_key.h"
#include "api/routes.h"
#include "collection/records.h"
#include "delivery/portal.h"
#include "delivery/portal_link.h"
#include "pdf/customer_documents.h"

namespace cartera::api {
namespace {

using Need = JsonFields::Need;

// Requests a minute per token and address: a person clicking around never
// comes near it; a script trying tokens or flooding one does.
constexpr double kPortalRequestsPerMinute = 60;

RateLimiter& PortalLimiter() {
  static RateLimiter limiter(kPortalRequestsPerMinute / 60.0, kPortalRequestsPerMinute);
  return limiter;
}

Problem InvalidLink(Language language) {
  return Problem::Of(ProblemCode::kPortalLinkInvalid,
                     std::string(Tr(language, "el enlace no es válido o ya venció: pida uno nuevo a la empresa",
                                    "the link is not valid or has expired: ask the company for a new one")));
}

// nullopt when the call may go on; else the 429.
std::optional<Problem> TakeRequest(const ApiCall& call, const std::string& token) {
  const std::string caller = access::Sha256Hex(token) + "@" + call.remote_address();
  const int wait = PortalLimiter().Take(caller, std::chrono::steady_clock::now());
  if (wait <= 0) return std::nullopt;
  Problem problem = Problem::Of(ProblemCode::kRateLimited, TrFormat(call.language(), "demasiadas solicitudes: espere {} s",
                                                                    "too many requests: wait {} s", wait));
  problem.retry_after_seconds = wait;
  return problem;
}

std::expected<delivery::SecretKey, Problem> ServerKey(ApiCall& call) { return ServerSecretKey(call.language()); }

// The customer the path's token names, after the rate limit.
std::expected<delivery::PortalCustomer, Problem> PortalCustomerOf(ApiCall& call) {
  const std::string& token = call.Param("token");
  if (auto limited = TakeRequest(call, token)) return std::unexpected(*limited);
  auto key = ServerKey(call);
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

AuditContext DebtorAudit(const ApiCall& call) {
  return delivery::PortalAudit(call.clock().Now(), call.remote_address(), call.Header("User-Agent").value_or(""),
                               call.language());
}

ApiResponse Private(ApiResponse response) {
  // A page about one debtor, reached by a secret link: never kept by a cache.
  response.Header("Cache-Control", "no-store");
  response.Header("Referrer-Policy", "no-referrer");
  return response;
}

HandlerResult Overview(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  auto overview = delivery::PortalOverview(call.database(), *customer, call.clock().Now(), call.language());
  if (!overview) return std::unexpected(Problem(overview.error()));
  return Private(ApiResponse::Json(200, *overview));
}

HandlerResult StatementPdf(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  auto bytes = pdf::StatementPdfForCustomer(call.database(), customer->tenant_id, customer->customer_id, std::nullopt,
                                            std::nullopt, call.clock().Now());
  if (!bytes) return std::unexpected(Problem(bytes.error()));
  ApiResponse response{200, "application/pdf", std::move(*bytes), {}};
  response.Header("Content-Disposition",
                  fmt::format("inline; filename=\"{}-{}.pdf\"",
                              customer->language == "es" ? "estado-de-cuenta" : "statement", customer->external_id));
  return Private(std::move(response));
}

HandlerResult AddPromise(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  struct Wanted {
    Date date;
    std::string amount;
    std::optional<std::string> currency;
  };
  auto wanted = ReadBody(call, [](JsonFields& fields) {
    return Wanted{fields.DateField("date", Need::kRequired).value_or(Date()),
                  fields.Amount("amount", Need::kRequired).value_or(""), fields.Text("currency", Need::kOptional, 3)};
  });
  if (!wanted) return std::unexpected(wanted.error());
  std::string field;
  auto id = delivery::AddPortalPromise(call.database(), *customer, wanted->date, wanted->amount, wanted->currency,
                                       DebtorAudit(call), &field);
  if (!id) {
    if (!field.empty()) return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/" + field, id.error().message));
    return std::unexpected(Problem(id.error()));
  }
  auto record = LoadPromise(call.database(), customer->tenant_id, *id, call.language());
  if (!record) return std::unexpected(Problem(record.error()));
  return Private(ApiResponse::Json(201, PromiseJson(*record)));
}

HandlerResult OpenDispute(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  struct Wanted {
    std::string invoice, reason, text;
  };
  auto wanted = ReadBody(call, [&](JsonFields& fields) {
    Wanted dispute;
    dispute.invoice = fields.Text("invoice", Need::kRequired, 200).value_or("");
    dispute.reason = fields.Text("reason", Need::kRequired, 40).value_or("");
    dispute.text = fields.Paragraph("text", Need::kOptional, 2000).value_or("");
    if (!dispute.reason.empty() && !delivery::IsDisputeReason(dispute.reason)) {
      std::string codes;
      for (const auto& reason : delivery::kDisputeReasons) codes += fmt::format("{}{}", codes.empty() ? "" : ", ", reason.code);
      fields.Reject("reason", ProblemCode::kInvalidRequest,
                    TrFormat(call.language(), "el motivo es uno de: {}", "the reason is one of: {}", codes));
    }
    return dispute;
  });
  if (!wanted) return std::unexpected(wanted.error());
  auto id = delivery::OpenPortalDispute(call.database(), *customer, wanted->invoice, wanted->reason, wanted->text,
                                        DebtorAudit(call));
  if (!id) return std::unexpected(Problem(id.error()));
  auto record = LoadDispute(call.database(), customer->tenant_id, *id, call.language());
  if (!record) return std::unexpected(Problem(record.error()));
  return Private(ApiResponse::Json(201, DisputeJson(*record)));
}

HandlerResult ChangeContactPreferences(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  const Language language = call.language();
  std::vector<FieldProblem> window_problems;  // of the object in quiet_hours
  auto change = ReadBody(call, [&](JsonFields& fields) {
    delivery::ContactPreferences wanted;
    if (fields.IsNull("preferred_channel")) {
      (void)fields.Text("preferred_channel", Need::kOptional, 20);
      wanted.preferred_channel = std::optional<std::string>();
    } else if (auto channel = fields.Text("preferred_channel", Need::kOptional, 20)) {
      if (std::find(delivery::kPreferredChannels.begin(), delivery::kPreferredChannels.end(), *channel) ==
          delivery::kPreferredChannels.end()) {
        fields.Reject("preferred_channel", ProblemCode::kInvalidRequest,
                      std::string(Tr(language, "el canal es email, sms, whatsapp, call, letter o null",
                                     "the channel is email, sms, whatsapp, call, letter or null")));
      } else {
        wanted.preferred_channel = *channel;
      }
    }
    wanted.opt_out = fields.TextList("opt_out", Need::kOptional, 10).value_or(std::vector<std::string>());
    wanted.opt_in = fields.TextList("opt_in", Need::kOptional, 10).value_or(std::vector<std::string>());
    // quiet_hours: {"from": "HH:MM", "to": "HH:MM"} or null (no preference).
    if (fields.IsNull("quiet_hours")) {
      (void)fields.Raw("quiet_hours", Need::kOptional);
      wanted.quiet_hours = std::optional<compliance::TimeWindow>();
    } else if (const nlohmann::json* hours = fields.Raw("quiet_hours", Need::kOptional)) {
      if (!hours->is_object()) {
        fields.Reject("quiet_hours", ProblemCode::kWrongType,
                      std::string(Tr(language, "debe ser un objeto {from, to} o null",
                                     "must be an object {from, to} or null")));
      } else {
        JsonFields window(*hours, language, "/quiet_hours");
        const auto from = window.Text("from", Need::kRequired, 5);
        const auto to = window.Text("to", Need::kRequired, 5);
        compliance::TimeWindow parsed;
        std::string field;
        if (from && to) {
          if (auto refusal = delivery::QuietHoursRefusal(*from, *to, language, &field, &parsed)) {
            window.Reject(field, ProblemCode::kInvalidRequest, std::move(*refusal));
          } else {
            wanted.quiet_hours = parsed;
          }
        }
        if (auto problem = window.Finish()) {
          window_problems.insert(window_problems.end(), problem->errors.begin(), problem->errors.end());
        }
      }
    }
    return wanted;
  });
  if (!change) {
    if (window_problems.empty()) return std::unexpected(change.error());
    std::vector<FieldProblem> all = change.error().errors;
    all.insert(all.end(), window_problems.begin(), window_problems.end());
    return std::unexpected(FieldsProblem(std::move(all), language));
  }
  if (!window_problems.empty()) return std::unexpected(FieldsProblem(std::move(window_problems), language));
  // Each item a kind of contact point ("sms" is the phone's).
  for (const auto& [name, list] : {std::pair{"opt_out", &change->opt_out}, std::pair{"opt_in", &change->opt_in}}) {
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string& kind = (*list)[i];
      if (kind != "email" && kind != "sms" && kind != "phone" && kind != "whatsapp") {
        return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, fmt::format("/{}/{}", name, i),
                                              std::string(Tr(language, "el canal es email, sms (o phone) o whatsapp",
                                                             "the channel is email, sms (or phone) or whatsapp"))));
      }
    }
  }
  std::string field;
  if (auto ok = delivery::ChangeContactPreferences(call.database(), *customer, *change, DebtorAudit(call), &field);
      !ok) {
    if (!field.empty()) return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/" + field, ok.error().message));
    return std::unexpected(Problem(ok.error()));
  }
  auto overview = delivery::PortalOverview(call.database(), *customer, call.clock().Now(), language);
  if (!overview) return std::unexpected(Problem(overview.error()));
  return Private(ApiResponse::Json(200, (*overview)["contact"]));
}

HandlerResult AskCallback(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  auto request = ReadBody(call, [&](JsonFields& fields) {
    delivery::CallbackRequest wanted;
    wanted.phone = fields.Text("phone", Need::kOptional, 40);
    if (wanted.phone && (wanted.phone->empty() || !std::all_of(wanted.phone->begin(), wanted.phone->end(), [](char c) {
                           return (c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '-' || c == '(' || c == ')';
                         }))) {
      fields.Reject("phone", ProblemCode::kInvalidRequest,
                    std::string(Tr(call.language(), "un teléfono lleva dígitos, espacios, +, - y paréntesis",
                                   "a phone number has digits, spaces, +, - and parentheses")));
    }
    wanted.preferred_time = fields.Text("preferred_time", Need::kOptional, 200);
    wanted.note = fields.Paragraph("note", Need::kOptional, 2000);
    return wanted;
  });
  if (!request) return std::unexpected(request.error());
  auto task = delivery::RequestCallback(call.database(), *customer, *request, call.clock().Now(), DebtorAudit(call));
  if (!task) return std::unexpected(Problem(task.error()));
  return Private(ApiResponse::Json(201, *task));
}

HandlerResult UnsubscribeLink(ApiCall& call) {
  const std::string& token = call.Param("token");
  if (auto limited = TakeRequest(call, token)) return std::unexpected(*limited);
  auto key = ServerKey(call);
  if (!key) return std::unexpected(key.error());
  auto done = delivery::Unsubscribe(call.database(), *key, token, call.clock().Now(), std::nullopt, DebtorAudit(call));
  if (!done) {
    if (done.error().code == ErrorCode::kBadInput) return std::unexpected(InvalidLink(call.language()));
    return std::unexpected(Problem(done.error()));
  }
  return Private(ApiResponse::Json(200, {{"channel", done->channel},
                                         {"address", delivery::MaskAddress(done->channel, done->address)},
                                         {"changed", done->changed}}));
}

Route PublicRoute(std::string method, std::string pattern, BodyKind body, HandlerResult (*handler)(ApiCall&),
                  size_t max_body_bytes = 16 << 10) {
  Route route{std::move(method), std::move(pattern), Access::kPublic, access::Role::kViewer, body, handler};
  route.max_body_bytes = max_body_bytes;
  return route;
}

}  // namespace

void AddPortalRoutes(std::vector<Route>& routes) {
  // Before the {token} routes: "unsubscribe" is not a token.
  routes.push_back(PublicRoute("POST", "/api/v1/portal/unsubscribe/{token}", BodyKind::kNone, UnsubscribeLink));
  // RFC 8058 one-click: a mail client POSTs "List-Unsubscribe=One-Click" to
  // the very address of the List-Unsubscribe header (a GET of it opens the
  // portal's confirm page instead).
  routes.push_back(PublicRoute("POST", "/unsubscribe/{token}", BodyKind::kRaw, UnsubscribeLink));
  routes.push_back(PublicRoute("GET", "/api/v1/portal/{token}", BodyKind::kNone, Overview));
  routes.push_back(PublicRoute("GET", "/api/v1/portal/{token}/statement.pdf", BodyKind::kNone, StatementPdf));
  routes.push_back(PublicRoute("POST", "/api/v1/portal/{token}/promises", BodyKind::kJson, AddPromise));
  routes.push_back(PublicRoute("POST", "/api/v1/portal/{token}/disputes", BodyKind::kJson, OpenDispute));
  routes.push_back(
      PublicRoute("PUT", "/api/v1/portal/{token}/contact-preferences", BodyKind::kJson, ChangeContactPreferences));
  routes.push_back(PublicRoute("POST", "/api/v1/portal/{token}/callback", BodyKind::kJson, AskCallback));
}

}  // namespace cartera::api
