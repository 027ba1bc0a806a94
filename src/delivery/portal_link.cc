#include "delivery/portal_link.h"

#include <fmt/format.h>

#include "delivery/signed_token.h"

namespace cartera::delivery {

std::string PortalToken(const SecretKey& key, int64_t tenant_id, int64_t customer_id, Timestamp expires,
                        const nlohmann::json& extra) {
  nlohmann::json claims = extra.is_object() ? extra : nlohmann::json::object();
  claims["tenant"] = tenant_id;
  claims["customer"] = customer_id;
  std::string token = SignToken(key, TokenPurpose::kPaymentLink, claims, expires);
  if (token.size() > kPortalTokenMaxBytes && claims.contains("invoices")) {
    // A message about many invoices: the portal shows them all anyway.
    claims.erase("invoices");
    token = SignToken(key, TokenPurpose::kPaymentLink, claims, expires);
  }
  return token;
}

std::string PortalLinkUntil(const SecretKey& key, int64_t tenant_id, int64_t customer_id, std::string_view base_url,
                            Timestamp expires, const nlohmann::json& extra) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return fmt::format("{}/p/{}", base_url, PortalToken(key, tenant_id, customer_id, expires, extra));
}

std::string PortalLink(const SecretKey& key, int64_t tenant_id, int64_t customer_id, std::string_view base_url,
                       Timestamp now) {
  return PortalLinkUntil(key, tenant_id, customer_id, base_url, now + kPortalLinkValid);
}

Result<PortalClaims> VerifyPortalToken(const SecretKey& key, std::string_view token, Timestamp now) {
  auto claims = VerifyToken(key, TokenPurpose::kPaymentLink, token, now);
  if (!claims) return Fail(claims.error());
  const auto tenant = claims->find("tenant");
  const auto customer = claims->find("customer");
  if (tenant == claims->end() || customer == claims->end() || !tenant->is_number_integer() ||
      !customer->is_number_integer() || tenant->get<int64_t>() <= 0 || customer->get<int64_t>() <= 0) {
    return Fail(Error::BadInput("the link names no customer"));
  }
  return PortalClaims{tenant->get<int64_t>(), customer->get<int64_t>()};
}

}  // namespace cartera::delivery
