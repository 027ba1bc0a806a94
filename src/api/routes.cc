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
  AddEscalationRoutes(routes);
  AddChargesRoutes(routes);
  AddDisputeRoutes(routes);
  AddPlanPortalRoutes(routes);
  AddOfferRoutes(routes);
  AddCreditRoutes(routes);
  AddPlanRoutes(routes);
  AddPromiseReportRoutes(routes);
  return routes;
}

}  // namespace cartera::api
