// The route table: every route the server answers, with the least role it
// needs. This is the one place permissions are declared; the permission
// matrix test (tests/api) walks it.
#pragma once

#include <vector>

#include "api/api_call.h"

namespace cartera::api {

std::vector<Route> AllRoutes();

// Each group adds its routes (one file each, api/routes_*.cc).
void AddSystemRoutes(std::vector<Route>& routes);
void AddAccessRoutes(std::vector<Route>& routes);
void AddSettingsRoutes(std::vector<Route>& routes);
void AddWebhookRoutes(std::vector<Route>& routes);
void AddWebhookEndpointRoutes(std::vector<Route>& routes);
void AddCollectionRoutes(std::vector<Route>& routes);
void AddLedgerRoutes(std::vector<Route>& routes);
void AddPaymentRoutes(std::vector<Route>& routes);
void AddPortalRoutes(std::vector<Route>& routes);
void AddCustomerActionRoutes(std::vector<Route>& routes);
void AddEscalationRoutes(std::vector<Route>& routes);
void AddChargesRoutes(std::vector<Route>& routes);  // the charges calculator, the tenant's legal rate rows
void AddDisputeRoutes(std::vector<Route>& routes);  // disputes, the reasons catalogue, the root-cause report
void AddPlanPortalRoutes(std::vector<Route>& routes);  // plan limits, the portal plan builder, approvals
void AddOfferRoutes(std::vector<Route>& routes);  // offers within approval limits, their portal part
void AddCreditRoutes(std::vector<Route>& routes);
void AddPlanRoutes(std::vector<Route>& routes);  // payment plans: propose, accept, cancel, list, terms PDF
void AddPromiseReportRoutes(std::vector<Route>& routes);  // the promise-kept report

}  // namespace cartera::api
