// Health, readiness, metrics and the API's own description: public, so a
// load balancer and Prometheus need no key.
#include "api/openapi_document.h"
#include "api/routes.h"
#include "api/server_hooks.h"
#include "store/migrations.h"

namespace cartera::api {

void AddSystemRoutes(std::vector<Route>& routes) {
  routes.push_back(Route{"GET", "/healthz", Access::kPublic, access::Role::kViewer, BodyKind::kNone,
                         [](ApiCall&) -> HandlerResult { return ApiResponse::Json(200, {{"status", "ok"}}); }});
  routes.push_back(Route{"GET", "/readyz", Access::kPublic, access::Role::kViewer, BodyKind::kNone,
                         [](ApiCall& call) -> HandlerResult {
                           // Reachable, and at the schema this program knows.
                           auto version = call.database().QueryInt64("SELECT MAX(version) FROM schema_migrations");
                           if (!version) return std::unexpected(Problem(version.error()));
                           const int64_t applied = version->value_or(0);
                           if (applied != LatestSchemaVersion()) {
                             return ApiResponse::Json(503, {{"status", "migrating"},
                                                            {"schema_version", applied},
                                                            {"expected_schema_version", LatestSchemaVersion()}});
                           }
                           return ApiResponse::Json(200, {{"status", "ready"}, {"schema_version", applied}});
                         }});
  routes.push_back(Route{"GET", "/metrics", Access::kPublic, access::Role::kViewer, BodyKind::kNone,
                         [](ApiCall& call) -> HandlerResult {
                           ApiResponse response;
                           response.content_type = "text/plain; version=0.0.4";
                           response.body = call.hooks() != nullptr ? call.hooks()->MetricsText() : "";
                           return response;
                         }});
  routes.push_back(Route{"GET", "/api/v1/openapi.json", Access::kPublic, access::Role::kViewer, BodyKind::kNone,
                         [](ApiCall&) -> HandlerResult {
                           ApiResponse response;
                           response.body = OpenApiDocument();
                           return response;
                         }});
}

}  // namespace cartera::api
