// The debtor portal's link, `{base}/p/{token}`: the one every message
// carries and `cartera portal link` prints. The token is a payment-link
// token (delivery/signed_token.h) naming one customer of one tenant, so it
// is the portal's only credential: signed, expiring, scoped.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "delivery/secret_box.h"

namespace cartera::delivery {

// How long a link is good for unless told otherwise (what messages use).
inline constexpr std::chrono::days kPortalLinkValid{30};

// The longest token a path segment of the API takes (api/api_service.cc).
inline constexpr size_t kPortalTokenMaxBytes = 200;

// The token of a link for that customer, valid until `expires`. `extra`
// (an object, may be empty) adds claims a message names: "invoices",
// "currency"; the invoices are left out when naming them all would make
// the token longer than kPortalTokenMaxBytes.
std::string PortalToken(const SecretKey& key, int64_t tenant_id, int64_t customer_id, Timestamp expires,
                        const nlohmann::json& extra = nlohmann::json::object());

// `{base_url}/p/{token}` (a trailing '/' of the base is dropped), valid
// until `expires`.
std::string PortalLinkUntil(const SecretKey& key, int64_t tenant_id, int64_t customer_id, std::string_view base_url,
                            Timestamp expires, const nlohmann::json& extra = nlohmann::json::object());
// The same, valid kPortalLinkValid from `now`.
std::string PortalLink(const SecretKey& key, int64_t tenant_id, int64_t customer_id, std::string_view base_url,
                       Timestamp now);

struct PortalClaims {
  int64_t tenant_id = 0;
  int64_t customer_id = 0;
};

// Whom a token is for; kBadInput when it is malformed, altered, made for
// another purpose (an unsubscribe token), names no customer, or has expired
// ("the link has expired"). Tokens of the older `/pay/{token}` links verify
// too: they are the same kind.
Result<PortalClaims> VerifyPortalToken(const SecretKey& key, std::string_view token, Timestamp now);

}  // namespace cartera::delivery
