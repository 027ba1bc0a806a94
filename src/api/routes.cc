#include "api/routes.h"

namespace cartera::api {

std::vector<Route> AllRoutes() {
  std::vector<Route> routes;
  AddSystemRoutes(routes);
  AddAccessRoutes(routes);
  AddSettingsRoutes(routes);
  AddWebhookRoutes(routes);
  AddWebhookEndpointRoutes(routes);
  AddCollectionRoutes(routes);
  AddLedgerRoutes(routes);
  AddPaymentRoutes(routes);
  AddPortalRoutes(routes);
  AddCustomerActionRoutes(routes);
  return routes;
}

}  // namespace cartera::api
