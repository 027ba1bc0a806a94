#include "api/server_key.h"

namespace cartera::api {

std::expected<delivery::SecretKey, Problem> ServerSecretKey(Language language) {
  auto key = delivery::LoadSecretKey();
  if (key) return *key;
  Problem problem = Problem::Of(
      ProblemCode::kNotConfigured,
      std::string(Tr(language,
                     "el servidor no tiene clave secreta: inícielo con CARTERA_SECRET_KEY (64 caracteres "
                     "hexadecimales, de `cartera secret-key`) o CARTERA_SECRET_KEY_FILE",
                     "the server has no secret key: start it with CARTERA_SECRET_KEY (64 hex characters, from "
                     "`cartera secret-key`) or CARTERA_SECRET_KEY_FILE")));
  problem.internal = key.error().message;
  return std::unexpected(std::move(problem));
}

}  // namespace cartera::api
