// Offers within approval limits (offers/offers.h): a collector makes one for
// a customer (approved at once within their role's limit, else waiting for
// approval), a manager or admin whose limit covers it approves or rejects
// it, the debtor sees and accepts the approved ones in the portal. The
// portal routes are public: their credential is the signed token in the
// path, verified as routes_portal.cc does (a bad, altered or expired token,
// or one of a customer that is gone, is a 404 portal-link-invalid), with
// their own rate limit per token and address.
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/secrets.h"
#include "api/customer_access.h"
#include "api/rate_limiter.h"
#include "api/route_helpers.h"
#include "api/routes.h"
#include "api/server_key.h"
#include "core/currency.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "delivery/portal.h"
#include "delivery/portal_link.h"
#include "offers/offers.h"

namespace cartera::api {
namespace {

using access::Role;
using Need = JsonFields::Need;

offers::OfferActor ActorOf(const ApiCall& call) { return {call.principal().Actor(), call.principal().role}; }

// A use case's refusal of one request field: 422 at its pointer (409 when
// the field names a conflict, such as an invoice already in an offer).
Problem OfferProblem(const Error& error, const std::string& field) {
  if (!field.empty() && error.code == ErrorCode::kBadInput) {
    return Problem::Field(ProblemCode::kInvalidRequest, "/" + field, error.message);
  }
  return Problem(error);
}

std::expected<offers::OfferRequest, Problem> ReadOfferRequest(ApiCall& call) {
  offers::OfferRequest request;
  request.customer_external_id = call.Param("id");
  auto read = ReadBody(call, [&](JsonFields& fields) {
    request.type = fields.Text("type", Need::kRequired, 40).value_or("");
    request.percent = fields.Text("percent", Need::kOptional, 10);
    request.amount = fields.Amount("amount", Need::kOptional);
    request.expires_on = fields.DateField("expires_on", Need::kRequired).value_or(Date());
    request.invoice_external_ids =
        fields.TextList("invoices", Need::kOptional, offers::kOfferInvoicesMax).value_or(std::vector<std::string>{});
    request.note = fields.Paragraph("note", Need::kOptional, offers::kOfferNoteBytesMax).value_or("");
    return 0;
  });
  if (!read) return std::unexpected(read.error());
  return request;
}

HandlerResult QuoteOfferRoute(ApiCall& call) {
  auto request = ReadOfferRequest(call);
  if (!request) return std::unexpected(request.error());
  std::string field;
  auto quote = offers::QuoteOffer(call.database(), call.tenant_id(), *request, ActorOf(call), call.clock().Now(),
                                  call.language(), &field);
  if (!quote) return std::unexpected(OfferProblem(quote.error(), field));
  return ApiResponse::Json(200, offers::OfferQuoteJson(*quote));
}

HandlerResult CreateOfferRoute(ApiCall& call) {
  auto request = ReadOfferRequest(call);
  if (!request) return std::unexpected(request.error());
  if (auto refused = RefusedProblem(access::MayActOnCustomer(call.database(), call.principal(),
                                                             request->customer_external_id, call.language()))) {
    return std::unexpected(*refused);
  }
  std::string field;
  auto id = offers::CreateOffer(call.database(), call.tenant_id(), *request, ActorOf(call), call.Audit(), &field);
  if (!id) return std::unexpected(OfferProblem(id.error(), field));
  auto offer = offers::LoadOffer(call.database(), call.tenant_id(), *id, call.language());
  if (!offer) return std::unexpected(Problem(offer.error()));
  return ApiResponse::Json(201, offers::OfferJson(*offer));
}

HandlerResult ListOffersRoute(ApiCall& call) {
  auto page = call.QueryPage();
  if (!page) return std::unexpected(page.error());
  offers::OfferFilter filter;
  filter.status = call.Query("status");
  filter.customer_external_id = call.Query("customer");
  filter.limit = page->limit + 1;
  if (page->starting_after) {
    auto after = NumericId(*page->starting_after);
    if (!after) return ApiResponse::Json(200, ListPage(nlohmann::json::array(), false));
    filter.starting_after = *after;
  }
  auto list = offers::ListOffers(call.database(), call.tenant_id(), filter, call.language());
  if (!list) {
    if (list.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?status", list.error().message));
    }
    if (list.error().code == ErrorCode::kNotFound) {
      return std::unexpected(Problem::Field(ProblemCode::kBadParameter, "?customer", list.error().message));
    }
    return std::unexpected(Problem(list.error()));
  }
  const bool has_more = static_cast<int64_t>(list->size()) > page->limit;
  if (has_more) list->pop_back();
  nlohmann::json data = nlohmann::json::array();
  for (const offers::Offer& offer : *list) data.push_back(offers::OfferJson(offer));
  return ApiResponse::Json(200, ListPage(std::move(data), has_more));
}

std::expected<offers::Offer, Problem> OfferOf(ApiCall& call) {
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  auto offer = offers::LoadOffer(call.database(), call.tenant_id(), *id, call.language());
  if (!offer) return std::unexpected(Problem(offer.error()));
  return *offer;
}

HandlerResult GetOfferRoute(ApiCall& call) {
  auto offer = OfferOf(call);
  if (!offer) return std::unexpected(offer.error());
  return ApiResponse::Json(200, offers::OfferJson(*offer));
}

// The offer as it is after a change.
HandlerResult Reloaded(ApiCall& call, int64_t id) {
  auto offer = offers::LoadOffer(call.database(), call.tenant_id(), id, call.language());
  if (!offer) return std::unexpected(Problem(offer.error()));
  return ApiResponse::Json(200, offers::OfferJson(*offer));
}

HandlerResult Decide(ApiCall& call, bool approve) {
  auto offer = OfferOf(call);
  if (!offer) return std::unexpected(offer.error());
  auto note = ReadBody(call, [&](JsonFields& fields) {
    return fields.Paragraph("note", approve ? Need::kOptional : Need::kRequired, offers::kOfferNoteBytesMax)
        .value_or("");
  });
  if (!note) return std::unexpected(note.error());
  auto limits = offers::LoadOfferLimits(call.database(), call.tenant_id());
  if (!limits) return std::unexpected(Problem(limits.error()));
  const offers::OfferActor actor = ActorOf(call);
  if (offers::IsAuthorityRefusal(*offer, actor, *limits)) {
    return std::unexpected(
        Problem::Of(ProblemCode::kForbidden, *offers::DecisionRefusal(*offer, actor, *limits, call.language())));
  }
  auto done = approve ? offers::ApproveOffer(call.database(), call.tenant_id(), offer->id, actor, *note, call.Audit())
                      : offers::RejectOffer(call.database(), call.tenant_id(), offer->id, actor, *note, call.Audit());
  if (!done) {
    if (done.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/note", done.error().message));
    }
    return std::unexpected(Problem(done.error()));
  }
  return Reloaded(call, offer->id);
}

HandlerResult ApproveOfferRoute(ApiCall& call) { return Decide(call, true); }
HandlerResult RejectOfferRoute(ApiCall& call) { return Decide(call, false); }

HandlerResult WithdrawOfferRoute(ApiCall& call) {
  auto offer = OfferOf(call);
  if (!offer) return std::unexpected(offer.error());
  auto note = ReadBody(call, [&](JsonFields& fields) {
    return fields.Paragraph("note", Need::kOptional, offers::kOfferNoteBytesMax).value_or("");
  });
  if (!note) return std::unexpected(note.error());
  const offers::OfferActor actor = ActorOf(call);
  if (actor.actor != offer->created_by && !access::Allows(actor.role, Role::kManager)) {
    return std::unexpected(Problem::Of(
        ProblemCode::kForbidden, std::string(Tr(call.language(), "solo quien hizo la oferta, o un manager, puede retirarla",
                                                "only the offer's maker, or a manager, may withdraw it"))));
  }
  auto done = offers::WithdrawOffer(call.database(), call.tenant_id(), offer->id, actor, *note, call.Audit());
  if (!done) return std::unexpected(Problem(done.error()));
  return Reloaded(call, offer->id);
}

HandlerResult AcceptOfferRoute(ApiCall& call) {
  auto offer = OfferOf(call);
  if (!offer) return std::unexpected(offer.error());
  auto channel = ReadBody(call, [&](JsonFields& fields) {
    auto value = fields.Text("channel", Need::kRequired, 20).value_or("");
    if (!value.empty() && (value == "portal" || std::find(offers::kAcceptChannels.begin(),
                                                          offers::kAcceptChannels.end(), value) ==
                                                    offers::kAcceptChannels.end())) {
      fields.Reject("channel", ProblemCode::kInvalidRequest,
                    std::string(Tr(call.language(), "debe ser phone, email o in_person",
                                   "must be phone, email or in_person")));
    }
    return value;
  });
  if (!channel) return std::unexpected(channel.error());
  if (auto refused = RefusedProblem(access::MayActOnCustomer(call.database(), call.principal(),
                                                             offer->customer_external_id, call.language()))) {
    return std::unexpected(*refused);
  }
  auto done = offers::AcceptOffer(call.database(), call.tenant_id(), offer->id, *channel, call.Audit());
  if (!done) return std::unexpected(Problem(done.error()));
  return Reloaded(call, offer->id);
}

// ---- Limits ----

HandlerResult GetLimitsRoute(ApiCall& call) {
  auto limits = offers::LoadOfferLimits(call.database(), call.tenant_id());
  if (!limits) return std::unexpected(Problem(limits.error()));
  return ApiResponse::Json(200, offers::OfferLimitsJson(*limits));
}

// {"limits": [{"role": "collector", "max_percent": "7.5" | null,
//   "max_amounts": [{"amount": "500000.00", "currency": "COP"}]}]}: the
// roles listed are replaced, the others keep theirs.
HandlerResult PutLimitsRoute(ApiCall& call) {
  auto body = call.JsonObject();
  if (!body) return std::unexpected(body.error());
  JsonFields fields(*body, call.language());
  std::vector<offers::RoleLimit> limits;
  const nlohmann::json* list = fields.Raw("limits", Need::kRequired);
  std::vector<FieldProblem> problems;
  auto reject = [&](std::string pointer, std::string detail) {
    problems.push_back({std::move(pointer), ProblemCode::kInvalidRequest, std::move(detail)});
  };
  if (list != nullptr && (!list->is_array() || list->empty() || list->size() > 2)) {
    reject("/limits", std::string(Tr(call.language(), "debe ser una lista de 1 a 2 roles",
                                     "must be a list of 1 to 2 roles")));
    list = nullptr;
  }
  if (auto problem = fields.Finish()) return std::unexpected(*problem);
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    const std::string at = fmt::format("/limits/{}", i);
    const nlohmann::json& item = (*list)[i];
    if (!item.is_object()) {
      reject(at, std::string(Tr(call.language(), "debe ser un objeto", "must be an object")));
      continue;
    }
    JsonFields entry(item, call.language(), at);
    offers::RoleLimit limit;
    auto role_text = entry.Text("role", Need::kRequired, 20);
    auto role = role_text ? access::ParseRole(*role_text) : std::nullopt;
    if (role_text && (!role || (*role != Role::kCollector && *role != Role::kManager))) {
      entry.Reject("role", ProblemCode::kInvalidRequest,
                   std::string(Tr(call.language(), "debe ser collector o manager (admin no tiene límite)",
                                  "must be collector or manager (admin has no limit)")));
    }
    if (role) limit.role = *role;
    if (!entry.IsNull("max_percent")) {
      if (auto percent = entry.Text("max_percent", Need::kRequired, 10)) {
        auto basis_points = offers::ParsePercent(*percent, call.language());
        if (!basis_points) {
          entry.Reject("max_percent", ProblemCode::kInvalidRequest, basis_points.error().message);
        } else {
          limit.max_basis_points = *basis_points;
        }
      }
    } else {
      (void)entry.Raw("max_percent", Need::kOptional);
      limit.max_basis_points = std::nullopt;
    }
    if (const nlohmann::json* amounts = entry.Raw("max_amounts", Need::kOptional)) {
      if (!amounts->is_array() || amounts->size() > 20) {
        entry.Reject("max_amounts", ProblemCode::kWrongType,
                     std::string(Tr(call.language(), "debe ser una lista de hasta 20 valores",
                                    "must be a list of at most 20 amounts")));
      } else {
        for (size_t k = 0; k < amounts->size(); ++k) {
          const std::string money_at = fmt::format("{}/max_amounts/{}", at, k);
          if (!(*amounts)[k].is_object()) {
            reject(money_at, std::string(Tr(call.language(), "debe ser un objeto", "must be an object")));
            continue;
          }
          JsonFields money(( *amounts)[k], call.language(), money_at);
          auto amount = money.Amount("amount", Need::kRequired);
          auto code = money.Text("currency", Need::kRequired, 3);
          auto currency = code ? Currency::FromCode(*code) : std::nullopt;
          if (code && !currency) {
            money.Reject("currency", ProblemCode::kInvalidRequest,
                         std::string(Tr(call.language(), "no es un código ISO 4217", "is not an ISO 4217 code")));
          }
          if (amount && currency) {
            auto parsed = Money::Parse(*amount, *currency);
            if (!parsed || parsed->is_negative()) {
              money.Reject("amount", ProblemCode::kInvalidRequest,
                           parsed ? std::string(Tr(call.language(), "debe ser cero o más", "must be zero or more"))
                                  : parsed.error().message);
            } else {
              limit.max_amounts.emplace_back(std::string(currency->code()), parsed->minor_units());
            }
          }
          if (auto problem = money.Finish()) {
            for (FieldProblem& one : problem->errors) problems.push_back(std::move(one));
          }
        }
      }
    }
    if (auto problem = entry.Finish()) {
      for (FieldProblem& one : problem->errors) problems.push_back(std::move(one));
    }
    limits.push_back(std::move(limit));
  }
  if (!problems.empty()) return std::unexpected(FieldsProblem(std::move(problems), call.language()));
  auto saved = offers::SetOfferLimits(call.database(), call.tenant_id(), limits, call.Audit());
  if (!saved) {
    if (saved.error().code == ErrorCode::kBadInput) {
      return std::unexpected(Problem::Field(ProblemCode::kInvalidRequest, "/limits", saved.error().message));
    }
    return std::unexpected(Problem(saved.error()));
  }
  return GetLimitsRoute(call);
}

// ---- The portal ----

constexpr double kPortalRequestsPerMinute = 60;

RateLimiter& OfferPortalLimiter() {
  static RateLimiter limiter(kPortalRequestsPerMinute / 60.0, kPortalRequestsPerMinute);
  return limiter;
}

std::expected<delivery::PortalCustomer, Problem> PortalCustomerOf(ApiCall& call) {
  const std::string& token = call.Param("token");
  const std::string caller = access::Sha256Hex(token) + "@" + call.remote_address();
  if (const int wait = OfferPortalLimiter().Take(caller, std::chrono::steady_clock::now()); wait > 0) {
    Problem problem = Problem::Of(ProblemCode::kRateLimited, TrFormat(call.language(), "demasiadas solicitudes: espere {} s",
                                                                      "too many requests: wait {} s", wait));
    problem.retry_after_seconds = wait;
    return std::unexpected(problem);
  }
  const Problem invalid = Problem::Of(
      ProblemCode::kPortalLinkInvalid,
      std::string(Tr(call.language(), "el enlace no es válido o ya venció: pida uno nuevo a la empresa",
                     "the link is not valid or has expired: ask the company for a new one")));
  auto key = ServerSecretKey(call.language());
  if (!key) return std::unexpected(key.error());
  auto claims = delivery::VerifyPortalToken(*key, token, call.clock().Now());
  if (!claims) return std::unexpected(invalid);
  auto customer = delivery::LoadPortalCustomer(call.database(), *claims, call.language());
  if (!customer) {
    if (customer.error().code == ErrorCode::kNotFound) return std::unexpected(invalid);
    return std::unexpected(Problem(customer.error()));
  }
  return *customer;
}

ApiResponse Private(ApiResponse response) {
  response.Header("Cache-Control", "no-store");
  response.Header("Referrer-Policy", "no-referrer");
  return response;
}

HandlerResult PortalOffers(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  const Date today = DateIn(customer->time_zone.empty() ? "UTC" : customer->time_zone, call.clock().Now());
  auto list = offers::ListDebtorOffers(call.database(), customer->tenant_id, customer->customer_id, today);
  if (!list) return std::unexpected(Problem(list.error()));
  nlohmann::json data = nlohmann::json::array();
  for (const offers::Offer& offer : *list) data.push_back(offers::DebtorOfferJson(offer));
  return Private(ApiResponse::Json(200, ListPage(std::move(data), false)));
}

HandlerResult PortalAcceptOffer(ApiCall& call) {
  auto customer = PortalCustomerOf(call);
  if (!customer) return std::unexpected(customer.error());
  auto id = NumericId(call.Param("id"));
  if (!id) return std::unexpected(NotFoundProblem(call.language()));
  const AuditContext audit = delivery::PortalAudit(call.clock().Now(), call.remote_address(),
                                                   call.Header("User-Agent").value_or(""), call.language());
  auto done = offers::AcceptDebtorOffer(call.database(), customer->tenant_id, customer->customer_id, *id, audit);
  if (!done) return std::unexpected(Problem(done.error()));
  auto offer = offers::LoadOffer(call.database(), customer->tenant_id, *id, call.language());
  if (!offer) return std::unexpected(Problem(offer.error()));
  return Private(ApiResponse::Json(200, offers::DebtorOfferJson(*offer)));
}

Route PortalRoute(std::string method, std::string pattern, BodyKind body, HandlerResult (*handler)(ApiCall&)) {
  Route route{std::move(method), std::move(pattern), Access::kPublic, Role::kViewer, body, handler};
  route.max_body_bytes = 16 << 10;
  return route;
}

}  // namespace

