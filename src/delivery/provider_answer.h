// What an HTTP provider's answer means for a message, the part every
// provider (Twilio, Meta's Cloud API) shares. The rule is SMTP's after
// DATA: once the request has left, only an answer that says "not taken"
// makes a retry safe. A 5xx, a timeout or a dropped connection after the
// body was written may hide a message the provider sent anyway, so the
// item is `unknown` (a person checks), never retried blindly. Transient,
// safe to retry: failures before the request left (connection refused,
// DNS, TLS handshake) and 429 Too Many Requests (RFC 6585: the request was
// not processed), after the Retry-After the provider gave.
#pragma once

#include <optional>
#include <string>

#include "delivery/http_client.h"
#include "delivery/send_outcome.h"

namespace cartera::delivery {

// REQUIRES: !answer.reached.
SendOutcome NoAnswerOutcome(const HttpAnswer& answer);

// For an answer that is not a success: `detail` is the provider's own
// words. Unknown for a 5xx, transient for a 429 (with its Retry-After);
// nullopt for the rest (4xx), which each provider reads by its codes.
std::optional<SendOutcome> ServerFailureOutcome(const HttpAnswer& answer, const std::string& detail);

}  // namespace cartera::delivery
