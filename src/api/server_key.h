// The server's secret key (CARTERA_SECRET_KEY or CARTERA_SECRET_KEY_FILE),
// which seals channel secrets and signs portal and unsubscribe links.
// Without one, the routes that need it answer 503 "not-configured" saying
// what to set, not a 500.
#pragma once

#include <expected>

#include "api/problem.h"
#include "core/language.h"
#include "delivery/secret_box.h"

namespace cartera::api {

std::expected<delivery::SecretKey, Problem> ServerSecretKey(Language language);

}  // namespace cartera::api