void AddOfferRoutes(std::vector<Route>& routes) {
  routes.push_back(RoleRoute("POST", "/api/v1/customers/{id}/offers", Role::kCollector, BodyKind::kJson,
                             CreateOfferRoute, 64 << 10));
  routes.push_back(RoleRoute("POST", "/api/v1/customers/{id}/offers/quote", Role::kCollector, BodyKind::kJson,
                             QuoteOfferRoute, 64 << 10));
  routes.push_back(RoleRoute("GET", "/api/v1/offers", Role::kViewer, BodyKind::kNone, ListOffersRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/offers/{id}", Role::kViewer, BodyKind::kNone, GetOfferRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/offers/{id}/approve", Role::kManager, BodyKind::kJson, ApproveOfferRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/offers/{id}/reject", Role::kManager, BodyKind::kJson, RejectOfferRoute));
  routes.push_back(
      RoleRoute("POST", "/api/v1/offers/{id}/withdraw", Role::kCollector, BodyKind::kJson, WithdrawOfferRoute));
  routes.push_back(RoleRoute("POST", "/api/v1/offers/{id}/accept", Role::kCollector, BodyKind::kJson, AcceptOfferRoute));
  routes.push_back(RoleRoute("GET", "/api/v1/offer-limits", Role::kViewer, BodyKind::kNone, GetLimitsRoute));
  routes.push_back(RoleRoute("PUT", "/api/v1/offer-limits", Role::kAdmin, BodyKind::kJson, PutLimitsRoute));
  routes.push_back(PortalRoute("GET", "/api/v1/portal/{token}/offers", BodyKind::kNone, PortalOffers));
  routes.push_back(PortalRoute("POST", "/api/v1/portal/{token}/offers/{id}/accept", BodyKind::kNone, PortalAcceptOffer));
}

}  // namespace cartera::api
